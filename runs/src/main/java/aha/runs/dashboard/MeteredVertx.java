package aha.runs.dashboard;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * A Vert.x instance that reports its meters (HTTP server, event bus, worker pools: the sampling
 * service's too, when it runs there) into the registry the dashboard's {@code /metrics} serves.
 * {@code aha train} makes one and runs both the sampling service and the dashboard on it.
 *
 * @param vertx the instance; its owner closes it
 * @param registry where its meters and the process's JVM meters go
 */
public record MeteredVertx(Vertx vertx, PrometheusMeterRegistry registry) {

  /** A registry for a Vert.x built elsewhere (a cluster member), with the process's JVM meters. */
  public static PrometheusMeterRegistry newRegistry() {
    return PrometheusMetrics.newRegistry();
  }

  /** A new instance with a new registry. */
  public static MeteredVertx create() {
    PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    return new MeteredVertx(vertx, registry);
  }
}
