package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdvantagesTest {

  /**
   * Group [1, 0, 0, 1]: mean 0.5, sample std sqrt(1/3) = 0.57735; advantages ±0.5/0.57745.
   * Group [1, 1, 1, 1]: all equal, advantages 0.
   */
  @Test
  void groupScalingByHand() {
    double[] rewards = {1, 0, 0, 1, 1, 1, 1, 1};
    double[] advantages = Advantages.compute(rewards, 4, ScaleRewards.GROUP);
    double a = 0.5 / (Math.sqrt(1.0 / 3) + Advantages.EPS);
    assertArrayEquals(new double[] {a, -a, -a, a, 0, 0, 0, 0}, advantages, 1e-12);
    assertTrue(Advantages.zeroStd(rewards, 4, 4));
    assertTrue(!Advantages.zeroStd(rewards, 0, 4));
  }

  /** Batch std of [1,0,0,1,1,1,1,1]: mean 0.75, Σ(r−m)² = 6·0.0625 + 2·0.5625 = 1.5, var 1.5/7. */
  @Test
  void batchScalingUsesOneStd() {
    double[] rewards = {1, 0, 0, 1, 1, 1, 1, 1};
    double[] advantages = Advantages.compute(rewards, 4, ScaleRewards.BATCH);
    double std = Math.sqrt(1.5 / 7);
    assertEquals(0.5 / (std + Advantages.EPS), advantages[0], 1e-12);
    assertEquals(0, advantages[5], 1e-12);
  }

  @Test
  void noScalingOnlyCentres() {
    double[] advantages = Advantages.compute(new double[] {1.1, 0.1, 0.1}, 3, ScaleRewards.NONE);
    assertArrayEquals(new double[] {2.0 / 3, -1.0 / 3, -1.0 / 3}, advantages, 1e-12);
  }

  @Test
  void rejectsPartialGroupsAndUnknownNames() {
    assertThrows(IllegalArgumentException.class, () -> Advantages.compute(new double[5], 2, ScaleRewards.GROUP));
    assertEquals(ScaleRewards.BATCH, ScaleRewards.fromWire("batch"));
    assertEquals(LossType.DR_GRPO, LossType.fromWire("dr_grpo"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> LossType.fromWire("ppo"));
    assertTrue(bad.getMessage().contains("dapo"), bad.getMessage());
  }
}
