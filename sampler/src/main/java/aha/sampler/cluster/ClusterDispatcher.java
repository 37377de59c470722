package aha.sampler.cluster;

import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.generate.Completion;
import aha.sampler.generate.SamplingParams;
import aha.sampler.model.Transformer;
import aha.sampler.service.CompletionScorer;
import aha.sampler.service.PolicyReplica;
import aha.sampler.service.Prompt;
import aha.sampler.service.SampledCompletion;
import aha.sampler.service.SampledGroup;
import aha.sampler.service.SamplingService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's side of a cluster: it deals each sampling request over its local sampling service
 * and every {@link SamplerNode} that has announced itself, and serves the policy's weights to them.
 *
 * <p><b>Items.</b> A request is cut into items of whole groups, at most {@code batch_rows} rows each
 * (the local service's {@code maxBatchRows}), exactly as the local service cuts it; an item's seed
 * follows from where it starts ({@link SamplingParams#forBatchAt}). An item is decoded as one batch
 * wherever it goes, so the completions do not depend on how many nodes there are or which took
 * what. Items wait in one queue and a free slot takes the next one: the local service has one slot,
 * a node {@code max(1, capacity_rows / batch_rows)}, so bigger and faster nodes take more. Remote
 * completions are scored here, on a scoring pool, with the same scorer as the local ones.
 *
 * <p><b>Faults.</b> A node that leaves the cluster (its member gone from {@code members}), fails an
 * item, or does not answer within {@code itemTimeout} is dropped from the pool and its items go back
 * to the front of the queue ({@link #redispatched}). A reply that comes after its item was handed to
 * someone else is dropped: each item is filled once, by the attempt it was last given to. A dropped
 * node comes back when it announces itself again. With every node gone the local slot does all the
 * work. A request fails only when the local service fails or refuses it.
 *
 * <p><b>Weights.</b> {@link #publishWeights} hands the local replica the policy's weights, keeps
 * them as an F32 safetensors file of that version, which nodes fetch over HTTP from a server beside
 * the event bus ({@link WeightTransfer}), and tells the nodes of the version so that they fetch it at once. It never
 * waits on a node: items name their version, and a node brings its weights up to date before it
 * samples one, so a node never mixes two versions in one item.
 *
 * <p>One trainer per cluster: the announce and weights addresses are the cluster's.
 */
public final class ClusterDispatcher<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterDispatcher.class);

  /** The local slot's name in {@link NodeStatus}. */
  public static final String LOCAL = "local";

  /**
   * @param itemTimeout how long a node may take over one item (its weights fetch included) before
   *     its work is given to others
   * @param membershipPoll how often the cluster's members are compared with the nodes
   * @param host the address the weights are served on, where nodes can reach the trainer (its
   *     cluster address)
   * @param weightsPort the weights server's port (0: any free port)
   */
  public record Options(Duration itemTimeout, Duration membershipPoll, String host, int weightsPort) {

    public Options {
      Objects.requireNonNull(itemTimeout, "itemTimeout");
      Objects.requireNonNull(membershipPoll, "membershipPoll");
      if (itemTimeout.isNegative() || itemTimeout.isZero()) {
        throw new IllegalArgumentException("item timeout must be positive, got " + itemTimeout);
      }
      Objects.requireNonNull(host, "host");
      if (weightsPort < 0 || weightsPort > 65535) {
        throw new IllegalArgumentException("weights port must be 0 to 65535, got " + weightsPort);
      }
    }

    /** Items time out after a minute; membership is checked every second; weights served on 127.0.0.1. */
    public static Options defaults() {
      return new Options(Duration.ofSeconds(60), Duration.ofSeconds(1), "127.0.0.1", 0);
    }

    public Options withItemTimeout(Duration timeout) {
      return new Options(timeout, membershipPoll, host, weightsPort);
    }

    public Options withWeightsServer(String address, int port) {
      return new Options(itemTimeout, membershipPoll, address, port);
    }
  }

  /**
   * One node as the trainer sees it, for the dashboard and the logs.
   *
   * @param node its id ({@link #LOCAL} for the trainer's own replica)
   * @param device where it computes
   * @param capacityRows the rows it said it decodes well at once
   * @param version the policy version of its last item or sync
   * @param inFlight items it holds now
   * @param items items it completed
   * @param rows completions it returned
   * @param rowsPerSecond completions per second of sampling over its items
   * @param failures items it failed, timed out on or lost by leaving
   * @param loadMillis how long it last took to fetch and load a version's weights
   * @param live whether it takes work now
   */
  public record NodeStatus(
      String node, String device, int capacityRows, long version, int inFlight, long items, long rows,
      double rowsPerSecond, int failures, double loadMillis, boolean live) {}

  /** A request in flight: its items' groups fill in as they arrive. */
  private final class Request {
    final List<List<SampledGroup<K, V>>> items = new ArrayList<>();
    final Promise<List<SampledGroup<K, V>>> result = Promise.promise();
    int remaining;
    boolean done;
  }

  /** One item of a request, and the attempt that may fill it. */
  private final class Task {
    final Request request;
    final int index;
    final List<Prompt<K>> prompts;
    final int g;
    final SamplingParams params; // the item's own seed
    int attempt;
    Slot holder;

    Task(Request request, int index, List<Prompt<K>> prompts, int g, SamplingParams params) {
      this.request = request;
      this.index = index;
      this.prompts = prompts;
      this.g = g;
      this.params = params;
    }
  }

  /** Somewhere items are sampled: the local service, or a node. */
  private final class Slot {
    final String id;
    final String member; // null for the local slot
    final String device;
    final int capacityRows;
    final int slots;
    final Set<Task> held = new HashSet<>();
    boolean live = true;
    long version;
    long items;
    long rows;
    double sampleMillis;
    int failures;
    double loadMillis;

    Slot(String id, String member, String device, int capacityRows, int slots) {
      this.id = id;
      this.member = member;
      this.device = device;
      this.capacityRows = capacityRows;
      this.slots = slots;
    }

    int free() {
      return live ? slots - held.size() : 0;
    }

    NodeStatus status() {
      double perSecond = sampleMillis > 0 ? rows / (sampleMillis / 1000) : 0;
      return new NodeStatus(
          id, device, capacityRows, version, held.size(), items, rows, perSecond, failures, loadMillis, live);
    }
  }

  private final Vertx vertx;
  private final SamplingService<PolicyReplica, K, V> local;
  private final CompletionScorer<? super K, ? extends V> scorer;
  private final Supplier<? extends Collection<String>> members;
  private final Options options;
  private final String trainerId = UUID.randomUUID().toString();
  private final JsonObject modelFiles;
  private final WorkerExecutor scoring;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private HttpServer weightServer; // serves the current version's file to the nodes; guarded by this
  private String weightsUrl;
  private final long membershipTimer;

  // Guarded by this.
  private final Slot localSlot;
  private final Map<String, Slot> nodes = new LinkedHashMap<>();
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private long weightsVersion;
  private byte[] weights;
  private long redispatched;
  private long lateReplies;
  private double lastSyncMillis;
  private boolean closed;

  private ClusterDispatcher(
      Vertx vertx,
      SamplingService<PolicyReplica, K, V> local,
      CompletionScorer<? super K, ? extends V> scorer,
      Supplier<? extends Collection<String>> members,
      Options options,
      JsonObject modelFiles,
      String localDevice) {
    this.vertx = vertx;
    this.local = local;
    this.scorer = scorer;
    this.members = members;
    this.options = options;
    this.modelFiles = modelFiles;
    this.scoring = vertx.createSharedWorkerExecutor("aha-scorer-cluster", local.config().scoringWorkers());
    this.localSlot = new Slot(LOCAL, null, localDevice, local.config().maxBatchRows(), 1);
    this.localSlot.version = local.policyVersion();
    this.membershipTimer = vertx.setPeriodic(options.membershipPoll().toMillis(), id -> checkMembers());
  }

  /**
   * Starts dispatching over {@code local} (one replica; its {@code maxBatchRows} is the item size)
   * and the nodes that announce themselves, serving {@code policy}'s current weights as the local
   * service's version. Already running nodes are asked to announce themselves at once.
   *
   * @param tokenizerJson the policy's tokenizer.json, which nodes load with the model
   * @param members the ids of the cluster's members now (a node whose member is gone is dropped)
   */
  public static <K, V> Future<ClusterDispatcher<K, V>> start(
      Vertx vertx,
      SamplingService<PolicyReplica, K, V> local,
      CompletionScorer<? super K, ? extends V> scorer,
      Transformer policy,
      Path tokenizerJson,
      Supplier<? extends Collection<String>> members,
      Options options) {
    if (local.config().replicas() != 1) {
      throw new IllegalArgumentException(
          "a cluster's local service has one replica (an item is one batch), got " + local.config().replicas());
    }
    JsonObject modelFiles;
    try {
      modelFiles =
          new JsonObject()
              .put("config", Checkpoints.configJson(policy))
              .put("tokenizer", Files.readString(tokenizerJson, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    byte[] initialWeights = Checkpoints.weightsBytes(policy);
    ClusterDispatcher<K, V> dispatcher =
        new ClusterDispatcher<>(vertx, local, scorer, members, options, modelFiles, Wire.deviceName(policy.device()));
    synchronized (dispatcher) {
      dispatcher.weights = initialWeights;
      dispatcher.weightsVersion = local.policyVersion();
    }
    return dispatcher.listen().map(dispatcher);
  }

  /** Serves the weights, then answers announcements and calls the roll. */
  private Future<Void> listen() {
    return WeightTransfer.serveOverHttp(vertx, options.host(), options.weightsPort(), trainerId, this::currentWeights)
        .compose(server -> {
          synchronized (this) {
            weightServer = server;
            weightsUrl = WeightTransfer.httpBase(options.host(), server.actualPort(), trainerId);
          }
          MessageConsumer<JsonObject> announcements = vertx.eventBus().consumer(Wire.ANNOUNCE, this::onAnnounce);
          consumers.add(announcements);
          return announcements.completion();
        })
        .onSuccess(ready -> vertx.eventBus().publish(Wire.ROLL_CALL, new JsonObject().put("trainer", trainerId)));
  }

  /**
   * Samples {@code g} completions of each prompt over the local slot and the nodes, and scores them.
   *
   * @return one group per prompt, in order, each with its G completions in index order
   */
  public Future<List<SampledGroup<K, V>>> sample(List<Prompt<K>> prompts, int g, SamplingParams params) {
    if (g <= 0) {
      throw new IllegalArgumentException("g (samples per prompt) must be positive, got " + g);
    }
    Request request = new Request();
    int promptsPerItem = Math.max(1, local.config().maxBatchRows() / g);
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("the cluster dispatcher is closed"));
      }
      for (int from = 0; from < prompts.size(); from += promptsPerItem) {
        int to = Math.min(prompts.size(), from + promptsPerItem);
        Task task =
            new Task(request, request.items.size(), List.copyOf(prompts.subList(from, to)), g,
                params.forBatchAt((long) from * g));
        request.items.add(null);
        queue.add(task);
      }
      request.remaining = request.items.size();
      if (request.remaining == 0) {
        return Future.succeededFuture(List.of());
      }
    }
    pump();
    return request.result.future();
  }

  /**
   * Gives the local replica {@code policy}'s weights as {@code version}, keeps them for the nodes
   * (an F32 safetensors file's bytes, in memory) and tells the nodes, which fetch them at once (each
   * item names its version too, so a node that missed the news fetches them before it samples).
   * Blocks the calling thread while the weights are encoded; never waits on a node, so a node that
   * fails is found at its next item.
   *
   * @return the version, once the local replica holds it
   */
  public Future<Long> publishWeights(long version, Transformer policy) {
    long start = System.nanoTime();
    Future<Long> localDone = local.publishWeights(version, replica -> replica.copyWeightsFrom(policy));
    byte[] bytes = Checkpoints.weightsBytes(policy);
    synchronized (this) {
      weights = bytes;
      weightsVersion = version;
    }
    vertx.eventBus().publish(Wire.VERSIONS, new JsonObject().put("trainer", trainerId).put("version", version));
    return localDone.onSuccess(
        done -> {
          synchronized (this) {
            localSlot.version = version;
            lastSyncMillis = (System.nanoTime() - start) / 1e6;
          }
        });
  }

  /** Milliseconds the last {@link #publishWeights} took: the local copy and encoding the weights. */
  public synchronized double lastSyncMillis() {
    return lastSyncMillis;
  }

  /** Items given to another slot after theirs failed, timed out or left, since the start. */
  public synchronized long redispatched() {
    return redispatched;
  }

  /** Replies that came for an item already filled (or given to another node), since the start. */
  public synchronized long lateReplies() {
    return lateReplies;
  }

  /** The local slot and every node, live or dropped. */
  public synchronized List<NodeStatus> nodes() {
    List<NodeStatus> all = new ArrayList<>();
    all.add(localSlot.status());
    for (Slot node : nodes.values()) {
      all.add(node.status());
    }
    return all;
  }

  /** Slots that take work now: the local one and the live nodes. */
  public synchronized int liveNodes() {
    return 1 + (int) nodes.values().stream().filter(node -> node.live).count();
  }

  /**
   * Stops listening and checking, fails what waits, and closes the local service (not the Vert.x).
   */
  public Future<Void> close() {
    List<Task> dropped;
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
    }
    vertx.cancelTimer(membershipTimer);
    for (Task task : dropped) {
      fail(task.request, new IllegalStateException("the cluster dispatcher was closed"));
    }
    List<Future<?>> stopped = new ArrayList<>();
    for (MessageConsumer<?> consumer : consumers) {
      stopped.add(consumer.unregister());
    }
    if (weightServer != null) {
      stopped.add(weightServer.close());
    }
    return Future.join(stopped)
        .transform(ignored -> local.close())
        .eventually(scoring::close)
        .mapEmpty();
  }

  private synchronized WeightTransfer.Version currentWeights() {
    return new WeightTransfer.Version(weightsVersion, weights);
  }

  private void onAnnounce(Message<JsonObject> message) {
    JsonObject hello = message.body();
    String id = hello.getString("node");
    String member = hello.getString("member");
    int capacity = Math.max(1, hello.getInteger("capacity_rows", 1));
    JsonObject answer;
    boolean added = false;
    synchronized (this) {
      Slot node = nodes.get(id);
      if (node == null || (!node.live && node.held.isEmpty())) {
        int slots = Math.max(1, capacity / local.config().maxBatchRows());
        Slot fresh = new Slot(id, member, hello.getString("device", "?"), capacity, slots);
        if (node != null) {
          fresh.items = node.items;
          fresh.rows = node.rows;
          fresh.sampleMillis = node.sampleMillis;
          fresh.failures = node.failures;
        }
        fresh.version = hello.getLong("version", -1L);
        nodes.put(id, fresh);
        added = true;
      }
      answer = new JsonObject().put("trainer", trainerId).put("version", weightsVersion).put("weights_url", weightsUrl);
    }
    if (!trainerId.equals(hello.getString("trainer"))) {
      answer.mergeIn(modelFiles);
    }
    message.reply(answer);
    if (added) {
      LOG.info("sampler node {} joined ({} rows, {})", id, capacity, hello.getString("device"));
      pump();
    }
  }

  /** Hands queued items to free slots, the freest first (the local slot wins ties). */
  private void pump() {
    while (true) {
      Task task;
      Slot slot;
      synchronized (this) {
        queue.removeIf(waiting -> waiting.request.done);
        task = queue.peek();
        if (task == null || closed) {
          return;
        }
        slot = freestSlot();
        if (slot == null) {
          return;
        }
        queue.poll();
        task.attempt++;
        task.holder = slot;
        slot.held.add(task);
      }
      if (slot == localSlot) {
        runLocally(task, task.attempt);
      } else {
        runRemotely(slot, task, task.attempt);
      }
    }
  }

  private Slot freestSlot() {
    Slot best = localSlot.free() > 0 ? localSlot : null;
    for (Slot node : nodes.values()) {
      if (node.free() > 0 && (best == null || node.free() > best.free())) {
        best = node;
      }
    }
    return best;
  }

  private void runLocally(Task task, int attempt) {
    local
        .sample(task.prompts, task.g, task.params)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                List<SampledGroup<K, V>> groups = new ArrayList<>(done.result().size());
                for (SampledGroup<K, V> group : done.result()) {
                  groups.add(
                      new SampledGroup<>(group.key(), group.promptTokens(),
                          group.completions().stream().map(c -> c.sampledBy(LOCAL)).toList()));
                }
                record(localSlot, task, attempt, groups, groups.get(0).completions().get(0).sampleMillis());
              } else {
                synchronized (this) {
                  localSlot.held.remove(task);
                  localSlot.failures++;
                }
                fail(task.request, done.cause());
                pump();
              }
            });
  }

  private void runRemotely(Slot node, Task task, int attempt) {
    long version;
    synchronized (this) {
      version = weightsVersion;
    }
    List<int[]> prompts = new ArrayList<>(task.prompts.size());
    for (Prompt<K> prompt : task.prompts) {
      prompts.add(prompt.tokens());
    }
    Wire.Item item = new Wire.Item(version, prompts, task.g, task.params);
    vertx.eventBus()
        .<Buffer>request(Wire.node(node.id), item.toJson(), delivery(Wire.SAMPLE))
        .compose(
            reply -> {
              Wire.Sampled sampled = Wire.Sampled.fromBuffer(reply.body());
              synchronized (this) {
                node.loadMillis = sampled.loadMillis();
              }
              return scoreRemote(node.id, task, sampled);
            })
        .onComplete(
            done -> {
              if (done.succeeded()) {
                List<SampledGroup<K, V>> groups = done.result();
                record(node, task, attempt, groups, groups.get(0).completions().get(0).sampleMillis());
              } else if (refused(done.cause())) {
                synchronized (this) {
                  node.held.remove(task);
                }
                fail(task.request, new IllegalArgumentException(done.cause().getMessage(), done.cause()));
                pump();
              } else {
                drop(node, describe(done.cause()));
              }
            });
  }

  /** Scores a node's completions on the scoring pool and groups them as the local service would. */
  private Future<List<SampledGroup<K, V>>> scoreRemote(String nodeId, Task task, Wire.Sampled sampled) {
    int rows = task.prompts.size() * task.g;
    if (sampled.completions().size() != rows) {
      return Future.failedFuture(
          new IllegalStateException("a node returned " + sampled.completions().size() + " completions for " + rows + " rows"));
    }
    List<Future<SampledCompletion<V>>> scored = new ArrayList<>(rows);
    for (int row = 0; row < rows; row++) {
      K key = task.prompts.get(row / task.g).key();
      int index = row % task.g;
      Completion completion = sampled.completions().get(row);
      scored.add(
          scoring.executeBlocking(
              () -> {
                long start = System.nanoTime();
                V score = scorer.score(key, completion);
                double millis = (System.nanoTime() - start) / 1e6;
                return new SampledCompletion<>(
                    index, completion, score, sampled.version(), sampled.sampleMillis(), millis, nodeId);
              },
              false));
    }
    return Future.all(scored)
        .map(
            all -> {
              List<SampledGroup<K, V>> groups = new ArrayList<>(task.prompts.size());
              for (int i = 0; i < task.prompts.size(); i++) {
                List<SampledCompletion<V>> group = new ArrayList<>(task.g);
                for (int row = i * task.g; row < (i + 1) * task.g; row++) {
                  group.add(scored.get(row).result());
                }
                Prompt<K> prompt = task.prompts.get(i);
                groups.add(new SampledGroup<>(prompt.key(), prompt.tokens(), group));
              }
              return groups;
            });
  }

  /** Fills {@code task}'s place with {@code groups} if {@code attempt} is still the one that may. */
  private void record(Slot slot, Task task, int attempt, List<SampledGroup<K, V>> groups, double sampleMillis) {
    Request request = task.request;
    boolean complete = false;
    synchronized (this) {
      slot.held.remove(task);
      if (task.attempt != attempt || request.done || request.items.get(task.index) != null) {
        lateReplies++;
      } else {
        slot.items++;
        slot.rows += (long) task.prompts.size() * task.g;
        slot.sampleMillis += sampleMillis;
        slot.version = groups.get(0).policyVersion();
        request.items.set(task.index, groups);
        request.remaining--;
        if (request.remaining == 0) {
          request.done = true;
          complete = true;
        }
      }
    }
    if (complete) {
      List<SampledGroup<K, V>> all = new ArrayList<>();
      for (List<SampledGroup<K, V>> item : request.items) {
        all.addAll(item);
      }
      request.result.tryComplete(all);
    }
    pump();
  }

  /** Takes {@code node} out of the pool and puts its items back at the front of the queue. */
  private void drop(Slot node, String why) {
    List<Task> orphans;
    synchronized (this) {
      if (!node.live && node.held.isEmpty()) {
        return;
      }
      node.live = false;
      node.failures++;
      orphans = new ArrayList<>(node.held);
      node.held.clear();
      orphans.sort(Comparator.comparingInt((Task task) -> task.index).reversed());
      for (Task task : orphans) {
        if (!task.request.done) {
          task.attempt++; // a late reply of the lost attempt no longer fills the item
          task.holder = null;
          queue.addFirst(task);
          redispatched++;
        }
      }
    }
    LOG.warn("sampler node {} dropped, {} items given to others: {}", node.id, orphans.size(), why);
    pump();
  }

  /** Drops the nodes whose cluster member has left. */
  private void checkMembers() {
    Collection<String> now = members.get();
    List<Slot> gone;
    synchronized (this) {
      gone = nodes.values().stream().filter(node -> node.live && !now.contains(node.member)).toList();
    }
    for (Slot node : gone) {
      drop(node, "its cluster member left");
    }
  }

  private void fail(Request request, Throwable cause) {
    synchronized (this) {
      request.done = true;
    }
    request.result.tryFail(cause);
  }

  private DeliveryOptions delivery(String action) {
    return new DeliveryOptions()
        .setSendTimeout(options.itemTimeout().toMillis())
        .addHeader(Wire.ACTION, action)
        .addHeader("trainer", trainerId);
  }

  private static boolean refused(Throwable cause) {
    return cause instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == Wire.BAD_REQUEST;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
