package aha.problems.gen;

import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.problems.ProblemMeta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Countdown puzzles that are always solvable: the target is made by building a random expression from
 * some of the given numbers (every intermediate result a positive integer, as in the game), so the
 * solution is that expression. The gold answer is {@code "24 from [3, 5, 7, 25]"}; the solution ends
 * with {@code "#### <expression>"}. Level 1 uses three small numbers, level 5 the classic six with a
 * three-digit target.
 */
final class CountdownFamily implements ProblemFamily {
  static final String NAME = "countdown";

  private static final Long[] LARGE = {25L, 50L, 75L, 100L};

  /** How many numbers, how many of them large, how many to use at least, ops, target range. */
  private record Level(int small, int large, int minUsed, String ops, int minTarget, int maxTarget) {}

  private static final Level[] LEVELS = {
    new Level(3, 0, 2, "+-*", 2, 60),
    new Level(4, 0, 3, "+-*/", 10, 100),
    new Level(3, 1, 3, "+-*/", 10, 200),
    new Level(4, 1, 3, "+-*/", 100, 500),
    new Level(4, 2, 4, "+-*/", 100, 999),
  };

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "reach a target from given numbers with + - * / and parentheses, each number at most once";
  }

  @Override
  public Problem generate(int difficulty, long problemSeed, String id) {
    Steps.checkDifficulty(difficulty);
    Rng rng = new Rng(problemSeed);
    Level level = LEVELS[difficulty - 1];
    List<Long> numbers = new ArrayList<>();
    IntegerExpression expr = null;
    for (int attempt = 0; expr == null; attempt++) {
      if (attempt == 100_000) {
        throw new IllegalStateException("no countdown expression for seed " + problemSeed);
      }
      if (attempt % 500 == 0) {
        // (re)draw the numbers: some draws, such as [1, 1, 1, 2], cannot reach the target range
        numbers.clear();
        for (int i = 0; i < level.small; i++) {
          numbers.add((long) rng.between(1, 10));
        }
        for (int i = 0; i < level.large; i++) {
          numbers.add(rng.pick(LARGE));
        }
        Collections.sort(numbers);
      }
      List<Long> chosen = new ArrayList<>(numbers);
      rng.shuffle(chosen);
      chosen = chosen.subList(0, rng.between(level.minUsed, numbers.size()));
      IntegerExpression candidate = build(rng, chosen, level.ops);
      if (candidate != null) {
        long target = candidate.value();
        if (target >= level.minTarget && target <= level.maxTarget && !numbers.contains(target)) {
          expr = candidate;
        }
      }
    }

    long target = expr.value();
    String list = numbers.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    String question = "Using the numbers " + list + ", make " + target
        + ". You may use +, -, *, / and parentheses, and each number at most once.";
    Steps steps = new Steps();
    List<String> reductions = new ArrayList<>();
    expr.reductions(reductions);
    reductions.forEach(steps::add);
    return new Problem(
        id,
        question,
        target + " from " + list,
        AnswerKind.COUNTDOWN,
        steps.finish(expr.render()),
        new ProblemMeta(NAME, difficulty, problemSeed, Steps.SOURCE));
  }

  /** A random tree over the numbers in order; null when an intermediate is not a positive integer. */
  private static IntegerExpression build(Rng rng, List<Long> numbers, String ops) {
    if (numbers.size() == 1) {
      return IntegerExpression.num(numbers.get(0));
    }
    int split = rng.between(1, numbers.size() - 1);
    IntegerExpression left = build(rng, numbers.subList(0, split), ops);
    IntegerExpression right = build(rng, numbers.subList(split, numbers.size()), ops);
    if (left == null || right == null) {
      return null;
    }
    long a = left.value();
    long b = right.value();
    char op = ops.charAt(rng.nextInt(ops.length()));
    // a subtraction that would go negative is turned around rather than thrown away
    if (op == '-' && a < b) {
      IntegerExpression t = left;
      left = right;
      right = t;
      long v = a;
      a = b;
      b = v;
    }
    boolean useless = (op == '*' || op == '/') && b == 1 || op == '*' && a == 1;
    if (useless || (op == '-' && a == b) || (op == '/' && a % b != 0) || a * b > 1_000_000) {
      return null;
    }
    return IntegerExpression.op(op, left, right);
  }
}
