package aha.problems;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a problem came from, and optionally how hard one model found it.
 *
 * @param family generator family ("addition", "countdown", ...) or the import format ("gsm8k")
 * @param difficulty 1 (easiest) to 5; 0 when unknown (imported problems without a level)
 * @param seed the seed that generated this very problem; 0 for imported problems
 * @param source "generated", or the file an imported problem was read from
 * @param passRate the pass rate {@code aha problems calibrate} measured; null when not calibrated
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemMeta(String family, int difficulty, long seed, String source, PassRate passRate) {

  /** Provenance without a calibration, as generators and importers make it. */
  public ProblemMeta(String family, int difficulty, long seed, String source) {
    this(family, difficulty, seed, source, null);
  }

  /** The same provenance with {@code passRate} in place of any earlier calibration. */
  public ProblemMeta withPassRate(PassRate passRate) {
    return new ProblemMeta(family, difficulty, seed, source, passRate);
  }
}
