package aha.verifier;

import aha.verifier.budget.Budget;

/**
 * The judgement of one response against one gold answer.
 *
 * @param correct the extracted final answer is equivalent to the gold answer
 * @param reward {@code accuracyWeight * (correct ? 1 : 0) + formatWeight * (formatOk ? 1 : 0)}
 * @param formatOk exactly one non-empty {@code <think>…</think>} followed by exactly one {@code
 *     <answer>…</answer>}
 * @param extracted the final answer text taken from the response, or null when none was found
 * @param reason why: "equivalent", "no answer found", "ambiguous: ...", "work budget exceeded
 *     (...)", ...
 * @param work the steps of parsing and evaluation the verdict took ({@link Budget#work()}), the
 *     same on any machine; 0 for a verdict that judged nothing
 */
public record Verdict(
    boolean correct, double reward, boolean formatOk, String extracted, String reason, long work) {

  /** A verdict that took no counted work. */
  public Verdict(boolean correct, double reward, boolean formatOk, String extracted, String reason) {
    this(correct, reward, formatOk, extracted, reason, 0);
  }
}
