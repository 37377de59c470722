package aha.sampler.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The token-choice rules on known logits, no model: many rows of the same logits in one call are
 * many independent draws, as every row has its own random stream.
 */
@SuppressWarnings("try") // NDScope resources exist to close what a call allocated
class TokenPickerTest {

  /** Distinct logits of a vocabulary of 6; from most to least likely: 4, 1, 3, 0, 5, 2. */
  private static final float[] LOGITS = {0.5f, 1.5f, -1f, 1.0f, 2.0f, -0.5f};

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void greedyTakesTheArgmaxWithItsLogSoftmax() {
    Draws d = draw(SamplingParams.greedy(1), LOGITS, 3);
    double[] expected = logSoftmax(LOGITS, 1);
    for (int r = 0; r < 3; r++) {
      assertEquals(4, d.ids[r]);
      assertEquals(expected[4], d.logprobs[r], 1e-6);
    }
  }

  @Test
  void greedyBreaksTiesTowardsTheLowestId() {
    float[] tied = {0f, 3f, 1f, 3f, 3f};
    assertEquals(1, draw(SamplingParams.greedy(1), tied, 1).ids[0]);
  }

  @Test
  void topKOfOneAndATinyTopPAreGreedy() {
    for (SamplingParams params :
        new SamplingParams[] {
          new SamplingParams(1.3, 1, 1, 1, 5), new SamplingParams(1.3, 0, 1e-6, 1, 5)
        }) {
      Draws d = draw(params, LOGITS, 500);
      double[] expected = logSoftmax(LOGITS, 1.3);
      for (int r = 0; r < 500; r++) {
        assertEquals(4, d.ids[r], params.toString());
        // the reported logprob is not renormalised by the truncation
        assertEquals(expected[4], d.logprobs[r], 1e-5, params.toString());
      }
    }
  }

  @Test
  void topKOfTwoOnlyEverPicksTheTwoBest() {
    Draws d = draw(new SamplingParams(2.0, 2, 1, 1, 11), LOGITS, 5000);
    long[] counts = counts(d.ids, LOGITS.length);
    assertEquals(5000, counts[4] + counts[1], Arrays.toString(counts));
    assertTrue(counts[4] > 0 && counts[1] > 0, Arrays.toString(counts));
  }

  @Test
  void seedsMakeDrawsReproducible() {
    SamplingParams params = SamplingParams.sampled(1.0, 1, 42);
    Draws a = draw(params, LOGITS, 200);
    Draws b = draw(params, LOGITS, 200);
    Draws c = draw(params.withSeed(43), LOGITS, 200);
    assertArrayEquals(a.ids, b.ids);
    assertArrayEquals(a.logprobs, b.logprobs);
    assertFalse(Arrays.equals(a.ids, c.ids));
  }

  @Test
  void aRowsDrawsDoNotDependOnTheBatchSize() {
    SamplingParams params = SamplingParams.sampled(1.0, 1, 9);
    Draws few = draw(params, LOGITS, 10);
    Draws many = draw(params, LOGITS, 300);
    assertArrayEquals(few.ids, Arrays.copyOf(many.ids, 10));
  }

  @Test
  void laterStepsDrawFreshNumbers() {
    int rows = 4000;
    TokenPicker picker = new TokenPicker(SamplingParams.sampled(1.0, 1, 3), rows);
    NDArray logits = batchOf(LOGITS, rows);
    long[] first;
    long[] second;
    try (NDScope ignored = new NDScope()) {
      first = picker.pick(logits).ids().toLongArray();
      second = picker.pick(logits).ids().toLongArray();
    }
    logits.close();
    int same = 0;
    for (int r = 0; r < rows; r++) {
      same += first[r] == second[r] ? 1 : 0;
    }
    // two independent draws agree with probability sum p^2 (about 0.34 here), not always
    double expected = Arrays.stream(softmax(LOGITS, 1)).map(p -> p * p).sum();
    assertEquals(expected, same / (double) rows, 0.03);
  }

  /** Empirical frequencies over 20k draws against the distribution the rules define. */
  @ParameterizedTest(name = "T={0}, top-k={1}, top-p={2}")
  @CsvSource({"1.0, 0, 1.0", "0.5, 0, 1.0", "2.0, 0, 1.0", "1.0, 3, 1.0", "1.0, 0, 0.8",
    "1.5, 4, 0.9"})
  void frequenciesMatchTheTruncatedSoftmax(double temperature, int topK, double topP) {
    int rows = 20_000;
    SamplingParams params = new SamplingParams(temperature, topK, topP, 1, 17);
    Draws d = draw(params, LOGITS, rows);
    assertFrequencies(expectedDistribution(LOGITS, temperature, topK, topP), d, 0, rows);
    double[] logSoftmax = logSoftmax(LOGITS, temperature);
    for (int r = 0; r < rows; r++) {
      assertEquals(logSoftmax[(int) d.ids[r]], d.logprobs[r], 1e-5);
    }
  }

  /**
   * Top-p alone over a vocabulary larger than the candidates it sorts first: a peaked row's nucleus
   * lies among them, a flat row's does not, and a batch with both must sort everything.
   */
  @ParameterizedTest(name = "peaked rows {0}, flat rows {1}")
  @CsvSource({"10000, 0", "0, 10000", "10000, 10000"})
  void topPOverALargeVocabularyKeepsTheWholeNucleus(int peakedRows, int flatRows) {
    int vocab = 3 * TokenPicker.NUCLEUS_CANDIDATES;
    float[] peaked = new float[vocab];
    float[] flat = new float[vocab];
    for (int id = 0; id < vocab; id++) {
      // ids in a scrambled order of likelihood, so that rank and id differ
      int rank = (id * 37) % vocab;
      peaked[id] = -0.5f * rank;
      flat[id] = -0.004f * rank;
    }
    double topP = 0.6;
    SamplingParams params = new SamplingParams(1.0, 0, topP, 1, 23);
    float[][] rows = new float[peakedRows + flatRows][];
    Arrays.fill(rows, 0, peakedRows, peaked);
    Arrays.fill(rows, peakedRows, rows.length, flat);
    Draws d = draw(params, rows);
    assertFrequencies(expectedDistribution(peaked, 1, 0, topP), d, 0, peakedRows);
    double[] expectedFlat = expectedDistribution(flat, 1, 0, topP);
    assertTrue(
        Arrays.stream(expectedFlat).filter(q -> q > 0).count() > TokenPicker.NUCLEUS_CANDIDATES);
    assertFrequencies(expectedFlat, d, peakedRows, rows.length);
  }

  @Test
  void noRowPicksAZeroProbabilityToken() {
    // exp(-200) is 0 in float: those ids must never come out, even at the edges of the draws
    float[] logits = {-200f, 0f, -200f, 0f, -200f};
    Draws d = draw(SamplingParams.sampled(1.0, 1, 1), logits, 20_000);
    long[] counts = counts(d.ids, logits.length);
    assertEquals(20_000, counts[1] + counts[3], Arrays.toString(counts));
  }

  /**
   * The ends of the uniform range, where an off-by-one in the inverse CDF would land on a token of
   * probability 0 (or past the vocabulary): u = 0 must give the first possible token and the
   * largest u the last one, in id order when nothing is truncated and in rank order (3, then 1)
   * under top-k and top-p.
   */
  @ParameterizedTest(name = "top-k={0}, top-p={1}")
  @CsvSource({"0, 1.0, 1, 3", "2, 1.0, 3, 1", "0, 0.9, 3, 1", "1, 1.0, 3, 3", "0, 0.1, 3, 3"})
  void theEndsOfTheUniformRangePickPossibleTokens(int topK, double topP, int atZero, int atTop) {
    // ids 1 and 3 share all the probability (3 a little more); exp(-200) is 0 in float
    float[] logits = {-200f, 0f, -200f, 0.01f, -200f};
    TokenPicker picker = new TokenPicker(new SamplingParams(1.0, topK, topP, 1, 0), 2);
    float[] uniforms = {0f, TokenPicker.LARGEST_UNIFORM};
    try (NDScope ignored = new NDScope()) {
      NDArray batch = manager.create(new float[][] {logits, logits}); // (2, V)
      long[] ids = picker.pick(batch, uniforms).ids().toLongArray();
      assertArrayEquals(new long[] {atZero, atTop}, ids);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private record Draws(long[] ids, float[] logprobs) {}

  /** One pick of {@code rows} rows that all hold {@code logits}. */
  private static Draws draw(SamplingParams params, float[] logits, int rows) {
    float[][] all = new float[rows][];
    Arrays.fill(all, logits);
    return draw(params, all);
  }

  /** One pick of a batch whose row b holds {@code logits[b]}. */
  private static Draws draw(SamplingParams params, float[][] logits) {
    TokenPicker picker = new TokenPicker(params, logits.length);
    int vocab = logits[0].length;
    float[] flat = new float[logits.length * vocab];
    for (int r = 0; r < logits.length; r++) {
      System.arraycopy(logits[r], 0, flat, r * vocab, vocab);
    }
    try (NDScope ignored = new NDScope()) {
      NDArray batch = manager.create(flat, new Shape(logits.length, vocab)); // (B, V)
      TokenPicker.Picks picks = picker.pick(batch);
      return new Draws(picks.ids().toLongArray(), picks.logprobs().toFloatArray());
    }
  }

  /**
   * The frequencies of rows [from, to) against {@code expected}: a miss by 5 standard errors
   * (plus a hair) fails, and so does any draw of an id of probability 0.
   */
  private static void assertFrequencies(double[] expected, Draws d, int from, int to) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    long[] counts = counts(Arrays.copyOfRange(d.ids, from, to), expected.length);
    for (int id = 0; id < expected.length; id++) {
      double frequency = counts[id] / (double) n;
      double standardError = Math.sqrt(expected[id] * (1 - expected[id]) / n);
      assertEquals(
          expected[id],
          frequency,
          5 * standardError + 1e-9,
          "id " + id + ": counts " + Arrays.toString(counts) + " vs " + Arrays.toString(expected));
    }
  }

  private static NDArray batchOf(float[] logits, int rows) {
    float[] flat = new float[rows * logits.length];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(logits, 0, flat, r * logits.length, logits.length);
    }
    return manager.create(flat, new Shape(rows, logits.length)); // (B, V)
  }

  private static long[] counts(long[] ids, int vocab) {
    long[] counts = new long[vocab];
    for (long id : ids) {
      counts[(int) id]++;
    }
    return counts;
  }

  private static double[] softmax(float[] logits, double temperature) {
    double[] logp = logSoftmax(logits, temperature);
    return Arrays.stream(logp).map(Math::exp).toArray();
  }

  private static double[] logSoftmax(float[] logits, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l / temperature);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l / temperature - max);
    }
    double logZ = max + Math.log(sum);
    double[] out = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = logits[i] / temperature - logZ;
    }
    return out;
  }

  /** softmax(logits / T), cut to the top k, renormalised, cut to the nucleus p, renormalised. */
  private static double[] expectedDistribution(
      float[] logits, double temperature, int topK, double topP) {
    double[] p = softmax(logits, temperature);
    Integer[] byLikelihood = new Integer[logits.length];
    for (int id = 0; id < logits.length; id++) {
      byLikelihood[id] = id;
    }
    Arrays.sort(byLikelihood, (a, b) -> Double.compare(p[b], p[a]));
    int k = topK == 0 ? logits.length : topK;
    double kept = 0;
    for (int rank = 0; rank < k; rank++) {
      kept += p[byLikelihood[rank]];
    }
    double[] out = new double[logits.length];
    double before = 0;
    double total = 0;
    for (int rank = 0; rank < k; rank++) {
      int id = byLikelihood[rank];
      double renormalised = p[id] / kept;
      if (before < topP) {
        out[id] = renormalised;
        total += renormalised;
      }
      before += renormalised;
    }
    for (int id = 0; id < out.length; id++) {
      out[id] /= total;
    }
    return out;
  }
}
