package aha.grpo.corpus;

import java.util.List;

/**
 * A worked solution ready to be rendered: step-by-step reasoning and the final answer.
 *
 * @param reasoning the steps, one per line, without the final {@code ####} line
 * @param answer the final answer as the problem's gold would accept it (for countdown, the
 *     expression)
 * @param check which self-check the reasoning holds: {@link Check#SLIP} when any check caught a slip
 * @param slips where each slipped (wrong) value sits in {@code reasoning}, in order; empty without a slip
 */
public record Trace(String reasoning, String answer, Check check, List<Span> slips) {

  /** The self-check in a trace. */
  public enum Check {
    /** No self-check. */
    NONE,
    /** A step is recomputed and confirmed. */
    CONFIRM,
    /** A step is written with a wrong result, then recomputed, caught and corrected. */
    SLIP
  }

  /**
   * Where a slipped value sits in the reasoning.
   *
   * @param start its first character
   * @param end after its last character
   */
  public record Span(int start, int end) {}

  public Trace {
    slips = List.copyOf(slips);
    if ((check == Check.SLIP) == slips.isEmpty()) {
      throw new IllegalArgumentException("slip spans go with a SLIP trace, and only with one");
    }
    int previousEnd = 0;
    for (Span slip : slips) {
      if (!(previousEnd <= slip.start() && slip.start() < slip.end() && slip.end() <= reasoning.length())) {
        throw new IllegalArgumentException(
            "slip span [" + slip.start() + ", " + slip.end() + ") is outside the reasoning or out of order");
      }
      previousEnd = slip.end();
    }
  }

  /** A trace without a slip. */
  public Trace(String reasoning, String answer, Check check) {
    this(reasoning, answer, check, List.of());
  }

  /** The slipped value at {@code span} as written. */
  public String text(Span span) {
    return reasoning.substring(span.start(), span.end());
  }
}
