package aha.problems.gen;

import aha.problems.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Chained arithmetic with parentheses and precedence, solved one operation per line in the order a
 * person would: innermost parentheses first, then * and / from left to right, then + and - from left to
 * right; each line shows the rest of the expression. Divisions are always exact. Levels 1-2 stay
 * non-negative; from level 3 intermediate results may be negative.
 */
final class ArithmeticFamily implements ProblemFamily {
  static final String NAME = "arithmetic";

  private static final char[] NO_DIVISION = {'+', '-', '*'};
  private static final char[] ALL = {'+', '-', '*', '/'};

  private record Level(int minLeaves, int maxLeaves, int maxLeaf, char[] ops, boolean negatives, long bound) {}

  private static final Level[] LEVELS = {
    new Level(3, 3, 9, NO_DIVISION, false, 100),
    new Level(3, 4, 12, ALL, false, 200),
    new Level(4, 4, 20, ALL, true, 1_000),
    new Level(5, 5, 30, ALL, true, 5_000),
    new Level(6, 6, 50, ALL, true, 20_000),
  };

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "chained arithmetic with parentheses and precedence, one operation per step";
  }

  @Override
  public Problem generate(int difficulty, long problemSeed, String id) {
    Steps.checkDifficulty(difficulty);
    Rng rng = new Rng(problemSeed);
    Level level = LEVELS[difficulty - 1];
    IntegerExpression expr = null;
    for (int attempt = 0; expr == null; attempt++) {
      if (attempt == 100_000) {
        throw new IllegalStateException("no valid arithmetic expression for seed " + problemSeed);
      }
      IntegerExpression candidate = build(rng, rng.between(level.minLeaves, level.maxLeaves), level);
      if (candidate != null && acceptable(candidate, level)) {
        expr = candidate;
      }
    }
    String text = expr.render();
    Steps steps = new Steps();
    steps.add("Parentheses first, then * and / from left to right, then + and - from left to right.");
    long answer = evaluateInSteps(expr.tokens(), steps);
    if (answer != expr.value()) {
      throw new IllegalStateException(text + ": steps give " + answer + " but the value is " + expr.value());
    }
    return steps.numeric(NAME, difficulty, problemSeed, id, "What is " + text + "?", Steps.num(answer));
  }

  /** A random tree over {@code leaves} numbers; null when a division could not be made exact. */
  private static IntegerExpression build(Rng rng, int leaves, Level level) {
    if (leaves == 1) {
      return IntegerExpression.num(rng.between(1, level.maxLeaf));
    }
    char op = level.ops[rng.nextInt(level.ops.length)];
    if (op == '/') {
      // exact by construction: a leaf that is a multiple of the divisor's value
      IntegerExpression divisor = build(rng, leaves - 1, level);
      if (divisor == null) {
        return null;
      }
      long v = value(divisor);
      if (v < 2 || v > 12) {
        return null;
      }
      return IntegerExpression.op('/', IntegerExpression.num(v * rng.between(2, 9)), divisor);
    }
    int leftLeaves = rng.between(1, leaves - 1);
    IntegerExpression left = build(rng, leftLeaves, level);
    IntegerExpression right = build(rng, leaves - leftLeaves, level);
    return left == null || right == null ? null : IntegerExpression.op(op, left, right);
  }

  private static long value(IntegerExpression e) {
    try {
      return e.value();
    } catch (ArithmeticException overflow) {
      return Long.MIN_VALUE;
    }
  }

  private static boolean acceptable(IntegerExpression expr, Level level) {
    List<Long> values = new ArrayList<>();
    try {
      expr.values(values);
    } catch (ArithmeticException inexact) {
      return false;
    }
    for (long v : values) {
      if (Math.abs(v) > level.bound || (!level.negatives && v < 0)) {
        return false;
      }
    }
    return true;
  }

  /** Reduces the token list one operation at a time, writing one step per operation. */
  static long evaluateInSteps(List<Object> tokens, Steps steps) {
    List<Object> t = new ArrayList<>(tokens);
    while (t.size() > 1) {
      // the innermost group: the last "(" before the first ")", or the whole expression
      int close = t.indexOf(")");
      int from = 0;
      int to = t.size();
      if (close >= 0) {
        to = close;
        from = t.subList(0, close).lastIndexOf("(") + 1;
      }
      int at = firstOperator(t, from, to, "*", "/");
      if (at < 0) {
        at = firstOperator(t, from, to, "+", "-");
      }
      long a = (Long) t.get(at - 1);
      long b = (Long) t.get(at + 1);
      char op = ((String) t.get(at)).charAt(0);
      long c = IntegerExpression.apply(op, a, b);
      t.set(at - 1, c);
      t.remove(at + 1);
      t.remove(at);
      // a group that became one number loses its parentheses
      if (close >= 0 && to - from - 2 == 1) {
        t.remove(from + 1);
        t.remove(from - 1);
      }
      String line = Steps.operand(a) + " " + op + " " + Steps.operand(b) + " = " + c;
      steps.add(t.size() > 1 ? line + ", so " + IntegerExpression.render(t) : line);
    }
    return (Long) t.get(0);
  }

  private static int firstOperator(List<Object> t, int from, int to, String x, String y) {
    for (int i = from; i < to; i++) {
      if (x.equals(t.get(i)) || y.equals(t.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
