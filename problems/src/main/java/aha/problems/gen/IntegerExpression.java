package aha.problems.gen;

import java.util.ArrayList;
import java.util.List;

/**
 * A binary arithmetic expression over integers with {@code + - * /}, where every division must be
 * exact. Rendered with the fewest parentheses that keep its meaning under the usual precedence and
 * left-to-right rules, except that a right operand of equal precedence is always parenthesized, so
 * that reading the text left to right evaluates the nodes exactly as the tree does.
 */
abstract class IntegerExpression {

  /** The value; throws ArithmeticException on division by zero, inexact division or overflow. */
  abstract long value();

  abstract int precedence();

  /** Adds the tokens of this expression: Long numbers and the strings "+ - * / ( )". */
  abstract void tokens(List<Object> out);

  /** Post-order: the operations as they are computed, "25 - 7 = 18". */
  abstract void reductions(List<String> out);

  /** Visits every node's value, children first. */
  abstract void values(List<Long> out);

  static IntegerExpression num(long value) {
    return new Num(value);
  }

  static IntegerExpression op(char op, IntegerExpression left, IntegerExpression right) {
    return new Op(op, left, right);
  }

  final List<Object> tokens() {
    List<Object> out = new ArrayList<>();
    tokens(out);
    return out;
  }

  final String render() {
    return render(tokens());
  }

  /** Renders tokens with single spaces around operators; negative numbers in parentheses. */
  static String render(List<Object> tokens) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      Object t = tokens.get(i);
      if (t instanceof Long) {
        long v = (Long) t;
        text.append(tokens.size() == 1 ? Long.toString(v) : Steps.operand(v));
      } else if (t.equals("(")) {
        text.append('(');
      } else if (t.equals(")")) {
        text.append(')');
      } else {
        text.append(' ').append(t).append(' ');
      }
    }
    return text.toString();
  }

  static long apply(char op, long a, long b) {
    switch (op) {
      case '+':
        return Math.addExact(a, b);
      case '-':
        return Math.subtractExact(a, b);
      case '*':
        return Math.multiplyExact(a, b);
      case '/':
        if (b == 0 || a % b != 0) {
          throw new ArithmeticException(a + " / " + b + " is not an integer");
        }
        return a / b;
      default:
        throw new IllegalArgumentException("unknown operator " + op);
    }
  }

  static int precedence(char op) {
    return op == '*' || op == '/' ? 2 : 1;
  }

  private static final class Num extends IntegerExpression {
    private final long value;

    Num(long value) {
      this.value = value;
    }

    @Override
    long value() {
      return value;
    }

    @Override
    int precedence() {
      return 3;
    }

    @Override
    void tokens(List<Object> out) {
      out.add(value);
    }

    @Override
    void reductions(List<String> out) {}

    @Override
    void values(List<Long> out) {
      out.add(value);
    }
  }

  private static final class Op extends IntegerExpression {
    private final char op;
    private final IntegerExpression left;
    private final IntegerExpression right;

    Op(char op, IntegerExpression left, IntegerExpression right) {
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    long value() {
      return apply(op, left.value(), right.value());
    }

    @Override
    int precedence() {
      return precedence(op);
    }

    @Override
    void tokens(List<Object> out) {
      wrap(left, left.precedence() < precedence(), out);
      out.add(String.valueOf(op));
      wrap(right, right.precedence() <= precedence(), out);
    }

    private static void wrap(IntegerExpression child, boolean parens, List<Object> out) {
      if (parens) {
        out.add("(");
      }
      child.tokens(out);
      if (parens) {
        out.add(")");
      }
    }

    @Override
    void reductions(List<String> out) {
      left.reductions(out);
      right.reductions(out);
      out.add(
          Steps.operand(left.value()) + " " + op + " " + Steps.operand(right.value()) + " = " + value());
    }

    @Override
    void values(List<Long> out) {
      left.values(out);
      right.values(out);
      out.add(value());
    }
  }
}
