package aha.sampler.service;

import aha.problems.Problem;
import aha.sampler.generate.Completion;
import aha.sampler.generate.CompletionSampler;
import aha.sampler.generate.SamplingParams;
import aha.verifier.Verdict;
import aha.verifier.Verifier;
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
 * batch by batch, and has every finished batch scored by the verifier pool while it samples the
 * next.
 *
 * <p>Threads. The verticle itself runs on an event loop and never blocks: it only chains futures.
 * The sampler lives on a one-thread worker pool of its own ({@code aha-sampler-NAME-i}), where it
 * is created, called and closed; verification runs on the service's verifier pool ({@code
 * aha-verifier-NAME}, shared by the replicas), unordered so that its threads work in parallel. A
 * worker verticle that sampled inside its message handler would be simpler, but the verifier
 * callbacks of one request would then queue behind the sampling of the next one on the same
 * context, holding its reply back for a whole request.
 *
 * <p>Order. Commands run in arrival order on the sampler thread: the sampling of a request (from
 * encoding its prompts to its last batch) and each weights update are links of one chain, so an
 * update lands between two requests, never between the batches of one. Scoring is outside the
 * chain: the next request starts sampling while the previous one's last batch is verified.
 *
 * <p>Seeds. The first batch of a request samples with the request's seed; a later batch with a seed
 * mixed from it and the index of its first row, so that batches holding the same prompts do not
 * repeat each other's draws. The same request on the same batch size gives the same completions.
 */
final class SamplerVerticle<S extends CompletionSampler> extends VerticleBase {

  /** Failure code of a request the replica refused: a bad prompt, parameter or problem. */
  static final int BAD_REQUEST = 400;

  /** Failure code of a request the replica failed on. */
  static final int FAILED = 500;

  /** A verdict has its own work budget and a 2 s wall-clock guard; this only bounds the blocked-thread warning. */
  private static final long VERIFY_WARN_SECONDS = 10;

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  /**
   * Sample {@code g} completions for each problem.
   *
   * @param firstRow the row (problem index times G) of the request this share starts at, for seeds
   */
  record Sample(
      List<Problem> problems, int g, SamplingParams params, int maxPromptTokens, long firstRow) {}

  /** Apply {@code update} to the sampler between requests; then the weights are {@code version}. */
  record Publish<S>(long version, Consumer<? super S> update) {}

  /** The answer to a {@link Sample}: one group per problem, in request order. */
  record Scored(List<ScoredGroup> groups) {}

  /** The prompts of a request, one per problem, and the version they are sampled with. */
  private record Prepared(int[][] prompts, long version) {}

  /** The completions of rows {@code from} to {@code from + completions.size()}. */
  private record Batch(int from, List<Completion> completions, double millis) {}

  private final String service;
  private final int replica;
  private final SamplingServiceConfig config;
  private final SamplerFactory<S> factory;
  private final PromptCodec codec;
  private final Verifier verifier;

  private WorkerExecutor samplerPool;
  private WorkerExecutor verifierPool;
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
      PromptCodec codec,
      Verifier verifier) {
    this.service = config.name();
    this.replica = replica;
    this.config = config;
    this.factory = factory;
    this.codec = codec;
    this.verifier = verifier;
  }

  static String samplerPoolName(String service, int replica) {
    return "aha-sampler-" + service + "-" + replica;
  }

  static String verifierPoolName(String service) {
    return "aha-verifier-" + service;
  }

  @Override
  public Future<?> start() {
    samplerPool =
        vertx.createSharedWorkerExecutor(
            samplerPoolName(service, replica),
            1,
            config.maxBatchTime().toNanos(),
            TimeUnit.NANOSECONDS);
    verifierPool =
        vertx.createSharedWorkerExecutor(
            verifierPoolName(service),
            config.verifierWorkers(),
            VERIFY_WARN_SECONDS,
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
    return Future.join(samplerPool.close(), verifierPool.close()).mapEmpty();
  }

  @SuppressWarnings("unchecked")
  private void handle(Message<Object> message) {
    Object body = message.body();
    if (body instanceof Sample request) {
      reply(message, sample(request).map(Scored::new));
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

  private Future<List<ScoredGroup>> sample(Sample request) {
    Promise<List<ScoredGroup>> scored = Promise.promise();
    afterEarlierSteps(() -> sampleAndScore(request, scored));
    return scored.future();
  }

  /**
   * Samples every row of {@code request}, batch by batch, and sends each batch to the verifier pool
   * as soon as it is sampled. The returned future ends the sampling (the next command may use the
   * sampler); {@code scored} completes once every row is scored.
   */
  private Future<Void> sampleAndScore(Sample request, Promise<List<ScoredGroup>> scored) {
    int rows = request.problems().size() * request.g();
    List<Future<ScoredCompletion>> results = new ArrayList<>(rows); // index = row
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
                                        () -> sampleRows(request, prepared, start, end)))
                            .map(batch -> score(request, prepared, batch, results));
                  }
                  return batches.map(prepared);
                });
    // Even when a batch fails, answer only once the verifications already started have ended, so
    // that the caller's next step (or a shutdown) never races them.
    sampled
        .transform(
            sampling ->
                Future.join(results)
                    .transform(
                        verifying -> {
                          if (sampling.failed()) {
                            return Future.failedFuture(sampling.cause());
                          }
                          if (verifying.failed()) {
                            return Future.failedFuture(verifying.cause());
                          }
                          return Future.succeededFuture(
                              groups(request, sampling.result(), results));
                        }))
        .onSuccess(scored::complete)
        .onFailure(scored::fail);
    return sampled.mapEmpty();
  }

  /** On the sampler thread: encodes each problem's prompt and checks its length. */
  private Prepared prepare(Sample request) {
    List<Problem> problems = request.problems();
    int[][] prompts = new int[problems.size()][];
    for (int i = 0; i < prompts.length; i++) {
      Problem problem = problems.get(i);
      int[] prompt = codec.encodePrompt(problem);
      if (prompt.length == 0 || prompt.length > request.maxPromptTokens()) {
        throw new IllegalArgumentException(
            "problem "
                + problem.id()
                + ": its prompt is "
                + prompt.length
                + " tokens; the limit is 1 to "
                + request.maxPromptTokens());
      }
      prompts[i] = prompt;
    }
    return new Prepared(prompts, version);
  }

  /** On the sampler thread: continues rows {@code from} (inclusive) to {@code to} (exclusive). */
  private Batch sampleRows(Sample request, Prepared prepared, int from, int to) {
    List<int[]> prompts = new ArrayList<>(to - from);
    for (int row = from; row < to; row++) {
      prompts.add(prepared.prompts()[row / request.g()]);
    }
    SamplingParams params =
        request.params().withSeed(batchSeed(request.params().seed(), request.firstRow() + from));
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

  /** On the event loop: hands each completion of {@code batch} to the verifier pool. */
  private Void score(
      Sample request, Prepared prepared, Batch batch, List<Future<ScoredCompletion>> results) {
    for (int k = 0; k < batch.completions().size(); k++) {
      int row = batch.from() + k;
      Problem problem = request.problems().get(row / request.g());
      int index = row % request.g();
      Completion completion = batch.completions().get(k);
      results.add(
          verifierPool.executeBlocking(
              () -> verify(problem, index, completion, prepared.version(), batch.millis()), false));
    }
    return null;
  }

  /**
   * On a verifier thread. A completion that does not decode (a token the tokenizer lacks, which a
   * padded vocabulary allows) is scored wrong rather than failing the request.
   */
  private ScoredCompletion verify(
      Problem problem, int index, Completion completion, long policyVersion, double sampleMillis) {
    String text;
    try {
      text = codec.decodeCompletion(completion.tokens());
    } catch (RuntimeException e) {
      Verdict undecodable = new Verdict(false, 0, false, null, "undecodable: " + describe(e));
      return new ScoredCompletion(
          problem.id(), index, "", completion, undecodable, policyVersion, sampleMillis, 0);
    }
    long start = System.nanoTime();
    Verdict verdict = verifier.verify(text, problem.answer(), problem.kind());
    double verifyMillis = (System.nanoTime() - start) / 1e6;
    return new ScoredCompletion(
        problem.id(), index, text, completion, verdict, policyVersion, sampleMillis, verifyMillis);
  }

  private static List<ScoredGroup> groups(
      Sample request, Prepared prepared, List<Future<ScoredCompletion>> results) {
    int g = request.g();
    List<ScoredGroup> groups = new ArrayList<>(request.problems().size());
    for (int i = 0; i < request.problems().size(); i++) {
      List<ScoredCompletion> group = new ArrayList<>(g);
      for (int row = i * g; row < (i + 1) * g; row++) {
        group.add(results.get(row).result());
      }
      groups.add(new ScoredGroup(request.problems().get(i), prepared.prompts()[i], group));
    }
    return groups;
  }

  /**
   * The seed of the batch starting at {@code firstRow}: the request's seed for the first batch,
   * else a SplitMix64 mix of the two.
   */
  static long batchSeed(long seed, long firstRow) {
    if (firstRow == 0) {
      return seed;
    }
    long z = seed + firstRow * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
