package aha.sampler.service;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a {@link SamplingService}.
 *
 * @param name names the service's event-bus addresses and worker pools; unique among the services
 *     of one Vert.x instance (lower-case letters, digits, dashes)
 * @param replicas sampler verticles, each owning one sampler (one model replica, one device)
 * @param maxBatchRows most prompts one sampler call continues at once (rows of the KV cache); a
 *     request is cut into items of as many whole groups as fit (one group when a group alone is
 *     more, which its replica then decodes in several calls)
 * @param maxPromptTokens longest prompt accepted; a longer one fails its request before sampling
 * @param scoringWorkers threads of the scoring pool, shared by all replicas: the injected {@link
 *     CompletionScorer} runs there
 * @param maxInFlight requests being sampled or scored at once; further ones wait
 * @param maxQueued requests that may wait for an in-flight slot; beyond that, {@code sample} fails
 *     at once (0: never wait)
 * @param initialPolicyVersion the version of the weights the factory makes (0 for a fresh run, the
 *     step of the checkpoint when resuming)
 * @param requestTimeout a dispatched request not answered within this fails
 * @param maxBatchTime how long one sampler call may run before Vert.x's blocked-thread checker logs
 *     a warning; nothing is interrupted
 */
public record SamplingServiceConfig(
    String name,
    int replicas,
    int maxBatchRows,
    int maxPromptTokens,
    int scoringWorkers,
    int maxInFlight,
    int maxQueued,
    long initialPolicyVersion,
    Duration requestTimeout,
    Duration maxBatchTime) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  public SamplingServiceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(maxBatchTime, "maxBatchTime");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "service name must be lower-case letters, digits and dashes, got '" + name + "'");
    }
    positive("replicas", replicas);
    positive("maxBatchRows", maxBatchRows);
    positive("maxPromptTokens", maxPromptTokens);
    positive("scoringWorkers", scoringWorkers);
    positive("maxInFlight", maxInFlight);
    if (maxQueued < 0) {
      throw new IllegalArgumentException("maxQueued must be >= 0, got " + maxQueued);
    }
    if (initialPolicyVersion < 0) {
      throw new IllegalArgumentException(
          "initialPolicyVersion must be >= 0, got " + initialPolicyVersion);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
    if (maxBatchTime.isNegative() || maxBatchTime.isZero()) {
      throw new IllegalArgumentException("maxBatchTime must be positive, got " + maxBatchTime);
    }
  }

  /**
   * One replica, 64 rows a batch, prompts up to 1024 tokens, 2 scoring threads, 2 requests in
   * flight (one being sampled while the trainer steps on the other) and 8 waiting, version 0, an
   * hour per request, 10 minutes per batch.
   */
  public static SamplingServiceConfig defaults() {
    return new SamplingServiceConfig(
        "policy", 1, 64, 1024, 2, 2, 8, 0, Duration.ofHours(1), Duration.ofMinutes(10));
  }

  public SamplingServiceConfig withName(String newName) {
    return new SamplingServiceConfig(
        newName,
        replicas,
        maxBatchRows,
        maxPromptTokens,
        scoringWorkers,
        maxInFlight,
        maxQueued,
        initialPolicyVersion,
        requestTimeout,
        maxBatchTime);
  }

  public SamplingServiceConfig withReplicas(int n) {
    return new SamplingServiceConfig(
        name,
        n,
        maxBatchRows,
        maxPromptTokens,
        scoringWorkers,
        maxInFlight,
        maxQueued,
        initialPolicyVersion,
        requestTimeout,
        maxBatchTime);
  }

  public SamplingServiceConfig withMaxBatchRows(int rows) {
    return new SamplingServiceConfig(
        name,
        replicas,
        rows,
        maxPromptTokens,
        scoringWorkers,
        maxInFlight,
        maxQueued,
        initialPolicyVersion,
        requestTimeout,
        maxBatchTime);
  }

  public SamplingServiceConfig withMaxPromptTokens(int tokens) {
    return new SamplingServiceConfig(
        name,
        replicas,
        maxBatchRows,
        tokens,
        scoringWorkers,
        maxInFlight,
        maxQueued,
        initialPolicyVersion,
        requestTimeout,
        maxBatchTime);
  }

  public SamplingServiceConfig withScoringWorkers(int n) {
    return new SamplingServiceConfig(
        name,
        replicas,
        maxBatchRows,
        maxPromptTokens,
        n,
        maxInFlight,
        maxQueued,
        initialPolicyVersion,
        requestTimeout,
        maxBatchTime);
  }

  /** The backpressure limits: requests in flight, and requests that may wait for a slot. */
  public SamplingServiceConfig withLimits(int inFlight, int queued) {
    return new SamplingServiceConfig(
        name,
        replicas,
        maxBatchRows,
        maxPromptTokens,
        scoringWorkers,
        inFlight,
        queued,
        initialPolicyVersion,
        requestTimeout,
        maxBatchTime);
  }

  public SamplingServiceConfig withInitialPolicyVersion(long version) {
    return new SamplingServiceConfig(
        name,
        replicas,
        maxBatchRows,
        maxPromptTokens,
        scoringWorkers,
        maxInFlight,
        maxQueued,
        version,
        requestTimeout,
        maxBatchTime);
  }


  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }
}
