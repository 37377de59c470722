package aha.sampler.cluster;

import aha.sampler.generate.Completion;
import aha.sampler.service.PolicyReplica;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import ai.djl.Device;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sampler node: a policy replica that takes items of work from a trainer over the clustered event
 * bus ({@code aha sampler serve}).
 *
 * <p>It starts with no model. It announces itself to the trainer ({@link Wire#ANNOUNCE}: its node
 * id, cluster member, capacity in rows and device) every {@code announceEvery} and whenever the
 * trainer calls the roll; the trainer answers with the model's config and tokenizer and the current
 * policy version, whose weights the node then fetches over HTTP from the trainer ({@link
 * WeightTransfer}) as an F32 safetensors file and loads. An item names the version it must be sampled with, and the node
 * brings its weights to that version before it samples, so a node that joins mid-run takes work at
 * once and never mixes two versions in one item.
 *
 * <p>Threads. Handlers run on the verticle's event loop and only chain futures: every action (a
 * weights sync, an item) is a link of one chain, so they run one at a time in arrival order. The
 * replica lives on a one-thread worker pool of its own, where it is loaded, called and closed.
 */
public final class SamplerNode extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SamplerNode.class);

  /**
   * How a node presents itself and where it keeps its model.
   *
   * @param nodeId this node's id in the trainer's books (unique in the cluster)
   * @param member the id of the cluster member this node runs in now, by which the trainer sees it
   *     leave (read at each announcement: a member that rejoins after a split gets a new id)
   * @param capacityRows the rows it decodes well in one batch; the trainer keeps up to {@code
   *     capacityRows / batch_rows} items in flight on it (at least one)
   * @param device where its replica computes
   * @param workDir where it writes the model files it receives (one checkpoint, rewritten per version)
   * @param templates the chat template for a tokenizer (the lab's, with the calculator)
   * @param announceEvery how often it announces itself
   */
  public record Options(
      String nodeId,
      Supplier<String> member,
      int capacityRows,
      Device device,
      Path workDir,
      Function<Tokenizer, ChatTemplate> templates,
      Duration announceEvery) {

    public Options {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(member, "member");
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(templates, "templates");
      Objects.requireNonNull(announceEvery, "announceEvery");
      if (capacityRows < 1) {
        throw new IllegalArgumentException("capacity rows must be positive, got " + capacityRows);
      }
    }
  }

  /** What the node holds: a trainer's model at a version. */
  private record Held(String trainer, long version) {}

  private static final DeliveryOptions ANNOUNCE_DELIVERY = new DeliveryOptions().setSendTimeout(5_000);

  private final Options options;

  private WorkerExecutor samplerThread;
  private MessageConsumer<Object> work;
  private MessageConsumer<Object> rollCall;
  private MessageConsumer<JsonObject> versions;
  private long announceTimer = -1;
  private HttpClient http; // fetches the weights from the trainer

  // Event-loop state.
  private Future<?> chainEnd = Future.succeededFuture();
  private JsonObject model; // the trainer's config and tokenizer, as its announce reply gave them
  private String modelTrainer;
  private Held wanted; // the newest version the trainer has told of

  // Sampler-thread state.
  private PolicyReplica replica;
  private Tokenizer tokenizer;
  private volatile Held held;
  private volatile double loadMillis; // the last fetch and load of a version

  public SamplerNode(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The policy version the node holds, or -1 before its first sync. */
  public long version() {
    Held now = held;
    return now == null ? -1 : now.version();
  }

  @Override
  public Future<?> start() {
    samplerThread =
        vertx.createSharedWorkerExecutor(
            "aha-node-" + options.nodeId(), 1, Duration.ofHours(1).toNanos(), TimeUnit.NANOSECONDS);
    http = vertx.createHttpClient();
    work = vertx.eventBus().consumer(Wire.node(options.nodeId()), this::handle);
    rollCall = vertx.eventBus().consumer(Wire.ROLL_CALL, ignored -> announce());
    versions = vertx.eventBus().consumer(Wire.VERSIONS, message -> onAnswer(message.body()));
    return Future.join(work.completion(), rollCall.completion(), versions.completion())
        .onSuccess(
            registered -> {
              announceTimer = vertx.setPeriodic(options.announceEvery().toMillis(), id -> announce());
              announce();
            });
  }

  @Override
  public Future<?> stop() {
    if (announceTimer >= 0) {
      vertx.cancelTimer(announceTimer);
    }
    return Future.join(work.unregister(), rollCall.unregister(), versions.unregister())
        .transform(ignored -> chainEnd)
        .transform(ignored -> samplerThread.executeBlocking(this::closeReplica))
        .eventually(() -> samplerThread.close())
        .eventually(() -> http.close());
  }

  /** Tells the trainer this node is here; takes the model and the version its answer names. */
  private void announce() {
    Held now = held;
    JsonObject hello =
        new JsonObject()
            .put("node", options.nodeId())
            .put("member", options.member().get())
            .put("capacity_rows", options.capacityRows())
            .put("device", Wire.deviceName(options.device()))
            .put("trainer", modelTrainer)
            .put("version", now == null ? -1 : now.version());
    vertx
        .eventBus()
        .<JsonObject>request(Wire.ANNOUNCE, hello, ANNOUNCE_DELIVERY)
        .onSuccess(reply -> onAnswer(reply.body()))
        .onFailure(cause -> LOG.debug("node {}: no trainer answered: {}", options.nodeId(), cause.getMessage()));
  }

  private void onAnswer(JsonObject answer) {
    String trainer = answer.getString("trainer");
    if (answer.containsKey("config")) {
      model = answer;
      modelTrainer = trainer;
    }
    if (!trainer.equals(modelTrainer)) {
      return; // a new trainer that did not send its model yet: the next announce asks for it
    }
    if (!answer.containsKey("version")) {
      return;
    }
    Held told = new Held(trainer, answer.getLong("version"));
    if (!told.equals(wanted)) {
      wanted = told;
      afterEarlierSteps(() -> syncTo(told)); // fetch now rather than when the first item comes
    }
  }

  private void handle(Message<Object> message) {
    String action = message.headers().get(Wire.ACTION);
    String trainer = message.headers().get("trainer");
    if (Wire.SAMPLE.equals(action) && message.body() instanceof JsonObject json) {
      Wire.Item item = Wire.Item.fromJson(json);
      Held needed = new Held(trainer, item.version());
      reply(message, afterEarlierSteps(() -> syncTo(needed).compose(ignored -> sample(item)).map(Wire.Sampled::toBuffer)));
    } else {
      message.fail(Wire.BAD_REQUEST, "node " + options.nodeId() + ": unknown action " + action);
    }
  }

  private void reply(Message<Object> message, Future<?> result) {
    result.onComplete(
        answer -> {
          if (answer.succeeded()) {
            message.reply(answer.result());
          } else {
            Throwable cause = answer.cause();
            int code = cause instanceof IllegalArgumentException ? Wire.BAD_REQUEST : Wire.FAILED;
            LOG.warn("node {}: {}", options.nodeId(), describe(cause));
            message.fail(code, "sampler node " + options.nodeId() + ": " + describe(cause));
          }
        });
  }

  private <T> Future<T> afterEarlierSteps(Supplier<Future<T>> step) {
    Future<T> result = chainEnd.transform(ignored -> step.get());
    chainEnd = result;
    return result;
  }

  /** Brings the replica to {@code needed}: pulls that version's weights and loads them, unless held. */
  private Future<Void> syncTo(Held needed) {
    if (needed.equals(held)) {
      return Future.succeededFuture();
    }
    if (model == null || !needed.trainer().equals(modelTrainer)) {
      return Future.failedFuture(
          new IllegalStateException("no model yet from trainer " + needed.trainer() + "; it announces again shortly"));
    }
    JsonObject files = model;
    long start = System.nanoTime();
    return WeightTransfer.fetchOverHttp(http, files.getString("weights_url"), needed.version())
        .compose(weights -> samplerThread.executeBlocking(() -> load(files, needed, weights)))
        .onSuccess(loaded -> loadMillis = (System.nanoTime() - start) / 1e6);
  }

  /** On the sampler thread: writes the checkpoint and loads it into the replica. */
  private Void load(JsonObject files, Held needed, Buffer weights) throws IOException {
    Path dir = options.workDir();
    Files.createDirectories(dir);
    boolean sameModel = replica != null && held != null && held.trainer().equals(needed.trainer());
    writeAtomically(dir.resolve("config.json"), files.getString("config").getBytes(StandardCharsets.UTF_8));
    writeAtomically(dir.resolve("tokenizer.json"), files.getString("tokenizer").getBytes(StandardCharsets.UTF_8));
    writeAtomically(dir.resolve("model.safetensors"), weights.getBytes());
    if (sameModel) {
      replica.loadWeights(dir);
    } else {
      closeReplica();
      tokenizer = Tokenizer.load(dir);
      replica = PolicyReplica.load(dir, options.device(), options.templates().apply(tokenizer));
    }
    held = needed;
    LOG.info("node {}: weights of version {} loaded ({} bytes)", options.nodeId(), needed.version(), weights.length());
    return null;
  }

  private Future<Wire.Sampled> sample(Wire.Item item) {
    return samplerThread.executeBlocking(
        () -> {
          long start = System.nanoTime();
          List<Completion> completions = replica.sample(item.rows(), item.params());
          double millis = (System.nanoTime() - start) / 1e6;
          return new Wire.Sampled(held.version(), millis, loadMillis, completions);
        });
  }

  private Void closeReplica() {
    if (replica != null) {
      replica.close();
      replica = null;
    }
    if (tokenizer != null) {
      tokenizer.close();
      tokenizer = null;
    }
    return null;
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path staging = file.resolveSibling(file.getFileName() + ".partial");
    Files.write(staging, bytes);
    Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
