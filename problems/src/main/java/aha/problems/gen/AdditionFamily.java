package aha.problems.gen;

import aha.problems.Problem;

/**
 * Multi-digit addition and subtraction, solved column by column with every carry and borrow spelled
 * out. Level 1 uses 1-2 digit numbers, level 5 uses 5-6 digits; from level 3 a subtraction may come out
 * negative.
 */
final class AdditionFamily implements ProblemFamily {
  static final String NAME = "addition";

  private static final String[] PLACES = {
    "ones", "tens", "hundreds", "thousands", "ten thousands", "hundred thousands", "millions",
    "ten millions"
  };

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "multi-digit addition and subtraction with carries and borrows spelled out by column";
  }

  @Override
  public Problem generate(int difficulty, long problemSeed, String id) {
    Steps.checkDifficulty(difficulty);
    Rng rng = new Rng(problemSeed);
    // level d draws numbers of d or d+1 digits
    long a = rng.digits(rng.between(difficulty, difficulty + 1));
    long b = rng.digits(rng.between(difficulty, difficulty + 1));
    boolean subtract = rng.chance(0.5);
    Steps steps = new Steps();
    long answer;
    if (!subtract) {
      answer = add(a, b, steps);
    } else {
      boolean allowNegative = difficulty >= 3 && rng.chance(0.3);
      if (a < b && !allowNegative) {
        long t = a;
        a = b;
        b = t;
      }
      if (a >= b) {
        answer = subtract(a, b, steps);
      } else {
        steps.add(a + " is smaller than " + b + ", so compute " + b + " - " + a + " and make it negative.");
        long difference = subtract(b, a, steps);
        answer = -difference;
        steps.add("So " + a + " - " + b + " = " + answer);
      }
    }
    String question = "What is " + a + (subtract ? " - " : " + ") + b + "?";
    return steps.numeric(NAME, difficulty, problemSeed, id, question, Steps.num(answer));
  }

  private static long add(long a, long b, Steps steps) {
    steps.add("Add column by column, starting from the ones.");
    int columns = Math.max(digitCount(a), digitCount(b));
    long carry = 0;
    for (int i = 0; i < columns; i++) {
      long x = digit(a, i);
      long y = digit(b, i);
      long sum = x + y + carry;
      String work = i == 0 ? x + " + " + y : x + " + " + y + " + " + carry;
      carry = sum / 10;
      steps.add(PLACES[i] + ": " + work + " = " + sum + ", write " + sum % 10 + ", carry " + carry);
    }
    if (carry > 0) {
      steps.add(PLACES[columns] + ": carry " + carry + ", write " + carry);
    }
    long sum = a + b;
    steps.add(a + " + " + b + " = " + sum);
    return sum;
  }

  /** a - b for a >= b. */
  private static long subtract(long a, long b, Steps steps) {
    steps.add("Subtract column by column, starting from the ones.");
    int columns = digitCount(a);
    long borrow = 0;
    for (int i = 0; i < columns; i++) {
      long x = digit(a, i);
      long y = digit(b, i);
      long diff = x - y - borrow;
      String work = (i == 0 ? x + " - " + y : x + " - " + y + " - " + borrow) + " = " + diff;
      if (diff < 0) {
        borrow = 1;
        steps.add(PLACES[i] + ": " + work + ", below 0 so add 10: " + (diff + 10)
            + ", write " + (diff + 10) + ", borrow 1");
      } else {
        borrow = 0;
        steps.add(PLACES[i] + ": " + work + ", write " + diff + ", borrow 0");
      }
    }
    long difference = a - b;
    steps.add(a + " - " + b + " = " + difference);
    return difference;
  }

  static int digitCount(long n) {
    return Long.toString(Math.abs(n)).length();
  }

  private static long digit(long n, int place) {
    for (int i = 0; i < place; i++) {
      n /= 10;
    }
    return n % 10;
  }
}
