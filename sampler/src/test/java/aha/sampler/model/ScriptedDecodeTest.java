package aha.sampler.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scripted decode step computes what the eager one does, bit for bit: logits, and the keys and
 * values it writes into the cache, over several steps, with and without padding and q/k/v bias.
 */
@SuppressWarnings("try") // NDScope resources exist to close what the step allocated
class ScriptedDecodeTest {

  private static final int STEPS = 5;

  @ParameterizedTest(name = "qkvBias={0}, tied={1}, padded={2}")
  @CsvSource({
    "false, false, false",
    "true, false, true",
    "false, true, true",
    "true, true, false"
  })
  void scriptedStepsEqualEagerStepsBitForBit(boolean qkvBias, boolean tied, boolean padded) {
    assertSameSteps(TestModels.tiny(qkvBias, tied), 3, padded, 21, 7, DataType.INT64, -1);
  }

  @Test
  void scriptedStepsEqualEagerStepsAtANanoShape() {
    assertSameSteps(ModelConfig.preset("nano"), 6, true, 22, 7, DataType.INT64, -1);
  }

  /** One query head per kv head (g = 1), so the folded query axis is 1 wide. */
  @Test
  void scriptedStepsEqualEagerStepsWithAsManyKvHeadsAsQueryHeads() {
    ModelConfig config = new ModelConfig(32, 16, 40, 2, 4, 4, 64, 10000, 1e-5, false, true);
    assertSameSteps(config, 3, true, 25, 7, DataType.INT64, -1);
  }

  /** int32 token ids, and prompts of one token, whose prefill is itself a one-position call. */
  @Test
  void scriptedStepsEqualEagerStepsFromOneTokenPromptsOfInt32Ids() {
    assertSameSteps(TestModels.tiny(true, false), 3, false, 26, 1, DataType.INT32, -1);
  }

  /** The generator drops finished rows: the steps after a smaller batch still agree. */
  @Test
  void scriptedStepsEqualEagerStepsAfterRowsAreDropped() {
    assertSameSteps(TestModels.tiny(true, false), 4, true, 27, 7, DataType.INT64, 2);
  }

  /**
   * Prefills two caches alike, then runs {@link #STEPS} decode steps on one eagerly and on the
   * other scripted, feeding both the same tokens, and compares every step's logits and the caches'
   * filled slots. The prefill runs eagerly on both, or, for one-token prompts, each cache's own
   * way (a one-position call is what the scripted step serves).
   *
   * @param dropAfter after this many steps both caches keep every other row; -1 keeps them all
   */
  private static void assertSameSteps(
      ModelConfig config,
      int rows,
      boolean padded,
      long seed,
      int prompt,
      DataType idType,
      int dropAfter) {
    int capacity = prompt + STEPS;
    int[] leftPadding = new int[rows];
    if (padded) {
      for (int r = 0; r < rows; r++) {
        leftPadding[r] = r % 3; // some rows padded, by different amounts
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, seed);
      KvCache eager = new KvCache(config, manager, leftPadding, capacity);
      KvCache scripted = new KvCache(config, manager, leftPadding, capacity);
      try (InferenceWeights weights = model.inferenceWeights()) {
        try (NDScope ignored = new NDScope()) {
          NDArray prompts = tokens(manager, rows, prompt, config.vocabSize(), seed, idType); // (B, P)
          float[] expected = model.forwardLast(prompts, eager, weights, false).toFloatArray();
          float[] actual = model.forwardLast(prompts, scripted, weights, prompt == 1).toFloatArray();
          assertArrayEquals(expected, actual, 0f, "logits of the prefill");
        }
        int batch = rows;
        for (int step = 0; step < STEPS; step++) {
          if (step == dropAfter) {
            int[] kept = new int[(batch + 1) / 2];
            for (int i = 0; i < kept.length; i++) {
              kept[i] = 2 * i;
            }
            KvCache eagerKept = eager.keepRows(kept);
            KvCache scriptedKept = scripted.keepRows(kept);
            eager.close();
            scripted.close();
            eager = eagerKept;
            scripted = scriptedKept;
            batch = kept.length;
          }
          try (NDScope ignored = new NDScope()) {
            NDArray next =
                tokens(manager, batch, 1, config.vocabSize(), seed + 100 + step, idType); // (B, 1)
            float[] expected = model.forwardLast(next, eager, weights, false).toFloatArray();
            NDArray logits = model.forwardLast(next, scripted, weights, true); // (B, V)
            assertEquals(new Shape(batch, config.vocabSize()), logits.getShape());
            assertArrayEquals(expected, logits.toFloatArray(), 0f, "logits of step " + step);
          }
        }
        assertEquals(eager.length(), scripted.length());
        for (int layer = 0; layer < config.numLayers(); layer++) {
          assertArrayEquals(
              eager.keysTransposed(layer).toFloatArray(),
              scripted.keysTransposed(layer).toFloatArray(),
              0f,
              "keys of layer " + layer);
          assertArrayEquals(
              eager.values(layer).toFloatArray(),
              scripted.values(layer).toFloatArray(),
              0f,
              "values of layer " + layer);
        }
      } finally {
        eager.close();
        scripted.close();
      }
    }
  }

  /**
   * Sampler workers share the one loaded module: four threads decoding at once, each on its own
   * cache, get what one thread gets alone.
   */
  @Test
  void threadsDecodingAtOnceGetWhatOneThreadGets() throws Exception {
    ModelConfig config = TestModels.tiny(true, false);
    int rows = 2;
    int prompt = 5;
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, 23);
      try (InferenceWeights weights = model.inferenceWeights()) {
        float[][] alone = decodeScripted(model, weights, manager, rows, prompt, 24);
        int threads = 4;
        float[][][] together = new float[threads][][];
        Throwable[] failures = new Throwable[threads];
        Thread[] workers = new Thread[threads];
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int w = 0; w < threads; w++) {
          int worker = w;
          workers[w] =
              new Thread(
                  () -> {
                    try (NDManager own = manager.newSubManager()) {
                      start.await();
                      together[worker] = decodeScripted(model, weights, own, rows, prompt, 24);
                    } catch (Throwable e) {
                      failures[worker] = e;
                    }
                  });
          workers[w].start();
        }
        start.countDown();
        for (int w = 0; w < threads; w++) {
          workers[w].join();
          if (failures[w] != null) {
            throw new AssertionError("worker " + w + " failed", failures[w]);
          }
          for (int step = 0; step < STEPS; step++) {
            assertArrayEquals(alone[step], together[w][step], 0f, "worker " + w + ", step " + step);
          }
        }
      }
    }
  }

  /** The logits of {@link #STEPS} scripted decode steps after an eager prefill, one array a step. */
  private static float[][] decodeScripted(
      Transformer model, InferenceWeights weights, NDManager manager, int rows, int prompt, long seed) {
    ModelConfig config = model.config();
    float[][] logits = new float[STEPS][];
    try (KvCache cache = new KvCache(config, manager, new int[rows], prompt + STEPS)) {
      try (NDScope ignored = new NDScope()) {
        NDArray prompts = tokens(manager, rows, prompt, config.vocabSize(), seed, DataType.INT64);
        model.forwardLast(prompts, cache, weights, false);
      }
      for (int step = 0; step < STEPS; step++) {
        try (NDScope ignored = new NDScope()) {
          NDArray next =
              tokens(manager, rows, 1, config.vocabSize(), seed + 1 + step, DataType.INT64); // (B, 1)
          logits[step] = model.forwardLast(next, cache, weights, true).toFloatArray();
        }
      }
    }
    return logits;
  }

  @Test
  void thePropertyPicksThePathAndRejectsAnythingElse() {
    String before = System.getProperty(ScriptedDecode.PROPERTY);
    try {
      System.clearProperty(ScriptedDecode.PROPERTY);
      assertTrue(ScriptedDecode.enabled(), "scripted by default");
      System.setProperty(ScriptedDecode.PROPERTY, "eager");
      assertFalse(ScriptedDecode.enabled());
      System.setProperty(ScriptedDecode.PROPERTY, "fast");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, ScriptedDecode::enabled);
      assertTrue(e.getMessage().contains("-Daha.decode") && e.getMessage().contains("fast"),
          e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(ScriptedDecode.PROPERTY);
      } else {
        System.setProperty(ScriptedDecode.PROPERTY, before);
      }
    }
  }

  @Test
  void theArchiveHoldsItsFourEntriesUncompressed() throws Exception {
    byte[] archive = ScriptedDecode.archive("class DecodeStep(Module):\n  pass\n");
    try (var zip =
        new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
      String[] names = new String[4];
      for (int i = 0; i < 4; i++) {
        var entry = zip.getNextEntry();
        assertEquals(java.util.zip.ZipEntry.STORED, entry.getMethod(), entry.getName());
        names[i] = entry.getName();
      }
      assertEquals(
          Arrays.asList(
              "decode_step/version",
              "decode_step/data.pkl",
              "decode_step/constants.pkl",
              "decode_step/code/__torch__.py"),
          Arrays.asList(names));
    }
  }

  private static NDArray tokens(
      NDManager manager, int rows, int length, int vocab, long seed, DataType type) {
    long[] ids = new long[rows * length];
    int[] drawn = TestModels.tokens(ids.length, vocab, seed);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = drawn[i];
    }
    return manager.create(ids, new Shape(rows, length)).toType(type, false); // (B, T)
  }
}
