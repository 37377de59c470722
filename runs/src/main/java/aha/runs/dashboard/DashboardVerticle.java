package aha.runs.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard's HTTP server: a JSON API over the runs, a live metrics stream per run
 * (server-sent events), and the pages. Read-only: every route answers GET and HEAD (the headers a
 * GET would get, no body), and anything else is answered 405.
 *
 * <pre>
 * GET /api/runs                      the runs: name, status, stage, last step, ...
 * GET /api/runs/:run                 one run's summary
 * GET /api/runs/:run/metrics         the metrics lines: every one up to 4,096, then evenly thinned
 * GET /api/runs/:run/events          text/event-stream: "metrics" events, the whole file first
 *                                    ({"reset": true}), then the lines appended since
 * GET /api/runs/:run/samples         ?correct=true|false&amp;problem=ID&amp;step=N&amp;offset=0&amp;limit=20
 * GET /api/runs/:run/problems        per-problem pass rates, always-0 / always-1 flagged
 * GET /api/runs/:run/eval            the eval reports
 * GET /metrics                     Prometheus text: this process's meters, each run's last figures
 * GET /, /run.html, ...              the pages; /vendor/uplot/... the chart library
 * </pre>
 *
 * <p>Threads. Handlers run on the event loop and only route: every file read, and the JSON
 * encoding of what was read, runs on the {@code aha-dashboard} worker pool. A live stream polls
 * its run's shared metrics tail on a timer; a poll still reading skips the next tick.
 *
 * <p>Bound to loopback, the server also refuses requests whose Host header names another machine,
 * so that a web page elsewhere cannot read it through DNS rebinding.
 */
final class DashboardVerticle extends VerticleBase {

  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final String EVENT_STREAM_TYPE = "text/event-stream; charset=utf-8";

  /** A stream with nothing to say sends a comment this often, so dead connections are noticed. */
  private static final long HEARTBEAT_MILLIS = 15_000;

  private static final String SECURITY_POLICY =
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
          + " frame-ancestors 'none'";

  private final DashboardOptions options;
  private final RunCatalog catalog;
  private final boolean loopbackOnly;
  private final AtomicInteger openStreams = new AtomicInteger();
  private WorkerExecutor worker;
  private Assets assets;
  private HttpServer server;

  private final PrometheusMetrics prometheus;

  DashboardVerticle(DashboardOptions options, io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry) {
    this.options = options;
    this.prometheus = new PrometheusMetrics(registry);
    this.catalog = new RunCatalog(options.runsRoot(), options.warn());
    this.loopbackOnly = isLoopbackName(options.host());
  }

  @Override
  public Future<?> start() {
    worker = vertx.createSharedWorkerExecutor("aha-dashboard", 2, 60, TimeUnit.SECONDS);
    return worker
        .executeBlocking(Assets::load)
        .compose(
            loaded -> {
              assets = loaded;
              return vertx
                  .createHttpServer()
                  .requestHandler(router())
                  .listen(options.port(), options.host());
            })
        .onSuccess(listening -> server = listening);
  }

  @Override
  public Future<?> stop() {
    return worker.close();
  }

  /** The port the server listens on (the one chosen when the options said 0). */
  int port() {
    return server.actualPort();
  }

  /** Live metrics streams open now (each holds a poll timer). */
  int openStreams() {
    return openStreams.get();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::guard);
    read(router, "/api/runs").handler(this::runs);
    read(router, "/api/runs/:run").handler(this::run);
    read(router, "/api/runs/:run/metrics").handler(this::metrics);
    read(router, "/api/runs/:run/events").handler(this::events);
    read(router, "/api/runs/:run/samples").handler(this::samples);
    read(router, "/api/runs/:run/problems").handler(this::problems);
    read(router, "/api/runs/:run/eval").handler(this::evals);
    read(router, "/api/runs/:run/nodes").handler(this::nodes);
    read(router, "/metrics").handler(this::prometheus);
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::asset);
    return router;
  }

  /** A route for GET and HEAD of {@code path}; Vert.x sends no body in answer to a HEAD. */
  private static Route read(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  /** Read-only, this machine only (when bound to loopback), and no sniffing or framing. */
  private void guard(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    HttpMethod method = ctx.request().method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.ALLOW, "GET, HEAD");
      error(ctx, 405, "the dashboard is read-only: only GET and HEAD");
      return;
    }
    HostAndPort authority = ctx.request().authority();
    if (authority == null && ctx.request().version() != HttpVersion.HTTP_1_0) {
      // HTTP/1.1 requires a Host header and a server must refuse a request without one (RFC 9112,
      // 3.2); HTTP/1.0 predates it, and a local tool speaking it is served
      error(ctx, 400, "a request without a Host header");
      return;
    }
    if (loopbackOnly && authority != null && !isLoopbackName(authority.host())) {
      error(ctx, 403, "this dashboard serves this machine only (Host " + authority.host() + ")");
      return;
    }
    response
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", SECURITY_POLICY);
    ctx.next();
  }

  /** Prometheus' text format: this process's meters and each run's last training figures. */
  private void prometheus(RoutingContext ctx) {
    worker
        .executeBlocking(() -> prometheus.scrape(catalog.list()), false)
        .onSuccess(text -> ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(e -> error(ctx, 500, "metrics: " + e.getMessage()));
  }

  private void runs(RoutingContext ctx) {
    answer(
        ctx,
        () -> {
          ObjectNode node = RunView.JSON.createObjectNode();
          node.put("root", catalog.root().toString());
          var runs = node.putArray("runs");
          for (RunView view : catalog.list()) {
            runs.add(view.summary());
          }
          return node;
        });
  }

  private void run(RoutingContext ctx) {
    String name = ctx.pathParam("run");
    answer(ctx, () -> view(name).summary());
  }

  private void metrics(RoutingContext ctx) {
    String name = ctx.pathParam("run");
    answer(ctx, () -> view(name).metrics());
  }

  private void samples(RoutingContext ctx) {
    String name = ctx.pathParam("run");
    var params = ctx.queryParams();
    answer(ctx, () -> view(name).samples(SampleQuery.parse(params::get)));
  }

  private void problems(RoutingContext ctx) {
    String name = ctx.pathParam("run");
    answer(ctx, () -> view(name).problems());
  }

  private void evals(RoutingContext ctx) {
    String name = ctx.pathParam("run");
    answer(ctx, () -> view(name).evals());
  }

  private void nodes(RoutingContext ctx) {
    String name = ctx.pathParam("run");
    answer(ctx, () -> view(name).nodes());
  }

  /** Opens a live metrics stream once the run is known to exist. */
  private void events(RoutingContext ctx) {
    String name = ctx.pathParam("run");
    worker
        .executeBlocking(() -> view(name), false)
        .onSuccess(
            view -> {
              if (ctx.request().method() == HttpMethod.HEAD) {
                // what a stream would start with, without starting one that never ends
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM_TYPE).end();
              } else {
                new MetricsStream(ctx.response(), view).open();
              }
            })
        .onFailure(failure -> fail(ctx, failure));
  }

  private void asset(RoutingContext ctx) {
    Assets.Asset asset = assets.get(ctx.normalizedPath());
    if (asset == null) {
      error(ctx, 404, "not found");
      return;
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType())
        .putHeader(
            HttpHeaders.CACHE_CONTROL, asset.versioned() ? "public, max-age=86400" : "no-cache")
        .end(Buffer.buffer(asset.bytes()));
  }

  /** The run named {@code name}; 400 for what cannot be a run name, 404 for no such run. */
  private RunView view(String name) throws Exception {
    if (!RunCatalog.isValidName(name)) {
      throw new HttpError(400, "not a run name: '" + name + "'");
    }
    return catalog.find(name).orElseThrow(() -> new HttpError(404, "no run named '" + name + "'"));
  }

  /** Runs {@code query} and encodes its answer on the worker pool, then sends it. */
  private void answer(RoutingContext ctx, Callable<JsonNode> query) {
    worker
        .executeBlocking(() -> RunView.JSON.writeValueAsBytes(query.call()), false)
        .onSuccess(
            bytes ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(Buffer.buffer(bytes)))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof HttpError http) {
      error(ctx, http.status, http.getMessage());
    } else if (failure instanceof IllegalArgumentException bad) {
      error(ctx, 400, bad.getMessage());
    } else {
      options.warn().accept("GET " + ctx.normalizedPath() + " failed: " + failure);
      error(ctx, 500, "failed: " + failure.getMessage());
    }
  }

  private static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ObjectNode body = RunView.JSON.createObjectNode().put("error", message);
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE)
        .end(body.toString());
  }

  /** Whether a host name or address names this machine over loopback. */
  static boolean isLoopbackName(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return name.equals("localhost")
        || name.matches("127(\\.\\d{1,3}){3}")
        || name.equals("::1")
        || name.equals("[::1]");
  }

  /** A request that cannot be answered, with the status saying why. */
  private static final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /**
   * One live page's metrics stream: the whole file as the first event, then each poll's new lines
   * as one event. Unregisters its timer when the connection closes.
   */
  private final class MetricsStream {
    private final HttpServerResponse response;
    private final RunView view;
    private JsonTail.Position seen;
    private boolean reading;
    private boolean closed;
    private long lastWrite;
    private long timer;

    MetricsStream(HttpServerResponse response, RunView view) {
      this.response = response;
      this.view = view;
    }

    void open() {
      if (response.closed()) {
        return;
      }
      response
          .setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM_TYPE)
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .putHeader("X-Accel-Buffering", "no");
      // a dropped connection is retried by the browser after this long (milliseconds)
      send("retry: 2000\n\n");
      response.closeHandler(closed -> close());
      response.exceptionHandler(failure -> close());
      timer = vertx.setPeriodic(0, options.pollMillis(), tick -> poll());
      openStreams.incrementAndGet();
    }

    private void poll() {
      if (reading || closed || response.writeQueueFull()) {
        return;
      }
      reading = true;
      worker
          .executeBlocking(() -> encode(view.metricsSince(seen)), false)
          .onComplete(
              done -> {
                reading = false;
                if (closed) {
                  return;
                }
                if (done.failed()) {
                  options.warn().accept("metrics stream of " + view.name() + ": " + done.cause());
                  String problem =
                      RunView.JSON.createObjectNode().put("error", "" + done.cause()).toString();
                  send("event: problem\ndata: " + problem + "\n\n");
                } else if (done.result().event() != null) {
                  seen = done.result().next();
                  send("event: metrics\ndata: " + done.result().event() + "\n\n");
                } else if (System.currentTimeMillis() - lastWrite > HEARTBEAT_MILLIS) {
                  send(": still here\n\n");
                }
              });
    }

    /** The event of a delta (null when there is nothing new) and the position after it. */
    private Encoded encode(JsonTail.Delta delta) throws Exception {
      String event =
          delta.isEmpty() ? null : RunView.JSON.writeValueAsString(view.metricsEvent(delta));
      return new Encoded(event, delta.next());
    }

    private void send(String text) {
      lastWrite = System.currentTimeMillis();
      response.write(text);
    }

    private void close() {
      if (!closed) {
        closed = true;
        vertx.cancelTimer(timer);
        openStreams.decrementAndGet();
      }
    }
  }

  private record Encoded(String event, JsonTail.Position next) {}
}
