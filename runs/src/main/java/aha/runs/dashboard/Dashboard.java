package aha.runs.dashboard;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The live dashboard of the runs under a folder: {@code aha dashboard} starts one, and so will
 * {@code aha train}. Read-only; bound to {@value DashboardOptions#LOOPBACK} unless told otherwise.
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.start(DashboardOptions.of(Path.of("out/runs"), "127.0.0.1", 0))) {
 *   System.out.println(dashboard.url()); // http://127.0.0.1:40123/
 *   ...
 * }
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {

  private static final long WAIT_SECONDS = 30;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final String deployment;
  private final DashboardOptions options;
  private final DashboardVerticle verticle;

  private Dashboard(
      Vertx vertx,
      boolean ownsVertx,
      String deployment,
      DashboardOptions options,
      DashboardVerticle verticle) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.deployment = deployment;
    this.options = options;
    this.verticle = verticle;
  }

  /**
   * Serves the runs under the options' folder on their host and port (port 0: any free port), with
   * a Vert.x of its own; returns once the server listens.
   *
   * @throws IOException when the server cannot listen there (port taken, unknown host)
   */
  public static Dashboard start(DashboardOptions options) throws IOException {
    MeteredVertx own = MeteredVertx.create();
    try {
      return await(deploy(own.vertx(), true, options, own.registry()), options);
    } catch (IOException | RuntimeException e) {
      own.vertx().close();
      throw e;
    }
  }

  /**
   * Deploys the dashboard on a training run's Vert.x, whose meters {@code /metrics} serves; returns
   * once the server listens. {@link #close} then undeploys it and leaves that Vert.x running.
   *
   * @throws IOException when the server cannot listen there (port taken, unknown host)
   */
  public static Dashboard start(MeteredVertx shared, DashboardOptions options) throws IOException {
    return await(deploy(shared.vertx(), false, options, shared.registry()), options);
  }

  /**
   * Deploys the dashboard on an existing Vert.x that reports no meters of its own; {@link #close}
   * then undeploys it and leaves that Vert.x running.
   */
  public static Future<Dashboard> start(Vertx vertx, DashboardOptions options) {
    return deploy(vertx, false, options, PrometheusMetrics.newRegistry());
  }

  private static Future<Dashboard> deploy(
      Vertx vertx, boolean owns, DashboardOptions options, PrometheusMeterRegistry registry) {
    DashboardVerticle verticle = new DashboardVerticle(options, registry);
    return vertx
        .deployVerticle(verticle)
        .map(id -> new Dashboard(vertx, owns, id, options, verticle));
  }

  /** The page to open, such as {@code http://127.0.0.1:8088/}. */
  public String url() {
    return "http://" + urlHost(options.host()) + ":" + port() + "/";
  }

  /** The port listened on (the chosen one when asked for 0). */
  public int port() {
    return verticle.port();
  }

  /** Live metrics streams open now; each closes (and stops polling) with its connection. */
  int openStreams() {
    return verticle.openStreams();
  }

  /** The folder whose runs are shown. */
  public Path runsRoot() {
    return options.runsRoot();
  }

  /** Whether only this machine can reach it. */
  public boolean isLoopbackOnly() {
    return DashboardVerticle.isLoopbackName(options.host());
  }

  /** Stops serving (and closes its own Vert.x, if it made one). */
  public Future<Void> stop() {
    // closing a Vert.x undeploys what it runs
    return ownsVertx ? vertx.close() : vertx.undeploy(deployment);
  }

  /** {@link #stop} and wait; not to be called from a Vert.x thread. */
  @Override
  public void close() {
    try {
      stop().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      options.warn().accept("closing the dashboard: " + e);
    }
  }

  private static Dashboard await(Future<Dashboard> started, DashboardOptions options)
      throws IOException {
    String where = options.host() + ":" + options.port();
    try {
      return started.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the dashboard on " + where, e);
    } catch (TimeoutException e) {
      throw new IOException("the dashboard did not start on " + where + " in time", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IOException(
          "cannot serve the dashboard on " + where + ": " + cause.getMessage(), cause);
    }
  }

  /** The host as it goes in a URL: a wildcard address becomes this machine's name. */
  private static String urlHost(String host) {
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "localhost";
      }
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
