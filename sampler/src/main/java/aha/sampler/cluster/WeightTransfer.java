package aha.sampler.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * How a policy version's weights (an F32 safetensors file's bytes) travel from the trainer to its
 * sampler nodes, two ways: one HTTP GET from a server the trainer runs beside its event bus, which
 * runs use, and chunks over the event bus, which {@code aha bench weights} measures against it.
 * On 127.0.0.1 the GET took 1.2 to 10 times less in all but one sitting, measured under load
 * (docs/scale-out.md): a chunk is a request and a reply framed in memory on both sides, while the
 * GET streams the file.
 *
 * <p>Either way a version is named with its owner (the trainer's random id, which only travels over
 * the cluster's event bus), and asking for a version the owner no longer holds fails: HTTP 410, or
 * {@link Wire#GONE} on the bus.
 */
public final class WeightTransfer {

  /** The bytes of one version. */
  public record Version(long version, byte[] bytes) {}

  private WeightTransfer() {}

  /**
   * Serves {@code current()} at {@code /weights/OWNER/VERSION} on {@code host} and {@code port} (0:
   * any free port).
   *
   * @return the server, listening
   */
  public static Future<HttpServer> serveOverHttp(
      Vertx vertx, String host, int port, String owner, Supplier<Version> current) {
    return vertx.createHttpServer()
        .requestHandler(request -> {
          Version held = current.get();
          String wanted = held == null ? null : "/weights/" + owner + "/" + held.version();
          if (request.method() != HttpMethod.GET || wanted == null || !wanted.equals(request.path())) {
            request.response().setStatusCode(410).end("no such version here: " + request.path());
            return;
          }
          request.response()
              .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
              .end(Buffer.buffer(held.bytes()));
        })
        .listen(port, host);
  }

  /** The address {@link #serveOverHttp} serves {@code owner}'s versions under, for a server on {@code host}. */
  public static String httpBase(String host, int port, String owner) {
    String hostPart = host.contains(":") ? "[" + host + "]" : host; // an IPv6 literal
    return "http://" + hostPart + ":" + port + "/weights/" + owner + "/";
  }

  /** Fetches {@code version} from {@code base} (an {@link #httpBase}); fails unless it answers 200. */
  public static Future<Buffer> fetchOverHttp(HttpClient client, String base, long version) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(base + version);
    return client.request(options)
        .compose(HttpClientRequest::send)
        .compose(response -> response.statusCode() == 200
            ? response.body()
            : response.body().transform(body -> Future.failedFuture(new IllegalStateException(
                "weights of version " + version + ": HTTP " + response.statusCode()
                    + (body.succeeded() ? " " + body.result() : "")))));
  }

  /**
   * Serves {@code current()}'s chunks of {@code chunkBytes} at {@code address} to askers naming
   * {@code owner}: {@code {"owner", "version", "chunk"}} in, the chunk's bytes with a {@code chunks}
   * header out.
   */
  public static MessageConsumer<JsonObject> serveOverBus(
      Vertx vertx, String address, String owner, Supplier<Version> current, int chunkBytes) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> {
      JsonObject ask = message.body();
      Version held = current.get();
      if (!owner.equals(ask.getString("owner")) || held == null || ask.getLong("version") != held.version()) {
        message.fail(Wire.GONE, "version " + ask.getLong("version") + " is gone; the trainer holds "
            + (held == null ? "none" : held.version()));
        return;
      }
      byte[] bytes = held.bytes();
      int chunks = Math.max(1, (bytes.length + chunkBytes - 1) / chunkBytes);
      int chunk = ask.getInteger("chunk");
      if (chunk < 0 || chunk >= chunks) {
        message.fail(Wire.BAD_REQUEST, "chunk " + chunk + " of " + chunks);
        return;
      }
      int from = chunk * chunkBytes;
      int to = Math.min(bytes.length, from + chunkBytes);
      message.reply(
          Buffer.buffer().appendBytes(bytes, from, to - from),
          new DeliveryOptions().addHeader("chunks", Integer.toString(chunks)));
    });
  }

  /** Pulls every chunk of {@code owner}'s {@code version} from {@code address}, one after another. */
  public static Future<Buffer> pullOverBus(Vertx vertx, String address, String owner, long version, DeliveryOptions delivery) {
    Buffer whole = Buffer.buffer();
    return pullFrom(vertx, address, owner, version, 0, whole, delivery).map(whole);
  }

  private static Future<Void> pullFrom(
      Vertx vertx, String address, String owner, long version, int chunk, Buffer into, DeliveryOptions delivery) {
    JsonObject ask = new JsonObject().put("owner", owner).put("version", version).put("chunk", chunk);
    return vertx.eventBus()
        .<Buffer>request(address, ask, delivery)
        .compose(reply -> {
          into.appendBuffer(reply.body());
          int chunks = Integer.parseInt(reply.headers().get("chunks"));
          return chunk + 1 < chunks
              ? pullFrom(vertx, address, owner, version, chunk + 1, into, delivery)
              : Future.succeededFuture();
        });
  }
}
