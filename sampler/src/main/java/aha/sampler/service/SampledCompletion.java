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
 * @param <V> the score type
 */
public record SampledCompletion<V>(
    int index,
    Completion completion,
    V score,
    long policyVersion,
    double sampleMillis,
    double scoreMillis) {

  public int[] tokens() {
    return completion.tokens();
  }

  public FinishReason finishReason() {
    return completion.finishReason();
  }
}
