package aha.sampler.generate;

import java.util.Arrays;

/**
 * One generated continuation of a prompt.
 *
 * @param tokens the new token ids, in order; the stop token is the last one when {@code
 *     finishReason} is STOP
 * @param logprobs log-probability of each token in {@code tokens}: log-softmax(logits / T) with T
 *     the temperature (1 when greedy), not renormalised by top-k or top-p, so that a trainer can
 *     recompute the same value from a full forward pass; same length as {@code tokens}; 0 for an
 *     injected token
 * @param finishReason why it ended
 * @param injected which tokens the environment wrote, not the policy: a tool's answer ({@link
 *     ToolUse}); same length as {@code tokens}
 */
public record Completion(int[] tokens, float[] logprobs, FinishReason finishReason, boolean[] injected) {

  public Completion {
    if (tokens.length != logprobs.length || tokens.length != injected.length) {
      throw new IllegalArgumentException(
          "tokens, logprobs and injected differ in length: "
              + tokens.length + ", " + logprobs.length + ", " + injected.length);
    }
  }

  /** A completion the policy wrote all of. */
  public Completion(int[] tokens, float[] logprobs, FinishReason finishReason) {
    this(tokens, logprobs, finishReason, new boolean[tokens.length]);
  }

  /** Tokens the policy wrote: all but the injected ones. */
  public int policyTokens() {
    int count = 0;
    for (boolean environment : injected) {
      count += environment ? 0 : 1;
    }
    return count;
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
        && finishReason == that.finishReason
        && Arrays.equals(injected, that.injected);
  }

  @Override
  public int hashCode() {
    int hash = 31 * (31 * Arrays.hashCode(tokens) + Arrays.hashCode(logprobs)) + finishReason.hashCode();
    return 31 * hash + Arrays.hashCode(injected);
  }

  @Override
  public String toString() {
    return "Completion[" + tokens.length + " tokens, " + finishReason.wireName() + "]";
  }
}
