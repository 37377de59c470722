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
   * {@code x / sqrt(mean(x^2) + eps)} without the scale, which {@link InferenceWeights} folds into
   * the projection that follows: for sampling, with {@code eps} an array made once.
   */
  static NDArray normalizeUnscaled(NDArray x, NDArray eps) {
    return x.div(meanSquare(x).add(eps).sqrt()); // (..., C)
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
