package aha.runs.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * What the dashboard's {@code GET /metrics} serves, in Prometheus' text format, for people who
 * watch training in Grafana: the meters of this process (JVM memory, GC, threads, CPU; and the
 * dashboard's own Vert.x HTTP and pool meters when it runs on a Vert.x of its own, through
 * vertx-micrometer-metrics), and one gauge per training figure of each run under the root, read
 * from the run's last metrics line at each scrape ({@code aha_accuracy{run="…"}}, {@code
 * aha_step}, …). In {@code aha train} the dashboard runs in the trainer's process, so the JVM
 * meters are the trainer's.
 */
final class PrometheusMetrics {

  /** The figures of a metrics line served as gauges, when the line has them. */
  static final List<String> FIGURES =
      List.of(
          "step", "elapsed_s", "loss", "held_out_loss", "accuracy", "reward/mean", "reward/std",
          "frac_reward_zero_std", "completions/mean_length", "completions/clipped_ratio",
          "aha/response_share", "aha/transitions", "aha/right_to_wrong", "kl", "entropy", "grad_norm",
          "lr", "tokens_per_s", "time/sample", "time/verify", "time/learn", "time/step");

  private static final Pattern NOT_A_NAME = Pattern.compile("[^a-zA-Z0-9]+");

  private final PrometheusMeterRegistry registry;
  private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();

  PrometheusMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /** A registry for a dashboard (and the Vert.x it owns, which reports into it). */
  static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** The Prometheus name of a figure: {@code aha_} and the key with every run of other characters as one {@code _}. */
  static String gaugeName(String key) {
    return "aha_" + NOT_A_NAME.matcher(key).replaceAll("_");
  }

  /**
   * The exposition text after setting each run's gauges from its last metrics line. Blocking (reads
   * the runs' files): call it off the event loop.
   */
  String scrape(List<RunView> runs) {
    for (RunView run : runs) {
      JsonNode last;
      try {
        last = run.lastMetrics();
      } catch (java.io.IOException e) {
        continue; // an unreadable run is left out of this scrape; its page says why
      }
      if (last == null) {
        continue;
      }
      for (String key : FIGURES) {
        JsonNode value = last.get(key);
        if (value != null && value.isNumber()) {
          gauge(run.name(), key).set(value.asDouble());
        }
      }
    }
    return registry.scrape();
  }

  private AtomicReference<Double> gauge(String run, String key) {
    return gauges.computeIfAbsent(
        run + "\u0000" + key,
        id -> {
          AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
          Gauge.builder(gaugeName(key), value, AtomicReference::get)
              .description("the last " + key + " in the run's metrics.jsonl")
              .tag("run", run)
              .register(registry);
          return value;
        });
  }
}
