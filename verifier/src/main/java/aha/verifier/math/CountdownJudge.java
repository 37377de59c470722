package aha.verifier.math;

import aha.verifier.budget.Budget;
import aha.verifier.math.AnswerComparator.Match;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a countdown answer: an expression of the given numbers with + - × ÷ and parentheses only
 * (no unary minus, no juxtaposition, no decimals, no powers), each number used at most as often as
 * given, that evaluates exactly to the target. {@code expr = TARGET} is accepted as the expression.
 */
final class CountdownJudge {
  private CountdownJudge() {}

  static Match judge(String candidate, CountdownGold gold, Budget budget) {
    Expr parsed = LatexParser.parse(candidate, true, budget);
    Expr expression = parsed;
    if (parsed instanceof Expr.Equation equation) {
      List<Expr> sides = equation.sides();
      if (sides.size() != 2) {
        return new Match(false, "more than one '='");
      }
      Rational target = Rational.of(gold.target());
      if (isLiteral(sides.get(1), target)) {
        expression = sides.get(0);
      } else if (isLiteral(sides.get(0), target)) {
        expression = sides.get(1);
      } else {
        return new Match(false, "the equation does not end in the target " + gold.target());
      }
    }
    Map<BigInteger, Integer> used = new HashMap<>();
    String forbidden = collectNumbers(expression, used, budget);
    if (forbidden != null) {
      return new Match(false, forbidden);
    }
    Map<BigInteger, Integer> available = new HashMap<>();
    for (long number : gold.numbers()) {
      available.merge(BigInteger.valueOf(number), 1, Integer::sum);
    }
    for (Map.Entry<BigInteger, Integer> entry : used.entrySet()) {
      int offered = available.getOrDefault(entry.getKey(), 0);
      if (offered == 0) {
        return new Match(false, "uses " + entry.getKey() + ", which is not given");
      }
      if (entry.getValue() > offered) {
        return new Match(false, "uses " + entry.getKey() + " " + entry.getValue() + " times, given " + offered);
      }
    }
    Rational value;
    try {
      value = new ExactEvaluator(budget, true).evaluate(expression);
    } catch (UndefinedValueException e) {
      return new Match(false, e.getMessage());
    }
    return value.equals(Rational.of(gold.target()))
        ? new Match(true, "reaches " + gold.target())
        : new Match(false, "evaluates to " + value + ", not " + gold.target());
  }

  private static boolean isLiteral(Expr expr, Rational value) {
    return expr instanceof Expr.Num n && !n.decimal() && n.value().equals(value);
  }

  /** Counts the literals into {@code used}; returns why the expression is not allowed, or null. */
  private static String collectNumbers(Expr expr, Map<BigInteger, Integer> used, Budget budget) {
    budget.check();
    if (expr instanceof Expr.Num n) {
      if (n.decimal() || !n.value().isInteger()) {
        return "decimal numbers are not allowed";
      }
      used.merge(n.value().numerator(), 1, Integer::sum);
      return null;
    }
    if (expr instanceof Expr.Sum s) {
      for (Expr.Term term : s.terms()) {
        String problem = collectNumbers(term.value(), used, budget);
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }
    if (expr instanceof Expr.Product p) {
      for (Expr.Factor factor : p.factors()) {
        if (factor.operator() == Expr.Operator.IMPLICIT) {
          return "implicit multiplication or joined numbers are not allowed";
        }
        String problem = collectNumbers(factor.value(), used, budget);
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }
    if (expr instanceof Expr.Negate) {
      return "unary minus is not allowed";
    }
    return "only + - * / and the given numbers are allowed";
  }
}
