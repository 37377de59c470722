package aha.sampler.service;

import aha.sampler.generate.Completion;
import aha.sampler.generate.CompletionSampler;
import aha.sampler.generate.SamplingParams;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One model replica: owns a {@link CompletionSampler}, samples the requests sent to its address
 * batch by batch, and has every finished batch scored on the scoring pool while it samples the
 * next.
 *
 * <p>Threads. The verticle itself runs on an event loop and never blocks: it only chains futures.
 * The sampler lives on a one-thread worker pool of its own ({@code aha-sampler-NAME-i}), where it
 * is created, called and closed; the injected {@link CompletionScorer} runs on the service's
 * scoring pool ({@code aha-scorer-NAME}, shared by the replicas), unordered so that its threads
 * work in parallel. A worker verticle that sampled inside its message handler would be simpler, but
 * the scoring callbacks of one request would then queue behind the sampling of the next one on the same
 * context, holding its reply back for a whole request.
 *
 * <p>Order. Commands run in arrival order on the sampler thread: the sampling of a request (from
 * encoding its prompts to its last batch) and each weights update are links of one chain, so an
 * update lands between two requests, never between the batches of one. Scoring is outside the
 * chain: the next request starts sampling while the previous one's last batch is scored.
 *
 * <p>Seeds. The first batch of a request samples with the request's seed; a later batch with a seed
 * mixed from it and the index of its first row, so that batches holding the same prompts do not
 * repeat each other's draws. The same request on the same batch size gives the same completions.
 */
final class SamplerVerticle<S extends CompletionSampler, K, V> extends VerticleBase {

  /** Failure code of a request the replica refused: a bad prompt or parameter. */
  static final int BAD_REQUEST = 400;

  /** Failure code of a request the replica failed on. */
  static final int FAILED = 500;

  /**
   * A score should take milliseconds (the lab's verifier has its own work budget and a 2 s
   * wall-clock guard); this only bounds the blocked-thread warning.
   */
  private static final long SCORE_WARN_SECONDS = 10;

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  /**
   * Sample {@code g} completions for each prompt.
   *
   * @param firstRow the row (prompt index times G) of the request this share starts at, for seeds
   */
  record Sample<K>(
      List<Prompt<K>> prompts, int g, SamplingParams params, int maxPromptTokens, long firstRow) {}

  /** Apply {@code update} to the sampler between requests; then the weights are {@code version}. */
  record Publish<S>(long version, Consumer<? super S> update) {}

  /** The answer to a {@link Sample}: one group per prompt, in request order. */
  record Scored<K, V>(List<SampledGroup<K, V>> groups) {}

  /** The version a request is sampled with, read on the sampler thread when it starts. */
  private record Prepared(long version) {}

  /** The completions of rows {@code from} to {@code from + completions.size()}. */
  private record Batch(int from, List<Completion> completions, double millis) {}

  private final String service;
  private final int replica;
  private final SamplingServiceConfig config;
  private final SamplerFactory<S> factory;
  private final CompletionScorer<? super K, ? extends V> scorer;

  private WorkerExecutor samplerPool;
  private WorkerExecutor scoringPool;
  private MessageConsumer<Object> consumer;

  // Sampler-thread state: touched only inside samplerPool tasks, which run one at a time.
  private S sampler;
  private long version;

  // Event-loop state: the end of the chain of sampling steps and weights updates.
  private Future<?> chainEnd = Future.succeededFuture();

  SamplerVerticle(
      int replica,
      SamplingServiceConfig config,
      SamplerFactory<S> factory,
      CompletionScorer<? super K, ? extends V> scorer) {
    this.service = config.name();
    this.replica = replica;
    this.config = config;
    this.factory = factory;
    this.scorer = scorer;
  }

  static String samplerPoolName(String service, int replica) {
    return "aha-sampler-" + service + "-" + replica;
  }

  static String scoringPoolName(String service) {
    return "aha-scorer-" + service;
  }

  @Override
  public Future<?> start() {
    samplerPool =
        vertx.createSharedWorkerExecutor(
            samplerPoolName(service, replica),
            1,
            config.maxBatchTime().toNanos(),
            TimeUnit.NANOSECONDS);
    scoringPool =
        vertx.createSharedWorkerExecutor(
            scoringPoolName(service),
            config.scoringWorkers(),
            SCORE_WARN_SECONDS,
            TimeUnit.SECONDS);
    version = config.initialPolicyVersion(); // published to the sampler thread by executeBlocking
    return samplerPool
        .executeBlocking(this::createSampler)
        .compose(
            created -> {
              consumer = vertx.eventBus().localConsumer(Addresses.sampler(service, replica));
              consumer.handler(this::handle);
              return consumer.completion();
            })
        .recover(failure -> closePools().transform(ignored -> Future.failedFuture(failure)));
  }

  /**
   * Stops taking commands, lets the chain run out, closes the sampler on its thread and the pools.
   * The facade undeploys only once no request is in flight, so no scoring is cut short.
   */
  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered
        .transform(ignored -> chainEnd)
        .transform(ignored -> samplerPool.executeBlocking(this::closeSampler))
        .eventually(this::closePools);
  }

  private Void createSampler() throws Exception {
    sampler =
        Objects.requireNonNull(
            factory.create(replica), "sampler factory returned null for replica " + replica);
    return null;
  }

  private Void closeSampler() throws Exception {
    if (sampler instanceof AutoCloseable closeable) {
      closeable.close();
    }
    sampler = null;
    return null;
  }

  private Future<Void> closePools() {
    return Future.join(samplerPool.close(), scoringPool.close()).mapEmpty();
  }

  @SuppressWarnings("unchecked")
  private void handle(Message<Object> message) {
    Object body = message.body();
    if (body instanceof Sample<?> request) {
      reply(message, sample((Sample<K>) request).map(Scored::new));
    } else if (body instanceof Publish<?> publish) {
      reply(message, publish((Publish<S>) publish));
    } else {
      message.fail(BAD_REQUEST, "replica " + replica + ": unknown command " + body);
    }
  }

  private void reply(Message<Object> message, Future<?> result) {
    result.onComplete(
        answer -> {
          if (answer.succeeded()) {
            message.reply(answer.result(), LOCAL);
          } else {
            Throwable cause = answer.cause();
            int code = cause instanceof IllegalArgumentException ? BAD_REQUEST : FAILED;
            message.fail(code, "sampler replica " + replica + ": " + describe(cause));
          }
        });
  }

  /** Appends a step to the chain: it starts once every earlier step has ended, however it ended. */
  private <T> Future<T> afterEarlierSteps(Supplier<Future<T>> step) {
    Future<T> result = chainEnd.transform(ignored -> step.get());
    chainEnd = result;
    return result;
  }

  private Future<Long> publish(Publish<S> publish) {
    return afterEarlierSteps(
        () ->
            samplerPool.executeBlocking(
                () -> {
                  publish.update().accept(sampler);
                  version = publish.version();
                  return version;
                }));
  }

  private Future<List<SampledGroup<K, V>>> sample(Sample<K> request) {
    Promise<List<SampledGroup<K, V>>> scored = Promise.promise();
    afterEarlierSteps(() -> sampleAndScore(request, scored));
    return scored.future();
  }

  /**
   * Samples every row of {@code request}, batch by batch, and sends each batch to the scoring pool
   * as soon as it is sampled. The returned future ends the sampling (the next command may use the
   * sampler); {@code scored} completes once every row is scored.
   */
  private Future<Void> sampleAndScore(Sample<K> request, Promise<List<SampledGroup<K, V>>> scored) {
    int rows = request.prompts().size() * request.g();
    List<Future<SampledCompletion<V>>> results = new ArrayList<>(rows); // index = row
    Future<Prepared> sampled =
        samplerPool
            .executeBlocking(() -> prepare(request))
            .compose(
                prepared -> {
                  Future<Void> batches = Future.succeededFuture();
                  for (int from = 0; from < rows; from += config.maxBatchRows()) {
                    int start = from;
                    int end = Math.min(rows, from + config.maxBatchRows());
                    batches =
                        batches
                            .compose(
                                ignored ->
                                    samplerPool.executeBlocking(
                                        () -> sampleRows(request, start, end)))
                            .map(batch -> score(request, prepared, batch, results));
                  }
                  return batches.map(prepared);
                });
    // Even when a batch fails, answer only once the scorings already started have ended, so
    // that the caller's next step (or a shutdown) never races them.
    sampled
        .transform(
            sampling ->
                Future.join(results)
                    .transform(
                        scoring -> {
                          if (sampling.failed()) {
                            return Future.failedFuture(sampling.cause());
                          }
                          if (scoring.failed()) {
                            return Future.failedFuture(scoring.cause());
                          }
                          return Future.succeededFuture(
                              groups(request, results));
                        }))
        .onSuccess(scored::complete)
        .onFailure(scored::fail);
    return sampled.mapEmpty();
  }

  /** On the sampler thread: checks each prompt's length and reads the weights' version. */
  private Prepared prepare(Sample<K> request) {
    List<Prompt<K>> prompts = request.prompts();
    for (int i = 0; i < prompts.size(); i++) {
      int length = prompts.get(i).tokens().length;
      if (length == 0 || length > request.maxPromptTokens()) {
        throw new IllegalArgumentException(
            "prompt "
                + (request.firstRow() / request.g() + i)
                + " ("
                + prompts.get(i).key()
                + "): it is "
                + length
                + " tokens; the limit is 1 to "
                + request.maxPromptTokens());
      }
    }
    return new Prepared(version);
  }

  /** On the sampler thread: continues rows {@code from} (inclusive) to {@code to} (exclusive). */
  private Batch sampleRows(Sample<K> request, int from, int to) {
    List<int[]> prompts = new ArrayList<>(to - from);
    for (int row = from; row < to; row++) {
      prompts.add(request.prompts().get(row / request.g()).tokens());
    }
    SamplingParams params = request.params().forBatchAt(request.firstRow() + from);
    long start = System.nanoTime();
    List<Completion> completions = sampler.sample(prompts, params);
    double millis = (System.nanoTime() - start) / 1e6;
    if (completions.size() != prompts.size()) {
      throw new IllegalStateException(
          "the sampler returned "
              + completions.size()
              + " completions for "
              + prompts.size()
              + " prompts");
    }
    return new Batch(from, completions, millis);
  }

  /** On the event loop: hands each completion of {@code batch} to the scoring pool. */
  private Void score(
      Sample<K> request, Prepared prepared, Batch batch, List<Future<SampledCompletion<V>>> results) {
    for (int k = 0; k < batch.completions().size(); k++) {
      int row = batch.from() + k;
      K key = request.prompts().get(row / request.g()).key();
      int index = row % request.g();
      Completion completion = batch.completions().get(k);
      results.add(
          scoringPool.executeBlocking(
              () -> scoreOne(key, index, completion, prepared.version(), batch.millis()), false));
    }
    return null;
  }

  /** On a scoring thread. */
  private SampledCompletion<V> scoreOne(
      K key, int index, Completion completion, long policyVersion, double sampleMillis) {
    long start = System.nanoTime();
    V score = scorer.score(key, completion);
    double scoreMillis = (System.nanoTime() - start) / 1e6;
    return new SampledCompletion<>(index, completion, score, policyVersion, sampleMillis, scoreMillis);
  }

  private static <K, V> List<SampledGroup<K, V>> groups(
      Sample<K> request, List<Future<SampledCompletion<V>>> results) {
    int g = request.g();
    List<SampledGroup<K, V>> groups = new ArrayList<>(request.prompts().size());
    for (int i = 0; i < request.prompts().size(); i++) {
      List<SampledCompletion<V>> group = new ArrayList<>(g);
      for (int row = i * g; row < (i + 1) * g; row++) {
        group.add(results.get(row).result());
      }
      Prompt<K> prompt = request.prompts().get(i);
      groups.add(new SampledGroup<>(prompt.key(), prompt.tokens(), group));
    }
    return groups;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
