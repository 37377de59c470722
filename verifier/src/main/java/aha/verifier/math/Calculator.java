package aha.verifier.math;

import aha.verifier.budget.Budget;
import aha.verifier.budget.BudgetExceededException;
import aha.verifier.budget.Limits;
import java.util.concurrent.TimeUnit;

/**
 * The calculator a policy calls inside its reasoning ({@code <calc>37 * 6</calc>}, answered with
 * {@code <result>222</result>}): exact arithmetic on rationals, computed by the verifier's own
 * parser and exact evaluator under caps of its own.
 *
 * <p>What it takes: numbers (integers and decimals), {@code + - * /} (and {@code × ÷}), parentheses,
 * and powers {@code a^n} with an integer exponent. Nothing is ever handed to an {@code eval}: the
 * text is first held to those characters, then parsed, and the parsed tree is held to those
 * operations before it is evaluated.
 *
 * <p>What it answers: the exact value, an integer ({@code 222}) or a fraction in lowest terms
 * ({@code -7/3}); or {@link #ERROR} for anything else: an empty or malformed expression, a
 * variable or function, division by zero, and anything past a cap (input length, digits of any
 * number, exponent, nesting depth, and a deterministic work budget, so a hostile call costs the
 * same microseconds on any machine). It never throws.
 */
public final class Calculator {

  /** What a call that cannot be answered gets. */
  public static final String ERROR = "error";

  /**
   * The caps: 200 characters, 64 digits in any number or intermediate result, exponents up to 64,
   * no factorials, 32 levels of nesting, 5,000 steps of work.
   */
  static final Limits LIMITS = new Limits(200, 64, 64, 0, 32, 5_000);

  /** A guard against a loop that does not count its steps (a bug): far above any real call. */
  private static final long GUARD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private Calculator() {}

  /** The exact value of {@code expression}, or {@link #ERROR}. */
  public static String evaluate(String expression) {
    if (expression == null || expression.length() > LIMITS.maxInputChars() || !onlyArithmetic(expression)) {
      return ERROR;
    }
    try {
      Budget budget = Budget.startingNow(GUARD_NANOS, LIMITS);
      Expr parsed = LatexParser.parse(expression, false, budget);
      if (!arithmetic(parsed)) {
        return ERROR;
      }
      Rational value = new ExactEvaluator(budget, false).tryEvaluate(parsed);
      return value == null ? ERROR : value.toString();
    } catch (AnswerParseException | UndefinedValueException | BudgetExceededException | ArithmeticException e) {
      return ERROR;
    } catch (StackOverflowError e) {
      return ERROR; // the nesting cap comes first; this is the last line of defence
    }
  }

  /** Digits, the decimal point, spaces, the four operations, powers and parentheses only. */
  private static boolean onlyArithmetic(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed =
          (c >= '0' && c <= '9')
              || c == '.' || c == ' ' || c == '+' || c == '-' || c == '*' || c == '/' || c == '^'
              || c == '(' || c == ')' || c == '\u00d7' || c == '\u00f7';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /** Whether a parsed tree holds only numbers, the four operations, signs, parentheses and integer powers. */
  private static boolean arithmetic(Expr expr) {
    if (expr instanceof Expr.Num) {
      return true;
    } else if (expr instanceof Expr.Sum sum) {
      return sum.terms().stream().allMatch(term -> arithmetic(term.value()));
    } else if (expr instanceof Expr.Product product) {
      return product.factors().stream()
          .allMatch(f -> f.operator() != Expr.Operator.IMPLICIT && arithmetic(f.value()));
    } else if (expr instanceof Expr.Negate negate) {
      return arithmetic(negate.operand());
    } else if (expr instanceof Expr.Power power) {
      return arithmetic(power.base()) && integerLiteral(power.exponent());
    } else if (expr instanceof Expr.Group group) {
      return group.open() == '(' && group.close() == ')' && group.items().size() == 1
          && arithmetic(group.items().get(0));
    }
    return false;
  }

  private static boolean integerLiteral(Expr expr) {
    if (expr instanceof Expr.Negate negate) {
      return integerLiteral(negate.operand());
    }
    if (expr instanceof Expr.Group group && group.items().size() == 1) {
      return integerLiteral(group.items().get(0));
    }
    return expr instanceof Expr.Num num && !num.decimal() && num.value().isInteger();
  }
}
