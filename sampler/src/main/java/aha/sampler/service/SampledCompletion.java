package aha.sampler.service;

import aha.sampler.generate.Completion;
import aha.sampler.generate.FinishReason;

/**
 * One sampled completion with its score.
 *
 * @param index its place in its prompt's group, 0 to G-1
 * @param completion token ids, per-token logprobs and finish reason, as the sampler returned them
 * @param score what the {@link CompletionScorer} made of it
 * @param policyVersion the version of the weights it was sampled with: the replica's version when
 *     its request started
 * @param sampleMillis wall time of the sampler call that produced it, shared by every row of that
 *     batch
 * @param scoreMillis wall time of its scoring
 * @param node the cluster node that sampled it ({@code local}: the trainer's own replica); null
 *     outside a cluster
 * @param <V> the score type
 */
public record SampledCompletion<V>(
    int index,
    Completion completion,
    V score,
    long policyVersion,
    double sampleMillis,
    double scoreMillis,
    String node) {

  /** A completion sampled in this process, outside any cluster. */
  public SampledCompletion(
      int index, Completion completion, V score, long policyVersion, double sampleMillis, double scoreMillis) {
    this(index, completion, score, policyVersion, sampleMillis, scoreMillis, null);
  }

  /** The same completion, as sampled by cluster node {@code by}. */
  public SampledCompletion<V> sampledBy(String by) {
    return new SampledCompletion<>(index, completion, score, policyVersion, sampleMillis, scoreMillis, by);
  }

  public int[] tokens() {
    return completion.tokens();
  }

  public FinishReason finishReason() {
    return completion.finishReason();
  }
}
