package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Causal self-attention with rotary positions and grouped-query heads.
 *
 * <p>q, k and v come from one fused matmul: the weight {@code qkv_proj} stacks HF's {@code q_proj},
 * {@code k_proj} and {@code v_proj} rows, shape ((nh + 2 nkv) hs, C), so checkpoints split and join
 * it by rows ({@link #QKV}). Grouped heads are handled without copying k and v: the g query heads
 * that share a kv head are folded into the time axis, so one batched matmul per kv head serves them
 * all. Queries and keys are rotated together, as one (B, T, nh + nkv, hs) slice of the fused
 * output, and the cache keeps keys transposed (see {@link KvCache}).
 *
 * <p>Dimensions: B batch, T new positions, Tkv key positions (cached prefix + T), C width, nh query
 * heads, nkv kv heads, g = nh / nkv, hs head size.
 */
public final class Attention extends AbstractBlock {

  /** Name of the fused q/k/v weight and bias. */
  public static final String QKV = "qkv_proj";

  private final ModelConfig config;
  private final Parameter qkvWeight;
  private final Parameter qkvBias;
  private final Parameter outWeight;

  /** Attention for one layer of {@code config}; {@code residualStd} scales o_proj's init. */
  public Attention(ModelConfig config, float weightStd, float residualStd) {
    this.config = config;
    int c = config.hiddenSize();
    int qkv = c + 2 * config.kvSize();
    qkvWeight = addParameter(weight(QKV + ".weight", new Shape(qkv, c), weightStd));
    qkvBias =
        config.qkvBias()
            ? addParameter(
                Parameter.builder()
                    .setName(QKV + ".bias")
                    .setType(Parameter.Type.BIAS)
                    .optShape(new Shape(qkv))
                    .optInitializer(Initializer.ZEROS)
                    .build())
            : null;
    outWeight = addParameter(weight("o_proj.weight", new Shape(c, c), residualStd));
  }

  static Parameter weight(String name, Shape shape, float std) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.WEIGHT)
        .optShape(shape)
        .optInitializer(new NormalInit(std))
        .build();
  }

  /** The fused q/k/v weight, ((nh + 2 nkv) hs, C): q rows, then k rows, then v rows. */
  public Parameter qkvWeight() {
    return qkvWeight;
  }

  /** The fused q/k/v bias, ((nh + 2 nkv) hs), or null when the config has none. */
  public Parameter qkvBias() {
    return qkvBias;
  }

  /** The output projection, (C, C). */
  public Parameter outWeight() {
    return outWeight;
  }

  /**
   * Attends from {@code x}'s T positions to themselves and, with a cache, to the cached prefix.
   *
   * @param x input (B, T, C)
   * @param angles the rotation of the T positions, from {@link Rotary#angles}
   * @param maskBias additive mask (B or 1, 1, 1, T, Tkv): 0 where allowed, a large negative number
   *     where not; null when every key is allowed (one new token, no padding)
   * @param cache where this layer's keys and values are stored at positions [start, start + T);
   *     null for a training forward without cache
   * @param layer this layer's index in the cache
   * @param start the cache slot of x's first position (0 without cache)
   * @param sampling this layer's weights in their sampling layout ({@link InferenceWeights}), or
   *     null to use the parameters; given, {@code x} is the sampling norm ({@link
   *     RmsNorm#normalizeUnscaled}) and the query scale is in the weights
   * @return (B, T, C)
   */
  NDArray forward(
      NDArray x,
      NDList angles,
      NDArray maskBias,
      KvCache cache,
      int layer,
      int start,
      InferenceWeights.LayerWeights sampling) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int nh = config.numHeads();
    int nkv = config.numKvHeads();
    int hs = config.headSize();
    long g = config.groupSize();

    // one matmul for q, k and v; q and k are rotated together, token-major, before any transpose
    NDArray qkv;
    if (sampling == null) {
      NDArray bias = qkvBias == null ? null : qkvBias.getArray();
      qkv = Linear.linear(x, qkvWeight.getArray(), bias).singletonOrThrow(); // (B, T, (nh+2nkv)hs)
    } else {
      qkv = x.matMul(sampling.qkv()); // (B, T, (nh+2nkv)hs)
      if (sampling.qkvBias() != null) {
        qkv = qkv.add(sampling.qkvBias()); // (B, T, (nh+2nkv)hs)
      }
    }
    NDList qkAndV = qkv.split(new long[] {(long) (nh + nkv) * hs}, 2);
    NDArray qk = qkAndV.get(0).reshape(b, t, nh + nkv, hs); // (B, T, nh+nkv, hs)
    NDArray v = qkAndV.get(1).reshape(b, t, nkv, hs); // (B, T, nkv, hs)
    NDList qAndK = Rotary.apply(qk, angles).split(new long[] {nh}, 2);
    NDArray q = qAndK.get(0); // (B, T, nh, hs)
    NDArray k = qAndK.get(1); // (B, T, nkv, hs)

    // keys transposed for the scores; with a cache, this step's keys and values are written into
    // it in place and the valid prefix read back. Batch and kv heads become one axis: libtorch runs
    // a 3-d batched matmul on the cache's strided prefix faster than the same 4-d one (about 220
    // against 290 us per call on micro at batch 64)
    NDArray keysT = k.transpose(0, 2, 3, 1); // (B, nkv, hs, T)
    NDArray values = v.transpose(0, 2, 1, 3); // (B, nkv, T, hs)
    int tkv = start + Math.toIntExact(t);
    if (cache != null) {
      // ellipsis forms: libtorch slices only the axis named (one native call, not one per axis)
      cache.keysTransposed(layer).set(new NDIndex("..., {}:{}", start, start + t), keysT);
      cache.values(layer).set(new NDIndex("..., {}:{}, :", start, start + t), values);
      keysT = cache.keysPrefix(layer, tkv); // (B nkv, hs, Tkv)
      values = cache.valuesPrefix(layer, tkv); // (B nkv, Tkv, hs)
    } else {
      keysT = keysT.reshape(b * nkv, hs, t); // (B nkv, hs, T)
      values = values.reshape(b * nkv, t, hs); // (B nkv, T, hs)
    }

    // fold the g query heads of each kv head into the time axis; the score scale goes on the
    // queries, which are smaller than the scores (sampling weights carry it already)
    double scale = 1.0 / Math.sqrt(hs);
    NDArray qg =
        t == 1
            ? q.reshape(b * nkv, g, hs) // (B nkv, g, hs): heads are kv-head-major
            : q.transpose(0, 2, 1, 3).reshape(b * nkv, g * t, hs); // (B nkv, g T, hs)
    if (sampling == null) {
      qg = Scalars.mul(qg, scale); // (B nkv, g T, hs)
    }
    NDArray scores = qg.matMul(keysT); // (B nkv, g T, Tkv)
    if (maskBias != null) {
      // in place, with or without gradients: the matmul's backward reads its operands, not its
      // output, so nothing needs the unmasked scores
      try (NDArray grouped = scores.reshape(b, nkv, g, t, tkv)) { // (B, nkv, g, T, Tkv), a view
        grouped.addi(maskBias);
      }
    }
    NDArray weights = scores.softmax(-1); // (B nkv, g T, Tkv)
    // softmax's backward reads its output, not its input. Arrays stay alive until the step's
    // scope closes unless closed, so a training step would otherwise hold every intermediate of
    // the forward pass, where eager PyTorch holds only what backward reads: freed now, the scores
    // leave the step's peak memory (one (B nkv, g T, Tkv) tensor per layer, 67 MB for micro at 32
    // x 256). Closing a handle only drops this reference, so an array autograd did keep would live.
    scores.close();
    NDArray y = weights.matMul(values); // (B nkv, g T, hs)

    // heads back side by side (one position needs no transpose), then the output projection
    y =
        t == 1
            ? y.reshape(b, 1, (long) nh * hs) // (B, 1, C)
            : y.reshape(b, nh, t, hs) // (B, nh, T, hs)
                .transpose(0, 2, 1, 3) // (B, T, nh, hs)
                .reshape(b, t, (long) nh * hs); // (B, T, C)
    return sampling == null
        ? Linear.linear(y, outWeight.getArray()).singletonOrThrow() // (B, T, C)
        : y.matMul(sampling.out()); // (B, T, C)
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "Attention needs rotary angles and a mask; it runs inside Transformer.forward");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
