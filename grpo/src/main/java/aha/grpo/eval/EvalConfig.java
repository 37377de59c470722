package aha.grpo.eval;

import java.util.List;

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

  /** Greedy pass@1 plus 8 samples at temperature 1 for pass@1, pass@8 and maj@8. */
  public static EvalConfig defaults() {
    return new EvalConfig(8, List.of(1, 8), true, 1.0, 1.0, 256, 64, 1);
  }
}
