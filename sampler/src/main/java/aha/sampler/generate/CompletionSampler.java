package aha.sampler.generate;

import java.util.List;

/**
 * Anything that continues a batch of tokenized prompts: the real {@code Generator} over a {@link
 * aha.sampler.model.Transformer}, or a fake with known logits in tests. Not thread-safe: one thread
 * (a sampling worker) owns an instance.
 */
public interface CompletionSampler {

  /**
   * Continues each prompt once.
   *
   * @param prompts token ids of each prompt (non-empty, possibly of different lengths)
   * @return one completion per prompt, in order
   */
  List<Completion> sample(List<int[]> prompts, SamplingParams params);
}
