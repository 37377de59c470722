package aha.verifier.math;

import aha.verifier.budget.Budget;
import aha.verifier.budget.BudgetExceededException;
import aha.verifier.math.AnswerComparator.Match;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Equivalence of two parsed values and of two equations; the rules are stated in {@link
 * AnswerComparator}'s class documentation.
 */
final class Equivalence {
  private Equivalence() {}

  /** Relative tolerance of numeric comparisons (40 significant digits are computed). */
  static final BigDecimal TOLERANCE = new BigDecimal("1e-25");

  /** Ratios of two equations' sides lose digits to cancellation; still far beyond any near-miss. */
  private static final BigDecimal RATIO_TOLERANCE = new BigDecimal("1e-20");

  static final int SAMPLE_POINTS = 12;
  /** The first points make every variable positive, so square roots and logs are defined there. */
  private static final int POSITIVE_POINTS = 4;
  static final int REQUIRED_POINTS = 4;
  private static final long SEED = 0x5EED_A4A1L;

  /** Compares two single values (candidate, gold), applying the percent rule. */
  static Match values(Expr candidate, Expr gold, Budget budget) {
    int candidateInfinity = infinitySign(candidate);
    int goldInfinity = infinitySign(gold);
    if (candidateInfinity != 0 || goldInfinity != 0) {
      return candidateInfinity == goldInfinity
          ? new Match(true, "equal infinities")
          : new Match(false, "values differ");
    }
    Match complex = gaussian(candidate, gold, budget);
    if (complex != null) {
      return complex;
    }
    Match scaled = values(candidate, gold, budget, true);
    // the sign is optional only where the gold is a percentage: gold 50% accepts 50, but gold 50
    // rejects 50% and gold 1/2 rejects \frac12\% (that is 0.5%)
    if (scaled.equivalent() || !Expr.containsPercent(gold)) {
      return scaled;
    }
    Match unscaled = values(candidate, gold, budget, false);
    return unscaled.equivalent()
        ? new Match(true, unscaled.reason() + " (percent sign optional)")
        : scaled;
  }

  /**
   * Compares as complex numbers when {@code i} is the only letter on either side and both are
   * Gaussian rationals ({@code 3+4i}, {@code i^2}, {@code \frac{1}{i}}); null otherwise, for the
   * usual comparison with {@code i} a variable.
   */
  private static Match gaussian(Expr candidate, Expr gold, Budget budget) {
    TreeSet<String> variables = new TreeSet<>();
    Expr.collectVariables(candidate, variables);
    Expr.collectVariables(gold, variables);
    if (!variables.equals(new TreeSet<>(java.util.Set.of("i")))) {
      return null;
    }
    GaussianRationals gaussian = new GaussianRationals(budget);
    GaussianRationals.Value goldValue = gaussian.tryEvaluate(gold);
    GaussianRationals.Value candidateValue = gaussian.tryEvaluate(candidate);
    if (goldValue == null || candidateValue == null) {
      return null;
    }
    return goldValue.equals(candidateValue)
        ? new Match(true, "equal complex numbers")
        : new Match(false, "complex numbers differ");
  }

  private static Match values(Expr candidate, Expr gold, Budget budget, boolean percentIsHundredth) {
    TreeSet<String> variables = new TreeSet<>();
    Expr.collectVariables(candidate, variables);
    Expr.collectVariables(gold, variables);
    try {
      if (variables.isEmpty()) {
        return constants(candidate, gold, budget, percentIsHundredth);
      }
    } catch (UndefinedValueException e) {
      return new Match(false, "undefined: " + e.getMessage());
    }
    int agreeing = 0;
    for (Map<String, BigDecimal> point : samplePoints(variables, budget)) {
      NumericEvaluator evaluator = new NumericEvaluator(budget, point, percentIsHundredth);
      BigDecimal candidateValue;
      BigDecimal goldValue;
      try {
        candidateValue = evaluator.evaluate(candidate);
        goldValue = evaluator.evaluate(gold);
      } catch (UndefinedValueException e) {
        continue; // outside one side's domain: such points do not decide
      }
      if (!close(candidateValue, goldValue, TOLERANCE)) {
        return new Match(false, "differ at " + point);
      }
      agreeing++;
    }
    return agreeing >= REQUIRED_POINTS
        ? new Match(true, "agree at " + agreeing + " random points")
        : new Match(false, "defined together at only " + agreeing + " of " + SAMPLE_POINTS + " points");
  }

  private static Match constants(Expr candidate, Expr gold, Budget budget, boolean percentIsHundredth) {
    ExactEvaluator exact = new ExactEvaluator(budget, percentIsHundredth);
    Rational goldExact = goldSide(() -> exact.tryEvaluate(gold), budget);
    Rational candidateExact = exact.tryEvaluate(candidate);
    if (candidateExact != null && goldExact != null) {
      return candidateExact.equals(goldExact)
          ? new Match(true, "exactly equal")
          : new Match(false, "values differ: " + candidateExact + " vs " + goldExact);
    }
    NumericEvaluator numeric = new NumericEvaluator(budget, Map.of(), percentIsHundredth);
    BigDecimal goldValue = goldSide(() -> numeric.evaluate(gold), budget);
    BigDecimal candidateValue = numeric.evaluate(candidate);
    return close(candidateValue, goldValue, TOLERANCE)
        ? new Match(true, "numerically equal")
        : new Match(false, "values differ: " + candidateValue.round(SHORT) + " vs " + goldValue.round(SHORT));
  }

  /** Evaluates the gold side so that a cap or undefined value is reported as the gold's fault. */
  private static <T> T goldSide(Supplier<T> evaluation, Budget budget) {
    try {
      return evaluation.get();
    } catch (BudgetExceededException e) {
      if (budget.expired()) {
        throw e;
      }
      throw new BudgetExceededException("gold: " + e.getMessage());
    } catch (UndefinedValueException e) {
      throw new UndefinedValueException("gold: " + e.getMessage());
    }
  }

  private static final MathContext SHORT = new MathContext(12);

  /**
   * Compares two equations {@code l1 = r1} and {@code l2 = r2}: equivalent when {@code l1 - r1}
   * is a nonzero constant multiple of {@code l2 - r2} at the sample points.
   */
  static Match equations(Expr.Equation candidate, Expr.Equation gold, Budget budget) {
    TreeSet<String> variables = new TreeSet<>();
    Expr.collectVariables(candidate, variables);
    Expr.collectVariables(gold, variables);
    if (variables.isEmpty()) {
      return new Match(false, "an equation without variables");
    }
    BigDecimal ratio = null;
    int informative = 0;
    for (Map<String, BigDecimal> point : samplePoints(variables, budget)) {
      NumericEvaluator evaluator = new NumericEvaluator(budget, point, true);
      BigDecimal candidateDifference;
      BigDecimal goldDifference;
      try {
        candidateDifference = difference(evaluator, candidate);
        goldDifference = difference(evaluator, gold);
      } catch (UndefinedValueException e) {
        continue;
      }
      boolean candidateZero = candidateDifference.signum() == 0;
      boolean goldZero = goldDifference.signum() == 0;
      if (candidateZero || goldZero) {
        if (candidateZero != goldZero) {
          return new Match(false, "one equation holds at " + point + ", the other does not");
        }
        continue;
      }
      BigDecimal pointRatio = candidateDifference.divide(goldDifference, BigMath.CONTEXT);
      if (ratio == null) {
        ratio = pointRatio;
      } else if (!close(pointRatio, ratio, RATIO_TOLERANCE)) {
        return new Match(false, "not equivalent equations (differ at " + point + ")");
      }
      informative++;
    }
    return informative >= REQUIRED_POINTS
        ? new Match(true, "equivalent equations at " + informative + " random points")
        : new Match(false, "equations comparable at only " + informative + " points");
  }

  /** {@code lhs - rhs}, rounded to exactly zero when it is zero up to the tolerance of its sides. */
  private static BigDecimal difference(NumericEvaluator evaluator, Expr.Equation equation) {
    BigDecimal left = evaluator.evaluate(equation.sides().get(0));
    BigDecimal right = evaluator.evaluate(equation.sides().get(1));
    return close(left, right, TOLERANCE) ? BigDecimal.ZERO : left.subtract(right, BigMath.CONTEXT);
  }

  /** |a - b| <= tolerance * max(|a|, |b|, 1). */
  static boolean close(BigDecimal a, BigDecimal b, BigDecimal tolerance) {
    BigDecimal scale = a.abs().max(b.abs()).max(BigDecimal.ONE);
    return a.subtract(b).abs().compareTo(tolerance.multiply(scale)) <= 0;
  }

  /** +1 for ∞ or +∞, -1 for -∞, 0 for anything else. */
  static int infinitySign(Expr expr) {
    if (expr instanceof Expr.Infinity) {
      return 1;
    }
    if (expr instanceof Expr.Negate n) {
      return -infinitySign(n.operand());
    }
    return 0;
  }

  /**
   * The same points for the same variable names on every call: magnitudes in [0.3, 2.7] (away from
   * 0 and 1, where distinct expressions often meet), all positive at first, then of random signs.
   */
  static List<Map<String, BigDecimal>> samplePoints(TreeSet<String> variables, Budget budget) {
    SplittableRandom random = new SplittableRandom(SEED);
    List<Map<String, BigDecimal>> points = new ArrayList<>(SAMPLE_POINTS);
    for (int i = 0; i < SAMPLE_POINTS; i++) {
      Map<String, BigDecimal> point = new HashMap<>();
      for (String variable : variables) {
        budget.check();
        double magnitude = 0.3 + 2.4 * random.nextDouble();
        boolean negative = i >= POSITIVE_POINTS && random.nextBoolean();
        point.put(variable, BigDecimal.valueOf(negative ? -magnitude : magnitude));
      }
      points.add(point);
    }
    return points;
  }
}
