package aha.verifier.math;

import java.util.List;
import java.util.Set;

/**
 * The syntax tree of a parsed answer. Sums and products are n-ary, so a chain of a thousand terms is
 * one node deep: tree depth is bounded by the parser's nesting cap and evaluation recursion stays
 * shallow.
 */
sealed interface Expr {

  /** A number literal. {@code decimal} records a written decimal point (countdown forbids it). */
  record Num(Rational value, boolean decimal) implements Expr {}

  /** A variable: a letter, a Greek letter name, or a subscripted name such as {@code x_1}. */
  record Var(String name) implements Expr {}

  /** π or Euler's e. */
  record Constant(Name name) implements Expr {
    enum Name {
      PI,
      E
    }
  }

  /** ∞; meaningful only as an interval end. */
  record Infinity() implements Expr {}

  /** Terms added or subtracted; the first term's sign comes from unary minus, never from here. */
  record Sum(List<Term> terms) implements Expr {}

  record Term(boolean subtracted, Expr value) {}

  /** Factors multiplied or divided. The first factor's operator is always TIMES. */
  record Product(List<Factor> factors) implements Expr {}

  record Factor(Operator operator, Expr value) {}

  enum Operator {
    TIMES,
    DIVIDE,
    /** Juxtaposition, {@code 2x}: multiplication, but not allowed in countdown answers. */
    IMPLICIT
  }

  /** Unary minus. */
  record Negate(Expr operand) implements Expr {}

  record Power(Expr base, Expr exponent) implements Expr {}

  /** {@code \sqrt[index]{radicand}}; index 2 for a square root. */
  record Root(Expr radicand, Expr index) implements Expr {}

  record Factorial(Expr operand) implements Expr {}

  record Binomial(Expr n, Expr k) implements Expr {}

  /** {@code 50\%}: the operand divided by 100 (or not, see the percent rule in AnswerComparator). */
  record Percent(Expr operand) implements Expr {}

  record Abs(Expr operand) implements Expr {}

  /** A named elementary function: ln, exp, sin, cos, tan. */
  record Function(String name, Expr argument) implements Expr {}

  /**
   * Items in brackets: a tuple {@code (1, 2)}, an interval {@code [0, 1)}, a set {@code \{1, 2\}}
   * (open '{'), an angle tuple (open '<'), or a bare list {@code 1, 2} (open and close '\0').
   */
  record Group(char open, char close, List<Expr> items) implements Expr {}

  /** {@code a = b = c}: two or more sides. */
  record Equation(List<Expr> sides) implements Expr {}

  /** Intervals joined with {@code \cup}. */
  record Union(List<Expr> parts) implements Expr {}

  /** The free variables of {@code expr}, added to {@code into}. */
  static void collectVariables(Expr expr, Set<String> into) {
    if (expr instanceof Var v) {
      into.add(v.name());
    } else if (expr instanceof Sum s) {
      s.terms().forEach(t -> collectVariables(t.value(), into));
    } else if (expr instanceof Product p) {
      p.factors().forEach(f -> collectVariables(f.value(), into));
    } else if (expr instanceof Negate n) {
      collectVariables(n.operand(), into);
    } else if (expr instanceof Power p) {
      collectVariables(p.base(), into);
      collectVariables(p.exponent(), into);
    } else if (expr instanceof Root r) {
      collectVariables(r.radicand(), into);
      collectVariables(r.index(), into);
    } else if (expr instanceof Factorial f) {
      collectVariables(f.operand(), into);
    } else if (expr instanceof Binomial b) {
      collectVariables(b.n(), into);
      collectVariables(b.k(), into);
    } else if (expr instanceof Percent p) {
      collectVariables(p.operand(), into);
    } else if (expr instanceof Abs a) {
      collectVariables(a.operand(), into);
    } else if (expr instanceof Function f) {
      collectVariables(f.argument(), into);
    } else if (expr instanceof Group g) {
      g.items().forEach(item -> collectVariables(item, into));
    } else if (expr instanceof Equation e) {
      e.sides().forEach(side -> collectVariables(side, into));
    } else if (expr instanceof Union u) {
      u.parts().forEach(part -> collectVariables(part, into));
    }
  }

  /** True when a percent sign occurs anywhere in {@code expr}. */
  static boolean containsPercent(Expr expr) {
    if (expr instanceof Percent) {
      return true;
    } else if (expr instanceof Sum s) {
      return s.terms().stream().anyMatch(t -> containsPercent(t.value()));
    } else if (expr instanceof Product p) {
      return p.factors().stream().anyMatch(f -> containsPercent(f.value()));
    } else if (expr instanceof Negate n) {
      return containsPercent(n.operand());
    } else if (expr instanceof Power p) {
      return containsPercent(p.base()) || containsPercent(p.exponent());
    } else if (expr instanceof Group g) {
      return g.items().stream().anyMatch(Expr::containsPercent);
    }
    return false;
  }
}
