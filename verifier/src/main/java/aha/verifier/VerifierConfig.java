package aha.verifier;

import aha.verifier.budget.Limits;

/**
 * Settings of a {@link Verifier}.
 *
 * @param accuracyWeight reward for a correct final answer
 * @param formatWeight reward for the think/answer format
 * @param deadlineNanos the wall-clock guard of a verdict: a last resort against a loop that does not
 *     count its work; the verdict's real bound is {@link Limits#maxWork()}, which does not depend
 *     on load
 * @param strict when true, a final answer offering several non-equivalent candidates is wrong
 * @param limits caps on digits, exponents, factorials, nesting and input size
 */
public record VerifierConfig(
    double accuracyWeight, double formatWeight, long deadlineNanos, boolean strict, Limits limits) {

  /** The default wall-clock guard: far past what the work budget allows on a loaded machine. */
  public static final long DEFAULT_GUARD_NANOS = 2_000_000_000L;

  /** Accuracy 1.0, format 0.1, a 2 s guard, strict, default limits. */
  public static VerifierConfig defaults() {
    return new VerifierConfig(1.0, 0.1, DEFAULT_GUARD_NANOS, true, Limits.defaults());
  }

  public VerifierConfig withWeights(double accuracy, double format) {
    return new VerifierConfig(accuracy, format, deadlineNanos, strict, limits);
  }

  /** The same settings with a work budget of {@code steps} per verdict. */
  public VerifierConfig withMaxWork(long steps) {
    Limits l = limits;
    return new VerifierConfig(
        accuracyWeight, formatWeight, deadlineNanos, strict,
        new Limits(l.maxInputChars(), l.maxDigits(), l.maxExponent(), l.maxFactorial(), l.maxNesting(), steps));
  }

  public VerifierConfig withDeadlineNanos(long nanos) {
    return new VerifierConfig(accuracyWeight, formatWeight, nanos, strict, limits);
  }
}
