package aha.sampler.service;

import aha.sampler.generate.CompletionSampler;
import aha.sampler.generate.SamplingParams;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The sampling service as its caller (the trainer, {@code aha sample}) sees it: P tokenized prompts
 * and G in, P scored groups out.
 *
 * <p>It deals in tokens and knows nothing of problems or answers: each prompt carries an opaque key
 * ({@link Prompt}), and an injected {@link CompletionScorer} turns a key and a completion into a
 * score. Behind the facade, one {@link SamplerVerticle} per replica samples with its own sampler,
 * and a pool of scoring threads scores each batch of completions while the next batch is sampled.
 * A request is cut into items of whole groups, at most {@code maxBatchRows} rows each, dealt to the
 * replicas in turn; an item's seed follows from where it starts in the request, so the completions
 * are the same on one replica or several. The groups come back in request order. Methods may be called from any thread; futures complete on
 * Vert.x threads, so callbacks must not block (a plain thread may wait on {@code await()} or {@code
 * toCompletionStage()}).
 *
 * <p><b>Backpressure.</b> At most {@code maxInFlight} requests are dispatched at once (being
 * sampled or scored); each holds its prompts, completions and a slot in the replicas' queues.
 * Further requests wait, first come first served, up to {@code maxQueued} of them; beyond that
 * {@link #sample} fails at once with a {@link RejectedExecutionException} naming both limits.
 * Waiting suits a trainer that runs one request ahead; failing fast keeps a burst from piling up
 * unseen.
 *
 * <p><b>Policy versions.</b> The weights carry an increasing version, starting at {@code
 * initialPolicyVersion}. {@link #publishWeights} hands every replica an update and the version it
 * makes; a replica applies it on its sampler thread after the requests dispatched to it before, and
 * before those dispatched after: between requests, never within one. Each completion records the
 * version its replica had when its request started sampling, so a request still waiting for a slot
 * when weights are published samples with the new ones. The caller must not change what the update
 * reads until the returned future completes.
 *
 * <p><b>Shutdown.</b> {@link #close} drains: requests in flight finish and deliver their groups (so
 * do weights updates under way), waiting requests fail at once ("closed before it started"), and
 * every later call fails with an {@link IllegalStateException}. Then the verticles are undeployed:
 * each closes its sampler on its own thread and its worker pools, so no thread of the service
 * outlives the returned future.
 *
 * <p><b>Failures.</b> A request whose input a replica refuses (a prompt over {@code
 * maxPromptTokens}, parameters the sampler rejects) fails with an {@link IllegalArgumentException};
 * a sampler error, a timeout or a lost replica with a {@link SamplingException}. A completion that
 * fails to decode is scored wrong rather than failing its request.
 *
 * @param <S> the sampler type, which weight updates see
 * @param <K> the prompt key type
 * @param <V> the score type
 */
public final class SamplingService<S extends CompletionSampler, K, V> {

  /** A request accepted by {@link #sample} and not yet answered. */
  private record Pending<K, V>(
      List<Prompt<K>> prompts, int g, SamplingParams params, Promise<List<SampledGroup<K, V>>> result) {}

  private final Vertx vertx;
  private final SamplingServiceConfig config;
  private final List<String> deployments;
  private final DeliveryOptions delivery;

  // Guarded by this. Messages are sent while holding the lock, so that the order in which requests
  // are dispatched and weights published is the order in which every replica receives them.
  private int inFlight;
  private int publishing; // weights updates not yet answered by every replica
  private final ArrayDeque<Pending<K, V>> waiting = new ArrayDeque<>();
  private long latestVersion;
  private int nextReplica; // the replica the next item goes to: items are dealt in turn
  private boolean closed;
  private final Promise<Void> drained = Promise.promise();
  private Future<Void> closing;

  private SamplingService(Vertx vertx, SamplingServiceConfig config, List<String> deployments) {
    this.vertx = vertx;
    this.config = config;
    this.deployments = List.copyOf(deployments);
    this.delivery =
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(config.requestTimeout().toMillis());
    this.latestVersion = config.initialPolicyVersion();
  }

  /**
   * Deploys {@code config.replicas()} sampler verticles, each creating its sampler with {@code
   * factory} on its own thread, and completes when all are ready. If any fails to start, those that
   * started are undeployed and the future fails with its error.
   *
   * @param scorer scores each completion; shared by the scoring threads (it must be thread-safe)
   */
  public static <S extends CompletionSampler, K, V> Future<SamplingService<S, K, V>> start(
      Vertx vertx,
      SamplingServiceConfig config,
      CompletionScorer<? super K, ? extends V> scorer,
      SamplerFactory<S> factory) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(factory, "factory");
    EventBus bus = vertx.eventBus();
    LocalCodec.register(bus, SamplerVerticle.Sample.class);
    LocalCodec.register(bus, SamplerVerticle.Publish.class);
    LocalCodec.register(bus, SamplerVerticle.Scored.class);
    List<Future<String>> deployed = new ArrayList<>();
    for (int replica = 0; replica < config.replicas(); replica++) {
      deployed.add(
          vertx.deployVerticle(new SamplerVerticle<S, K, V>(replica, config, factory, scorer)));
    }
    return Future.join(deployed)
        .transform(
            all -> {
              List<String> ids = new ArrayList<>();
              for (Future<String> f : deployed) {
                if (f.succeeded()) {
                  ids.add(f.result());
                }
              }
              if (all.succeeded()) {
                return Future.succeededFuture(new SamplingService<S, K, V>(vertx, config, ids));
              }
              return undeploy(vertx, ids)
                  .transform(ignored -> Future.<SamplingService<S, K, V>>failedFuture(all.cause()));
            });
  }

  public SamplingServiceConfig config() {
    return config;
  }

  /**
   * Samples {@code g} completions for each prompt and scores them.
   *
   * @return one group per prompt, in order, each with its G completions in index order; it fails
   *     at once with a {@link RejectedExecutionException} when the service is busy beyond its
   *     limits, or an {@link IllegalStateException} once it is closed
   * @throws IllegalArgumentException if {@code g} is not positive
   */
  public Future<List<SampledGroup<K, V>>> sample(List<Prompt<K>> prompts, int g, SamplingParams params) {
    Objects.requireNonNull(prompts, "prompts");
    Objects.requireNonNull(params, "params");
    if (g <= 0) {
      throw new IllegalArgumentException("g (samples per prompt) must be positive, got " + g);
    }
    Pending<K, V> pending = new Pending<>(List.copyOf(prompts), g, params, Promise.promise());
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(closedError());
      }
      if (inFlight < config.maxInFlight()) {
        inFlight++;
        dispatch(pending);
      } else if (waiting.size() < config.maxQueued()) {
        waiting.add(pending);
      } else {
        return Future.failedFuture(
            new RejectedExecutionException(
                "sampling service '"
                    + config.name()
                    + "' is busy: "
                    + inFlight
                    + " requests in flight (maxInFlight "
                    + config.maxInFlight()
                    + ") and "
                    + waiting.size()
                    + " waiting (maxQueued "
                    + config.maxQueued()
                    + ")"));
      }
    }
    return pending.result().future();
  }

  /**
   * Has every replica apply {@code update} to its sampler, between requests, after which its
   * weights are {@code version}. The update runs once per replica, each on that replica's sampler
   * thread, possibly at the same time as the others.
   *
   * @return the version, once every replica has applied it; fails with an {@link
   *     IllegalArgumentException} if {@code version} is not above the last one published, with a
   *     {@link SamplingException} if an update threw (that replica keeps its old version, its
   *     weights as the update left them)
   */
  public Future<Long> publishWeights(long version, Consumer<? super S> update) {
    Objects.requireNonNull(update, "update");
    List<Future<Message<Long>>> applied = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(closedError());
      }
      if (version <= latestVersion) {
        return Future.failedFuture(
            new IllegalArgumentException(
                "policy versions must increase: " + version + " after " + latestVersion));
      }
      latestVersion = version;
      publishing++;
      SamplerVerticle.Publish<S> publish = new SamplerVerticle.Publish<>(version, update);
      for (int replica = 0; replica < config.replicas(); replica++) {
        applied.add(vertx.eventBus().request(address(replica), publish, delivery));
      }
    }
    return Future.join(applied)
        .transform(
            all -> {
              finishPublishing();
              return all.succeeded() ? Future.succeededFuture(version) : failure(all.cause());
            });
  }

  /** The version of the weights last published (or the initial one). */
  public synchronized long policyVersion() {
    return latestVersion;
  }

  /** Requests being sampled or scored. */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Requests waiting for an in-flight slot. */
  public synchronized int waiting() {
    return waiting.size();
  }

  /**
   * Shuts the service down: fails the waiting requests, lets those in flight (and weights updates
   * under way) finish, then undeploys the replicas. Idempotent: every call returns the same future.
   */
  public Future<Void> close() {
    List<Pending<K, V>> dropped;
    boolean idle;
    synchronized (this) {
      if (closing != null) {
        return closing;
      }
      closed = true;
      dropped = new ArrayList<>(waiting);
      waiting.clear();
      idle = inFlight == 0 && publishing == 0;
      closing = drained.future().compose(ignored -> undeploy(vertx, deployments));
    }
    for (Pending<K, V> pending : dropped) {
      pending
          .result()
          .tryFail(
              new IllegalStateException(
                  "sampling service '"
                      + config.name()
                      + "' was closed before this request started"));
    }
    if (idle) {
      drained.tryComplete();
    }
    return closing;
  }

  /**
   * Cuts {@code pending} into items of whole groups, at most {@code maxBatchRows} rows each (one
   * group when a group alone is more), and sends them to the replicas in turn; called holding the
   * lock. An item's rows and seed depend only on where it starts in the request, never on the
   * replica that decodes it, so a request gives the same completions on one replica or several.
   */
  private void dispatch(Pending<K, V> pending) {
    List<Prompt<K>> prompts = pending.prompts();
    int g = pending.g();
    int promptsPerItem = Math.max(1, config.maxBatchRows() / g);
    List<Future<List<SampledGroup<K, V>>>> items = new ArrayList<>();
    for (int from = 0; from < prompts.size(); from += promptsPerItem) {
      int to = Math.min(prompts.size(), from + promptsPerItem);
      SamplerVerticle.Sample<K> item =
          new SamplerVerticle.Sample<>(
              prompts.subList(from, to), g, pending.params(), config.maxPromptTokens(), (long) from * g);
      int replica = nextReplica;
      nextReplica = (nextReplica + 1) % config.replicas();
      items.add(
          vertx
              .eventBus()
              .<SamplerVerticle.Scored<K, V>>request(address(replica), item, delivery)
              .map(reply -> reply.body().groups()));
    }
    // join, not all: the slot is freed only when every replica is done with its items
    Future.join(items)
        .onComplete(
            all -> {
              release();
              if (all.succeeded()) {
                List<SampledGroup<K, V>> groups = new ArrayList<>(prompts.size());
                for (Future<List<SampledGroup<K, V>>> item : items) {
                  groups.addAll(item.result());
                }
                pending.result().tryComplete(groups);
              } else {
                pending.result().tryFail(translate(all.cause()));
              }
            });
  }

  /** Frees the slot of a finished request: the next waiting request takes it. */
  private void release() {
    boolean nowDrained;
    synchronized (this) {
      Pending<K, V> next = waiting.poll();
      if (next != null) {
        dispatch(next);
        return;
      }
      inFlight--;
      nowDrained = closed && inFlight == 0 && publishing == 0;
    }
    if (nowDrained) {
      drained.tryComplete();
    }
  }

  private void finishPublishing() {
    boolean nowDrained;
    synchronized (this) {
      publishing--;
      nowDrained = closed && inFlight == 0 && publishing == 0;
    }
    if (nowDrained) {
      drained.tryComplete();
    }
  }

  private String address(int replica) {
    return Addresses.sampler(config.name(), replica);
  }

  private IllegalStateException closedError() {
    return new IllegalStateException("sampling service '" + config.name() + "' is closed");
  }

  private static <T> Future<T> failure(Throwable cause) {
    return Future.failedFuture(translate(cause));
  }

  /**
   * A replica's refusal becomes an IllegalArgumentException; any other failure a SamplingException.
   */
  private static Throwable translate(Throwable cause) {
    if (cause instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && reply.failureCode() == SamplerVerticle.BAD_REQUEST) {
        return new IllegalArgumentException(reply.getMessage(), reply);
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return new SamplingException(
            "no answer from a sampler replica: " + reply.getMessage(), reply);
      }
      return new SamplingException(reply.getMessage(), reply);
    }
    return cause;
  }

  private static Future<Void> undeploy(Vertx vertx, List<String> ids) {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : ids) {
      undeployed.add(vertx.undeploy(id));
    }
    return Future.join(undeployed).mapEmpty();
  }
}
