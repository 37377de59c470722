package aha.sampler.generate;

/**
 * How to pick each next token.
 *
 * @param temperature divides the logits; 0 means greedy (the most likely token, ties to the lowest
 *     id), and top-k and top-p are then ignored
 * @param topK keep only the k most likely tokens; 0 keeps all
 * @param topP keep the smallest set of most likely tokens whose probability reaches p (nucleus);
 *     1 keeps all
 * @param maxNewTokens the most tokens generated per sequence, stop token included
 * @param seed makes sampling reproducible: the same prompts, parameters and seed give the same
 *     completions
 */
public record SamplingParams(
    double temperature, int topK, double topP, int maxNewTokens, long seed) {

  public SamplingParams {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top-k must be >= 0 (0 keeps all), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    }
    if (maxNewTokens <= 0) {
      throw new IllegalArgumentException("max new tokens must be positive, got " + maxNewTokens);
    }
  }

  /** Greedy decoding of at most {@code maxNewTokens}. */
  public static SamplingParams greedy(int maxNewTokens) {
    return new SamplingParams(0, 0, 1, maxNewTokens, 0);
  }

  /** Plain sampling at {@code temperature} (no top-k, no top-p). */
  public static SamplingParams sampled(double temperature, int maxNewTokens, long seed) {
    return new SamplingParams(temperature, 0, 1, maxNewTokens, seed);
  }

  /** True when every token is the argmax. */
  public boolean isGreedy() {
    return temperature == 0;
  }

  /** The same parameters with another seed. */
  public SamplingParams withSeed(long newSeed) {
    return new SamplingParams(temperature, topK, topP, maxNewTokens, newSeed);
  }

  /**
   * The parameters of the batch that starts at row {@code firstRow} of a request sampled with
   * these: the same seed for the first batch, else a SplitMix64 mix of the seed and the row, so that
   * batches holding the same prompts do not repeat each other's draws. A batch's completions then
   * follow from where it starts, whichever replica or node decodes it.
   */
  public SamplingParams forBatchAt(long firstRow) {
    if (firstRow == 0) {
      return this;
    }
    long z = seed + firstRow * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return withSeed(z ^ (z >>> 31));
  }
}
