package aha.problems.gen;

import aha.problems.Problem;

/**
 * Simplifying fractions and adding or subtracting them over the least common denominator. Answers are
 * in lowest terms, "3/4", "-5/6", or an integer "2". Level 1 simplifies or adds like denominators;
 * level 5 combines three or four fractions with denominators up to 20.
 */
final class FractionsFamily implements ProblemFamily {
  static final String NAME = "fractions";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "simplify, add and subtract fractions; answers in lowest terms";
  }

  @Override
  public Problem generate(int difficulty, long problemSeed, String id) {
    Steps.checkDifficulty(difficulty);
    Rng rng = new Rng(problemSeed);
    Steps steps = new Steps();
    if (rng.chance(difficulty == 1 ? 0.5 : difficulty == 2 ? 0.25 : 0.0)) {
      return simplify(difficulty, rng, steps, problemSeed, id);
    }
    long[] dens;
    switch (difficulty) {
      case 1 -> {
        long d = rng.between(2, 15);
        dens = new long[] {d, d};
      }
      case 2 -> {
        long d = rng.between(2, 6);
        long multiple = d * rng.between(2, 4);
        dens = rng.chance(0.5) ? new long[] {d, multiple} : new long[] {multiple, d};
      }
      default -> {
        int terms = difficulty == 3 ? 2 : difficulty == 4 ? 3 : rng.between(3, 4);
        int maxDen = difficulty == 5 ? 20 : 12;
        // a common denominator small enough to work with by hand
        long maxLcd = difficulty == 5 ? 120 : 60;
        dens = new long[terms];
        long lcd;
        do {
          lcd = 1;
          for (int i = 0; i < terms; i++) {
            dens[i] = rng.between(2, maxDen);
            lcd = lcm(lcd, dens[i]);
          }
        } while (lcd > maxLcd);
      }
    }
    long[] nums = new long[dens.length];
    for (int i = 0; i < dens.length; i++) {
      // proper fractions in lowest terms; from level 5 improper ones too
      long max = difficulty == 5 ? 2 * dens[i] : dens[i] - 1;
      do {
        nums[i] = rng.between(1, (int) max);
      } while (dens[i] != 1 && gcd(nums[i], dens[i]) != 1 && difficulty > 1);
    }
    char[] ops = new char[dens.length]; // ops[i] precedes term i; ops[0] unused
    for (int i = 1; i < ops.length; i++) {
      ops[i] = rng.chance(0.5) ? '+' : '-';
    }
    if (difficulty <= 2 && ops[1] == '-' && nums[0] * dens[1] < nums[1] * dens[0]) {
      // early levels stay non-negative: swap the two fractions
      long t = nums[0];
      nums[0] = nums[1];
      nums[1] = t;
      t = dens[0];
      dens[0] = dens[1];
      dens[1] = t;
    }

    StringBuilder expr = new StringBuilder();
    for (int i = 0; i < dens.length; i++) {
      expr.append(i == 0 ? "" : " " + ops[i] + " ").append(nums[i]).append('/').append(dens[i]);
    }
    String question = "What is " + expr + "? Give the answer in lowest terms.";

    long lcd = dens[0];
    for (long d : dens) {
      lcd = lcm(lcd, d);
    }
    boolean same = true;
    for (long d : dens) {
      same &= d == lcd;
    }
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < dens.length; i++) {
      list.append(i == 0 ? "" : ", ").append(dens[i]);
    }
    if (same) {
      steps.add("The denominators are the same: " + lcd);
    } else {
      steps.add("Common denominator: lcm(" + list + ") = " + lcd);
      for (int i = 0; i < dens.length; i++) {
        if (dens[i] != lcd) {
          long factor = lcd / dens[i];
          steps.add(nums[i] + "/" + dens[i] + " = " + nums[i] * factor + "/" + lcd
              + " (multiply top and bottom by " + factor + ")");
        }
      }
    }
    StringBuilder over = new StringBuilder();
    StringBuilder tops = new StringBuilder();
    long top = 0;
    for (int i = 0; i < dens.length; i++) {
      long n = nums[i] * (lcd / dens[i]);
      String op = i == 0 ? "" : " " + ops[i] + " ";
      over.append(op).append(n).append('/').append(lcd);
      tops.append(op).append(n);
      top += i == 0 || ops[i] == '+' ? n : -n;
    }
    steps.add(over + " = (" + tops + ")/" + lcd + " = " + top + "/" + lcd);
    String answer = lowestTerms(top, lcd, steps);
    return steps.numeric(NAME, difficulty, problemSeed, id, question, answer);
  }

  private static Problem simplify(int difficulty, Rng rng, Steps steps, long seed, String id) {
    long q = rng.between(2, difficulty == 1 ? 12 : 15);
    long p;
    do {
      // level 2 may be improper, and may come out whole
      p = rng.between(1, difficulty == 1 ? (int) q - 1 : 2 * (int) q);
    } while (gcd(p, q) != 1);
    long g = rng.between(2, difficulty == 1 ? 9 : 12);
    String question = "Simplify " + p * g + "/" + q * g + " to lowest terms.";
    String answer = lowestTerms(p * g, q * g, steps);
    return steps.numeric(NAME, difficulty, seed, id, question, answer);
  }

  /** Writes the reduction step and returns the answer text: "3/4", "-5/6" or "2". */
  private static String lowestTerms(long top, long bottom, Steps steps) {
    long g = gcd(Math.abs(top), bottom);
    String answer = format(top / g, bottom / g);
    if (g == 1) {
      steps.add(top + "/" + bottom + " is already in lowest terms");
    } else {
      steps.add("gcd(" + Math.abs(top) + ", " + bottom + ") = " + g + ", so " + top + "/" + bottom + " = "
          + (top / g) + "/" + (bottom / g) + (bottom / g == 1 ? " = " + answer : ""));
    }
    return answer;
  }

  static String format(long top, long bottom) {
    return bottom == 1 ? Long.toString(top) : top + "/" + bottom;
  }

  static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return Math.abs(a);
  }

  static long lcm(long a, long b) {
    return a / gcd(a, b) * b;
  }
}
