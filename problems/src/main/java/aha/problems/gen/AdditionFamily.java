package aha.problems.gen;

import aha.problems.Problem;

/**
 * Multi-digit addition and subtraction, solved column by column with every carry and borrow spelled
 * out ({@link WrittenArithmetic}). Level 1 uses 1-2 digit numbers, level 5 uses 5-6 digits; from
 * level 3 a subtraction may come out negative.
 */
final class AdditionFamily implements ProblemFamily {
  static final String NAME = "addition";

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
    // from level 3, three subtractions in ten may come out negative; the others put the larger first
    if (subtract && a < b && !(difficulty >= 3 && rng.chance(0.3))) {
      long t = a;
      a = b;
      b = t;
    }
    Steps steps = new Steps();
    (subtract ? WrittenArithmetic.subtract(a, b) : WrittenArithmetic.add(a, b)).forEach(steps::add);
    long answer = subtract ? a - b : a + b;
    String question = "What is " + a + (subtract ? " - " : " + ") + b + "?";
    return steps.numeric(NAME, difficulty, problemSeed, id, question, Steps.num(answer));
  }
}
