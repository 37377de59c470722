package aha.sampler.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.TestModels;
import aha.sampler.model.Transformer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // NDScope resources exist to close what a step allocated
class GeneratorTest {

  private static final ModelConfig CONFIG = TestModels.tiny(true, false);
  private static final int VOCAB = CONFIG.vocabSize();

  private static NDManager manager;
  private static Transformer model;

  @BeforeAll
  static void load() {
    manager = NDManager.newBaseManager();
    model = TestModels.randomized(CONFIG, manager, 21);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** Prompts of lengths 5, 1, 9 and 3, so three of the four rows are padded. */
  private static List<int[]> prompts() {
    return List.of(
        TestModels.tokens(5, VOCAB, 1),
        TestModels.tokens(1, VOCAB, 2),
        TestModels.tokens(9, VOCAB, 3),
        TestModels.tokens(3, VOCAB, 4));
  }

  @Test
  void cachedDecodingEqualsAFullRecomputeEveryStep() {
    List<int[]> prompts = prompts();
    int newTokens = 12;
    List<Completion> cached;
    try (Generator generator = new Generator(model, new int[0])) {
      cached = generator.sample(prompts, SamplingParams.greedy(newTokens));
    }
    Completion[] recomputed = greedyByRecompute(prompts, newTokens);
    for (int r = 0; r < prompts.size(); r++) {
      assertArrayEquals(recomputed[r].tokens(), cached.get(r).tokens(), "row " + r);
      assertArrayEquals(recomputed[r].logprobs(), cached.get(r).logprobs(), 1e-4f, "row " + r);
      assertEquals(FinishReason.LENGTH, cached.get(r).finishReason());
    }
  }

  /** A batch too big for the machine is refused before anything of its size is allocated. */
  @Test
  void aBatchThatCannotFitIsRefusedBeforeItIsAllocated() {
    List<int[]> huge = java.util.Collections.nCopies(200_000_000, TestModels.tokens(5, VOCAB, 1));
    try (Generator generator = new Generator(model, new int[0])) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> generator.sample(huge, SamplingParams.greedy(40)));
      assertTrue(e.getMessage().startsWith("a generation batch of 200,000,000 rows of up to 44 tokens needs about"), e.getMessage());
      assertTrue(e.getMessage().endsWith("lower the rows generated together (--batch-rows)"), e.getMessage());
      assertEquals(1, generator.sample(List.of(TestModels.tokens(5, VOCAB, 1)), SamplingParams.greedy(4)).size(), "still usable");
    }
  }

  @Test
  void aBatchGivesEachPromptWhatItGetsAlone() {
    List<int[]> prompts = prompts();
    SamplingParams greedy = SamplingParams.greedy(10);
    try (Generator generator = new Generator(model, new int[] {7})) {
      List<Completion> batch = generator.sample(prompts, greedy);
      for (int r = 0; r < prompts.size(); r++) {
        Completion alone = generator.sample(List.of(prompts.get(r)), greedy).get(0);
        assertArrayEquals(alone.tokens(), batch.get(r).tokens(), "row " + r);
        assertArrayEquals(alone.logprobs(), batch.get(r).logprobs(), 1e-4f, "row " + r);
        assertEquals(alone.finishReason(), batch.get(r).finishReason(), "row " + r);
      }
    }
  }

  /**
   * GRPO's groups: rows with the same prompt share one prefill (its keys and values copied to each
   * row), and each still gets what its prompt gets alone; sampled, each row draws on its own.
   */
  @Test
  void rowsWithTheSamePromptShareItsPrefillAndStillDecodeAlone() {
    List<int[]> distinct = prompts();
    List<int[]> grouped = new ArrayList<>();
    for (int[] prompt : distinct) {
      for (int copy = 0; copy < 3; copy++) {
        grouped.add(prompt.clone()); // equal content, not the same array
      }
    }
    SamplingParams greedy = SamplingParams.greedy(10);
    try (Generator generator = new Generator(model, new int[] {7})) {
      List<Completion> batch = generator.sample(grouped, greedy);
      for (int r = 0; r < grouped.size(); r++) {
        Completion alone = generator.sample(List.of(distinct.get(r / 3)), greedy).get(0);
        assertArrayEquals(alone.tokens(), batch.get(r).tokens(), "row " + r);
        assertArrayEquals(alone.logprobs(), batch.get(r).logprobs(), 1e-4f, "row " + r);
      }
      List<Completion> sampled = generator.sample(grouped, SamplingParams.sampled(1.5, 10, 5));
      assertNotEquals(
          java.util.Arrays.toString(sampled.get(0).tokens()),
          java.util.Arrays.toString(sampled.get(1).tokens()),
          "rows of one prompt draw from their own streams");
    }
  }

  @Test
  void aStopTokenEndsItsRowOnlyAndIsKept() {
    List<int[]> prompts = prompts();
    int newTokens = 16;
    List<Completion> free;
    try (Generator generator = new Generator(model, new int[0])) {
      free = generator.sample(prompts, SamplingParams.greedy(newTokens));
    }
    // a stop id that row 0 produces part-way: chosen from what the model does, not assumed
    int[] row0 = free.get(0).tokens();
    int stop = row0[row0.length / 2];
    try (Generator generator = new Generator(model, new int[] {stop})) {
      List<Completion> stopped = generator.sample(prompts, SamplingParams.greedy(newTokens));
      boolean someRowRanToTheLimit = false;
      for (int r = 0; r < prompts.size(); r++) {
        int[] all = free.get(r).tokens();
        int first = indexOf(all, stop);
        Completion c = stopped.get(r);
        if (first >= 0) {
          assertEquals(FinishReason.STOP, c.finishReason(), "row " + r);
          assertEquals(first + 1, c.length(), "row " + r);
          assertEquals(stop, c.tokens()[c.length() - 1], "row " + r);
        } else {
          assertEquals(FinishReason.LENGTH, c.finishReason(), "row " + r);
          assertEquals(newTokens, c.length(), "row " + r);
          someRowRanToTheLimit = true;
        }
        // up to where it ended, a row is what it was without the stop token
        for (int i = 0; i < c.length(); i++) {
          assertEquals(all[i], c.tokens()[i], "row " + r + " token " + i);
          assertEquals(free.get(r).logprobs()[i], c.logprobs()[i], 1e-6, "row " + r);
        }
      }
      assertTrue(stopped.get(0).length() < newTokens);
      // the batch must have had rows ending in different ways for this test to mean much
      long lengths = stopped.stream().mapToInt(Completion::length).distinct().count();
      assertTrue(someRowRanToTheLimit || lengths > 1);
    }
  }

  @Test
  void droppingFinishedRowsChangesNoOtherRow() {
    // twelve prompts sampled at temperature 1.5 for 24 tokens: without stop tokens every row runs
    // to the limit and the batch never shrinks; with stop tokens most rows end early, finished rows
    // are dropped, and each row must still be the free row cut at its first stop
    List<int[]> prompts = new ArrayList<>();
    for (int r = 0; r < 12; r++) {
      prompts.add(TestModels.tokens(1 + (r * 5) % 9, VOCAB, 40 + r));
    }
    SamplingParams params = new SamplingParams(1.5, 0, 1, 24, 7);
    List<Completion> free;
    try (Generator generator = new Generator(model, new int[0])) {
      free = generator.sample(prompts, params);
      assertEquals(12L * generator.decodeSteps(), generator.decodeRows(), "no row ends early");
    }
    // stop ids taken from what the rows produce early on, so that most rows end part-way
    int[] stops = {free.get(0).tokens()[3], free.get(1).tokens()[5], free.get(2).tokens()[2]};
    try (Generator generator = new Generator(model, stops)) {
      List<Completion> stopped = generator.sample(prompts, params);
      int ended = 0;
      for (int r = 0; r < prompts.size(); r++) {
        int[] all = free.get(r).tokens();
        int first = all.length;
        for (int stop : stops) {
          int at = indexOf(all, stop);
          first = at >= 0 ? Math.min(first, at) : first;
        }
        Completion c = stopped.get(r);
        int expected = Math.min(first + 1, all.length);
        assertEquals(expected, c.length(), "row " + r);
        for (int i = 0; i < c.length(); i++) {
          assertEquals(all[i], c.tokens()[i], "row " + r + " token " + i);
          assertEquals(free.get(r).logprobs()[i], c.logprobs()[i], 1e-4, "row " + r);
        }
        ended += first < all.length - 1 ? 1 : 0;
      }
      assertTrue(ended > prompts.size() / 2, "most rows end early: " + ended);
      assertTrue(
          generator.decodeRows() < 12L * generator.decodeSteps(),
          "finished rows were dropped: " + generator.decodeRows() + " rows in " + generator.decodeSteps() + " steps");
    }
  }

  @Test
  void stopsEarlyWhenEveryRowHasEnded() {
    int[] prompt = TestModels.tokens(4, VOCAB, 5);
    try (Generator free = new Generator(model, new int[0])) {
      int first = free.sample(List.of(prompt), SamplingParams.greedy(1)).get(0).tokens()[0];
      try (Generator generator = new Generator(model, new int[] {first})) {
        List<Completion> out =
            generator.sample(List.of(prompt, prompt), SamplingParams.greedy(50));
        for (Completion c : out) {
          assertArrayEquals(new int[] {first}, c.tokens());
          assertEquals(FinishReason.STOP, c.finishReason());
        }
        assertEquals(0, generator.decodeSteps(), "the prefill's token ended both rows");
      }
    }
  }

  @Test
  void theTokenLimitGivesLength() {
    try (Generator generator = new Generator(model, new int[0])) {
      List<Completion> out = generator.sample(prompts(), SamplingParams.sampled(1.0, 6, 3));
      for (Completion c : out) {
        assertEquals(6, c.length());
        assertEquals(FinishReason.LENGTH, c.finishReason());
        assertTrue(c.truncated());
      }
      assertEquals(5, generator.decodeSteps());
    }
  }

  @Test
  void theSameSeedGivesTheSameCompletions() {
    SamplingParams params = new SamplingParams(1.2, 0, 1, 20, 99);
    try (Generator generator = new Generator(model, new int[] {5})) {
      List<Completion> a = generator.sample(prompts(), params);
      List<Completion> b = generator.sample(prompts(), params);
      List<Completion> c = generator.sample(prompts(), params.withSeed(100));
      assertEquals(a, b);
      assertNotEquals(a, c);
    }
  }

  @Test
  void logprobsAreThoseOfTheTemperedSoftmaxOfARecompute() {
    // sampled tokens, then one full forward of prompt + completion scores them as a trainer would
    double temperature = 0.7;
    int[] prompt = TestModels.tokens(6, VOCAB, 8);
    Completion c;
    try (Generator generator = new Generator(model, new int[0])) {
      c = generator.sample(List.of(prompt), new SamplingParams(temperature, 5, 0.9, 10, 4)).get(0);
    }
    int[] whole = new int[prompt.length + c.length()];
    System.arraycopy(prompt, 0, whole, 0, prompt.length);
    System.arraycopy(c.tokens(), 0, whole, prompt.length, c.length());
    try (NDScope ignored = new NDScope()) {
      NDArray tokens = manager.create(whole, new Shape(1, whole.length)); // (1, T)
      float[] logits = model.forward(tokens, (int[]) null).toFloatArray(); // (1, T, V) flat
      for (int i = 0; i < c.length(); i++) {
        int position = prompt.length - 1 + i;
        double[] logp = logSoftmax(logits, position * VOCAB, VOCAB, temperature);
        assertEquals(logp[c.tokens()[i]], c.logprobs()[i], 1e-4, "token " + i);
      }
    }
  }

  @Test
  void theCacheIsReusedAcrossCallsOfDifferentShapes() {
    try (Generator generator = new Generator(model, new int[0])) {
      SamplingParams greedy = SamplingParams.greedy(8);
      List<Completion> first = generator.sample(prompts(), greedy);
      generator.sample(List.of(TestModels.tokens(2, VOCAB, 9)), SamplingParams.greedy(30));
      generator.sample(prompts().subList(0, 2), greedy);
      assertEquals(first, generator.sample(prompts(), greedy), "a reused cache holds no leftovers");
    }
  }

  @Test
  void sequencesAreCutAtTheModelsPositions() {
    int limit = CONFIG.maxPositions();
    try (Generator generator = new Generator(model, new int[0])) {
      int[] longPrompt = TestModels.tokens(limit - 3, VOCAB, 10);
      List<Completion> out =
          generator.sample(
              List.of(longPrompt, TestModels.tokens(2, VOCAB, 11)), SamplingParams.greedy(50));
      for (Completion c : out) {
        assertEquals(4, c.length(), "the longest row's prompt and tokens fill the positions");
        assertEquals(FinishReason.LENGTH, c.finishReason());
      }
      IllegalArgumentException tooLong =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  generator.sample(
                      List.of(TestModels.tokens(limit + 1, VOCAB, 12)),
                      SamplingParams.greedy(1)));
      assertTrue(tooLong.getMessage().contains("maxPositions"), tooLong.getMessage());
    }
  }

  @Test
  void badInputsFailWithAMessage() {
    assertThrows(IllegalArgumentException.class, () -> new Generator(model, new int[] {VOCAB}));
    try (Generator generator = new Generator(model, new int[0])) {
      assertThrows(
          IllegalArgumentException.class,
          () -> generator.sample(List.of(new int[0]), SamplingParams.greedy(1)));
      assertThrows(
          IllegalArgumentException.class,
          () -> generator.sample(List.of(new int[] {VOCAB}), SamplingParams.greedy(1)));
      assertEquals(List.of(), generator.sample(List.of(), SamplingParams.greedy(1)));
    }
  }

  // ---- the reference: no cache, the whole sequence again every step -----------------------------

  /** Greedy decoding that runs {@code forward(tokens, leftPadding)} on the growing sequences. */
  private static Completion[] greedyByRecompute(List<int[]> prompts, int newTokens) {
    int b = prompts.size();
    List<List<Integer>> rows = new ArrayList<>();
    for (int[] p : prompts) {
      List<Integer> row = new ArrayList<>();
      for (int id : p) {
        row.add(id);
      }
      rows.add(row);
    }
    int[][] tokens = new int[b][newTokens];
    float[][] logprobs = new float[b][newTokens];
    for (int step = 0; step < newTokens; step++) {
      int longest = rows.stream().mapToInt(List::size).max().orElseThrow();
      int[] flat = new int[b * longest];
      int[] leftPadding = new int[b];
      for (int r = 0; r < b; r++) {
        List<Integer> row = rows.get(r);
        leftPadding[r] = longest - row.size();
        for (int i = 0; i < row.size(); i++) {
          flat[r * longest + leftPadding[r] + i] = row.get(i);
        }
      }
      try (NDScope ignored = new NDScope()) {
        NDArray input = manager.create(flat, new Shape(b, longest)); // (B, T)
        float[] logits = model.forward(input, leftPadding).toFloatArray(); // (B, T, V) flat
        for (int r = 0; r < b; r++) {
          int last = (r * longest + longest - 1) * VOCAB;
          double[] logp = logSoftmax(logits, last, VOCAB, 1);
          int best = 0;
          for (int id = 1; id < VOCAB; id++) {
            best = logits[last + id] > logits[last + best] ? id : best;
          }
          tokens[r][step] = best;
          logprobs[r][step] = (float) logp[best];
          rows.get(r).add(best);
        }
      }
    }
    Completion[] out = new Completion[b];
    for (int r = 0; r < b; r++) {
      out[r] = new Completion(tokens[r], logprobs[r], FinishReason.LENGTH);
    }
    return out;
  }

  private static double[] logSoftmax(float[] flat, int offset, int vocab, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      max = Math.max(max, flat[offset + i] / temperature);
    }
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      sum += Math.exp(flat[offset + i] / temperature - max);
    }
    double[] out = new double[vocab];
    for (int i = 0; i < vocab; i++) {
      out[i] = flat[offset + i] / temperature - max - Math.log(sum);
    }
    return out;
  }

  private static int indexOf(int[] values, int wanted) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
