package aha.sampler.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@SuppressWarnings("try") // NDScope resources exist to close what the step allocated
class TransformerTest {

  private static final double TOLERANCE = 1e-4;

  @ParameterizedTest(name = "qkvBias={0}, tied={1}")
  @CsvSource({"false, false", "true, false", "false, true", "true, true"})
  void logitsMatchAPlainJavaReference(boolean qkvBias, boolean tied) {
    ModelConfig config = TestModels.tiny(qkvBias, tied);
    int[][] rows = {TestModels.tokens(9, 32, 1), TestModels.tokens(9, 32, 2)};
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, 7);
      ReferenceLlama reference = new ReferenceLlama(config, TestModels.weights(model));
      try (NDScope ignored = new NDScope()) {
        float[][][] logits = toArray(model.forward(tokens(manager, rows), (int[]) null));
        for (int b = 0; b < rows.length; b++) {
          double[][] expected = reference.logits(rows[b]);
          assertClose(expected, logits[b], 0, rows[b].length, "row " + b);
        }
      }
    }
  }

  @Test
  void cachedPrefillAndDecodeEqualTheFullForward() {
    ModelConfig config = TestModels.tiny(true, false);
    int[][] rows = {TestModels.tokens(10, 32, 3), TestModels.tokens(10, 32, 4)};
    int prefill = 4;
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, 8);
      float[][][] full;
      try (NDScope ignored = new NDScope()) {
        full = toArray(model.forward(tokens(manager, rows), (int[]) null));
      }
      try (KvCache cache = new KvCache(config, manager, new int[2], 16)) {
        try (NDScope ignored = new NDScope()) {
          float[][][] first =
              toArray(model.forward(tokens(manager, slice(rows, 0, prefill)), cache));
          for (int b = 0; b < 2; b++) {
            assertClose(full[b], first[b], 0, prefill, "prefill row " + b);
          }
        }
        for (int t = prefill; t < 10; t++) {
          try (NDScope ignored = new NDScope()) {
            float[][][] step =
                toArray(model.forward(tokens(manager, slice(rows, t, t + 1)), cache));
            for (int b = 0; b < 2; b++) {
              assertClose(
                  toDouble(full[b]), step[b], t, t + 1, -t, "decode row " + b + " position " + t);
            }
          }
        }
        assertEquals(10, cache.length());
      }
    }
  }

  @Test
  void forwardLastGivesTheLastPositionOfThePrefill() {
    ModelConfig config = TestModels.tiny(false, true);
    int[][] rows = {TestModels.tokens(6, 32, 5)};
    try (NDManager manager = NDManager.newBaseManager();
        NDScope ignored = new NDScope()) {
      Transformer model = TestModels.randomized(config, manager, 9);
      float[][][] full = toArray(model.forward(tokens(manager, rows), (int[]) null));
      try (KvCache cache = new KvCache(config, manager, new int[1], 8)) {
        NDArray last = model.forwardLast(tokens(manager, rows), cache); // (B, V)
        assertEquals(new Shape(1, 32), last.getShape());
        float[][] expected = {full[0][5]};
        float[][] actual = {last.toFloatArray()};
        assertClose(toDouble(expected), actual, 0, 1, "last position");
      }
    }
  }

  /** A short row padded on the left gives the logits it gives alone, with and without cache. */
  @Test
  void leftPaddingChangesNothingForTheRealTokens() {
    ModelConfig config = TestModels.tiny(true, false);
    int[] shortRow = TestModels.tokens(8, 32, 10); // 5 prompt + 3 generated
    int[] longRow = TestModels.tokens(11, 32, 11); // 8 prompt + 3 generated
    int pad = 3;
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, 12);
      float[][][] alone;
      float[][][] longAlone;
      float[][][] padded;
      int[][] batch = {concat(new int[pad], shortRow), longRow};
      try (NDScope ignored = new NDScope()) {
        alone = toArray(model.forward(tokens(manager, new int[][] {shortRow}), (int[]) null));
        longAlone = toArray(model.forward(tokens(manager, new int[][] {longRow}), (int[]) null));
        padded = toArray(model.forward(tokens(manager, batch), new int[] {pad, 0}));
      }
      for (int t = 0; t < shortRow.length; t++) {
        assertClose(
            toDouble(alone[0]), padded[0], t, t + 1, pad, "training forward, position " + t);
      }
      assertClose(toDouble(longAlone[0]), padded[1], 0, longRow.length, "unpadded row");

      try (KvCache cache = new KvCache(config, manager, new int[] {pad, 0}, 12)) {
        try (NDScope ignored = new NDScope()) {
          float[][][] prefill = toArray(model.forward(tokens(manager, slice(batch, 0, 8)), cache));
          assertClose(toDouble(alone[0]), prefill[0], 0, 5, pad, "cached prefill, short row");
          assertClose(toDouble(longAlone[0]), prefill[1], 0, 8, "cached prefill, long row");
        }
        for (int t = 8; t < 11; t++) {
          try (NDScope ignored = new NDScope()) {
            float[][][] step =
                toArray(model.forward(tokens(manager, slice(batch, t, t + 1)), cache));
            assertClose(
                toDouble(alone[0]),
                step[0],
                t - pad,
                t - pad + 1,
                -(t - pad),
                "decode short row " + t);
            assertClose(toDouble(longAlone[0]), step[1], t, t + 1, -t, "decode long row " + t);
          }
        }
      }
    }
  }

  @Test
  void aCacheRefusesToOverflow() {
    ModelConfig config = TestModels.tiny(false, false);
    try (NDManager manager = NDManager.newBaseManager();
        NDScope ignored = new NDScope()) {
      Transformer model = TestModels.randomized(config, manager, 1);
      try (KvCache cache = new KvCache(config, manager, new int[1], 4)) {
        model.forward(tokens(manager, new int[][] {{1, 2, 3}}), cache);
        IllegalStateException e =
            assertThrows(
                IllegalStateException.class,
                () -> model.forward(tokens(manager, new int[][] {{1, 2}}), cache));
        assertTrue(e.getMessage().contains("capacity 4"), e.getMessage());
      }
      assertThrows(
          IllegalArgumentException.class, () -> new KvCache(config, manager, new int[1], 65));
    }
  }

  /** A shared prefill is copied only into an empty cache, and only between rows padded alike. */
  @Test
  void aCacheCopiesAPrefixOnlyBetweenRowsPaddedAlike() {
    ModelConfig config = TestModels.tiny(false, false);
    try (NDManager manager = NDManager.newBaseManager();
        NDScope ignored = new NDScope()) {
      Transformer model = TestModels.randomized(config, manager, 1);
      try (KvCache source = new KvCache(config, manager, new int[] {0, 1}, 3);
          KvCache target = new KvCache(config, manager, new int[] {1, 1, 0}, 8)) {
        model.forward(tokens(manager, new int[][] {{1, 2, 3}, {0, 4, 5}}), source);
        IllegalArgumentException padded =
            assertThrows(
                IllegalArgumentException.class,
                () -> target.copyPrefix(source, new int[] {1, 0, 0}));
        assertTrue(padded.getMessage().contains("row 1 cannot copy source row 0"), padded.getMessage());
        target.copyPrefix(source, new int[] {1, 1, 0});
        assertEquals(3, target.length());
        assertThrows(
            IllegalStateException.class,
            () -> target.copyPrefix(source, new int[] {1, 1, 0}),
            "a cache that holds slots is not overwritten");
      }
    }
  }

  @Test
  void decodingOnAnotherThreadRecordsNoGradients() throws Exception {
    ModelConfig config = TestModels.tiny(false, false);
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, 2);
      AtomicReference<Object> result = new AtomicReference<>();
      Thread worker =
          new Thread(
              () -> {
                try (NDScope ignored = new NDScope();
                    KvCache cache = new KvCache(config, manager, new int[1], 8)) {
                  boolean before = JniUtils.isGradMode();
                  model.forward(tokens(manager, new int[][] {{1, 2, 3}}), cache);
                  result.set(new boolean[] {before, JniUtils.isGradMode()});
                } catch (Throwable t) {
                  result.set(t);
                }
              });
      worker.start();
      worker.join();
      if (result.get() instanceof Throwable t) {
        throw new AssertionError(t);
      }
      boolean[] modes = (boolean[]) result.get();
      // a fresh thread starts with grad mode on; the cached forward must not leave it changed
      assertTrue(modes[0], "libtorch grad mode is on by default on a new thread");
      assertTrue(modes[1], "grad mode restored after the cached forward");
    }
  }

  @Test
  void aTinyModelLearnsARepeatingSequence() {
    ModelConfig config = ModelConfig.tiny().withVocabSize(16);
    int[][] rows = new int[4][12];
    for (int b = 0; b < rows.length; b++) {
      for (int t = 0; t < 12; t++) {
        rows[b][t] = (b + 3 * t) % 16;
      }
    }
    Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = new Transformer(config);
      model.initialize(manager, 42);
      float first = 0;
      float last = 0;
      for (int step = 0; step < 30; step++) {
        try (NDScope ignored = new NDScope()) {
          NDArray all = tokens(manager, rows); // (B, T+1)
          NDArray inputs = all.get(new NDIndex(":, :-1")); // (B, T)
          NDArray targets = all.get(new NDIndex(":, 1:")); // (B, T)
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.forward(inputs, (int[]) null); // (B, T, V)
            NDArray logProbs = logits.logSoftmax(-1); // (B, T, V)
            NDArray picked = logProbs.gather(targets.expandDims(-1), -1); // (B, T, 1)
            NDArray loss = picked.mean().neg(); // ()
            collector.backward(loss);
            last = loss.getFloat();
            if (step == 0) {
              first = last;
            }
          }
        }
        // outside the step's scope: Adam creates its moment arrays on first use, and a scope
        // would close them
        for (Pair<String, Parameter> p : model.getParameters()) {
          NDArray weight = p.getValue().getArray();
          try (NDArray gradient = weight.getGradient()) {
            adam.update(p.getValue().getId(), weight, gradient);
            gradient.muli(0);
          }
        }
      }
      assertTrue(last < first * 0.5f, "loss went from " + first + " to " + last);
    }
  }

  @Test
  void parameterCountMatchesTheConfig() {
    for (ModelConfig config :
        new ModelConfig[] {
          TestModels.tiny(true, false), TestModels.tiny(false, true), ModelConfig.nano()
        }) {
      try (NDManager manager = NDManager.newBaseManager()) {
        Transformer model = new Transformer(config);
        model.initializeEmpty(manager);
        long counted = 0;
        for (Pair<String, Parameter> p : model.getParameters()) {
          counted += p.getValue().getArray().size();
        }
        assertEquals(config.parameterCount(), counted, config.toString());
        long hf =
            model.hfTensorNames().stream().mapToLong(n -> model.hfTensorShape(n).size()).sum();
        assertEquals(counted, hf, "HF tensors cover every parameter once");
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameWeights() {
    ModelConfig config = TestModels.tiny(false, false);
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer a = new Transformer(config);
      a.initialize(manager, 5);
      Transformer b = new Transformer(config);
      b.initialize(manager, 5);
      Transformer c = new Transformer(config);
      c.initialize(manager, 6);
      String name = "model.layers.1.self_attn.k_proj.weight";
      assertTrue(Arrays.equals(a.hfTensor(name), b.hfTensor(name)));
      assertFalse(Arrays.equals(a.hfTensor(name), c.hfTensor(name)));
    }
  }

  // ---- helpers ----

  static NDArray tokens(NDManager manager, int[][] rows) {
    int[] flat = Arrays.stream(rows).flatMapToInt(Arrays::stream).toArray();
    return manager
        .create(flat, new Shape(rows.length, rows[0].length))
        .toType(DataType.INT64, false);
  }

  static int[][] slice(int[][] rows, int from, int to) {
    return Arrays.stream(rows).map(r -> Arrays.copyOfRange(r, from, to)).toArray(int[][]::new);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static float[][][] toArray(NDArray logits) {
    Shape s = logits.getShape();
    int b = (int) s.get(0);
    int t = (int) s.get(1);
    int v = (int) s.get(2);
    float[] flat = logits.toFloatArray();
    float[][][] out = new float[b][t][v];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        System.arraycopy(flat, (i * t + j) * v, out[i][j], 0, v);
      }
    }
    return out;
  }

  static double[][] toDouble(float[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j];
      }
    }
    return out;
  }

  /** expected rows [from, to) against actual rows [from - 0, to - 0). */
  static void assertClose(double[][] expected, float[][] actual, int from, int to, String what) {
    assertClose(expected, actual, from, to, 0, what);
  }

  static void assertClose(float[][] expected, float[][] actual, int from, int to, String what) {
    assertClose(toDouble(expected), actual, from, to, 0, what);
  }

  /** expected rows [from, to) against actual rows [from + shift, to + shift). */
  static void assertClose(
      double[][] expected, float[][] actual, int from, int to, int shift, String what) {
    for (int t = from; t < to; t++) {
      for (int v = 0; v < expected[t].length; v++) {
        double e = expected[t][v];
        double a = actual[t + shift][v];
        if (Math.abs(e - a) > TOLERANCE) {
          throw new AssertionError(
              what + ": logit [" + t + "][" + v + "] expected " + e + " but was " + a);
        }
      }
    }
  }
}
