package aha.grpo.corpus;

/**
 * A worked solution ready to be rendered: step-by-step reasoning and the final answer.
 *
 * @param reasoning the steps, one per line, without the final {@code ####} line
 * @param answer the final answer as the problem's gold would accept it (for countdown, the
 *     expression)
 * @param check which self-check the reasoning holds
 * @param slipStart where the slipped (wrong) value starts in {@code reasoning}; -1 without a slip
 * @param slipEnd where it ends (exclusive); -1 without a slip
 */
public record Trace(String reasoning, String answer, Check check, int slipStart, int slipEnd) {

  /** The self-check in a trace. */
  public enum Check {
    /** No self-check. */
    NONE,
    /** The last step is recomputed and confirmed. */
    CONFIRM,
    /** A step is written with a wrong result, then recomputed, caught and corrected. */
    SLIP
  }

  public Trace {
    if ((check == Check.SLIP) != (slipStart >= 0)) {
      throw new IllegalArgumentException("a slip span goes with a SLIP trace, and only with one");
    }
    if (slipStart >= 0 && !(slipStart < slipEnd && slipEnd <= reasoning.length())) {
      throw new IllegalArgumentException("slip span [" + slipStart + ", " + slipEnd + ") is outside the reasoning");
    }
  }

  /** The slipped value as written, or null. */
  public String slip() {
    return slipStart < 0 ? null : reasoning.substring(slipStart, slipEnd);
  }
}
