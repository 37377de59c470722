package aha.grpo.rl;

import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import aha.verifier.math.Calculator;

/**
 * The lab's chat template: the reasoning format over a tokenizer, with the verifier's calculator
 * ({@link Calculator}) as the tool a generated turn may call. Tokenizers without the tool tags
 * (every one trained without {@code tools}) simply never call it, so a run's samples are what they
 * were before tools existed.
 */
public final class LabChat {

  private LabChat() {}

  /** The template every stage of the lab samples and trains with. */
  public static ChatTemplate template(Tokenizer tokenizer) {
    return new ChatTemplate(tokenizer, Calculator::evaluate);
  }
}
