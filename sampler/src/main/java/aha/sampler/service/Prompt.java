package aha.sampler.service;

import java.util.Objects;

/**
 * One prompt of a sampling request: its token ids and the caller's key for it. The service never
 * reads the key; it hands it to the {@link CompletionScorer} with each completion and back with the
 * group, so that a trainer can ask about problems while the service deals in tokens.
 *
 * @param key what the prompt asks, in the caller's terms (a problem, an id)
 * @param tokens the prompt's token ids, not empty
 * @param <K> the key type
 */
public record Prompt<K>(K key, int[] tokens) {

  public Prompt {
    Objects.requireNonNull(tokens, "tokens");
  }
}
