package aha.problems.gen;

import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.problems.ProblemMeta;
import java.util.ArrayList;
import java.util.List;

/** Collects the lines of a solution and assembles the finished problem. */
final class Steps {
  static final String SOURCE = "generated";

  private final List<String> lines = new ArrayList<>();

  Steps add(String line) {
    if (line.contains("\n") || line.startsWith("####")) {
      throw new IllegalArgumentException("a step is one line and not the final answer: " + line);
    }
    lines.add(line);
    return this;
  }

  /** The solution text: the steps, then {@code "#### " + finalLine}. */
  String finish(String finalLine) {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    return text.append("#### ").append(finalLine).toString();
  }

  /** A numeric problem whose solution ends with its gold answer. */
  Problem numeric(String family, int difficulty, long seed, String id, String question, String answer) {
    return new Problem(
        id,
        question,
        answer,
        AnswerKind.NUMERIC,
        finish(answer),
        new ProblemMeta(family, difficulty, seed, SOURCE));
  }

  static void checkDifficulty(int difficulty) {
    if (difficulty < 1 || difficulty > 5) {
      throw new IllegalArgumentException("difficulty " + difficulty + " is outside 1-5");
    }
  }

  /** An integer as text, negative with a plain leading minus. */
  static String num(long value) {
    return Long.toString(value);
  }

  /** An operand inside an expression: negative numbers go in parentheses, "(-5)". */
  static String operand(long value) {
    return value < 0 ? "(" + value + ")" : Long.toString(value);
  }
}
