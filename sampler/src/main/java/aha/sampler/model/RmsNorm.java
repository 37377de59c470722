package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Root-mean-square layer norm as in Llama: {@code x / sqrt(mean(x^2) + eps) * weight}, over the
 * last axis, no mean subtraction and no bias. Dimensions: C is the normalized width; any leading
 * axes pass through.
 */
public final class RmsNorm extends AbstractBlock {

  private final float eps;
  private final Parameter weight;

  /** A norm over {@code width} channels, its weight initialized to ones. */
  public RmsNorm(int width, double eps) {
    this.eps = (float) eps;
    this.weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(width))
                .optInitializer(Initializer.ONES)
                .build());
  }

  /** The scale, shape (C). */
  public Parameter weight() {
    return weight;
  }

  /** Normalizes {@code x} of shape (..., C). */
  public NDArray forward(NDArray x) {
    NDArray normalized = x.div(Scalars.add(meanSquare(x), eps).sqrt()); // (..., C)
    return normalized.mul(weight.getArray()); // (..., C)
  }

  /**
   * The norm for sampling, {@code x / sqrt(|x|^2 + C eps)}: the RMSNorm divided by sqrt(C) and
   * without its scale, both of which {@link InferenceWeights} folds into the projection that
   * follows; {@code widthEps} is C eps, an array made once. It takes the vector norm where the
   * training norm takes the mean of the squares: libtorch's mean over 256 numbers cost 13 us a
   * call against 5 for the norm (micro decode at batch 16, where the 13 norms of a step were 6% of
   * it), and the two agree to rounding.
   */
  static NDArray normalizeUnscaled(NDArray x, NDArray widthEps) {
    NDArray length = x.norm(new int[] {-1}, true); // (..., 1), |x|
    return x.div(length.square().add(widthEps).sqrt()); // (..., C)
  }

  /** mean(x^2) over the last axis, (..., 1). */
  private static NDArray meanSquare(NDArray x) {
    try (NDArray squared = x.square()) { // (..., C), which backward does not read: freed now
      return squared.mean(new int[] {-1}, true); // (..., 1)
    }
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
