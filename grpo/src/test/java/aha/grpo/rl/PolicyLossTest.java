package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every loss type against numbers worked out by hand (in the comments) on a 2×3 batch.
 *
 * <p>On-policy case: logπ = logπ_old, so r = 1 and each real token's loss is −A; its gradient with
 * respect to logπ is −A·r = −A times the normaliser's weight of that token. Mask [[1,1,0],[1,1,1]],
 * A = [1, −0.5]: masked token losses [[−1,−1,0],[0.5,0.5,0.5]], sum −0.5, 5 real tokens.
 */
class PolicyLossTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // grpo: sequence means −1 and 0.5, mean −0.25; weights 1/(2·2) on row 0, 1/(2·3) on row 1
    "GRPO, -0.25, -0.25, 0.0833333",
    // bnpo: −0.5 / 5 tokens = −0.1; weight 1/5 everywhere
    "BNPO, -0.1, -0.2, 0.1",
    // dr_grpo with L = 4: −0.5 / (2·4) = −0.0625; weight 1/8
    "DR_GRPO, -0.0625, -0.125, 0.0625",
    // dapo with 10 tokens in the whole step: −0.5 / 10 = −0.05; weight 1/10
    "DAPO, -0.05, -0.1, 0.05",
  })
  void onPolicyLossAndGradientMatchHandValues(
      LossType type, double expectedLoss, double gradRow0, double gradRow1) {
    float[] lp = {-1.0f, -2.0f, -0.5f, -0.3f, -1.2f, -2.2f};
    NDArray logprobs = manager.create(lp, new Shape(2, 3));
    logprobs.setRequiresGradient(true);
    NDArray old = manager.create(lp, new Shape(2, 3));
    NDArray mask = manager.create(new float[] {1, 1, 0, 1, 1, 1}, new Shape(2, 3));
    NDArray advantages = manager.create(new float[] {1f, -0.5f});
    PolicyLossConfig config = new PolicyLossConfig(type, 0.2, 0.2, 0);

    PolicyLoss.Result result;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      result = PolicyLoss.compute(logprobs, old, null, advantages, mask, config, 4, 10);
      collector.backward(result.loss());
    }
    assertEquals(expectedLoss, result.loss().getFloat(), 1e-6);
    float[] expectedGrad = {
      (float) gradRow0, (float) gradRow0, 0f, (float) gradRow1, (float) gradRow1, (float) gradRow1
    };
    assertArrayEquals(expectedGrad, logprobs.getGradient().toFloatArray(), 1e-6f);
    assertEquals(0, result.clipRegion(), 1e-12);
  }

  /**
   * Off-policy tokens (bnpo, one row, 3 tokens, ε = 0.2):
   *
   * <ul>
   *   <li>A = 1, r = 1.5: clipped to 1.2, loss −1.2, gradient 0 (high-clipped);
   *   <li>A = 1, r = 0.5: min(0.5, 0.8) = 0.5, loss −0.5, gradient −r·A = −0.5;
   *   <li>A = 1, r = 1.1: inside, loss −1.1, gradient −1.1.
   * </ul>
   *
   * Mean loss (−1.2 − 0.5 − 1.1)/3 = −0.9333; gradients /3.
   */
  @Test
  void clippingCutsTheGradientOnlyWhereTheRatioLeftTheTrustRegion() {
    NDArray old = manager.create(new float[] {-1f, -1f, -1f}, new Shape(1, 3));
    NDArray logprobs =
        manager.create(
            new float[] {
              (float) (-1 + Math.log(1.5)), (float) (-1 + Math.log(0.5)), (float) (-1 + Math.log(1.1))
            },
            new Shape(1, 3));
    logprobs.setRequiresGradient(true);
    NDArray mask = manager.ones(new Shape(1, 3));
    NDArray advantages = manager.create(new float[] {1f});
    PolicyLossConfig config = new PolicyLossConfig(LossType.BNPO, 0.2, 0.2, 0);
    PolicyLoss.Result result;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      result = PolicyLoss.compute(logprobs, old, null, advantages, mask, config, 3, 3);
      collector.backward(result.loss());
    }
    assertEquals((-1.2 - 0.5 - 1.1) / 3, result.loss().getFloat(), 1e-5);
    assertArrayEquals(
        new float[] {0f, -0.5f / 3, -1.1f / 3}, logprobs.getGradient().toFloatArray(), 1e-5f);
    assertEquals(1.0 / 3, result.clipHigh(), 1e-6);
    assertEquals(0, result.clipLow(), 1e-12); // r = 0.5 < 0.8 but A > 0: not low-clipped
  }

  /**
   * Negative advantage A = −1 (bnpo, 2 tokens, ε_low = 0.2, ε_high = 0.28):
   *
   * <ul>
   *   <li>r = 0.5: min(−0.5, −0.8) = −0.8, loss 0.8, gradient 0 (low-clipped);
   *   <li>r = 1.5: min(−1.5, −1.28) = −1.5, loss 1.5, gradient −r·A = 1.5 (never clipped: a
   *       worse-than-average token made likelier is always pushed back).
   * </ul>
   */
  @Test
  void negativeAdvantagesClipBelowAndUseEpsilonLow() {
    NDArray old = manager.create(new float[] {-2f, -2f}, new Shape(1, 2));
    NDArray logprobs =
        manager.create(
            new float[] {(float) (-2 + Math.log(0.5)), (float) (-2 + Math.log(1.5))},
            new Shape(1, 2));
    logprobs.setRequiresGradient(true);
    NDArray mask = manager.ones(new Shape(1, 2));
    PolicyLossConfig config = new PolicyLossConfig(LossType.BNPO, 0.2, 0.28, 0);
    PolicyLoss.Result result;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      result =
          PolicyLoss.compute(logprobs, old, null, manager.create(new float[] {-1f}), mask, config, 2, 2);
      collector.backward(result.loss());
    }
    assertEquals((0.8 + 1.5) / 2, result.loss().getFloat(), 1e-5);
    assertArrayEquals(new float[] {0f, 1.5f / 2}, logprobs.getGradient().toFloatArray(), 1e-5f);
    assertEquals(0.5, result.clipLow(), 1e-6);
  }

  /**
   * KL penalty alone (A = 0, β = 0.5, bnpo, one token): log π_ref − log π = ln 2, so k3 = 2 − ln 2
   * − 1 = 0.30685, loss 0.5·k3 = 0.15343; d k3 / d logπ = 1 − e^(ln 2) = −1, gradient −0.5.
   */
  @Test
  void k3KlPenaltyMatchesHandValue() {
    NDArray logprobs = manager.create(new float[] {-3f}, new Shape(1, 1));
    logprobs.setRequiresGradient(true);
    NDArray ref = manager.create(new float[] {(float) (-3 + Math.log(2))}, new Shape(1, 1));
    NDArray old = manager.create(new float[] {-3f}, new Shape(1, 1));
    PolicyLossConfig config = new PolicyLossConfig(LossType.BNPO, 0.2, 0.2, 0.5);
    PolicyLoss.Result result;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      result =
          PolicyLoss.compute(
              logprobs, old, ref, manager.create(new float[] {0f}), manager.ones(new Shape(1, 1)), config, 1, 1);
      collector.backward(result.loss());
    }
    double k3 = 2 - Math.log(2) - 1;
    assertEquals(0.5 * k3, result.loss().getFloat(), 1e-6);
    assertEquals(k3, result.kl(), 1e-6);
    assertArrayEquals(new float[] {-0.5f}, logprobs.getGradient().toFloatArray(), 1e-6f);
  }
}
