package aha.runs.cluster;

import aha.runs.config.RunSettings;
import aha.runs.dashboard.MeteredVertx;
import aha.runs.train.GrpoStage;
import aha.sampler.service.VertxFutures;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The Vert.x a run samples (and serves its dashboard) on: a plain one for a run in one process, or a
 * member of the cluster {@code run.cluster} names, whose sampler nodes then share the GRPO stage's
 * sampling. Either way its meters go to the dashboard's {@code /metrics}.
 *
 * @param metered the instance and its meter registry; {@link #close} closes it (and leaves the
 *     cluster)
 * @param cluster what the GRPO stage needs to deal over the cluster; null in one process
 */
public record RunVertx(MeteredVertx metered, GrpoStage.Cluster cluster) {

  /**
   * Starts the run's Vert.x; in a cluster, once it has joined.
   *
   * @throws IOException when the cluster file cannot be read
   * @throws IllegalArgumentException when it holds a wrong value, naming the file and key
   */
  public static RunVertx start(RunSettings run) throws IOException {
    if (!run.clustered()) {
      return new RunVertx(MeteredVertx.create(), null);
    }
    Path path = Path.of(run.cluster());
    ClusterFile file = ClusterFile.read(path);
    PrometheusMeterRegistry registry = MeteredVertx.newRegistry();
    ClusterVertx member;
    try {
      member = VertxFutures.await(ClusterVertx.start(file.settings(), registry));
    } catch (RuntimeException e) {
      ClusterSettings settings = file.settings();
      throw new IOException(
          path + ": could not join cluster '" + settings.name() + "' as " + settings.host() + ":" + settings.port()
              + ": " + rootMessage(e), e);
    }
    return new RunVertx(
        new MeteredVertx(member.vertx(), registry), new GrpoStage.Cluster(member::members, file.itemTimeout(), file.settings().host(), file.weightsPort()));
  }

  /**
   * Reads the cluster file {@code run.cluster} names, if any, so that a bad one fails before a run
   * directory is made.
   */
  public static void check(RunSettings run) throws IOException {
    if (run.clustered()) {
      ClusterFile.read(Path.of(run.cluster()));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  public Vertx vertx() {
    return metered.vertx();
  }

  /** Closes the instance; a cluster member leaves its cluster. */
  public void close() {
    VertxFutures.await(metered.vertx().close());
  }
}
