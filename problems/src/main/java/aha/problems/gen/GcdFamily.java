package aha.problems.gen;

import aha.problems.Problem;

/**
 * Remainders (by long division, one digit at a time), greatest common divisors (by the Euclidean
 * algorithm) and least common multiples (through the gcd). Level 5 asks about three numbers or a
 * six-digit dividend.
 */
final class GcdFamily implements ProblemFamily {
  static final String NAME = "gcd";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "greatest common divisors, least common multiples and remainders";
  }

  @Override
  public Problem generate(int difficulty, long problemSeed, String id) {
    Steps.checkDifficulty(difficulty);
    Rng rng = new Rng(problemSeed);
    Steps steps = new Steps();
    String question;
    long answer;
    switch (rng.nextInt(3)) {
      case 0 -> {
        long[] shape = REMAINDER[difficulty - 1];
        long dividend = rng.digits((int) shape[0]);
        long divisor = rng.between((int) shape[1], (int) shape[2]);
        question = "What is the remainder when " + dividend + " is divided by " + divisor + "?";
        answer = remainder(dividend, divisor, steps);
      }
      case 1 -> {
        long[] numbers = multiples(rng, difficulty);
        question = "What is the greatest common divisor of " + list(numbers) + "?";
        long g = euclid(numbers[0], numbers[1], steps);
        steps.add("gcd(" + numbers[0] + ", " + numbers[1] + ") = " + g);
        if (numbers.length == 3) {
          long g3 = euclid(g, numbers[2], steps);
          steps.add("gcd(" + g + ", " + numbers[2] + ") = " + g3 + ", so gcd(" + numbers[0] + ", "
              + numbers[1] + ", " + numbers[2] + ") = " + g3);
          g = g3;
        }
        answer = g;
      }
      default -> {
        long[] numbers = multiples(rng, difficulty);
        question = "What is the least common multiple of " + list(numbers) + "?";
        long l = lcm(numbers[0], numbers[1], steps);
        if (numbers.length == 3) {
          long l3 = lcm(l, numbers[2], steps);
          steps.add("So lcm(" + numbers[0] + ", " + numbers[1] + ", " + numbers[2] + ") = " + l3);
          l = l3;
        }
        answer = l;
      }
    }
    return steps.numeric(NAME, difficulty, problemSeed, id, question, Steps.num(answer));
  }

  // digits of the dividend and the divisor's range, by level
  private static final long[][] REMAINDER = {{2, 2, 9}, {3, 2, 9}, {4, 3, 19}, {5, 11, 99}, {6, 12, 250}};

  // common factor range and cofactor range, by level
  private static final int[][] MULTIPLES = {{1, 9, 1, 9}, {2, 15, 2, 12}, {2, 30, 5, 40}, {2, 99, 10, 99}, {2, 40, 2, 30}};

  /** Two (three at level 5) distinct numbers sharing a random common factor. */
  private static long[] multiples(Rng rng, int difficulty) {
    int[] shape = MULTIPLES[difficulty - 1];
    int n = difficulty == 5 ? 3 : 2;
    long g = rng.between(shape[0], shape[1]);
    long[] numbers = new long[n];
    for (int i = 0; i < n; i++) {
      boolean repeated;
      do {
        numbers[i] = g * rng.between(shape[2], shape[3]);
        repeated = numbers[i] < 2;
        for (int j = 0; j < i; j++) {
          repeated |= numbers[j] == numbers[i];
        }
      } while (repeated);
    }
    return numbers;
  }

  private static String list(long[] numbers) {
    return numbers.length == 2
        ? numbers[0] + " and " + numbers[1]
        : numbers[0] + ", " + numbers[1] + " and " + numbers[2];
  }

  /** Long division one digit at a time: "bring down 2: 42 = 7 * 6 + 0". */
  private static long remainder(long dividend, long divisor, Steps steps) {
    if (dividend < 100) {
      steps.add(dividend + " = " + divisor + " * " + dividend / divisor + " + " + dividend % divisor);
      return dividend % divisor;
    }
    steps.add("Divide " + dividend + " by " + divisor + " one digit at a time.");
    String digits = Long.toString(dividend);
    long r = 0;
    for (int i = 0; i < digits.length(); i++) {
      long d = digits.charAt(i) - '0';
      long current = r * 10 + d;
      steps.add((i == 0 ? "first digit " : "bring down ") + d + ": " + current + " = " + divisor + " * "
          + current / divisor + " + " + current % divisor);
      r = current % divisor;
    }
    steps.add(dividend + " = " + divisor + " * " + dividend / divisor + " + " + r);
    return r;
  }

  /** The Euclidean algorithm, one division per line; returns the gcd. */
  private static long euclid(long a, long b, Steps steps) {
    long x = Math.max(a, b);
    long y = Math.min(a, b);
    while (y != 0) {
      steps.add(x + " = " + y + " * " + x / y + " + " + x % y);
      long r = x % y;
      x = y;
      y = r;
    }
    return x;
  }

  private static long lcm(long a, long b, Steps steps) {
    long g = euclid(a, b, steps);
    steps.add("gcd(" + a + ", " + b + ") = " + g);
    long l = a / g * b;
    steps.add("lcm(" + a + ", " + b + ") = " + a + " / " + g + " * " + b + " = " + a / g + " * " + b + " = " + l);
    return l;
  }
}
