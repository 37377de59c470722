package aha.verifier.math;

import aha.verifier.budget.Budget;

/**
 * Exact arithmetic on a + b·i with rational a and b, for answers whose only letter is {@code i}:
 * {@code 3+4i}, {@code \frac{1}{i}}, {@code (1+i)^2}. Sums, products, quotients and integer powers;
 * anything else (a root, a function, another variable) is not a Gaussian rational and the caller
 * judges the answer the usual way, with {@code i} a variable.
 */
final class GaussianRationals {

  /** a + b·i. */
  record Value(Rational real, Rational imaginary) {
    static final Value I = new Value(Rational.ZERO, Rational.ONE);

    Value add(Value o) {
      return new Value(real.add(o.real), imaginary.add(o.imaginary));
    }

    Value negate() {
      return new Value(real.negate(), imaginary.negate());
    }

    Value multiply(Value o) {
      return new Value(
          real.multiply(o.real).subtract(imaginary.multiply(o.imaginary)),
          real.multiply(o.imaginary).add(imaginary.multiply(o.real)));
    }

    Value divide(Value o) {
      Rational norm = o.real.multiply(o.real).add(o.imaginary.multiply(o.imaginary));
      if (norm.signum() == 0) {
        throw new UndefinedValueException("division by zero");
      }
      Value product = multiply(new Value(o.real, o.imaginary.negate()));
      return new Value(product.real.divide(norm), product.imaginary.divide(norm));
    }
  }

  /** Thrown inside when the expression is not a Gaussian rational. */
  private static final class NotGaussian extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotGaussian() {
      super(null, null, false, false);
    }
  }

  private final Budget budget;

  GaussianRationals(Budget budget) {
    this.budget = budget;
  }

  /** The value of {@code expr} with {@code i}² = -1, or null when it is not a Gaussian rational. */
  Value tryEvaluate(Expr expr) {
    try {
      return evaluate(expr);
    } catch (NotGaussian e) {
      return null;
    }
  }

  private Value evaluate(Expr expr) {
    budget.check();
    if (expr instanceof Expr.Num n) {
      return new Value(n.value(), Rational.ZERO);
    }
    if (expr instanceof Expr.Var v && v.name().equals("i")) {
      return Value.I;
    }
    if (expr instanceof Expr.Sum s) {
      Value total = new Value(Rational.ZERO, Rational.ZERO);
      for (Expr.Term term : s.terms()) {
        Value value = evaluate(term.value());
        total = total.add(term.subtracted() ? value.negate() : value);
      }
      return total;
    }
    if (expr instanceof Expr.Product p) {
      Value total = new Value(Rational.ONE, Rational.ZERO);
      for (Expr.Factor factor : p.factors()) {
        Value value = evaluate(factor.value());
        total = factor.operator() == Expr.Operator.DIVIDE ? total.divide(value) : total.multiply(value);
      }
      return total;
    }
    if (expr instanceof Expr.Negate n) {
      return evaluate(n.operand()).negate();
    }
    if (expr instanceof Expr.Power p) {
      Value exponent = evaluate(p.exponent());
      if (exponent.imaginary().signum() != 0 || !exponent.real().isInteger()) {
        throw new NotGaussian();
      }
      long n = exponent.real().numerator().longValue();
      budget.require("exponent", Math.abs(n), budget.limits().maxExponent());
      Value base = evaluate(p.base());
      Value result = new Value(Rational.ONE, Rational.ZERO);
      for (long k = 0; k < Math.abs(n); k++) {
        budget.check();
        result = result.multiply(base);
      }
      return n < 0 ? new Value(Rational.ONE, Rational.ZERO).divide(result) : result;
    }
    throw new NotGaussian();
  }
}
