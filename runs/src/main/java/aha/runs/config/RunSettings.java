package aha.runs.config;

import aha.sampler.settings.InvalidFieldException;
import java.util.regex.Pattern;

/**
 * How a run is kept and watched, as opposed to what it learns: where its directory goes, how
 * often it checkpoints, whether the dashboard serves it, and on which device it computes.
 *
 * @param name the run's name; its directory is {@code ROOT/<yyyyMMdd-HHmmss>-<name>}, so letters,
 *     digits, '.', '_' and '-' only
 * @param root the folder run directories are created in
 * @param checkpointEvery GRPO steps between checkpoints (the last step always checkpoints)
 * @param keepCheckpoints the newest checkpoints kept; older ones are deleted
 * @param dashboard whether {@code aha train} serves the live dashboard while it runs
 * @param host the address the dashboard listens on (127.0.0.1: this machine only)
 * @param port the dashboard's port (0: any free port)
 * @param device where tensors live: auto (a GPU when there is one), cpu, gpu or gpu:N
 * @param cluster none, or a cluster file ({@code aha.runs.cluster.ClusterFile}): the GRPO stage then
 *     joins that cluster and deals its sampling over the sampler nodes there (docs/scale-out.md)
 */
public record RunSettings(
    String name,
    String root,
    int checkpointEvery,
    int keepCheckpoints,
    boolean dashboard,
    String host,
    int port,
    String device,
    String cluster) {

  /** The same rule as {@code RunDirectory.create}, checked here so a bad name fails at load. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:\\d+");

  public RunSettings {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidFieldException(
          "name", "use letters, digits, '.', '_' and '-' (at most 100, starting with a letter or"
              + " digit), got '" + name + "'");
    }
    if (root == null || root.isBlank()) {
      throw new InvalidFieldException("root", "must name a folder, got '" + root + "'");
    }
    if (checkpointEvery < 1) {
      throw new InvalidFieldException("checkpoint_every", "must be >= 1, got " + checkpointEvery);
    }
    if (keepCheckpoints < 1) {
      throw new InvalidFieldException("keep_checkpoints", "must be >= 1, got " + keepCheckpoints);
    }
    if (host == null || host.isBlank()) {
      throw new InvalidFieldException("host", "must name an address, got '" + host + "'");
    }
    if (port < 0 || port > 65535) {
      throw new InvalidFieldException("port", "must be 0..65535 (0: any free port), got " + port);
    }
    if (device == null || !DEVICE.matcher(device).matches()) {
      throw new InvalidFieldException(
          "device", "expected auto, cpu, gpu or gpu:N, got '" + device + "'");
    }
    if (cluster == null || cluster.isBlank()) {
      throw new InvalidFieldException("cluster", "must be none or a cluster file, got '" + cluster + "'");
    }
  }

  /** Value of {@link #cluster} for a run in one process. */
  public static final String NO_CLUSTER = "none";

  /** Whether the GRPO stage samples over a cluster. */
  public boolean clustered() {
    return !NO_CLUSTER.equals(cluster);
  }

  /** A run named "default" under out/runs, checkpointing every 10 steps, dashboard on 8088. */
  public static RunSettings defaults() {
    return new RunSettings("default", "out/runs", 10, 3, true, "127.0.0.1", 8088, "auto", NO_CLUSTER); // DashboardOptions.DEFAULT_PORT
  }

  public RunSettings withName(String newName) {
    return new RunSettings(newName, root, checkpointEvery, keepCheckpoints, dashboard, host, port, device, cluster);
  }
}
