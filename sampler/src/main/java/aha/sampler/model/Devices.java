package aha.sampler.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Turns the {@code device} setting of a run config into a DJL {@link Device}. */
public final class Devices {

  private Devices() {}

  /**
   * Resolves {@code auto} (the first GPU when the engine reports one, else the CPU), {@code cpu} or
   * {@code gpu} (the first GPU; fails when there is none). {@code gpu:N} picks GPU number N.
   */
  public static Device resolve(String setting) {
    String s = setting == null ? "" : setting.trim().toLowerCase(java.util.Locale.ROOT);
    int gpus = Engine.getInstance().getGpuCount();
    if (s.equals("auto")) {
      return gpus > 0 ? Device.gpu() : Device.cpu();
    }
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("gpu") || s.startsWith("gpu:")) {
      int index = 0;
      if (s.startsWith("gpu:")) {
        try {
          index = Integer.parseInt(s.substring(4));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("device \"" + setting + "\": bad GPU number", e);
        }
      }
      if (index < 0 || index >= gpus) {
        throw new IllegalArgumentException(
            "device \"" + setting + "\": the engine reports " + gpus + " GPU(s)");
      }
      return Device.gpu(index);
    }
    throw new IllegalArgumentException(
        "device \"" + setting + "\": expected auto, cpu, gpu or gpu:N");
  }
}
