package aha.sampler.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy: a decoder-only Llama-family transformer. Tokens are embedded, pass N blocks of
 * (RMSNorm, causal self-attention with rotary positions and grouped-query heads, residual, RMSNorm,
 * SwiGLU MLP, residual), a final RMSNorm and the LM head (tied to the embedding or not).
 *
 * <p>Two ways in: {@link #forward(NDArray, int[])} runs whole sequences, as training does (under a
 * GradientCollector; the trainable parameters are {@link #getParameters()}), and {@link
 * #forward(NDArray, KvCache)} runs only the new tokens of each sequence against a {@link KvCache},
 * as sampling does. Both take left-padded batches (see {@link KvCache}) and give a row the same
 * logits however much it is padded.
 *
 * <p>Weights are kept fused for speed (q/k/v in one matrix, gate/up in one) but are named and
 * shaped as in HuggingFace Llama by {@link #hfTensorNames()}, {@link #hfTensor} and {@link
 * #setHfTensor}, which is what checkpoints read and write. All parameters live on one device, that
 * of the manager given to {@link #initialize(NDManager, long)}.
 *
 * <p>Dimensions: B batch, T positions in this call, Tkv key positions (cached prefix + T), C width,
 * V vocabulary.
 */
public final class Transformer extends AbstractBlock {

  /** Std of the normal init of weight matrices (GPT-2's); residual outputs get it / sqrt(2N). */
  public static final float INIT_STD = 0.02f;

  /**
   * Added to attention scores of masked keys; finite, so an all-masked padding row stays finite.
   */
  static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final Parameter embedTokens;
  private final List<Layer> layers = new ArrayList<>();
  private final RmsNorm norm;
  private final Parameter lmHead;
  private final Map<String, Slice> hfSlices = new LinkedHashMap<>();
  private Rotary rotary;

  /** An uninitialized model of shape {@code config}; call an {@code initialize} method next. */
  public Transformer(ModelConfig config) {
    this.config = config;
    float residualStd = (float) (INIT_STD / Math.sqrt(2.0 * config.numLayers()));
    embedTokens =
        addParameter(
            Attention.weight(
                "embed_tokens.weight",
                new Shape(config.vocabSize(), config.hiddenSize()),
                INIT_STD));
    for (int i = 0; i < config.numLayers(); i++) {
      layers.add(addChildBlock("layers." + i, new Layer(config, residualStd)));
    }
    norm = addChildBlock("norm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
    lmHead =
        config.tieEmbeddings()
            ? null
            : addParameter(
                Attention.weight(
                    "lm_head.weight",
                    new Shape(config.vocabSize(), config.hiddenSize()),
                    INIT_STD));
    mapHfNames();
  }

  /** The shape this model was built with. */
  public ModelConfig config() {
    return config;
  }

  /** The device the parameters live on. */
  public Device device() {
    return embedTokens.getArray().getDevice();
  }

  /**
   * Allocates the parameters on {@code manager}'s device with a seeded init: weight matrices
   * Normal(0, 0.02) (o_proj and down_proj scaled by 1/sqrt(2N)), norms ones, biases zeros. The same
   * seed gives the same weights on any device. The arrays belong to {@code manager} and are kept
   * out of any open NDScope.
   */
  public void initialize(NDManager manager, long seed) {
    long index = 0;
    for (Pair<String, Parameter> pair : getParameters()) {
      Parameter p = pair.getValue();
      if (p.getInitializer() instanceof NormalInit normal) {
        // a different stream per parameter, reproducible from the run seed
        p.setInitializer(normal.withSeed(seed * 1_000_003L + index));
      }
      index++;
    }
    allocate(manager);
  }

  /** Allocates zeroed parameters on {@code manager}'s device, to be overwritten by a checkpoint. */
  public void initializeEmpty(NDManager manager) {
    for (Pair<String, Parameter> pair : getParameters()) {
      pair.getValue().setInitializer(Initializer.ZEROS);
    }
    allocate(manager);
  }

  private void allocate(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    for (Pair<String, Parameter> pair : getParameters()) {
      NDScope.unregister(pair.getValue().getArray());
    }
    rotary = new Rotary(config, manager);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Layer layer : layers) {
      layer.initialize(manager, dataType, inputShapes);
    }
    norm.initialize(manager, dataType, inputShapes);
  }

  /**
   * Logits for every position of whole sequences, as training needs them.
   *
   * @param tokens token ids (B, T), int32 or int64
   * @param leftPadding padding slots at the start of each row (length B), or null for none
   * @return logits (B, T, V); rows' padding positions hold meaningless values
   */
  public NDArray forward(NDArray tokens, int[] leftPadding) {
    NDArray padding = null;
    if (leftPadding != null && Arrays.stream(leftPadding).anyMatch(p -> p > 0)) {
      checkBatch(tokens, leftPadding.length);
      long[] asLongs = Arrays.stream(leftPadding).asLongStream().toArray();
      padding = tokens.getManager().create(asLongs, new Shape(asLongs.length, 1)); // (B, 1)
    }
    NDArray x = hidden(tokens, padding, padding == null ? null : leftPadding, null, null); // (B, T, C)
    return logits(x); // (B, T, V)
  }

  /**
   * Logits for the new tokens of each row, attending to what {@code cache} holds: a prefill (the
   * left-padded prompts) or a decode step (one token per row). Writes the new keys and values into
   * the cache and advances it. Runs without recording gradients.
   *
   * @param tokens token ids (B, T), int32 or int64
   * @return logits (B, T, V)
   */
  public NDArray forward(NDArray tokens, KvCache cache) {
    return NoGrad.call(() -> logits(cachedHidden(tokens, cache, null))); // (B, T, V)
  }

  /** Like {@link #forward(NDArray, KvCache)} but only the last position's logits, (B, V). */
  public NDArray forwardLast(NDArray tokens, KvCache cache) {
    return forwardLast(tokens, cache, null);
  }

  /**
   * {@link #forwardLast(NDArray, KvCache)} with the weights laid out for sampling ({@link
   * #inferenceWeights}), or with the parameters when {@code weights} is null.
   */
  public NDArray forwardLast(NDArray tokens, KvCache cache, InferenceWeights weights) {
    return forwardLast(tokens, cache, weights, ScriptedDecode.enabled());
  }

  /**
   * How this process runs decode steps with sampling weights, for reports: {@code "scripted
   * step"} (one TorchScript call, {@link ScriptedDecode}) or {@code "eager step"} ({@code
   * -Daha.decode=eager}).
   */
  public static String decodeStepPath() {
    return ScriptedDecode.enabled() ? "scripted step" : "eager step";
  }

  /**
   * {@link #forwardLast(NDArray, KvCache, InferenceWeights)}, a decode step with sampling weights
   * running as one TorchScript call ({@link ScriptedDecode}) when {@code scripted}; the same bits
   * either way.
   */
  NDArray forwardLast(
      NDArray tokens, KvCache cache, InferenceWeights weights, boolean scripted) {
    return NoGrad.call(
        () -> {
          if (scripted && weights != null && tokens.getShape().dimension() == 2
              && tokens.getShape().get(1) == 1) {
            return scriptedStep(tokens, cache, weights); // (B, V)
          }
          NDArray x = cachedHidden(tokens, cache, weights); // (B, T, C)
          long t = x.getShape().get(1);
          return logits(x.get(new NDIndex(":, {}", t - 1)), weights); // (B, V)
        });
  }

  /**
   * This model's weights laid out for sampling, valid until its parameters change; the caller
   * closes them. See {@link InferenceWeights}.
   */
  public InferenceWeights inferenceWeights() {
    if (rotary == null) {
      throw new IllegalStateException("the model is not initialized");
    }
    return NoGrad.call(
        () ->
            new InferenceWeights(
                config, layers, norm, lmHead == null ? embedTokens.getArray() : lmHead.getArray()));
  }

  /**
   * One position per row through {@link ScriptedDecode} (a decode step, or the prefill of
   * one-token prompts): logits (B, V); advances the cache.
   */
  private NDArray scriptedStep(NDArray tokens, KvCache cache, InferenceWeights weights) {
    checkBatch(tokens, cache.batchSize());
    cache.checkRoom(1);
    int start = cache.length();
    NDArray ids = prepare(tokens, start); // (B, 1) int64 or int32
    // the position's rotation: (hs, hs), or (B, 1, hs, hs) with padding
    NDArray rotation = rotary.angles(ids.getManager(), start, 1, cache.paddingSlots()).get(0);
    NDArray logits =
        ScriptedDecode.shared()
            .logits(
                config,
                ids,
                embedTokens.getArray(),
                weights,
                cache,
                rotation,
                cache.paddingBias(start + 1), // (B, 1, 1, 1, Tkv) or null
                start); // (B, V)
    cache.advance(1);
    return logits;
  }

  private NDArray cachedHidden(NDArray tokens, KvCache cache, InferenceWeights weights) {
    checkBatch(tokens, cache.batchSize());
    cache.checkRoom(tokens.getShape().get(1));
    return hidden(tokens, cache.padding(), cache.paddingSlots(), cache, weights); // (B, T, C)
  }

  /**
   * The last hidden states, normalized: by the final norm, or, with sampling {@code weights},
   * without its scale (which their LM head carries).
   *
   * @param padding (B, 1) int64 left padding, or null when no row is padded
   * @param leftPadding the same on the host, or null
   */
  private NDArray hidden(
      NDArray tokens, NDArray padding, int[] leftPadding, KvCache cache, InferenceWeights weights) {
    int start = cache == null ? 0 : cache.length();
    tokens = prepare(tokens, start); // (B, T)
    int t = Math.toIntExact(tokens.getShape().get(1));

    // positions and which keys each query may see, once for all layers; a decode step (T = 1)
    // sees every filled slot but the padding, a mask the cache keeps ready
    NDList angles = rotary.angles(tokens.getManager(), start, t, leftPadding);
    NDArray maskBias =
        cache != null && t == 1
            ? cache.paddingBias(start + 1) // (B, 1, 1, 1, Tkv) or null
            : maskBias(tokens.getManager(), start, t, padding); // (B or 1, 1, 1, T, Tkv) or null

    // embed, run the blocks, normalize
    NDArray x =
        Embedding.embedding(tokens, embedTokens.getArray(), SparseFormat.DENSE)
            .singletonOrThrow(); // (B, T, C)
    for (int i = 0; i < layers.size(); i++) {
      x = layers.get(i).forward(x, angles, maskBias, cache, i, start, weights); // (B, T, C)
    }
    if (cache != null) {
      cache.advance(t);
    }
    return weights == null ? norm.forward(x) : RmsNorm.normalizeUnscaled(x, weights.eps()); // (B, T, C)
  }

  /**
   * Checks that the model is ready and {@code tokens} is (B, T), fits this thread's libtorch
   * threads to the pass, and returns the tokens as int64 where they are neither int32 nor int64.
   */
  private NDArray prepare(NDArray tokens, int start) {
    if (rotary == null) {
      throw new IllegalStateException("the model is not initialized");
    }
    if (tokens.getShape().dimension() != 2) {
      throw new IllegalArgumentException("tokens must be (B, T), got " + tokens.getShape());
    }
    int t = Math.toIntExact(tokens.getShape().get(1));
    // this thread's libtorch threads, fitted to the free cores and to this pass's size (the
    // backward pass and the optimizer step that follow a training forward run on this thread too)
    IntraOpThreads.fit(tokens.getShape().get(0) * t * config.forwardFlopsPerToken(start + t));
    if (tokens.getDataType() != DataType.INT64 && tokens.getDataType() != DataType.INT32) {
      return tokens.toType(DataType.INT64, false); // (B, T)
    }
    return tokens;
  }

  /** Projects normalized hidden states (..., C) to vocabulary logits (..., V). */
  private NDArray logits(NDArray x) {
    return logits(x, null);
  }

  /** {@link #logits(NDArray)} through the sampling layout's head when {@code weights} is given. */
  private NDArray logits(NDArray x, InferenceWeights weights) {
    if (weights != null) {
      return x.matMul(weights.head()); // (..., V)
    }
    NDArray head = lmHead == null ? embedTokens.getArray() : lmHead.getArray(); // (V, C)
    return Linear.linear(x, head).singletonOrThrow(); // (..., V)
  }

  /**
   * The additive attention mask for queries at slots [start, start + T) over keys at slots [0,
   * start + T): a key is visible when it is not after the query (causal) and not a padding slot of
   * the row. Shaped (B or 1, 1, 1, T, Tkv) to broadcast over kv heads and the query heads of each
   * group. Null when everything is visible (one new token, no padding).
   */
  private static NDArray maskBias(NDManager manager, int start, int t, NDArray padding) {
    if (padding == null && t == 1) {
      return null;
    }
    Device device = manager.getDevice();
    int tkv = start + t;
    NDArray keySlot =
        manager.arange(0, tkv, 1, DataType.INT64, device).reshape(1, 1, 1, 1, tkv); // (1,1,1,1,Tkv)
    NDArray querySlot =
        manager.arange(start, tkv, 1, DataType.INT64, device).reshape(1, 1, 1, t, 1); // (1,1,1,T,1)
    NDArray visible = keySlot.lte(querySlot); // (1, 1, 1, T, Tkv)
    if (padding != null) {
      long b = padding.getShape().get(0);
      NDArray real = keySlot.gte(padding.reshape(b, 1, 1, 1, 1)); // (B, 1, 1, 1, Tkv)
      visible = visible.logicalAnd(real); // (B, 1, 1, T, Tkv)
    }
    NDArray hidden = Scalars.sub(visible.toType(DataType.FLOAT32, false), 1); // (B or 1, 1, 1, T, Tkv)
    return Scalars.mul(hidden, -MASKED); // (B or 1, 1, 1, T, Tkv)
  }

  private static void checkBatch(NDArray tokens, int rows) {
    if (tokens.getShape().dimension() != 2 || tokens.getShape().get(0) != rows) {
      throw new IllegalArgumentException(
          "tokens " + tokens.getShape() + " do not match a batch of " + rows + " rows");
    }
  }

  /**
   * DJL's block entry point: {@code inputs} holds the tokens (B, T) and optionally the left padding
   * (B) as integers; the output holds the logits (B, T, V). The parameter store is not consulted:
   * the model lives on one device.
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    int[] leftPadding =
        inputs.size() > 1 ? inputs.get(1).toType(DataType.INT32, false).toIntArray() : null;
    return new NDList(forward(inputs.get(0), leftPadding));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape tokens = inputShapes[0];
    return new Shape[] {new Shape(tokens.get(0), tokens.get(1), config.vocabSize())};
  }

  // ---- HuggingFace names ----------------------------------------------------------------------

  /** A HF tensor is a run of rows of one of our parameters (all rows unless fused). */
  private record Slice(Parameter parameter, long firstRow, Shape shape) {}

  private void mapHfNames() {
    int c = config.hiddenSize();
    int kv = config.kvSize();
    int inter = config.intermediateSize();
    int v = config.vocabSize();
    hfSlices.put("model.embed_tokens.weight", new Slice(embedTokens, 0, new Shape(v, c)));
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String p = "model.layers." + i + ".";
      Parameter qkv = layer.attention.qkvWeight();
      hfSlices.put(p + "self_attn.q_proj.weight", new Slice(qkv, 0, new Shape(c, c)));
      hfSlices.put(p + "self_attn.k_proj.weight", new Slice(qkv, c, new Shape(kv, c)));
      hfSlices.put(p + "self_attn.v_proj.weight", new Slice(qkv, c + kv, new Shape(kv, c)));
      Parameter bias = layer.attention.qkvBias();
      if (bias != null) {
        hfSlices.put(p + "self_attn.q_proj.bias", new Slice(bias, 0, new Shape(c)));
        hfSlices.put(p + "self_attn.k_proj.bias", new Slice(bias, c, new Shape(kv)));
        hfSlices.put(p + "self_attn.v_proj.bias", new Slice(bias, c + kv, new Shape(kv)));
      }
      hfSlices.put(
          p + "self_attn.o_proj.weight",
          new Slice(layer.attention.outWeight(), 0, new Shape(c, c)));
      Parameter gateUp = layer.mlp.gateUpWeight();
      hfSlices.put(p + "mlp.gate_proj.weight", new Slice(gateUp, 0, new Shape(inter, c)));
      hfSlices.put(p + "mlp.up_proj.weight", new Slice(gateUp, inter, new Shape(inter, c)));
      hfSlices.put(
          p + "mlp.down_proj.weight", new Slice(layer.mlp.downWeight(), 0, new Shape(c, inter)));
      hfSlices.put(
          p + "input_layernorm.weight", new Slice(layer.inputNorm.weight(), 0, new Shape(c)));
      hfSlices.put(
          p + "post_attention_layernorm.weight",
          new Slice(layer.postAttentionNorm.weight(), 0, new Shape(c)));
    }
    hfSlices.put("model.norm.weight", new Slice(norm.weight(), 0, new Shape(c)));
    if (lmHead != null) {
      hfSlices.put("lm_head.weight", new Slice(lmHead, 0, new Shape(v, c)));
    }
  }

  /** Every tensor of this model under its HuggingFace Llama name, in checkpoint order. */
  public List<String> hfTensorNames() {
    return Collections.unmodifiableList(new ArrayList<>(hfSlices.keySet()));
  }

  /** The HF shape of tensor {@code name}: (out, in) for projections, as DJL's Linear has it. */
  public Shape hfTensorShape(String name) {
    return slice(name, false).shape();
  }

  /** A host copy of tensor {@code name} in HF layout, row-major. */
  public float[] hfTensor(String name) {
    Slice s = slice(name, true);
    NDArray whole = s.parameter().getArray();
    if (whole.getShape().get(0) == s.shape().get(0)) {
      return whole.toFloatArray();
    }
    try (NDArray rows =
        whole.get(new NDIndex("{}:{}", s.firstRow(), s.firstRow() + s.shape().get(0)))) {
      return rows.toFloatArray();
    }
  }

  /** Overwrites tensor {@code name} with {@code values} in HF layout, row-major. */
  public void setHfTensor(String name, float[] values) {
    Slice s = slice(name, true);
    if (values.length != s.shape().size()) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + " needs "
              + s.shape().size()
              + " values "
              + s.shape()
              + ", got "
              + values.length);
    }
    NDArray whole = s.parameter().getArray();
    NoGrad.call(
        () -> {
          if (whole.getShape().get(0) == s.shape().get(0)) {
            HostValues.copyInto(whole, values);
            return null;
          }
          try (NDManager scratch = whole.getManager().newSubManager()) {
            NDArray rows = scratch.create(values, s.shape());
            whole.set(new NDIndex("{}:{}", s.firstRow(), s.firstRow() + s.shape().get(0)), rows);
          }
          return null;
        });
  }

  private Slice slice(String name, boolean needArray) {
    Slice s = hfSlices.get(name);
    if (s == null) {
      throw new IllegalArgumentException("this model has no tensor named " + name);
    }
    if (needArray && !s.parameter().isInitialized()) {
      throw new IllegalStateException("the model is not initialized");
    }
    return s;
  }

  // ---- one decoder block ----------------------------------------------------------------------

  /** RMSNorm, attention, residual; RMSNorm, MLP, residual. Dimensions as in the outer class. */
  static final class Layer extends AbstractBlock {

    final RmsNorm inputNorm;
    final Attention attention;
    final RmsNorm postAttentionNorm;
    final Mlp mlp;

    Layer(ModelConfig config, float residualStd) {
      inputNorm =
          addChildBlock("input_layernorm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
      attention = addChildBlock("self_attn", new Attention(config, INIT_STD, residualStd));
      postAttentionNorm =
          addChildBlock(
              "post_attention_layernorm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
      mlp = addChildBlock("mlp", new Mlp(config, INIT_STD, residualStd));
    }

    /**
     * Block {@code index}; with sampling {@code weights} (its layer's, or null for the parameters)
     * the norms leave their scale to the projections after them.
     */
    NDArray forward(
        NDArray x,
        NDList angles,
        NDArray maskBias,
        KvCache cache,
        int index,
        int start,
        InferenceWeights weights) {
      InferenceWeights.LayerWeights layerWeights = weights == null ? null : weights.layer(index);
      // attention on the normalized input, added back as residual; an add keeps nothing for
      // backward, so each branch's output is freed once added (see Attention on training memory)
      NDArray attentionInput =
          weights == null ? inputNorm.forward(x) : RmsNorm.normalizeUnscaled(x, weights.eps()); // (B, T, C)
      try (NDArray attended =
          attention.forward(
              attentionInput, angles, maskBias, cache, index, start, layerWeights)) { // (B, T, C)
        x = x.add(attended); // (B, T, C)
      }
      // MLP on the normalized result, added back as residual
      NDArray mlpInput =
          weights == null
              ? postAttentionNorm.forward(x)
              : RmsNorm.normalizeUnscaled(x, weights.eps()); // (B, T, C)
      try (NDArray transformed = mlp.forward(mlpInput, layerWeights)) { // (B, T, C)
        return x.add(transformed); // (B, T, C)
      }
    }

    @Override
    protected void initializeChildBlocks(
        NDManager manager, DataType dataType, Shape... inputShapes) {
      inputNorm.initialize(manager, dataType, inputShapes);
      attention.initialize(manager, dataType, inputShapes);
      postAttentionNorm.initialize(manager, dataType, inputShapes);
      mlp.initialize(manager, dataType, inputShapes);
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore parameterStore,
        NDList inputs,
        boolean training,
        PairList<String, Object> params) {
      throw new UnsupportedOperationException(
          "a decoder layer needs rotary angles and a mask; it runs inside Transformer.forward");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return inputShapes;
    }
  }
}
