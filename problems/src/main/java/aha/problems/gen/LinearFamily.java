package aha.problems.gen;

import aha.problems.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Linear equations in x with an integer solution, solved by the same fixed moves every time: expand
 * parentheses, combine like terms, bring the x terms to the left, the numbers to the right, divide.
 * Level 1 is one move ({@code x + 5 = 12}, {@code 3x = 21}); level 5 has parentheses on both sides.
 */
final class LinearFamily implements ProblemFamily {
  static final String NAME = "linear";

  /** One term of a side: k*x, the number k, or k(x + m). */
  private record Term(char kind, long k, long m) {
    static Term x(long k) {
      return new Term('x', k, 0);
    }

    static Term c(long k) {
      return new Term('c', k, 0);
    }

    static Term group(long k, long m) {
      return new Term('g', k, m);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "linear equations in one variable with integer solutions";
  }

  @Override
  public Problem generate(int difficulty, long problemSeed, String id) {
    Steps.checkDifficulty(difficulty);
    Rng rng = new Rng(problemSeed);
    List<Term> left = new ArrayList<>();
    List<Term> right = new ArrayList<>();
    long x;
    switch (difficulty) {
      case 1: {
        x = rng.between(0, 20);
        long a = rng.between(1, 20);
        switch (rng.nextInt(4)) {
          case 0 -> left.addAll(List.of(Term.x(1), Term.c(a)));
          case 1 -> left.addAll(List.of(Term.c(a), Term.x(1)));
          case 2 -> {
            x += a; // keeps the right side non-negative
            left.addAll(List.of(Term.x(1), Term.c(-a)));
          }
          default -> left.add(Term.x(rng.between(2, 12)));
        }
        break;
      }
      case 2: {
        x = rng.between(-10, 20);
        left.addAll(List.of(Term.x(rng.between(2, 9)), Term.c(nonZero(rng, 30))));
        break;
      }
      case 3: {
        x = rng.between(-15, 15);
        long a = rng.between(1, 12);
        long c = otherThan(rng, 1, 12, a);
        left.addAll(List.of(Term.x(a), Term.c(nonZero(rng, 30))));
        right.addAll(List.of(Term.x(c), Term.c(nonZero(rng, 30))));
        break;
      }
      case 4: {
        x = rng.between(-20, 20);
        long a = rng.between(2, 9);
        long d = otherThan(rng, 1, 12, a);
        left.addAll(List.of(Term.group(a, nonZero(rng, 12)), Term.c(nonZero(rng, 40))));
        right.addAll(List.of(Term.x(d), Term.c(nonZero(rng, 40))));
        break;
      }
      default: {
        x = rng.between(-30, 30);
        long a = rng.between(2, 15);
        long d = otherThan(rng, 2, 15, a);
        left.addAll(List.of(Term.group(a, nonZero(rng, 20)), Term.c(nonZero(rng, 60))));
        right.addAll(List.of(Term.group(d, nonZero(rng, 20)), Term.c(nonZero(rng, 60))));
        break;
      }
    }
    // the right side's last number is whatever makes x the solution
    long gap = evaluate(left, x) - evaluate(right, x);
    if (right.isEmpty()) {
      right.add(Term.c(gap));
    } else {
      Term last = right.remove(right.size() - 1);
      if (last.k + gap != 0 || right.isEmpty()) {
        right.add(Term.c(last.k + gap));
      }
    }
    String question = "Solve for x: " + render(left) + " = " + render(right);
    Steps steps = new Steps();
    long answer = solve(left, right, steps);
    if (answer != x) {
      throw new IllegalStateException(question + ": steps give " + answer + ", expected " + x);
    }
    return steps.numeric(NAME, difficulty, problemSeed, id, question, Steps.num(answer));
  }

  private static long solve(List<Term> left, List<Term> right, Steps steps) {
    if (hasGroup(left) || hasGroup(right)) {
      left = expand(left);
      right = expand(right);
      steps.add("Expand the parentheses: " + render(left) + " = " + render(right));
    }
    if (!combined(left) || !combined(right)) {
      left = combine(left);
      right = combine(right);
      steps.add("Combine like terms: " + render(left) + " = " + render(right));
    }
    long a = coefficient(left);
    long b = constant(left);
    long c = coefficient(right);
    long d = constant(right);
    if (c != 0) {
      String move = c > 0 ? "Subtract " + xTerm(c) + " from" : "Add " + xTerm(-c) + " to";
      a -= c;
      steps.add(move + " both sides: " + render(simple(a, b)) + " = " + d);
    }
    long r = d - b;
    if (b != 0) {
      String work = b > 0 ? "Subtract " + b + " from" : "Add " + -b + " to";
      String sum = b > 0 ? d + " - " + b : d + " + " + -b;
      steps.add(work + " both sides: " + xTerm(a) + " = " + sum + " = " + r);
    }
    if (a != 1) {
      steps.add("Divide both sides by " + a + ": x = " + r + " / " + Steps.operand(a) + " = " + r / a);
    }
    return r / a;
  }

  private static long nonZero(Rng rng, int max) {
    long v = rng.between(1, max);
    return rng.chance(0.5) ? v : -v;
  }

  private static long otherThan(Rng rng, int lo, int hi, long not) {
    long v = rng.between(lo, hi - 1);
    return v >= not ? v + 1 : v;
  }

  private static long evaluate(List<Term> side, long x) {
    long sum = 0;
    for (Term t : side) {
      sum += switch (t.kind) {
        case 'x' -> t.k * x;
        case 'c' -> t.k;
        default -> t.k * (x + t.m);
      };
    }
    return sum;
  }

  private static boolean hasGroup(List<Term> side) {
    return side.stream().anyMatch(t -> t.kind == 'g');
  }

  private static List<Term> expand(List<Term> side) {
    List<Term> out = new ArrayList<>();
    for (Term t : side) {
      if (t.kind == 'g') {
        out.add(Term.x(t.k));
        out.add(Term.c(t.k * t.m));
      } else {
        out.add(t);
      }
    }
    return out;
  }

  /** At most one x term and one number, in either order, and no needless zero. */
  private static boolean combined(List<Term> side) {
    long xs = side.stream().filter(t -> t.kind == 'x').count();
    long numbers = side.stream().filter(t -> t.kind == 'c').count();
    boolean zero = side.size() > 1 && side.stream().anyMatch(t -> t.k == 0);
    return xs <= 1 && numbers <= 1 && xs + numbers == side.size() && !zero;
  }

  private static List<Term> combine(List<Term> side) {
    return simple(coefficient(side), constant(side));
  }

  private static List<Term> simple(long a, long b) {
    List<Term> out = new ArrayList<>();
    if (a != 0) {
      out.add(Term.x(a));
    }
    if (b != 0) {
      out.add(Term.c(b));
    }
    return out;
  }

  private static long coefficient(List<Term> side) {
    return side.stream().filter(t -> t.kind == 'x').mapToLong(Term::k).sum();
  }

  private static long constant(List<Term> side) {
    return side.stream().filter(t -> t.kind == 'c').mapToLong(Term::k).sum();
  }

  /** "3x + 5", "x - 4", "-x", "2(x - 3) + 7", "0". */
  private static String render(List<Term> side) {
    if (side.isEmpty()) {
      return "0";
    }
    StringBuilder text = new StringBuilder();
    for (Term t : side) {
      long k = t.k;
      boolean first = text.length() == 0;
      if (!first) {
        text.append(k < 0 ? " - " : " + ");
        k = Math.abs(k);
      }
      text.append(switch (t.kind) {
        case 'x' -> xTerm(k);
        case 'c' -> Long.toString(k);
        default -> k + "(x " + (t.m < 0 ? "- " + -t.m : "+ " + t.m) + ")";
      });
    }
    return text.toString();
  }

  private static String xTerm(long k) {
    return k == 1 ? "x" : k == -1 ? "-x" : k + "x";
  }
}
