package aha.verifier.math;

import aha.verifier.budget.Budget;
import aha.verifier.budget.Limits;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Elementary functions on BigDecimal to {@link #PRECISION} significant digits, computed with ten
 * guard digits, each series term and reduction step one step of the verdict's {@link Budget}: π and e as constants, exp and ln by argument reduction and series, sin and cos by
 * reduction modulo 2π and Taylor series. Arguments past {@link #MAX_EXP_ARGUMENT} and {@link
 * #MAX_TRIG_ARGUMENT} are undefined rather than slow.
 */
final class BigMath {
  private BigMath() {}

  static final int PRECISION = 40;
  static final MathContext CONTEXT = new MathContext(PRECISION, RoundingMode.HALF_EVEN);
  private static final MathContext WORK = new MathContext(PRECISION + 10, RoundingMode.HALF_EVEN);
  private static final BigDecimal EPSILON = BigDecimal.ONE.movePointLeft(PRECISION + 10);
  private static final BigDecimal TWO = BigDecimal.valueOf(2);

  static final BigDecimal PI =
      new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459");
  static final BigDecimal E =
      new BigDecimal("2.71828182845904523536028747135266249775724709369995957496696763");
  private static final BigDecimal TWO_PI = PI.multiply(TWO);
  private static final BigDecimal LN10 = lnNearOne(BigDecimal.TEN, Budget.unlimitedTime(Limits.defaults()));

  /** exp overflows past e^MAX: about 10^43000, far beyond any real answer. */
  static final BigDecimal MAX_EXP_ARGUMENT = BigDecimal.valueOf(100_000);

  static final BigDecimal MAX_TRIG_ARGUMENT = BigDecimal.valueOf(1_000_000);

  static BigDecimal exp(BigDecimal x, Budget budget) {
    if (x.abs().compareTo(MAX_EXP_ARGUMENT) > 0) {
      throw new UndefinedValueException("exp argument out of range");
    }
    if (x.signum() < 0) {
      return BigDecimal.ONE.divide(exp(x.negate(), budget), CONTEXT);
    }
    // halve until below 1/2, sum the series, square back
    int halvings = 0;
    BigDecimal reduced = x;
    while (reduced.compareTo(BigDecimal.valueOf(0.5)) > 0) {
      budget.check();
      reduced = reduced.divide(TWO, WORK);
      halvings++;
    }
    BigDecimal sum = BigDecimal.ONE;
    BigDecimal term = BigDecimal.ONE;
    for (int n = 1; term.abs().compareTo(EPSILON) > 0; n++) {
      budget.check();
      term = term.multiply(reduced, WORK).divide(BigDecimal.valueOf(n), WORK);
      sum = sum.add(term, WORK);
    }
    for (int i = 0; i < halvings; i++) {
      budget.check();
      sum = sum.multiply(sum, WORK);
    }
    return sum.round(CONTEXT);
  }

  /** Natural logarithm of x > 0. */
  static BigDecimal ln(BigDecimal x, Budget budget) {
    if (x.signum() <= 0) {
      throw new UndefinedValueException("logarithm of a non-positive number");
    }
    // x = m * 10^e with 1 <= m < 10
    int e = x.precision() - x.scale() - 1;
    BigDecimal mantissa = x.movePointLeft(e);
    BigDecimal result = lnNearOne(mantissa, budget).add(LN10.multiply(BigDecimal.valueOf(e), WORK), WORK);
    return result.round(CONTEXT);
  }

  /** ln for 0.1 < x <= 10: square roots bring x near 1, where the atanh series is fast. */
  private static BigDecimal lnNearOne(BigDecimal x, Budget budget) {
    int roots = 0;
    BigDecimal reduced = x;
    BigDecimal closeToOne = new BigDecimal("0.01");
    while (reduced.subtract(BigDecimal.ONE).abs().compareTo(closeToOne) > 0) {
      budget.check();
      reduced = reduced.sqrt(WORK);
      roots++;
    }
    // ln(y) = 2 atanh((y-1)/(y+1)) = 2 (z + z^3/3 + z^5/5 + ...)
    BigDecimal z = reduced.subtract(BigDecimal.ONE).divide(reduced.add(BigDecimal.ONE), WORK);
    BigDecimal zSquared = z.multiply(z, WORK);
    BigDecimal power = z;
    BigDecimal sum = BigDecimal.ZERO;
    for (int n = 1; power.abs().compareTo(EPSILON) > 0; n += 2) {
      budget.check();
      sum = sum.add(power.divide(BigDecimal.valueOf(n), WORK), WORK);
      power = power.multiply(zSquared, WORK);
    }
    return sum.multiply(TWO.pow(roots + 1), WORK);
  }

  /**
   * arctan: |x| &gt; 1 by atan(x) = ±π/2 - atan(1/x); then halving the angle, atan(x) = 2
   * atan(x / (1 + sqrt(1 + x²))), until |x| &lt; 1/8, where the series converges fast.
   */
  static BigDecimal atan(BigDecimal x, Budget budget) {
    if (x.abs().compareTo(BigDecimal.ONE) > 0) {
      BigDecimal halfPi = PI.divide(TWO, WORK);
      BigDecimal inner = atan(BigDecimal.ONE.divide(x, WORK), budget);
      return (x.signum() > 0 ? halfPi.subtract(inner, WORK) : halfPi.negate().subtract(inner, WORK)).round(CONTEXT);
    }
    int doublings = 0;
    BigDecimal reduced = x;
    BigDecimal small = new BigDecimal("0.125");
    while (reduced.abs().compareTo(small) > 0) {
      budget.check();
      BigDecimal root = BigDecimal.ONE.add(reduced.multiply(reduced, WORK), WORK).sqrt(WORK);
      reduced = reduced.divide(BigDecimal.ONE.add(root, WORK), WORK);
      doublings++;
    }
    // atan(z) = z - z^3/3 + z^5/5 - ...
    BigDecimal zSquared = reduced.multiply(reduced, WORK);
    BigDecimal power = reduced;
    BigDecimal sum = BigDecimal.ZERO;
    for (int n = 1; power.abs().compareTo(EPSILON) > 0; n += 2) {
      budget.check();
      BigDecimal term = power.divide(BigDecimal.valueOf(n), WORK);
      sum = ((n / 2) % 2 == 0) ? sum.add(term, WORK) : sum.subtract(term, WORK);
      power = power.multiply(zSquared, WORK);
    }
    return sum.multiply(TWO.pow(doublings), WORK).round(CONTEXT);
  }

  /** arcsin on [-1, 1]: atan(x / sqrt(1 - x²)), ±π/2 at the ends. */
  static BigDecimal asin(BigDecimal x, Budget budget) {
    int side = x.abs().compareTo(BigDecimal.ONE);
    if (side > 0) {
      throw new UndefinedValueException("arcsin outside [-1, 1]");
    }
    if (side == 0) {
      return PI.divide(TWO, CONTEXT).multiply(BigDecimal.valueOf(x.signum()));
    }
    BigDecimal cosine = BigDecimal.ONE.subtract(x.multiply(x, WORK), WORK).sqrt(WORK);
    return atan(x.divide(cosine, WORK), budget);
  }

  static BigDecimal sin(BigDecimal x, Budget budget) {
    return sinOrCos(x, true, budget);
  }

  static BigDecimal cos(BigDecimal x, Budget budget) {
    return sinOrCos(x, false, budget);
  }

  private static BigDecimal sinOrCos(BigDecimal x, boolean sine, Budget budget) {
    if (x.abs().compareTo(MAX_TRIG_ARGUMENT) > 0) {
      throw new UndefinedValueException("trigonometric argument out of range");
    }
    BigDecimal turns = x.divide(TWO_PI, WORK).setScale(0, RoundingMode.HALF_EVEN);
    BigDecimal reduced = x.subtract(TWO_PI.multiply(turns, WORK), WORK);
    BigDecimal squared = reduced.multiply(reduced, WORK);
    BigDecimal term = sine ? reduced : BigDecimal.ONE;
    BigDecimal sum = term;
    for (long k = 1; term.abs().compareTo(EPSILON) > 0; k++) {
      budget.check();
      // sin: term_k = -term_{k-1} x^2 / ((2k)(2k+1)); cos: -term_{k-1} x^2 / ((2k-1)(2k))
      long denominator = sine ? (2 * k) * (2 * k + 1) : (2 * k - 1) * (2 * k);
      term = term.multiply(squared, WORK).divide(BigDecimal.valueOf(-denominator), WORK);
      sum = sum.add(term, WORK);
    }
    return sum.round(CONTEXT);
  }
}
