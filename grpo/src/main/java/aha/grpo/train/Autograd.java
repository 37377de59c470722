package aha.grpo.train;

import aha.sampler.model.NoGrad;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * The two autograd controls DJL's API lacks: running code with gradient recording off (libtorch's
 * grad mode is per thread, on by default, and in-place updates of leaf parameters fail while it is
 * on) and zeroing a gradient in place (DJL's {@code subi(itself)} keeps a NaN).
 */
public final class Autograd {

  private Autograd() {}

  /** Calls {@code body} with grad mode off on this thread, restoring it afterwards. */
  public static <T> T noGrad(Supplier<T> body) {
    return NoGrad.call(body);
  }

  /** Sets the gradient attached to {@code parameter} to zeros. */
  public static void zeroGrad(NDArray parameter) {
    if (parameter instanceof PtNDArray pt) {
      JniUtils.zeroGrad(pt);
    } else {
      NDArray gradient = parameter.getGradient();
      gradient.muli(0);
    }
  }
}
