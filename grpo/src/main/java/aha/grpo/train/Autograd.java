package aha.grpo.train;

import aha.sampler.model.NoGrad;
import aha.sampler.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * The autograd controls DJL's API lacks: zeroing a gradient in place (DJL's {@code subi(itself)}
 * keeps a NaN) and the one backward call every trainer goes through. Running code with gradient
 * recording off is {@link NoGrad}'s, one helper for the sampler and the trainers alike.
 */
public final class Autograd {

  /**
   * The system property that, set to {@code true}, collects garbage and churns small direct
   * buffers between every forward and backward pass: the conditions under which a tensor whose
   * memory Java owns, kept by autograd past its handle's close, is freed and reused (see {@link
   * Scalars}). The free alone shows: glibc and tcmalloc write their free-list links into the first
   * bytes of a block as they free it. Training must give the same gradients bit for bit with it on;
   * the stress tests and anyone chasing a suspected use-after-free turn it on ({@code
   * AHA_JAVA_OPTS=-Daha.gcBeforeBackward=true}; docs/djl-notes.md has the other run-time checks).
   */
  public static final String GC_BEFORE_BACKWARD = "aha.gcBeforeBackward";

  private Autograd() {}

  /** Back-propagates {@code loss} through {@code collector}, first churning memory when asked. */
  public static void backward(GradientCollector collector, NDArray loss) {
    if (Boolean.getBoolean(GC_BEFORE_BACKWARD)) {
      collectAndReuse(loss.getManager());
    }
    collector.backward(loss);
  }

  /**
   * Frees what the garbage collector can, waits for the Cleaner to release direct buffers, and
   * allocates small ones that may land in the freed memory.
   */
  private static void collectAndReuse(NDManager manager) {
    System.gc();
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (NDManager scratch = manager.newSubManager()) {
      for (int i = 0; i < 64; i++) {
        scratch.create(1000f + i);
      }
    }
  }

  /** Sets the gradient attached to {@code parameter} to zeros. */
  public static void zeroGrad(NDArray parameter) {
    if (parameter instanceof PtNDArray pt) {
      JniUtils.zeroGrad(pt);
    } else {
      Scalars.muli(parameter.getGradient(), 0);
    }
  }
}
