package aha.verifier.math;

import aha.verifier.budget.Budget;
import aha.verifier.budget.Limits;
import java.math.BigInteger;

/**
 * Evaluates an expression to an exact {@link Rational} when it has one: no variables, no π or e,
 * and every root and fractional power perfect ({@code \sqrt{4/9}} is 2/3, {@code 8^{2/3}} is 4).
 * Anything else is reported as {@link #NOT_EXACT}, and the caller falls back to numeric evaluation.
 *
 * <p>Every intermediate result is checked against the digits cap, and the size of a power or
 * factorial is checked before it is computed, so {@code 9^{9^{9^{9}}}} fails on the exponent cap
 * in microseconds.
 */
final class ExactEvaluator {
  /** The expression has a value, but it is not (provably) rational. */
  static final RuntimeException NOT_EXACT =
      new RuntimeException("not exact", null, false, false) {
        private static final long serialVersionUID = 1L;
      };

  private static final Rational HUNDRED = Rational.of(100);

  private final Budget budget;
  private final Limits limits;
  private final boolean percentIsHundredth;

  /**
   * @param percentIsHundredth true to read {@code 50\%} as 1/2, false to ignore the percent sign
   */
  ExactEvaluator(Budget budget, boolean percentIsHundredth) {
    this.budget = budget;
    this.limits = budget.limits();
    this.percentIsHundredth = percentIsHundredth;
  }

  /** The exact value, or null when it is not rational (or not provably so). */
  Rational tryEvaluate(Expr expr) {
    try {
      return evaluate(expr);
    } catch (RuntimeException e) {
      if (e == NOT_EXACT) {
        return null;
      }
      throw e;
    }
  }

  /**
   * @throws RuntimeException {@link #NOT_EXACT} when the value is not rational
   * @throws UndefinedValueException when the value does not exist
   */
  Rational evaluate(Expr expr) {
    budget.check();
    if (expr instanceof Expr.Num n) {
      return n.value();
    } else if (expr instanceof Expr.Sum s) {
      Rational total = Rational.ZERO;
      for (Expr.Term term : s.terms()) {
        Rational value = evaluate(term.value());
        total = checked(term.subtracted() ? total.subtract(value) : total.add(value));
      }
      return total;
    } else if (expr instanceof Expr.Product p) {
      Rational total = Rational.ONE;
      for (Expr.Factor factor : p.factors()) {
        Rational value = evaluate(factor.value());
        if (factor.operator() == Expr.Operator.DIVIDE) {
          if (value.signum() == 0) {
            throw new UndefinedValueException("division by zero");
          }
          total = checked(total.divide(value));
        } else {
          total = checked(total.multiply(value));
        }
      }
      return total;
    } else if (expr instanceof Expr.Negate n) {
      return evaluate(n.operand()).negate();
    } else if (expr instanceof Expr.Power p) {
      return power(evaluate(p.base()), evaluate(p.exponent()));
    } else if (expr instanceof Expr.Root r) {
      Rational index = evaluate(r.index());
      if (index.signum() == 0) {
        throw new UndefinedValueException("zeroth root");
      }
      if (!index.isInteger() || index.signum() < 0) {
        return power(evaluate(r.radicand()), index.reciprocal());
      }
      return root(evaluate(r.radicand()), intExponent(index.numerator()));
    } else if (expr instanceof Expr.Factorial f) {
      return Rational.of(factorial(evaluate(f.operand())));
    } else if (expr instanceof Expr.Binomial b) {
      return Rational.of(binomial(evaluate(b.n()), evaluate(b.k())));
    } else if (expr instanceof Expr.Percent p) {
      Rational value = evaluate(p.operand());
      return percentIsHundredth ? value.divide(HUNDRED) : value;
    } else if (expr instanceof Expr.Abs a) {
      Rational value = evaluate(a.operand());
      return value.signum() < 0 ? value.negate() : value;
    } else if (expr instanceof Expr.Group || expr instanceof Expr.Equation
        || expr instanceof Expr.Union) {
      throw new AnswerParseException("a list or equation where a single value belongs");
    }
    // variables, constants, infinity and transcendental functions
    throw NOT_EXACT;
  }

  private Rational checked(Rational value) {
    budget.require("digits", value.approximateDigits(), limits.maxDigits());
    return value;
  }

  /** The exponent as an int after the exponent cap; saturates so the cap reports huge ones. */
  private int intExponent(BigInteger exponent) {
    long magnitude = exponent.bitLength() > 62 ? Long.MAX_VALUE : exponent.abs().longValue();
    budget.require("exponent", magnitude, limits.maxExponent());
    return exponent.intValue();
  }

  private Rational power(Rational base, Rational exponent) {
    if (exponent.isInteger()) {
      return integerPower(base, exponent.numerator());
    }
    // base^(p/q) = (q-th root of base)^p, exact only when the root is
    int rootIndex = intExponent(exponent.denominator());
    return integerPower(root(base, rootIndex), exponent.numerator());
  }

  private Rational integerPower(Rational base, BigInteger exponent) {
    if (base.signum() == 0) {
      if (exponent.signum() <= 0) {
        throw new UndefinedValueException(exponent.signum() == 0 ? "0^0" : "0 to a negative power");
      }
      return Rational.ZERO;
    }
    if (base.equals(Rational.ONE)) {
      return base;
    }
    if (base.equals(Rational.ONE.negate())) {
      return exponent.testBit(0) ? base : Rational.ONE;
    }
    int n = intExponent(exponent);
    // a lower bound on the result's digits, checked before the power is computed
    long bits = Math.max(base.numerator().bitLength(), base.denominator().bitLength()) - 1L;
    budget.require("digits", (long) (bits * Math.abs((long) n) * 0.30103), limits.maxDigits());
    return checked(base.pow(n));
  }

  private Rational root(Rational radicand, int index) {
    if (index == 1) {
      return radicand;
    }
    boolean negative = radicand.signum() < 0;
    if (negative && index % 2 == 0) {
      throw new UndefinedValueException("even root of a negative number");
    }
    BigInteger numerator = exactRoot(radicand.numerator().abs(), index);
    BigInteger denominator = exactRoot(radicand.denominator(), index);
    if (numerator == null || denominator == null) {
      throw NOT_EXACT;
    }
    Rational root = Rational.of(numerator, denominator);
    return negative ? root.negate() : root;
  }

  /** The integer {@code index}-th root of {@code value} when it is exact, else null. */
  private BigInteger exactRoot(BigInteger value, int index) {
    if (value.signum() == 0 || value.equals(BigInteger.ONE)) {
      return value;
    }
    BigInteger root = integerRoot(value, index);
    return root.pow(index).equals(value) ? root : null;
  }

  /** floor(value^(1/index)) for value > 0, by Newton's method from above. */
  private BigInteger integerRoot(BigInteger value, int index) {
    if (index == 2) {
      return value.sqrt();
    }
    if (index >= value.bitLength()) {
      return BigInteger.ONE;
    }
    BigInteger bigIndex = BigInteger.valueOf(index);
    BigInteger indexLessOne = BigInteger.valueOf(index - 1L);
    BigInteger x = BigInteger.ONE.shiftLeft(value.bitLength() / index + 1);
    while (true) {
      budget.check();
      BigInteger next = indexLessOne.multiply(x).add(value.divide(x.pow(index - 1))).divide(bigIndex);
      if (next.compareTo(x) >= 0) {
        return x;
      }
      x = next;
    }
  }

  BigInteger factorial(Rational operand) {
    if (!operand.isInteger() || operand.signum() < 0) {
      throw new UndefinedValueException("factorial of " + operand);
    }
    long n = operand.numerator().bitLength() > 62 ? Long.MAX_VALUE : operand.numerator().longValue();
    budget.require("factorial", n, limits.maxFactorial());
    BigInteger result = BigInteger.ONE;
    for (int i = 2; i <= n; i++) {
      budget.check();
      result = result.multiply(BigInteger.valueOf(i));
    }
    budget.require("digits", Rational.of(result).approximateDigits(), limits.maxDigits());
    return result;
  }

  BigInteger binomial(Rational nValue, Rational kValue) {
    if (!nValue.isInteger() || !kValue.isInteger() || nValue.signum() < 0) {
      throw new UndefinedValueException("binomial of " + nValue + " and " + kValue);
    }
    BigInteger n = nValue.numerator();
    BigInteger k = kValue.numerator();
    if (k.signum() < 0 || k.compareTo(n) > 0) {
      return BigInteger.ZERO;
    }
    BigInteger smaller = k.min(n.subtract(k));
    long steps = smaller.bitLength() > 62 ? Long.MAX_VALUE : smaller.longValue();
    budget.require("binomial k", steps, limits.maxExponent());
    BigInteger result = BigInteger.ONE;
    for (long i = 0; i < steps; i++) {
      budget.check();
      result = result.multiply(n.subtract(BigInteger.valueOf(i))).divide(BigInteger.valueOf(i + 1));
      budget.require("digits", Rational.of(result).approximateDigits(), limits.maxDigits());
    }
    return result;
  }
}
