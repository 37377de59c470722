package aha.grpo.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What an evaluation runs.
 *
 * @param samples n, the sampled completions per problem (0 runs only the greedy pass)
 * @param ks the k of pass@k and maj@k to report, each at most n
 * @param greedy whether to also run one greedy completion per problem (pass@1 greedy)
 * @param temperature sampling temperature of the n samples
 * @param topP nucleus threshold of the n samples
 * @param maxNewTokens the most tokens per completion
 * @param batchRows completions generated together in one batch
 * @param seed seeds the sampled completions
 */
public record EvalConfig(
    int samples,
    List<Integer> ks,
    boolean greedy,
    double temperature,
    double topP,
    int maxNewTokens,
    int batchRows,
    long seed) {

  public EvalConfig {
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0, got " + samples);
    }
    ks = List.copyOf(ks);
    for (int k : ks) {
      if (k < 1 || k > samples) {
        throw new IllegalArgumentException("k = " + k + " must be in 1.." + samples + " (the samples per problem)");
      }
    }
    if (samples == 0 && !greedy) {
      throw new IllegalArgumentException("nothing to evaluate: no samples and no greedy pass");
    }
    if (maxNewTokens <= 0 || batchRows <= 0) {
      throw new IllegalArgumentException("max new tokens and batch rows must be positive");
    }
  }

  /** Rows of the lab's evaluations ({@code aha eval}'s default and the in-run evaluation's). */
  public static final int BATCH_ROWS = 64;

  /**
   * The lab's evaluation protocol, the same in a run, in {@code aha eval} and in the README: one
   * greedy completion and {@code samples} sampled ones per problem at {@code temperature} (the
   * training temperature), pass@1 and pass@{@code samples}, top-p 1, batches of {@link
   * #BATCH_ROWS}.
   */
  public static EvalConfig protocol(int samples, double temperature, int maxNewTokens, long seed) {
    return new EvalConfig(samples, defaultKs(samples), true, temperature, 1.0, maxNewTokens, BATCH_ROWS, seed);
  }

  /** The k reported when none are asked for: 1 and n, or none when only the greedy pass runs. */
  public static List<Integer> defaultKs(int samples) {
    return samples == 0 ? List.of() : new ArrayList<>(new TreeSet<>(List.of(1, samples)));
  }

  /** The default protocol: greedy plus 8 samples at temperature 0.8, at most 256 tokens, seed 1. */
  public static EvalConfig defaults() {
    return protocol(8, 0.8, 256, 1);
  }

  /**
   * How the figures were measured, in words printed beside them: "greedy + 8 samples at
   * temperature 0.8, at most 256 new tokens, seed 1".
   */
  public String describe() {
    StringBuilder text = new StringBuilder();
    if (greedy) {
      text.append("greedy");
    }
    if (samples > 0) {
      text.append(greedy ? " + " : "")
          .append(samples)
          .append(samples == 1 ? " sample" : " samples")
          .append(String.format(Locale.ROOT, " at temperature %s", plain(temperature)));
      if (topP < 1) {
        text.append(String.format(Locale.ROOT, ", top-p %s", plain(topP)));
      }
    }
    text.append(String.format(Locale.ROOT, ", at most %d new tokens, seed %d", maxNewTokens, seed));
    return text.toString();
  }

  /** 0.8 as "0.8", 1.0 as "1". */
  private static String plain(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
