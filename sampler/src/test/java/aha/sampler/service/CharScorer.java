package aha.sampler.service;

import aha.sampler.generate.Completion;

/**
 * A scorer for tests that needs no tokenizer or verifier: completions are Unicode code points, one
 * token per character, and a completion is right when the text between {@code <answer>} and {@code
 * </answer>} equals its question's gold answer. {@code onScore} runs on the scoring thread before
 * each score.
 */
final class CharScorer implements CompletionScorer<CharScorer.Question, CharScorer.Score> {

  /** A prompt's key: the question (whose code points are the prompt) and its answer. */
  record Question(String id, String text, String gold) {

    /** The prompt: the question's code points. */
    Prompt<Question> prompt() {
      return new Prompt<>(this, text.codePoints().toArray());
    }

    @Override
    public String toString() {
      return "question " + id;
    }
  }

  /**
   * What the scorer read: the text, the answer between the tags (null when there is none), whether
   * it is right, and the reward (1 for a right answer, plus 0.1 for the format).
   */
  record Score(String text, String extracted, boolean correct, double reward) {}

  volatile Runnable onScore = () -> {};

  @Override
  public Score score(Question question, Completion completion) {
    onScore.run();
    int[] tokens = completion.tokens();
    for (int token : tokens) {
      if (!Character.isValidCodePoint(token)) {
        throw new IllegalArgumentException("token id " + token + " is outside the vocabulary");
      }
    }
    String text = new String(tokens, 0, tokens.length);
    int open = text.indexOf("<answer>");
    int close = text.indexOf("</answer>");
    String extracted = open < 0 || close < open ? null : text.substring(open + 8, close);
    boolean correct = question.gold().equals(extracted);
    double reward = (correct ? 1 : 0) + (extracted != null ? 0.1 : 0);
    return new Score(text, extracted, correct, reward);
  }
}
