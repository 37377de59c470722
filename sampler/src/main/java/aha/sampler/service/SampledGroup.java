package aha.sampler.service;

import java.util.List;

/**
 * One prompt's G completions, all scored: the unit GRPO computes advantages over.
 *
 * @param key the prompt's key, as the request gave it
 * @param promptTokens the prompt's token ids, shared by every completion of the group (a trainer
 *     scores prompt + completion)
 * @param completions the G completions, in index order
 * @param <K> the prompt key type
 * @param <V> the score type
 */
public record SampledGroup<K, V>(K key, int[] promptTokens, List<SampledCompletion<V>> completions) {

  public SampledGroup {
    completions = List.copyOf(completions);
  }

  /** G. */
  public int size() {
    return completions.size();
  }

  /** The policy version of the group's completions (a request samples all with one version). */
  public long policyVersion() {
    return completions.get(0).policyVersion();
  }
}
