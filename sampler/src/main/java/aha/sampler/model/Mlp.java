package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The SwiGLU MLP of Llama: {@code down(silu(gate(x)) * up(x))}. gate and up run as one matmul: the
 * weight {@code gate_up_proj} stacks HF's {@code gate_proj} rows over {@code up_proj} rows, shape
 * (2I, C). Dimensions: B batch, T positions, C width, I intermediate size.
 */
public final class Mlp extends AbstractBlock {

  /** Name of the fused gate/up weight. */
  public static final String GATE_UP = "gate_up_proj";

  private final int intermediate;
  private final Parameter gateUpWeight;
  private final Parameter downWeight;

  /** The MLP of one layer of {@code config}; {@code residualStd} scales down_proj's init. */
  public Mlp(ModelConfig config, float weightStd, float residualStd) {
    int c = config.hiddenSize();
    intermediate = config.intermediateSize();
    gateUpWeight =
        addParameter(
            Attention.weight(GATE_UP + ".weight", new Shape(2L * intermediate, c), weightStd));
    downWeight =
        addParameter(Attention.weight("down_proj.weight", new Shape(c, intermediate), residualStd));
  }

  /** The fused gate/up weight, (2I, C): gate rows, then up rows. */
  public Parameter gateUpWeight() {
    return gateUpWeight;
  }

  /** The down projection, (C, I). */
  public Parameter downWeight() {
    return downWeight;
  }

  /** Applies the MLP to {@code x} (B, T, C). */
  public NDArray forward(NDArray x) {
    return forward(x, null);
  }

  /**
   * Applies the MLP to {@code x} (B, T, C), with the sampling layout of its weights when {@code
   * weights} is given (then {@code x} is the sampling norm, {@link RmsNorm#normalizeUnscaled}:
   * gate/up carries its scale and sqrt(C)).
   */
  NDArray forward(NDArray x, InferenceWeights.LayerWeights weights) {
    NDArray gateUp =
        weights == null
            ? Linear.linear(x, gateUpWeight.getArray()).singletonOrThrow() // (B, T, 2I)
            : x.matMul(weights.gateUp()); // (B, T, 2I)
    int last = gateUp.getShape().dimension() - 1; // DJL split wants a non-negative axis
    NDList parts = gateUp.split(new long[] {intermediate}, last); // 2 x (B, T, I)
    // silu(gate) * up, as DJL's swish with beta 1 but without its multiply by 1
    NDArray gate = parts.get(0); // (B, T, I)
    NDArray hidden = gate.mul(Activation.sigmoid(gate)).mul(parts.get(1)); // (B, T, I)
    return weights == null
        ? Linear.linear(hidden, downWeight.getArray()).singletonOrThrow() // (B, T, C)
        : hidden.matMul(weights.down()); // (B, T, C)
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
