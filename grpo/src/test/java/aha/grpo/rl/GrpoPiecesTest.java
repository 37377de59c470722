package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.problems.ProblemMeta;
import aha.sampler.settings.InvalidFieldException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The parts of the GRPO step that need no model: micro-batch weights, the problem stream, the config. */
class GrpoPiecesTest {

  /**
   * Splitting a batch into micro-batches and weighting each loss by {@link
   * GrpoTrainer#microBatchWeight} gives the whole batch's loss (so the same gradient, the loss
   * being linear in the token losses) for grpo, dr_grpo and dapo; bnpo is by definition the mean of
   * per-micro-batch normalised losses.
   */
  @ParameterizedTest
  @EnumSource(LossType.class)
  void microBatchWeightsAddUpToTheWholeBatchLoss(LossType type) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Random random = new Random(3);
      int rows = 6;
      int width = 5;
      float[] lp = new float[rows * width];
      float[] old = new float[rows * width];
      float[] mask = new float[rows * width];
      float[] adv = new float[rows];
      for (int i = 0; i < lp.length; i++) {
        lp[i] = (float) -random.nextDouble();
        old[i] = lp[i] + (float) (0.3 * random.nextGaussian());
        mask[i] = i % width >= (i / width) % 3 ? 1 : 0; // rows of 5, 4 and 3 tokens
      }
      for (int b = 0; b < rows; b++) {
        adv[b] = (float) random.nextGaussian();
      }
      PolicyLossConfig config = new PolicyLossConfig(type, 0.2, 0.28, 0);
      long tokens = 0;
      for (float m : mask) {
        tokens += (long) m;
      }
      NDArray logprobs = manager.create(lp, new Shape(rows, width)); // (B, L)
      NDArray oldLogprobs = manager.create(old, new Shape(rows, width)); // (B, L)
      NDArray masks = manager.create(mask, new Shape(rows, width)); // (B, L)
      NDArray advantages = manager.create(adv); // (B)
      double whole = PolicyLoss.compute(logprobs, oldLogprobs, null, advantages, masks, config, width, tokens).loss().getFloat();

      double summed = 0;
      double perMicroMean = 0;
      int[][] splits = {{0, 4}, {4, 6}}; // uneven on purpose
      for (int[] split : splits) {
        NDIndex rowsOf = new NDIndex("{}:{}", split[0], split[1]);
        double micro =
            PolicyLoss.compute(logprobs.get(rowsOf), oldLogprobs.get(rowsOf), null, advantages.get(rowsOf),
                    masks.get(rowsOf), config, width, tokens)
                .loss()
                .getFloat();
        summed += micro * GrpoTrainer.microBatchWeight(type, split[1] - split[0], rows, splits.length);
        perMicroMean += micro / splits.length;
      }
      if (type == LossType.BNPO) {
        assertEquals(perMicroMean, summed, 1e-6);
        assertNotEquals(whole, summed, 1e-4, "bnpo normalises per micro-batch, unlike dapo");
      } else {
        assertEquals(whole, summed, 1e-6);
      }
    }
  }

  @Test
  void theProblemStreamIsSeededAndResumesFromItsCursor() {
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      problems.add(new Problem("p" + i, "q" + i, "1", AnswerKind.NUMERIC, null, new ProblemMeta("f", 1, i, "t")));
    }
    ProblemStream a = new ProblemStream(problems, 5);
    List<Problem> firstEpoch = a.next(10);
    assertEquals(10, new HashSet<>(firstEpoch).size(), "an epoch holds each problem once");
    List<Problem> next = a.next(7);
    assertNotEquals(firstEpoch.subList(0, 7), next, "each epoch has its own order");

    ProblemStream b = new ProblemStream(problems, 5);
    b.seek(10);
    assertEquals(next, b.next(7));
    assertEquals(17, b.cursor());
    assertNotEquals(firstEpoch, new ProblemStream(problems, 6).next(10));
  }

  @Test
  void theSoftOverlongPenaltyFallsLinearlyInItsBuffer() {
    GrpoConfig d = GrpoConfig.defaults();
    GrpoConfig c =
        d.withRollout(d.rollout().withMaxNewTokens(100)).withReward(d.reward().withOverlong(20, 0.5));
    assertEquals(0, c.overlongPenaltyFor(80));
    assertEquals(-0.25, c.overlongPenaltyFor(90), 1e-12);
    assertEquals(-0.5, c.overlongPenaltyFor(100), 1e-12);
    assertEquals(0, d.overlongPenaltyFor(d.rollout().maxNewTokens()), "off by default");
  }

  @Test
  void aBadSettingIsNamed() {
    GrpoConfig d = GrpoConfig.defaults();
    InvalidFieldException e =
        assertThrows(InvalidFieldException.class, () -> d.withRollout(d.rollout().withGroupSize(1)));
    assertEquals("group_size", e.field());
    InvalidFieldException across =
        assertThrows(InvalidFieldException.class, () -> d.withReward(d.reward().withOverlong(256, 1)));
    assertEquals("reward.overlong_buffer", across.field());
    assertTrue(e.getMessage().startsWith("group_size"), e.getMessage());
  }
}
