package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Copies host values into an existing tensor, in place (loading weights and optimizer state).
 *
 * <p>Why not {@code target.set(float[])}: DJL 0.33's PyTorch JNI copies the buffer under libtorch's
 * deprecated {@code AutoNonVariableTypeMode}, which prints a warning ("AutoNonVariableTypeMode is
 * deprecated and will be removed in 1.10 release") on the first load of every process. An
 * indexed assignment of a tensor made from the values takes libtorch's ordinary path.
 */
public final class HostValues {

  private HostValues() {}

  /**
   * Overwrites every element of {@code target} with {@code values} in row-major order, under the
   * caller's autograd mode (no-grad for parameters).
   *
   * @throws IllegalArgumentException when the counts differ
   */
  public static void copyInto(NDArray target, float[] values) {
    if (values.length != target.size()) {
      throw new IllegalArgumentException(
          "a tensor of shape " + target.getShape() + " needs " + target.size() + " values, got " + values.length);
    }
    try (NDManager scratch = target.getManager().newSubManager()) {
      NDArray source = scratch.create(values, target.getShape()); // the shape of target
      target.set(new NDIndex(":"), source);
    }
  }
}
