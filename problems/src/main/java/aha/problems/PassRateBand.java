package aha.problems;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A closed interval [min, max] of calibrated pass rates, to keep the problems a model solves only
 * sometimes: GRPO learns nothing from a problem it always or never solves, since every completion
 * of such a group earns the same reward and the group's advantages are all zero.
 *
 * @param min the lowest pass rate kept, in [0, 1]
 * @param max the highest pass rate kept, in [min, 1]
 */
public record PassRateBand(double min, double max) {

  private static final String FORM = "MIN:MAX with 0 <= MIN <= MAX <= 1, such as 0.1:0.9";

  public PassRateBand {
    if (!(min >= 0 && min <= max && max <= 1)) {
      throw new IllegalArgumentException("expected " + FORM + ", got " + min + ":" + max);
    }
  }

  /**
   * Parses {@code MIN:MAX}, two decimals (as {@code --pass-rate} takes them).
   *
   * @throws IllegalArgumentException saying what form is expected and what was given
   */
  public static PassRateBand parse(String text) {
    String[] ends = text.split(":", -1);
    if (ends.length != 2) {
      throw new IllegalArgumentException("expected " + FORM + ", got '" + text + "'");
    }
    double[] values = new double[2];
    for (int i = 0; i < 2; i++) {
      try {
        // BigDecimal, not Double.parseDouble, which would also take "NaN", "0x1p-3" and "0.5d"
        values[i] = new BigDecimal(ends[i].strip()).doubleValue();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'" + ends[i] + "' is not a number; expected " + FORM + ", got '" + text + "'");
      }
    }
    if (!(values[0] >= 0 && values[0] <= values[1] && values[1] <= 1)) {
      throw new IllegalArgumentException("expected " + FORM + ", got '" + text + "'");
    }
    return new PassRateBand(values[0], values[1]);
  }

  /** Whether the rate lies in the band, ends included. */
  public boolean contains(PassRate passRate) {
    double rate = passRate.rate();
    return rate >= min && rate <= max;
  }

  /**
   * The problems of a file whose pass rate lies in the band, in file order.
   *
   * @param file the file the entries were read from, for the message
   * @throws ProblemSetException at the first problem without a pass rate, with how many lack one:
   *     a band over a file that was never calibrated would silently keep nothing
   */
  public List<Problem> select(Path file, List<ProblemSets.Entry> entries)
      throws ProblemSetException {
    List<ProblemSets.Entry> uncalibrated =
        entries.stream().filter(e -> passRateOf(e.problem()) == null).toList();
    if (!uncalibrated.isEmpty()) {
      throw new ProblemSetException(
          file,
          uncalibrated.get(0).line(),
          "meta.pass_rate",
          String.format(
              Locale.ROOT,
              "missing (%d of %d problems have no pass rate; run 'aha problems calibrate' first)",
              uncalibrated.size(),
              entries.size()));
    }
    List<Problem> kept = new ArrayList<>();
    for (ProblemSets.Entry entry : entries) {
      if (contains(passRateOf(entry.problem()))) {
        kept.add(entry.problem());
      }
    }
    return kept;
  }

  private static PassRate passRateOf(Problem problem) {
    return problem.meta() == null ? null : problem.meta().passRate();
  }

  /** {@code [0.1, 0.9]}. */
  @Override
  public String toString() {
    return "[" + min + ", " + max + "]";
  }
}
