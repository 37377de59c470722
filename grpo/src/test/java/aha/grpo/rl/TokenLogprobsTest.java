package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenLogprobsTest {

  /** Each row's values equal those of the sequence run alone, unpadded, one position at a time. */
  @Test
  void batchedRightAlignedValuesMatchEachSequenceAlone() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = new Transformer(ModelConfig.tiny());
      model.initialize(manager, 7);
      List<int[]> prompts = List.of(new int[] {1, 5, 9, 2}, new int[] {1, 7});
      List<int[]> completions = List.of(new int[] {11, 12}, new int[] {13, 14, 15, 3});
      double temperature = 0.7;
      TokenLogprobs.Result result =
          TokenLogprobs.compute(model, manager, prompts, completions, temperature);
      assertEquals(new Shape(2, 4), result.logprobs().getShape());
      assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1, 1, 1}, result.mask().toFloatArray());
      float[] batched = result.logprobs().toFloatArray();
      for (int b = 0; b < 2; b++) {
        float[] alone = alone(model, manager, prompts.get(b), completions.get(b), temperature);
        for (int j = 0; j < alone.length; j++) {
          assertEquals(alone[j], batched[b * 4 + 4 - alone.length + j], 1e-5, "row " + b + " token " + j);
        }
      }
      assertTrue(result.entropy() > 0 && result.entropy() <= Math.log(64) + 1e-6, "entropy " + result.entropy());
    }
  }

  /**
   * Tokens the environment wrote (a tool's answers) are context, not actions: they are out of the
   * mask, so the loss, its clipping and its KL term give their log-probabilities, and so their
   * logits, exactly zero gradient, while every token the policy wrote gets some.
   */
  @Test
  void injectedTokensAreOutOfTheMaskAndGetExactlyZeroGradient() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = new Transformer(ModelConfig.tiny());
      model.initialize(manager, 7);
      List<int[]> prompts = List.of(new int[] {1, 5, 9, 2}, new int[] {1, 7});
      List<int[]> completions = List.of(new int[] {11, 12, 13}, new int[] {13, 14, 15, 3});
      List<boolean[]> injected = List.of(new boolean[] {false, true, false}, new boolean[] {false, false, true, true});
      TokenLogprobs.Result result = TokenLogprobs.compute(model, manager, prompts, completions, injected, 1.0);
      float[] mask = result.mask().toFloatArray();
      assertArrayEquals(new float[] {0, 1, 0, 1, 1, 1, 0, 0}, mask);

      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray current = result.logprobs().stopGradient().duplicate(); // (B, L), a leaf
        current.setRequiresGradient(true);
        NDArray old = current.stopGradient().sub(manager.create(0.1f)); // a ratio other than 1
        NDArray ref = current.stopGradient().add(manager.create(0.2f)); // a KL term other than 0
        NDArray advantages = manager.create(new float[] {1f, -0.5f}); // (B)
        PolicyLoss.Result loss =
            PolicyLoss.compute(current, old, ref, advantages, result.mask(),
                new PolicyLossConfig(LossType.DAPO, 0.2, 0.28, 0.04), 16, 4);
        collector.backward(loss.loss());
        float[] gradient = current.getGradient().toFloatArray();
        for (int i = 0; i < mask.length; i++) {
          if (mask[i] == 0) {
            assertTrue(gradient[i] == 0f, "position " + i + " (padding or injected): " + gradient[i]);
          } else {
            assertTrue(gradient[i] != 0f, "position " + i + " (the policy's)");
          }
        }
      }
    }
  }

  private static float[] alone(
      Transformer model, NDManager manager, int[] prompt, int[] completion, double temperature) {
    long[] sequence = new long[prompt.length + completion.length];
    for (int i = 0; i < prompt.length; i++) {
      sequence[i] = prompt[i];
    }
    for (int i = 0; i < completion.length; i++) {
      sequence[prompt.length + i] = completion[i];
    }
    NDArray logits =
        model.forward(manager.create(sequence, new Shape(1, sequence.length)), (int[]) null); // (1, T, V)
    float[] values = new float[completion.length];
    for (int i = 0; i < completion.length; i++) {
      int position = prompt.length + i - 1; // predicts token prompt.length + i
      float[] row = logits.get(0, position).toFloatArray();
      double max = Double.NEGATIVE_INFINITY;
      for (float v : row) {
        max = Math.max(max, v / temperature);
      }
      double sum = 0;
      for (float v : row) {
        sum += Math.exp(v / temperature - max);
      }
      values[i] = (float) (row[completion[i]] / temperature - max - Math.log(sum));
    }
    return values;
  }

  @Test
  void samplerValuesAreLaidOutRightAligned() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray laid =
          TokenLogprobs.rightAligned(
              manager, List.of(new float[] {-1f}, new float[] {-2f, -3f, -4f}), 3);
      assertArrayEquals(new float[] {0, 0, -1, -2, -3, -4}, laid.toFloatArray());
    }
  }
}
