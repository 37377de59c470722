package aha.sampler.model;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Tiny models with weights large enough that a wrong wiring shows in the logits. */
public final class TestModels {

  private TestModels() {}

  /** Two layers, width 16, 4 query heads over 2 kv heads, 32 tokens. */
  public static ModelConfig tiny(boolean qkvBias, boolean tied) {
    return new ModelConfig(32, 16, 40, 2, 4, 2, 64, 10000, 1e-5, tied, qkvBias);
  }

  /**
   * A model of {@code config} on {@code manager} whose every tensor is random: weights N(0, 0.3),
   * norms 1 + N(0, 0.1), biases N(0, 0.2).
   */
  public static Transformer randomized(ModelConfig config, NDManager manager, long seed) {
    Transformer model = new Transformer(config);
    model.initialize(manager, seed);
    Random random = new Random(seed);
    for (String name : model.hfTensorNames()) {
      float[] values = new float[Math.toIntExact(model.hfTensorShape(name).size())];
      boolean norm = name.endsWith("norm.weight");
      boolean bias = name.endsWith(".bias");
      for (int i = 0; i < values.length; i++) {
        double g = random.nextGaussian();
        values[i] = (float) (norm ? 1 + 0.1 * g : bias ? 0.2 * g : 0.3 * g);
      }
      model.setHfTensor(name, values);
    }
    return model;
  }

  /** Host copies of every tensor under its HF name. */
  public static Map<String, float[]> weights(Transformer model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (String name : model.hfTensorNames()) {
      out.put(name, model.hfTensor(name));
    }
    return out;
  }

  /** Random token ids in [0, vocab). */
  public static int[] tokens(int length, int vocab, long seed) {
    Random random = new Random(seed);
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = random.nextInt(vocab);
    }
    return out;
  }
}
