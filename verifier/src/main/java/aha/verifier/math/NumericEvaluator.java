package aha.verifier.math;

import aha.verifier.budget.Budget;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an expression to a BigDecimal of {@link BigMath#PRECISION} significant digits, with the
 * variables bound to given values. Used for irrational constants and at random points.
 *
 * <p>Fractional powers of negative numbers are real only for exponents with an odd denominator
 * ({@code (-8)^{1/3}} is -2), so a constant exponent is first read exactly. Values that do not
 * exist at a point throw {@link UndefinedValueException}; magnitudes past 10^{@value
 * #MAX_DECIMAL_EXPONENT} do too, so hostile towers of powers stay cheap.
 */
final class NumericEvaluator {
  private static final int MAX_DECIMAL_EXPONENT = 100_000;
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final Budget budget;
  private final Map<String, BigDecimal> variables;
  private final boolean percentIsHundredth;
  private final ExactEvaluator exact;

  NumericEvaluator(Budget budget, Map<String, BigDecimal> variables, boolean percentIsHundredth) {
    this.budget = budget;
    this.variables = variables;
    this.percentIsHundredth = percentIsHundredth;
    this.exact = new ExactEvaluator(budget, percentIsHundredth);
  }

  BigDecimal evaluate(Expr expr) {
    return inRange(evaluateUnchecked(expr));
  }

  private BigDecimal evaluateUnchecked(Expr expr) {
    budget.check();
    if (expr instanceof Expr.Num n) {
      return n.value().toBigDecimal(BigMath.CONTEXT);
    } else if (expr instanceof Expr.Var v) {
      BigDecimal value = variables.get(v.name());
      if (value == null) {
        throw new IllegalStateException("no value for variable " + v.name());
      }
      return value;
    } else if (expr instanceof Expr.Constant c) {
      return c.name() == Expr.Constant.Name.PI ? BigMath.PI : BigMath.E;
    } else if (expr instanceof Expr.Sum s) {
      BigDecimal total = BigDecimal.ZERO;
      for (Expr.Term term : s.terms()) {
        BigDecimal value = evaluate(term.value());
        total = term.subtracted() ? total.subtract(value, BigMath.CONTEXT) : total.add(value, BigMath.CONTEXT);
      }
      return total;
    } else if (expr instanceof Expr.Product p) {
      BigDecimal total = BigDecimal.ONE;
      for (Expr.Factor factor : p.factors()) {
        BigDecimal value = evaluate(factor.value());
        if (factor.operator() == Expr.Operator.DIVIDE) {
          if (value.signum() == 0) {
            throw new UndefinedValueException("division by zero");
          }
          total = total.divide(value, BigMath.CONTEXT);
        } else {
          total = total.multiply(value, BigMath.CONTEXT);
        }
        inRange(total);
      }
      return total;
    } else if (expr instanceof Expr.Negate n) {
      return evaluate(n.operand()).negate();
    } else if (expr instanceof Expr.Power p) {
      return power(evaluate(p.base()), p.exponent());
    } else if (expr instanceof Expr.Root r) {
      return root(evaluate(r.radicand()), r.index());
    } else if (expr instanceof Expr.Factorial f) {
      return new BigDecimal(exact.factorial(integerValue(evaluate(f.operand()))), BigMath.CONTEXT);
    } else if (expr instanceof Expr.Binomial b) {
      BigInteger value =
          exact.binomial(integerValue(evaluate(b.n())), integerValue(evaluate(b.k())));
      return new BigDecimal(value, BigMath.CONTEXT);
    } else if (expr instanceof Expr.Percent p) {
      BigDecimal value = evaluate(p.operand());
      return percentIsHundredth ? value.divide(HUNDRED, BigMath.CONTEXT) : value;
    } else if (expr instanceof Expr.Abs a) {
      return evaluate(a.operand()).abs();
    } else if (expr instanceof Expr.Function f && LatexParser.LIST_FUNCTIONS.contains(f.name())) {
      List<Expr> items = f.argument() instanceof Expr.Group g ? g.items() : List.of(f.argument());
      List<BigDecimal> values = new ArrayList<>(items.size());
      for (Expr item : items) {
        values.add(evaluate(item));
      }
      return listFunction(f.name(), values);
    } else if (expr instanceof Expr.Function f) {
      return function(f.name(), evaluate(f.argument()));
    } else if (expr instanceof Expr.Infinity) {
      throw new UndefinedValueException("infinity is not a number");
    }
    throw new AnswerParseException("a list or equation where a single value belongs");
  }

  /** {@code value}, or undefined when it is too near 0 to divide by (a pole of sec, csc, cot). */
  private static BigDecimal nonZero(BigDecimal value, String function) {
    if (value.abs().compareTo(BigDecimal.ONE.movePointLeft(BigMath.PRECISION - 5)) < 0) {
      throw new UndefinedValueException(function + " at a pole");
    }
    return value;
  }

  /** max, min, and gcd and lcm of integers. */
  private static BigDecimal listFunction(String name, List<BigDecimal> values) {
    BigDecimal result = values.get(0);
    for (BigDecimal value : values.subList(1, values.size())) {
      result =
          switch (name) {
            case "max" -> result.max(value);
            case "min" -> result.min(value);
            case "gcd" -> new BigDecimal(integer(result, name).gcd(integer(value, name)));
            default -> {
              BigInteger a = integer(result, name);
              BigInteger b = integer(value, name);
              yield a.signum() == 0 || b.signum() == 0
                  ? BigDecimal.ZERO
                  : new BigDecimal(a.multiply(b).abs().divide(a.gcd(b)));
            }
          };
    }
    return name.equals("gcd") && values.size() == 1 ? new BigDecimal(integer(result, name).abs()) : result;
  }

  private static BigInteger integer(BigDecimal value, String function) {
    try {
      return value.stripTrailingZeros().toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new UndefinedValueException(function + " of a non-integer");
    }
  }

  private static BigDecimal inRange(BigDecimal value) {
    if (value.signum() != 0
        && Math.abs((long) value.precision() - value.scale()) > MAX_DECIMAL_EXPONENT) {
      throw new UndefinedValueException("magnitude out of range");
    }
    return value;
  }

  /** Factorial and binomial arguments: integers only, read exactly. */
  private static Rational integerValue(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() > 0) {
      throw new UndefinedValueException("factorial of a non-integer");
    }
    return Rational.of(stripped.toBigIntegerExact());
  }

  private BigDecimal power(BigDecimal base, Expr exponentExpr) {
    Rational exactExponent = exact.tryEvaluate(exponentExpr);
    if (exactExponent != null) {
      return rationalPower(base, exactExponent);
    }
    BigDecimal exponent = evaluate(exponentExpr);
    if (base.signum() > 0) {
      return BigMath.exp(exponent.multiply(BigMath.ln(base, budget), BigMath.CONTEXT), budget);
    }
    if (base.signum() == 0 && exponent.signum() > 0) {
      return BigDecimal.ZERO;
    }
    throw new UndefinedValueException("power of a non-positive base");
  }

  private BigDecimal rationalPower(BigDecimal base, Rational exponent) {
    if (base.signum() == 0) {
      if (exponent.signum() <= 0) {
        throw new UndefinedValueException("0 to a non-positive power");
      }
      return BigDecimal.ZERO;
    }
    if (exponent.isInteger()) {
      BigInteger n = exponent.numerator();
      long magnitude = n.bitLength() > 62 ? Long.MAX_VALUE : n.abs().longValue();
      budget.require("exponent", magnitude, budget.limits().maxExponent());
      // a power that would leave the range is undefined here, before BigDecimal.pow overflows
      double decimalExponent = (base.precision() - base.scale()) * (double) magnitude;
      if (Math.abs(decimalExponent) > MAX_DECIMAL_EXPONENT * 2.0) {
        throw new UndefinedValueException("magnitude out of range");
      }
      return base.pow(n.intValue(), BigMath.CONTEXT);
    }
    boolean negative = base.signum() < 0;
    if (negative && !exponent.denominator().testBit(0)) {
      throw new UndefinedValueException("even root of a negative number");
    }
    BigDecimal exponentValue = exponent.toBigDecimal(BigMath.CONTEXT);
    BigDecimal magnitude = BigMath.exp(exponentValue.multiply(BigMath.ln(base.abs(), budget), BigMath.CONTEXT), budget);
    // odd root of a negative number: the sign follows the numerator's parity
    return negative && exponent.numerator().testBit(0) ? magnitude.negate() : magnitude;
  }

  private BigDecimal root(BigDecimal radicand, Expr indexExpr) {
    Rational index = exact.tryEvaluate(indexExpr);
    if (index != null && index.equals(Rational.of(2))) {
      if (radicand.signum() < 0) {
        throw new UndefinedValueException("square root of a negative number");
      }
      return radicand.sqrt(BigMath.CONTEXT);
    }
    if (index != null) {
      if (index.signum() == 0) {
        throw new UndefinedValueException("zeroth root");
      }
      return rationalPower(radicand, index.reciprocal());
    }
    BigDecimal indexValue = evaluate(indexExpr);
    if (indexValue.signum() == 0 || radicand.signum() <= 0) {
      throw new UndefinedValueException("root with a variable index of a non-positive number");
    }
    return BigMath.exp(BigMath.ln(radicand, budget).divide(indexValue, BigMath.CONTEXT), budget);
  }

  private BigDecimal function(String name, BigDecimal argument) {
    switch (name) {
      case "ln":
        return BigMath.ln(argument, budget);
      case "exp":
        return BigMath.exp(argument, budget);
      case "sin":
        return BigMath.sin(argument, budget);
      case "cos":
        return BigMath.cos(argument, budget);
      case "sec":
        return BigDecimal.ONE.divide(nonZero(BigMath.cos(argument, budget), "sec"), BigMath.CONTEXT);
      case "csc":
        return BigDecimal.ONE.divide(nonZero(BigMath.sin(argument, budget), "csc"), BigMath.CONTEXT);
      case "cot":
        return BigMath.cos(argument, budget).divide(nonZero(BigMath.sin(argument, budget), "cot"), BigMath.CONTEXT);
      case "arctan":
        return BigMath.atan(argument, budget);
      case "arcsin":
        return BigMath.asin(argument, budget);
      case "arccos":
        return BigMath.PI.divide(BigDecimal.valueOf(2), BigMath.CONTEXT).subtract(BigMath.asin(argument, budget), BigMath.CONTEXT);
      case "floor":
        return argument.setScale(0, java.math.RoundingMode.FLOOR);
      case "ceil":
        return argument.setScale(0, java.math.RoundingMode.CEILING);
      case "tan":
        BigDecimal cosine = BigMath.cos(argument, budget);
        if (cosine.abs().compareTo(BigDecimal.ONE.movePointLeft(BigMath.PRECISION - 5)) < 0) {
          throw new UndefinedValueException("tan at a pole");
        }
        return BigMath.sin(argument, budget).divide(cosine, BigMath.CONTEXT);
      default:
        throw new AnswerParseException("unsupported function " + name);
    }
  }
}
