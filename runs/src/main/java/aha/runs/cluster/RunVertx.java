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
    ClusterFile file = ClusterFile.read(Path.of(run.cluster()));
    PrometheusMeterRegistry registry = MeteredVertx.newRegistry();
    ClusterVertx member = VertxFutures.await(ClusterVertx.start(file.settings(), registry));
    return new RunVertx(
        new MeteredVertx(member.vertx(), registry), new GrpoStage.Cluster(member::members, file.itemTimeout(), file.settings().host(), file.weightsPort()));
  }

  public Vertx vertx() {
    return metered.vertx();
  }

  /** Closes the instance; a cluster member leaves its cluster. */
  public void close() {
    VertxFutures.await(metered.vertx().close());
  }
}
