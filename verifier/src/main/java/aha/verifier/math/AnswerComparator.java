package aha.verifier.math;

import aha.problems.AnswerKind;
import aha.verifier.Budget;

/**
 * Compares an extracted candidate answer with a gold answer of a given kind. CONTRACT ONLY: the
 * implementation is being written; signatures are fixed.
 */
public final class AnswerComparator {
  private AnswerComparator() {}

  /** The outcome of one comparison; {@code reason} is a short phrase for the verdict. */
  public record Match(boolean equivalent, String reason) {}

  /**
   * Compares candidate text (already extracted from a response, no \boxed wrapper) with the gold.
   * Never throws except {@link aha.verifier.BudgetExceededException}.
   */
  public static Match compare(String candidate, String gold, AnswerKind kind, Budget budget) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /**
   * Checks that a gold answer parses as its kind.
   *
   * @return null when it does, else a one-line reason
   */
  public static String goldProblem(String gold, AnswerKind kind, Budget budget) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Guesses the kind of a gold answer written without one (numeric, set, tuple, interval, ...). */
  public static AnswerKind inferKind(String gold) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
