package aha.sampler.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Runs code with gradient recording off on this thread. libtorch's grad mode is per thread and on
 * by default, and DJL turns it off only on the thread that loads the engine: a sampler worker
 * thread would otherwise build an autograd graph for every decode step. Training code uses it too
 * (frozen log-probs, optimizer updates).
 */
public final class NoGrad {

  private static final boolean PYTORCH = "PyTorch".equals(Engine.getInstance().getEngineName());

  private NoGrad() {}

  /** Calls {@code body} with grad mode off, restoring the previous mode afterwards. */
  public static <T> T call(Supplier<T> body) {
    boolean previous = PYTORCH && JniUtils.isGradMode();
    if (previous) {
      JniUtils.setGradMode(false);
    }
    try {
      return body.get();
    } finally {
      if (previous) {
        JniUtils.setGradMode(true);
      }
    }
  }
}
