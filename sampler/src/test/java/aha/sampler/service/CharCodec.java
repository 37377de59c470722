package aha.sampler.service;

import aha.problems.Problem;

/**
 * Prompts and completions as Unicode code points, one token per character: texts are known without
 * a trained tokenizer. {@code onDecode} runs on the verifier thread before each decode.
 */
final class CharCodec implements PromptCodec {

  volatile Runnable onDecode = () -> {};

  @Override
  public int[] encodePrompt(Problem problem) {
    return problem.question().codePoints().toArray();
  }

  @Override
  public String decodeCompletion(int[] completion) {
    onDecode.run();
    for (int token : completion) {
      if (!Character.isValidCodePoint(token)) {
        throw new IllegalArgumentException("token id " + token + " is outside the vocabulary");
      }
    }
    return new String(completion, 0, completion.length);
  }
}
