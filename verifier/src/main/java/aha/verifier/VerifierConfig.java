package aha.verifier;

/**
 * Settings of a {@link Verifier}.
 *
 * @param accuracyWeight reward for a correct final answer
 * @param formatWeight reward for the think/answer format
 * @param deadlineNanos hard deadline per verdict
 * @param strict when true, a final answer offering several non-equivalent candidates is wrong
 * @param limits caps on digits, exponents, factorials, nesting and input size
 */
public record VerifierConfig(
    double accuracyWeight, double formatWeight, long deadlineNanos, boolean strict, Limits limits) {

  /** Accuracy 1.0, format 0.1, 50 ms, strict, default limits. */
  public static VerifierConfig defaults() {
    return new VerifierConfig(1.0, 0.1, 50_000_000L, true, Limits.defaults());
  }

  public VerifierConfig withWeights(double accuracy, double format) {
    return new VerifierConfig(accuracy, format, deadlineNanos, strict, limits);
  }

  public VerifierConfig withDeadlineNanos(long nanos) {
    return new VerifierConfig(accuracyWeight, formatWeight, nanos, strict, limits);
  }
}
