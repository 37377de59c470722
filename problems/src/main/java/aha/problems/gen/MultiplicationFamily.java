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

  private static final String[] PLACES = {"ones", "tens", "hundreds", "thousands", "ten thousands"};

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
    if (multiplier < 10) {
      steps.add(partial(multiplicand, multiplier));
    } else {
      steps.add("Multiply " + multiplicand + " by each digit of " + multiplier + ", starting from the ones.");
      List<Long> partials = new ArrayList<>();
      long rest = multiplier;
      long shift = 1;
      for (int place = 0; rest > 0; place++, rest /= 10, shift *= 10) {
        long digit = rest % 10;
        if (digit == 0) {
          steps.add(PLACES[place] + " digit is 0, so its partial product is 0");
          continue;
        }
        String line = PLACES[place] + " digit " + digit + ": " + partial(multiplicand, digit);
        if (place > 0) {
          line += ", times " + shift + ": " + multiplicand * digit * shift;
        }
        steps.add(line);
        partials.add(multiplicand * digit * shift);
      }
      long sum = partials.get(0);
      for (int i = 1; i < partials.size(); i++) {
        steps.add("Add: " + sum + " + " + partials.get(i) + " = " + (sum + partials.get(i)));
        sum += partials.get(i);
      }
      if (sum != product) {
        throw new IllegalStateException("partial products of " + question + " add to " + sum);
      }
      steps.add(multiplicand + " * " + multiplier + " = " + product);
    }
    return steps.numeric(NAME, difficulty, problemSeed, id, question, Steps.num(product));
  }

  /** "347 * 8: 7 * 8 = 56, 4 * 8 + 5 = 37, 3 * 8 + 3 = 27, so 2776"; "7 * 8 = 56" for one digit. */
  private static String partial(long multiplicand, long digit) {
    if (multiplicand < 10) {
      return multiplicand + " * " + digit + " = " + multiplicand * digit;
    }
    StringBuilder line = new StringBuilder().append(multiplicand).append(" * ").append(digit).append(": ");
    long rest = multiplicand;
    long carry = 0;
    boolean first = true;
    while (rest > 0) {
      long d = rest % 10;
      long value = d * digit + carry;
      line.append(first ? "" : ", ").append(d).append(" * ").append(digit);
      if (!first) {
        line.append(" + ").append(carry);
      }
      line.append(" = ").append(value);
      carry = value / 10;
      rest /= 10;
      first = false;
    }
    return line.append(", so ").append(multiplicand * digit).toString();
  }
}
