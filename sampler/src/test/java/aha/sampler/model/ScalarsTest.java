package aha.sampler.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The use-after-free of DJL's scalar operands (docs/djl-notes.md), tested the way it was found:
 * forward with a scalar operand, let the garbage collector free what it can and allocate fresh
 * small buffers that may reuse the memory, then backward. Every op the model and the losses use
 * with a number must give the analytic gradient.
 */
class ScalarsTest {

  private static final int TRIALS = 20;
  private static final float[] X = {1f, 2f, 3f, -0.5f};

  /** Collects what is unreachable, waits for the Cleaner, and allocates buffers that may reuse it. */
  static void collectAndReuse(NDManager manager) {
    System.gc();
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (int i = 0; i < 64; i++) {
      manager.create(1000f + i);
    }
  }

  /** d(sum f(x))/dx after a collection between forward and backward. */
  static float[] gradientAfterCollection(NDManager manager, UnaryOperator<NDArray> f) {
    NDArray x = manager.create(X); // (4)
    x.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray y = f.apply(x).sum(); // ()
      collectAndReuse(manager);
      collector.backward(y);
      return x.getGradient().toFloatArray();
    }
  }

  static Stream<Arguments> ops() {
    // each op with its analytic gradient at X = {1, 2, 3, -0.5}
    return Stream.of(
        Arguments.of("mul", (UnaryOperator<NDArray>) x -> Scalars.mul(x, 0.25), new float[] {0.25f, 0.25f, 0.25f, 0.25f}),
        Arguments.of("div", (UnaryOperator<NDArray>) x -> Scalars.div(x, 4), new float[] {0.25f, 0.25f, 0.25f, 0.25f}),
        Arguments.of("div by a negative count", (UnaryOperator<NDArray>) x -> Scalars.div(x, -8), new float[] {-0.125f, -0.125f, -0.125f, -0.125f}),
        // add and sub: their backward keeps no operand, but the model uses them on recorded paths
        Arguments.of("add then square", (UnaryOperator<NDArray>) x -> Scalars.add(x, 1).square(), new float[] {4f, 6f, 8f, 1f}),
        Arguments.of("sub then square", (UnaryOperator<NDArray>) x -> Scalars.sub(x, 1).square(), new float[] {0f, 2f, 4f, -3f}),
        Arguments.of("maximum", (UnaryOperator<NDArray>) x -> Scalars.maximum(x, 1.5), new float[] {0f, 1f, 1f, 0f}),
        Arguments.of("clip", (UnaryOperator<NDArray>) x -> Scalars.clip(x, 0, 2.5).mul(x), new float[] {2f, 4f, 2.5f, 0f}),
        // the shapes of the real uses: rms norm's eps, attention's scale, the loss's normaliser
        Arguments.of("rms-norm-like", (UnaryOperator<NDArray>) x -> x.div(Scalars.add(x.square(), 1e-5).sqrt()), new float[] {
            (float) (1e-5 / Math.pow(1 + 1e-5, 1.5)), (float) (1e-5 / Math.pow(4 + 1e-5, 1.5)),
            (float) (1e-5 / Math.pow(9 + 1e-5, 1.5)), (float) (1e-5 / Math.pow(0.25 + 1e-5, 1.5))}),
        Arguments.of("scaled product", (UnaryOperator<NDArray>) x -> Scalars.mul(x, 1 / Math.sqrt(16)).mul(x), new float[] {0.5f, 1f, 1.5f, -0.25f}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void gradientsSurviveACollectionBetweenForwardAndBackward(
      String name, UnaryOperator<NDArray> f, float[] expected) {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int trial = 0; trial < TRIALS; trial++) {
        assertArrayEquals(expected, gradientAfterCollection(manager, f), 1e-6f, name + ", trial " + trial);
      }
    }
  }

  /**
   * The harness above can fail: with DJL's own {@code div(Number)} the same steps give wrong
   * gradients. If this starts failing, DJL has fixed the bug; Scalars may then go (see
   * docs/djl-notes.md).
   */
  @Test
  void djlsOwnScalarOverloadLosesItsOperand() {
    int wrong = 0;
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 30; trial++) {
        float[] gradient = gradientAfterCollection(manager, x -> x.div(4f));
        if (gradient[0] != 0.25f) {
          wrong++;
        }
      }
    }
    assertTrue(wrong > 0, "DJL's x.div(4f) kept its operand through 30 collections");
  }

  @Test
  void theScalarTakesTheTensorsTypeAndDevice() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray longs = manager.create(new long[] {3, -2});
      NDArray s = Scalars.of(longs, 0);
      org.junit.jupiter.api.Assertions.assertEquals(longs.getDataType(), s.getDataType());
      org.junit.jupiter.api.Assertions.assertEquals(longs.getDevice(), s.getDevice());
      assertArrayEquals(new long[] {3, 0}, Scalars.maximum(longs, 0).toLongArray());
    }
  }
}
