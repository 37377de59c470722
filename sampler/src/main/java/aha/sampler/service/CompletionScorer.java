package aha.sampler.service;

import aha.sampler.generate.Completion;

/**
 * Scores one sampled completion, on the service's scoring pool, as soon as the batch holding it
 * is sampled (so scoring overlaps the sampling of the next batch). The service knows nothing of
 * what a score is: the caller injects this, for example a verifier that reads the completion's
 * text and checks its final answer.
 *
 * <p>Called from several threads at once, so implementations must be thread-safe. A scorer that
 * throws fails the completion's whole request with a {@link SamplingException}; a completion that
 * merely cannot be read (a token the tokenizer lacks) should score as wrong instead.
 *
 * @param <K> the prompt key type ({@link Prompt#key()})
 * @param <V> the score type
 */
@FunctionalInterface
public interface CompletionScorer<K, V> {

  /** The score of {@code completion}, sampled for the prompt with key {@code key}. */
  V score(K key, Completion completion);
}
