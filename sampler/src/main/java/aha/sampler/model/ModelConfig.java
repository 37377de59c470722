package aha.sampler.model;

import aha.sampler.settings.Fields;
import aha.sampler.settings.InvalidFieldException;

/**
 * The shape of a decoder-only Llama-family transformer: everything needed to build the blocks and
 * to read or write a HuggingFace {@code config.json}. Immutable; the constructor validates.
 *
 * @param vocabSize number of token ids, the rows of the embedding and LM head
 * @param hiddenSize model width C, the size of the residual stream
 * @param intermediateSize width of the SwiGLU MLP (gate and up projections)
 * @param numLayers number of decoder blocks
 * @param numHeads query heads; {@code hiddenSize / numHeads} is the head size
 * @param numKvHeads key/value heads, shared by {@code numHeads / numKvHeads} query heads each
 *     (grouped-query attention; equal to {@code numHeads} for plain multi-head attention)
 * @param maxPositions the longest sequence (prompt + completion) the rotary tables cover
 * @param ropeTheta base of the rotary position frequencies
 * @param rmsNormEps epsilon inside every RMSNorm
 * @param tieEmbeddings whether the LM head reuses the token embedding matrix
 * @param qkvBias whether the q/k/v projections have biases (Qwen2 does, Llama does not)
 */
public record ModelConfig(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int maxPositions,
    double ropeTheta,
    double rmsNormEps,
    boolean tieEmbeddings,
    boolean qkvBias) {

  public ModelConfig {
    Fields.atLeast("vocab_size", vocabSize, 1);
    Fields.atLeast("hidden_size", hiddenSize, 1);
    Fields.atLeast("intermediate_size", intermediateSize, 1);
    Fields.atLeast("num_layers", numLayers, 1);
    Fields.atLeast("num_heads", numHeads, 1);
    Fields.atLeast("num_kv_heads", numKvHeads, 1);
    Fields.atLeast("max_positions", maxPositions, 1);
    if (hiddenSize % numHeads != 0) {
      throw new InvalidFieldException(
          "hidden_size", hiddenSize + " is not divisible by num_heads " + numHeads);
    }
    if (numHeads % numKvHeads != 0) {
      throw new InvalidFieldException(
          "num_heads", numHeads + " is not divisible by num_kv_heads " + numKvHeads);
    }
    if ((hiddenSize / numHeads) % 2 != 0) {
      throw new InvalidFieldException(
          "hidden_size",
          "the head size hidden_size/num_heads = "
              + hiddenSize / numHeads
              + " is odd; rotary embeddings rotate pairs of dimensions and need it even");
    }
    Fields.positive("rope_theta", ropeTheta);
    if (!(rmsNormEps > 0) || !(rmsNormEps < 1)) {
      throw new InvalidFieldException("rms_norm_eps", "must be in (0, 1), got " + rmsNormEps);
    }
  }

  /** Two layers of width 16, 4 query heads sharing 2 kv heads, 64 tokens: for unit tests. */
  public static ModelConfig tiny() {
    return new ModelConfig(64, 16, 40, 2, 4, 2, 64, 10000, 1e-5, false, false);
  }

  /**
   * ~0.68M parameters: 3 layers of width 128 and the 1,024-token vocabulary of its base recipe (the
   * model {@code aha train} trains); trains on a laptop CPU in minutes.
   */
  public static ModelConfig nano() {
    return new ModelConfig(1024, 128, 352, 3, 4, 2, 512, 10000, 1e-5, true, false);
  }

  /** ~4.9M parameters: 6 layers of width 256, vocabulary 2,048 as its base recipe asks. */
  public static ModelConfig micro() {
    return new ModelConfig(2048, 256, 688, 6, 8, 4, 1024, 10000, 1e-5, true, false);
  }

  /** ~25M parameters: 8 layers of width 512; wants a GPU for RL at a useful pace. */
  public static ModelConfig small() {
    return new ModelConfig(4096, 512, 1376, 8, 8, 4, 2048, 10000, 1e-5, true, false);
  }

  /** Looks a preset up by its name: tiny, nano, micro or small. */
  public static ModelConfig preset(String name) {
    return switch (name) {
      case "tiny" -> tiny();
      case "nano" -> nano();
      case "micro" -> micro();
      case "small" -> small();
      default ->
          throw new IllegalArgumentException(
              "unknown model preset \"" + name + "\"; expected one of tiny, nano, micro, small");
    };
  }

  /** This config with the tokenizer's vocabulary size. */
  public ModelConfig withVocabSize(int newVocabSize) {
    return new ModelConfig(
        newVocabSize,
        hiddenSize,
        intermediateSize,
        numLayers,
        numHeads,
        numKvHeads,
        maxPositions,
        ropeTheta,
        rmsNormEps,
        tieEmbeddings,
        qkvBias);
  }

  /** Size of one attention head, hs. */
  public int headSize() {
    return hiddenSize / numHeads;
  }

  /** Width of the key (or value) projection output: numKvHeads * headSize. */
  public int kvSize() {
    return numKvHeads * headSize();
  }

  /** Query heads per key/value head. */
  public int groupSize() {
    return numHeads / numKvHeads;
  }

  /** Trainable parameters, counting a tied embedding/LM-head matrix once. */
  public long parameterCount() {
    long embedding = (long) vocabSize * hiddenSize;
    long head = tieEmbeddings ? 0 : embedding;
    return embedding + head + numLayers * parametersPerLayer() + hiddenSize;
  }

  /** Parameters of one decoder block: attention, MLP and the two norms. */
  public long parametersPerLayer() {
    long c = hiddenSize;
    long kv = kvSize();
    long attention = c * c + 2 * c * kv + c * c + (qkvBias ? c + 2 * kv : 0);
    long mlp = 3 * c * intermediateSize;
    return attention + mlp + 2 * c;
  }

  /**
   * Forward-pass FLOPs to process one token that attends to {@code context} earlier tokens: two per
   * multiply-add of every weight matrix (LM head included, embedding lookup excluded) plus the
   * attention scores and weighted sum over the context. A training step costs about three times
   * this ({@link #trainingFlopsPerToken}).
   */
  public long forwardFlopsPerToken(int context) {
    long c = hiddenSize;
    long matmulWeights =
        numLayers * (parametersPerLayer() - 2 * c - (qkvBias ? c + 2 * kvSize() : 0))
            + (long) vocabSize * c;
    long attention = 2L * 2L * numLayers * c * context;
    return 2 * matmulWeights + attention;
  }

  /** Forward plus backward FLOPs per token: three forward passes' worth. */
  public long trainingFlopsPerToken(int context) {
    return 3 * forwardFlopsPerToken(context);
  }
}
