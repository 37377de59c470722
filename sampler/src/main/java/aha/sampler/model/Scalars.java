package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic between a tensor and a Java number that autograd can differentiate safely.
 *
 * <p>Why not {@code x.mul(0.5f)}: DJL 0.33's PyTorch engine turns the number into a temporary
 * tensor over a Java direct buffer ({@code torch::from_blob}, no copy) and closes it as soon as the
 * op returns. Autograd keeps that tensor when the op needs it for backward (mul and div keep their
 * other operand, maximum and minimum both), but not the buffer: once the garbage collector frees it
 * and an allocation reuses the memory, backward reads whatever is there now, and the gradient is
 * silently wrong (docs/djl-notes.md has the reproduction). DJL's {@code clip(Number, Number)} makes
 * its bounds the same way.
 *
 * <p>Here the number becomes a 0-dim tensor made by libtorch itself ({@code NDManager.full} is
 * {@code torch::full}), whose memory libtorch reference-counts: autograd holds it as long as it
 * needs it, so our handle can be closed at once and no manager collects scalars over a run.
 *
 * <p>Model, loss, trainer and optimizer code use these methods instead of the {@code Number}
 * overloads of {@link NDArray}; {@code ScalarOperandsTest} reads the compiled classes and fails the
 * build when an overload creeps back in. Comparisons ({@code lt(Number)} and the like) stay
 * allowed: their boolean result is never differentiated, so nothing keeps their scalar.
 *
 * <p>The number is rounded to float, as DJL's own overloads round it, and takes the tensor's data
 * type, so no type promotion happens.
 */
public final class Scalars {

  private static final Shape SCALAR = new Shape();

  private Scalars() {}

  /** {@code value} as a 0-dim tensor of {@code like}'s type on its device, in libtorch's memory. */
  public static NDArray of(NDArray like, double value) {
    return like.getManager().full(SCALAR, (float) value, like.getDataType(), like.getDevice());
  }

  /** {@code op(x, value)} with the value as a libtorch scalar, our handle closed at once. */
  private static NDArray apply(NDArray x, double value, BinaryOperator<NDArray> op) {
    try (NDArray s = of(x, value)) {
      return op.apply(x, s);
    }
  }

  /** {@code x + value}. */
  public static NDArray add(NDArray x, double value) {
    return apply(x, value, NDArray::add);
  }

  /** {@code x - value}. */
  public static NDArray sub(NDArray x, double value) {
    return apply(x, value, NDArray::sub);
  }

  /** {@code x * value}. */
  public static NDArray mul(NDArray x, double value) {
    return apply(x, value, NDArray::mul);
  }

  /** {@code x / value}. */
  public static NDArray div(NDArray x, double value) {
    return apply(x, value, NDArray::div);
  }

  /** {@code max(x, value)} elementwise; where x equals value the gradient is halved, as in torch. */
  public static NDArray maximum(NDArray x, double value) {
    return apply(x, value, NDArray::maximum);
  }

  /**
   * {@code x} clamped to [low, high]. The gradient passes where low &lt; x &lt; high and is 0
   * outside; exactly at a bound it is halved (torch's clamp passes it whole there), a difference
   * of measure zero for the float ratios this clips.
   */
  public static NDArray clip(NDArray x, double low, double high) {
    try (NDArray lo = of(x, low);
        NDArray hi = of(x, high)) {
      return x.maximum(lo).minimum(hi);
    }
  }

  /** {@code x *= value} in place; returns x. */
  public static NDArray muli(NDArray x, double value) {
    return apply(x, value, NDArray::muli);
  }

  /** {@code x += value} in place; returns x. */
  public static NDArray addi(NDArray x, double value) {
    return apply(x, value, NDArray::addi);
  }
}
