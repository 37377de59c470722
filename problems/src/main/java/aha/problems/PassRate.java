package aha.problems;

import java.util.List;

/**
 * A problem's calibrated pass rate: how many of n completions sampled from one model the verifier
 * judged correct. {@code aha problems calibrate} writes it into {@code meta} as {@code pass_rate}
 * (solved / n), {@code pass_rate_n} and {@code pass_rate_model}.
 *
 * <p>The count is kept rather than the rate so that a rate read from a file is exactly a multiple
 * of 1/n, and a band edge such as 0.125 with n = 8 compares without rounding surprises.
 *
 * @param solved completions judged correct, 0..samples
 * @param samples n, the completions sampled; at least 1
 * @param model the checkpoint sampled, as the user named it; null when unknown
 */
public record PassRate(int solved, int samples, String model) {

  public PassRate {
    if (samples < 1) {
      throw new IllegalArgumentException("pass rate over " + samples + " samples (at least 1)");
    }
    if (solved < 0 || solved > samples) {
      throw new IllegalArgumentException(
          "pass rate of " + solved + " solved out of " + samples + " samples");
    }
  }

  /** The pass rate of one problem's verdicts, one per sampled completion: true when correct. */
  public static PassRate of(List<Boolean> correct, String model) {
    return new PassRate(
        (int) correct.stream().filter(Boolean::booleanValue).count(), correct.size(), model);
  }

  /** solved / samples, in [0, 1]. */
  public double rate() {
    return (double) solved / samples;
  }

  /** Every sample was correct: nothing left for GRPO to learn on this problem at this model. */
  public boolean always() {
    return solved == samples;
  }

  /** No sample was correct: GRPO gets no reward signal from this problem at this model. */
  public boolean never() {
    return solved == 0;
  }
}
