package aha.problems.gen;

import aha.problems.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Long multiplication: the longer factor times each digit of the shorter one, digit by digit with
 * carries, then the shifted partial products added up. Level 1 is a 1-digit by 1-2 digit product,
 * level 5 a 3-digit by 4-5 digit one.
 */
final class MultiplicationFamily implements ProblemFamily {
  static final String NAME = "multiplication";

  // digits of the shorter factor and {min, max} digits of the longer one, by level
  private static final int[][] DIGITS = {{1, 1, 2}, {1, 2, 3}, {2, 2, 3}, {2, 3, 4}, {3, 4, 5}};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "long multiplication with digit-by-digit partial products";
  }

  @Override
  public Problem generate(int difficulty, long problemSeed, String id) {
    Steps.checkDifficulty(difficulty);
    Rng rng = new Rng(problemSeed);
    int[] shape = DIGITS[difficulty - 1];
    long multiplier = shape[0] == 1 ? rng.between(2, 9) : rng.digits(shape[0]);
    long multiplicand = Math.max(2, rng.digits(rng.between(shape[1], shape[2])));
    boolean multiplierFirst = rng.chance(0.5);
    String question =
        "What is "
            + (multiplierFirst ? multiplier + " * " + multiplicand : multiplicand + " * " + multiplier)
            + "?";

    Steps steps = new Steps();
    long product = multiplicand * multiplier;
    WrittenArithmetic.multiply(multiplicand, multiplier).forEach(steps::add);
    return steps.numeric(NAME, difficulty, problemSeed, id, question, Steps.num(product));
  }
}
