package aha.sampler.service;

import aha.problems.Problem;
import aha.sampler.tokenizer.ChatTemplate;

/**
 * Turns a problem into prompt token ids and a completion's token ids into the text the verifier
 * reads. Called from several threads at once (sampler threads encode, verifier threads decode), so
 * implementations must be thread-safe, as {@link aha.sampler.tokenizer.Tokenizer} is.
 */
public interface PromptCodec {

  /** The token ids of the prompt that asks {@code problem}. */
  int[] encodePrompt(Problem problem);

  /** The text of a generated assistant turn, as the verifier reads it. */
  String decodeCompletion(int[] completion);

  /**
   * The lab's reasoning prompt: the default system prompt and the question in the chat template;
   * completions decode with the format tags kept and the closing stop token dropped.
   */
  static PromptCodec chat(ChatTemplate template) {
    return new PromptCodec() {
      @Override
      public int[] encodePrompt(Problem problem) {
        return template.encodePrompt(ChatTemplate.reasoningConversation(problem.question()));
      }

      @Override
      public String decodeCompletion(int[] completion) {
        return template.completionText(completion);
      }
    };
  }
}
