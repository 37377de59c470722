package aha.sampler.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import aha.sampler.model.IntraOpThreads;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.TestModels;
import aha.sampler.model.Transformer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IntraOpThreads} changes libtorch's thread count with the load and the size of a pass, so
 * completions should not depend on it: the nano model at batch 48 samples the same tokens and the
 * same log-probabilities, bit for bit, on one thread and on two. (Not every shape is bit-exact
 * across thread counts; docs/compute.md says where the default job's log-probabilities moved.)
 */
class ThreadCountTest {

  @AfterEach
  void fitAgain() {
    IntraOpThreads.fitToLoad();
  }

  @Test
  void oneThreadAndTwoSampleTheSameBits() {
    ModelConfig config = ModelConfig.nano();
    List<int[]> prompts = new ArrayList<>();
    for (int r = 0; r < 48; r++) {
      prompts.add(TestModels.tokens(20 + r % 7, config.vocabSize(), r));
    }
    SamplingParams params = SamplingParams.sampled(1.0, 24, 5);
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, 3);
      List<Completion> one = sample(model, prompts, params, 1);
      List<Completion> two = sample(model, prompts, params, 2);
      for (int r = 0; r < prompts.size(); r++) {
        assertArrayEquals(one.get(r).tokens(), two.get(r).tokens(), "row " + r);
        float[] a = one.get(r).logprobs();
        float[] b = two.get(r).logprobs();
        assertEquals(a.length, b.length, "row " + r);
        for (int i = 0; i < a.length; i++) {
          assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]), "row " + r + " token " + i);
        }
      }
    }
  }

  private static List<Completion> sample(
      Transformer model, List<int[]> prompts, SamplingParams params, int threads) {
    IntraOpThreads.fix(threads);
    try (Generator generator = new Generator(model, new int[0])) {
      return generator.sample(prompts, params);
    }
  }
}
