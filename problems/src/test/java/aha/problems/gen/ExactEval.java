package aha.problems.gen;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only evaluator of {@code + - * /}, parentheses, unary minus and integers, over exact
 * rationals, written independently of the generators so that it can check them.
 */
final class ExactEval {

  /** A rational in lowest terms with a positive denominator. */
  record Q(BigInteger num, BigInteger den) {
    Q {
      if (den.signum() == 0) {
        throw new ArithmeticException("division by zero");
      }
      if (den.signum() < 0) {
        num = num.negate();
        den = den.negate();
      }
      BigInteger g = num.gcd(den);
      if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
        num = num.divide(g);
        den = den.divide(g);
      }
    }

    static Q of(long n) {
      return new Q(BigInteger.valueOf(n), BigInteger.ONE);
    }

    /** Reads "7", "-12", "3/4", "-5/6". */
    static Q parse(String text) {
      int slash = text.indexOf('/');
      return slash < 0
          ? new Q(new BigInteger(text), BigInteger.ONE)
          : new Q(new BigInteger(text.substring(0, slash)), new BigInteger(text.substring(slash + 1)));
    }

    Q plus(Q o) {
      return new Q(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    Q minus(Q o) {
      return plus(new Q(o.num.negate(), o.den));
    }

    Q times(Q o) {
      return new Q(num.multiply(o.num), den.multiply(o.den));
    }

    Q over(Q o) {
      return new Q(num.multiply(o.den), den.multiply(o.num));
    }

    /** "3/4", "-5/6", or "2" when whole. */
    @Override
    public String toString() {
      return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
    }
  }

  private final String text;
  private int pos;
  /** The number literals read, in order. */
  final List<Long> literals = new ArrayList<>();
  /** The value, once {@link #parse} has read the whole text. */
  Q value;

  private ExactEval(String text) {
    this.text = text;
  }

  static Q eval(String text) {
    return new ExactEval(text).all();
  }

  /** Evaluates and also returns the literals used. */
  static ExactEval parse(String text) {
    ExactEval e = new ExactEval(text);
    e.value = e.all();
    return e;
  }

  private Q all() {
    Q v = sum();
    skip();
    if (pos != text.length()) {
      throw new IllegalArgumentException("unexpected '" + text.substring(pos) + "' in " + text);
    }
    return v;
  }

  private Q sum() {
    Q v = product();
    while (true) {
      skip();
      if (eat('+')) {
        v = v.plus(product());
      } else if (eat('-')) {
        v = v.minus(product());
      } else {
        return v;
      }
    }
  }

  private Q product() {
    Q v = unary();
    while (true) {
      skip();
      if (eat('*')) {
        v = v.times(unary());
      } else if (eat('/')) {
        v = v.over(unary());
      } else {
        return v;
      }
    }
  }

  private Q unary() {
    skip();
    if (eat('-')) {
      Q v = unary();
      return new Q(v.num.negate(), v.den);
    }
    if (eat('(')) {
      Q v = sum();
      skip();
      if (!eat(')')) {
        throw new IllegalArgumentException("missing ) in " + text);
      }
      return v;
    }
    int start = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("expected a number at " + pos + " in " + text);
    }
    long n = Long.parseLong(text.substring(start, pos));
    literals.add(n);
    return Q.of(n);
  }

  private boolean eat(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void skip() {
    while (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
  }
}
