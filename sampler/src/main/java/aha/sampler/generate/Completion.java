package aha.sampler.generate;

import java.util.Arrays;

/**
 * One generated continuation of a prompt.
 *
 * @param tokens the new token ids, in order; the stop token is the last one when {@code
 *     finishReason} is STOP
 * @param logprobs log-probability of each token in {@code tokens}: log-softmax(logits / T) with T
 *     the temperature (1 when greedy), not renormalised by top-k or top-p, so that a trainer can
 *     recompute the same value from a full forward pass; same length as {@code tokens}
 * @param finishReason why it ended
 */
public record Completion(int[] tokens, float[] logprobs, FinishReason finishReason) {

  public Completion {
    if (tokens.length != logprobs.length) {
      throw new IllegalArgumentException(
          "tokens and logprobs differ in length: " + tokens.length + " vs " + logprobs.length);
    }
  }

  /** Number of generated tokens. */
  public int length() {
    return tokens.length;
  }

  /** True when it hit the token limit. */
  public boolean truncated() {
    return finishReason == FinishReason.LENGTH;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Completion that
        && Arrays.equals(tokens, that.tokens)
        && Arrays.equals(logprobs, that.logprobs)
        && finishReason == that.finishReason;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(tokens) + Arrays.hashCode(logprobs)) + finishReason.hashCode();
  }

  @Override
  public String toString() {
    return "Completion[" + tokens.length + " tokens, " + finishReason.wireName() + "]";
  }
}
