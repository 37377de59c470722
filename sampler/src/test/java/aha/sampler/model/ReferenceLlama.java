package aha.sampler.model;

import java.util.Map;

/**
 * An independent Llama forward pass in plain Java arrays and doubles, straight from the HF modeling
 * code's definitions (rotate_half RoPE, repeat_kv grouping, SwiGLU), to check the DJL blocks
 * against. One unpadded sequence; no cache.
 */
final class ReferenceLlama {

  private final ModelConfig config;
  private final Map<String, float[]> w;

  ReferenceLlama(ModelConfig config, Map<String, float[]> weights) {
    this.config = config;
    this.w = weights;
  }

  /** Logits [T][V] for {@code tokens}. */
  double[][] logits(int[] tokens) {
    int t = tokens.length;
    int c = config.hiddenSize();
    double[][] x = new double[t][c];
    float[] embed = w.get("model.embed_tokens.weight");
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < c; j++) {
        x[i][j] = embed[tokens[i] * c + j];
      }
    }
    for (int layer = 0; layer < config.numLayers(); layer++) {
      String p = "model.layers." + layer + ".";
      double[][] h = rmsNorm(x, w.get(p + "input_layernorm.weight"));
      double[][] attended = attention(h, p + "self_attn.");
      add(x, matmul(attended, w.get(p + "self_attn.o_proj.weight"), null, c));
      double[][] h2 = rmsNorm(x, w.get(p + "post_attention_layernorm.weight"));
      int inter = config.intermediateSize();
      double[][] gate = matmul(h2, w.get(p + "mlp.gate_proj.weight"), null, inter);
      double[][] up = matmul(h2, w.get(p + "mlp.up_proj.weight"), null, inter);
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < inter; j++) {
          double g = gate[i][j];
          gate[i][j] = g / (1 + Math.exp(-g)) * up[i][j];
        }
      }
      add(x, matmul(gate, w.get(p + "mlp.down_proj.weight"), null, c));
    }
    double[][] out = rmsNorm(x, w.get("model.norm.weight"));
    float[] head = config.tieEmbeddings() ? embed : w.get("lm_head.weight");
    return matmul(out, head, null, config.vocabSize());
  }

  private double[][] attention(double[][] h, String p) {
    int t = h.length;
    int hs = config.headSize();
    int nh = config.numHeads();
    int nkv = config.numKvHeads();
    int kv = config.kvSize();
    double[][] q =
        matmul(h, w.get(p + "q_proj.weight"), w.get(p + "q_proj.bias"), config.hiddenSize());
    double[][] k = matmul(h, w.get(p + "k_proj.weight"), w.get(p + "k_proj.bias"), kv);
    double[][] v = matmul(h, w.get(p + "v_proj.weight"), w.get(p + "v_proj.bias"), kv);
    for (int i = 0; i < t; i++) {
      for (int head = 0; head < nh; head++) {
        rope(q[i], head * hs, i);
      }
      for (int head = 0; head < nkv; head++) {
        rope(k[i], head * hs, i);
      }
    }
    double[][] out = new double[t][config.hiddenSize()];
    for (int head = 0; head < nh; head++) {
      int kvHead = head / (nh / nkv); // repeat_kv: consecutive query heads share a kv head
      for (int i = 0; i < t; i++) {
        double[] scores = new double[i + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          double s = 0;
          for (int d = 0; d < hs; d++) {
            s += q[i][head * hs + d] * k[j][kvHead * hs + d];
          }
          scores[j] = s / Math.sqrt(hs);
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j <= i; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int j = 0; j <= i; j++) {
          for (int d = 0; d < hs; d++) {
            out[i][head * hs + d] += scores[j] / sum * v[j][kvHead * hs + d];
          }
        }
      }
    }
    return out;
  }

  /** HF rotate_half: x * cos + cat(-x2, x1) * sin on the head starting at {@code offset}. */
  private void rope(double[] x, int offset, int position) {
    int hs = config.headSize();
    int half = hs / 2;
    for (int i = 0; i < half; i++) {
      double angle = position * Math.pow(config.ropeTheta(), -2.0 * i / hs);
      double x1 = x[offset + i];
      double x2 = x[offset + i + half];
      x[offset + i] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
      x[offset + i + half] = x2 * Math.cos(angle) + x1 * Math.sin(angle);
    }
  }

  private double[][] rmsNorm(double[][] x, float[] weight) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double ms = 0;
      for (double value : x[i]) {
        ms += value * value;
      }
      ms /= x[i].length;
      double scale = 1 / Math.sqrt(ms + config.rmsNormEps());
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j] * scale * weight[j];
      }
    }
    return out;
  }

  /** x (T, in) times weight^T, weight (out, in) row-major as HF stores it, plus bias. */
  private static double[][] matmul(double[][] x, float[] weight, float[] bias, int outSize) {
    int in = x[0].length;
    double[][] y = new double[x.length][outSize];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < outSize; o++) {
        double s = bias == null ? 0 : bias[o];
        for (int j = 0; j < in; j++) {
          s += x[i][j] * weight[o * in + j];
        }
        y[i][o] = s;
      }
    }
    return y;
  }

  private static void add(double[][] x, double[][] y) {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] += y[i][j];
      }
    }
  }
}
