package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model's weights laid out for sampling, made once per generate call so that a prefill or decode
 * step runs fewer operations than a training forward does. Each operation costs a few microseconds
 * whatever its size, and a small model's step is a few hundred of them, so the count is much of
 * what its time follows (the decode step runs them in one TorchScript call, {@link
 * ScriptedDecode}, which saves their crossings from Java but not their own cost).
 *
 * <ul>
 *   <li>Every projection is transposed once to (in, out) and made contiguous, so that a step
 *       multiplies by it directly: no transpose per call (one per projection, 13 a nano step), and
 *       MKL runs the product faster at small row counts (qkv at 32 rows: 60 against 43 us).
 *   <li>Each RMSNorm's scale, times sqrt(C), is folded into the projection the norm feeds, {@code
 *       sqrt(C) diag(w) W^T}, and the attention's {@code 1/sqrt(hs)} into the query columns of
 *       q/k/v (and their bias): the norms lose their multiply and the queries theirs. The sqrt(C)
 *       lets a norm take the vector norm in place of the mean of squares ({@link
 *       RmsNorm#normalizeUnscaled}).
 *   <li>The norms' epsilon, times C, is one array made here, not a scalar filled in by every norm.
 * </ul>
 *
 * <p>Exact in real arithmetic; in floats a sampled token's log-probability moves in its last bits,
 * as it does with the batch size. The trainer's forward pass uses the parameters themselves.
 *
 * <p>Valid only while the parameters stay as they were when it was made: {@link
 * aha.sampler.generate.Generator} makes one at the start of each call and closes it at the end,
 * and a policy's weights change only between calls.
 *
 * <p>Dimensions: C width, W = (nh + 2 nkv) hs the fused q/k/v width, I the MLP's intermediate
 * width, V vocabulary.
 */
public final class InferenceWeights implements AutoCloseable {

  /**
   * One decoder layer's projections, each (in, out).
   *
   * @param qkv (C, W), the input norm's scale times sqrt(C) folded in and the query columns scaled
   *     by 1/sqrt(hs)
   * @param qkvBias (W), query entries scaled alike; null when the model has no q/k/v bias
   * @param out (C, C)
   * @param gateUp (C, 2I), the post-attention norm's scale times sqrt(C) folded in
   * @param down (I, C)
   */
  record LayerWeights(NDArray qkv, NDArray qkvBias, NDArray out, NDArray gateUp, NDArray down) {}

  private final NDManager manager;
  private final List<LayerWeights> layers;
  private final NDArray head; // (C, V), the final norm's scale times sqrt(C) folded in
  private final NDArray eps; // (), C times the norms' epsilon
  private ScriptedDecode.WeightArguments scriptArguments; // made by the first scripted step

  InferenceWeights(ModelConfig config, List<Transformer.Layer> blocks, RmsNorm finalNorm, NDArray lmHead) {
    this.manager = lmHead.getManager().newSubManager();
    try (NDScope ignored = new NDScope()) {
      int queryWidth = config.numHeads() * config.headSize();
      int fusedWidth = queryWidth + 2 * config.kvSize();
      float[] columnScale = new float[fusedWidth];
      Arrays.fill(columnScale, 0, queryWidth, (float) (1.0 / Math.sqrt(config.headSize())));
      Arrays.fill(columnScale, queryWidth, fusedWidth, 1f);
      NDArray queryScale = manager.create(columnScale, new Shape(1, fusedWidth)); // (1, W)
      // the sampling norm leaves out a factor sqrt(C) as well as its scale
      // (RmsNorm.normalizeUnscaled)
      double widthRoot = Math.sqrt(config.hiddenSize());
      List<LayerWeights> built = new ArrayList<>();
      for (Transformer.Layer layer : blocks) {
        Attention attention = layer.attention;
        NDArray qkv =
            transposedInput(
                    attention.qkvWeight().getArray(),
                    Scalars.mul(layer.inputNorm.weight().getArray(), widthRoot))
                .mul(queryScale); // (C, W)
        NDArray qkvBias =
            attention.qkvBias() == null
                ? null
                : attention.qkvBias().getArray().mul(queryScale.reshape(fusedWidth)); // (W)
        NDArray out = transposedInput(attention.outWeight().getArray(), null); // (C, C)
        NDArray gateUp =
            transposedInput(
                layer.mlp.gateUpWeight().getArray(),
                Scalars.mul(layer.postAttentionNorm.weight().getArray(), widthRoot)); // (C, 2I)
        NDArray down = transposedInput(layer.mlp.downWeight().getArray(), null); // (I, C)
        built.add(keep(new LayerWeights(qkv, qkvBias, out, gateUp, down)));
      }
      this.layers = List.copyOf(built);
      NDArray headScale = Scalars.mul(finalNorm.weight().getArray(), widthRoot); // (C)
      this.head = keep(transposedInput(lmHead, headScale)); // (C, V)
      this.eps = keep(manager.create((float) (config.hiddenSize() * config.rmsNormEps()))); // ()
    }
  }

  /**
   * {@code weight} (out, in) as a contiguous (in, out) array, each input row scaled by {@code
   * inputScale} (in) when given: {@code diag(inputScale) W^T}.
   */
  private NDArray transposedInput(NDArray weight, NDArray inputScale) {
    long out = weight.getShape().get(0);
    long in = weight.getShape().get(1);
    NDArray scaled = inputScale == null ? weight : weight.mul(inputScale.reshape(1, in)); // (out, in)
    // flattening a transposed view copies it in its new order: a contiguous (in, out) array
    return scaled.transpose().reshape(in * out).reshape(in, out); // (in, out)
  }

  private LayerWeights keep(LayerWeights weights) {
    keep(weights.qkv());
    if (weights.qkvBias() != null) {
      keep(weights.qkvBias());
    }
    keep(weights.out());
    keep(weights.gateUp());
    keep(weights.down());
    return weights;
  }

  private NDArray keep(NDArray array) {
    array.attach(manager); // owned by these weights, not by the scope that made them
    NDScope.unregister(array);
    return array;
  }

  /** Layer {@code index}'s projections. */
  LayerWeights layer(int index) {
    return layers.get(index);
  }

  /**
   * These weights, with {@code embed} and {@code config}'s shape, as the scripted step's arguments:
   * made on the first call, closed with these weights. One thread uses a set of weights at a time,
   * as the generator that made it does.
   */
  ScriptedDecode.WeightArguments scriptArguments(ModelConfig config, NDArray embed) {
    if (scriptArguments == null) {
      scriptArguments = new ScriptedDecode.WeightArguments(config, embed, this);
    }
    return scriptArguments;
  }

  /** The LM head, (C, V), the final norm's scale times sqrt(C) folded in. */
  NDArray head() {
    return head;
  }

  /** C times the norms' epsilon, a scalar array: see {@link RmsNorm#normalizeUnscaled}. */
  NDArray eps() {
    return eps;
  }

  @Override
  public void close() {
    if (scriptArguments != null) {
      scriptArguments.close();
    }
    manager.close();
  }
}
