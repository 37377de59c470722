package aha.grpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamWTest {

  /** A parameter holding {@code values} in {@code shape}, attached to a gradient. */
  private static Parameter parameter(NDManager manager, String name, float[] values, Shape shape) {
    Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
    NDArray array = manager.create(values, shape);
    array.setRequiresGradient(true);
    p.setArray(array);
    return p;
  }

  /** Puts exactly {@code gradient} on the parameter: the gradient of sum(p * c) is c. */
  private static void setGradient(NDManager manager, Parameter p, float[] gradient) {
    try (NDManager scratch = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray c = scratch.create(gradient, p.getArray().getShape());
      collector.backward(p.getArray().mul(c).sum());
    }
  }

  @Test
  void twoStepsMatchTheFormulaWithBiasCorrectionAndDecoupledDecay() {
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double wd = 0.01;
    float[][] gradients = {{0.5f, -1f}, {0.1f, 0.2f}};
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter matrix = parameter(manager, "w", new float[] {1f, -2f}, new Shape(1, 2));
      Parameter gain = parameter(manager, "g", new float[] {1f, -2f}, new Shape(2));
      AdamW adam = new AdamW(List.of(matrix, gain), new AdamW.Settings(b1, b2, eps, wd, 0), manager);

      // step 1 by hand: m̂ = g and v̂ = g², so the update is lr * sign(g)
      setGradient(manager, matrix, gradients[0]);
      setGradient(manager, gain, gradients[0]);
      adam.step(lr);
      assertArrayEquals(
          new float[] {1f - 0.001f - 0.1f, -2f + 0.002f + 0.1f}, matrix.getArray().toFloatArray(), 1e-6f);
      // no decay on a vector (a norm's gain)
      assertArrayEquals(new float[] {1f - 0.1f, -2f + 0.1f}, gain.getArray().toFloatArray(), 1e-6f);
      // gradients are zeroed after the update
      assertArrayEquals(new float[] {0f, 0f}, matrix.getArray().getGradient().toFloatArray());

      // step 2 against the formula in doubles
      double[] p = {1 - 0.001 - 0.1, -2 + 0.002 + 0.1};
      double[] m = new double[2];
      double[] v = new double[2];
      for (int i = 0; i < 2; i++) {
        m[i] = (1 - b1) * gradients[0][i];
        v[i] = (1 - b2) * gradients[0][i] * gradients[0][i];
        double g = gradients[1][i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        double mHat = m[i] / (1 - b1 * b1);
        double vHat = v[i] / (1 - b2 * b2);
        p[i] = p[i] - lr * wd * p[i] - lr * mHat / (Math.sqrt(vHat) + eps);
      }
      setGradient(manager, matrix, gradients[1]);
      setGradient(manager, gain, gradients[1]);
      adam.step(lr);
      float[] after = matrix.getArray().toFloatArray();
      assertEquals(p[0], after[0], 1e-5);
      assertEquals(p[1], after[1], 1e-5);
      assertEquals(2, adam.steps());
    }
  }

  @Test
  void aStepWithANonFiniteGradientIsSkippedAndLeavesNoTrace() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter p = parameter(manager, "w", new float[] {1f, -2f}, new Shape(1, 2));
      Parameter twin = parameter(manager, "w", new float[] {1f, -2f}, new Shape(1, 2));
      AdamW adam = new AdamW(List.of(p), AdamW.Settings.defaults(), manager);
      AdamW clean = new AdamW(List.of(twin), AdamW.Settings.defaults(), manager);

      setGradient(manager, p, new float[] {Float.NaN, 1f});
      double norm = adam.step(0.1);

      assertTrue(Double.isNaN(norm));
      assertEquals(0, adam.steps());
      assertEquals(1, adam.skippedSteps());
      assertArrayEquals(new float[] {1f, -2f}, p.getArray().toFloatArray());
      assertArrayEquals(new float[] {0f, 0f}, p.getArray().getGradient().toFloatArray());
      // the next finite step moves exactly as a first step on a fresh optimizer: the moments
      // were not touched by the NaN
      setGradient(manager, p, new float[] {0.5f, -1f});
      setGradient(manager, twin, new float[] {0.5f, -1f});
      adam.step(0.1);
      clean.step(0.1);
      assertArrayEquals(twin.getArray().toFloatArray(), p.getArray().toFloatArray());
      assertEquals(1, adam.steps());
    }
  }

  @Test
  void clippingScalesAllGradientsByTheirGlobalNorm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {3f, 4f});
      NDArray b = manager.create(new float[] {12f});
      // sqrt(9 + 16 + 144) = 13
      assertEquals(13.0, AdamW.globalNorm(List.of(a, b)), 1e-6);
      double before = AdamW.clipByGlobalNorm(List.of(a, b), 6.5);
      assertEquals(13.0, before, 1e-6);
      assertArrayEquals(new float[] {1.5f, 2f}, a.toFloatArray(), 1e-5f);
      assertArrayEquals(new float[] {6f}, b.toFloatArray(), 1e-5f);
      assertEquals(6.5, AdamW.globalNorm(List.of(a, b)), 1e-5);
      // below the limit nothing changes; 0 never clips
      AdamW.clipByGlobalNorm(List.of(a, b), 100);
      assertArrayEquals(new float[] {6f}, b.toFloatArray(), 1e-5f);
      assertEquals(1f, AdamW.clipScale(1e9, 0));
    }
  }

  @Test
  void aClippedStepMovesAsIfTheGradientWereScaled() {
    // Adam is invariant to a constant gradient scale only up to eps, so compare with clipping off
    // on pre-scaled gradients: the moments must be identical
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter clipped = parameter(manager, "a", new float[] {0.5f, 0.5f}, new Shape(2));
      Parameter scaled = parameter(manager, "b", new float[] {0.5f, 0.5f}, new Shape(2));
      AdamW withClip = new AdamW(List.of(clipped), new AdamW.Settings(0.9, 0.99, 1e-8, 0, 1.0), manager);
      AdamW without = new AdamW(List.of(scaled), new AdamW.Settings(0.9, 0.99, 1e-8, 0, 0), manager);
      float[][] steps = {{30f, 40f}, {0.3f, 0.4f}};
      for (float[] g : steps) {
        setGradient(manager, clipped, g);
        double norm = Math.hypot(g[0], g[1]);
        float scale = AdamW.clipScale(norm, 1.0);
        setGradient(manager, scaled, new float[] {g[0] * scale, g[1] * scale});
        assertEquals(norm, withClip.step(0.01), 1e-4);
        without.step(0.01);
        assertArrayEquals(scaled.getArray().toFloatArray(), clipped.getArray().toFloatArray(), 1e-7f);
      }
    }
  }
}
