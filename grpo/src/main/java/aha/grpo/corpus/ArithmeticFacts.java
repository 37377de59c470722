package aha.grpo.corpus;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Drill sheets of small arithmetic facts, the times tables and sums of the lab's "internet". Every
 * worked solution is built from such facts ("ones: 8 + 7 + 1 = 16", "4 * 9 + 5 = 41", "27 = 18 * 1
 * + 9"), written the same way here, so that a small model meets each fact often and on its own;
 * without them a base model copies numbers well but gets one-digit facts wrong.
 *
 * <p>A sheet is a heading from {@link #HEADINGS} and one fact per line, each of a random form:
 * a + b, a + b + carry, a - b, a * b, a * b + carry, a / b (exact), a = b * q + r, sums and
 * differences of numbers up to 999 and 99, sums and differences of signed two-digit numbers, and a
 * two-digit number times a one-digit one.
 */
public final class ArithmeticFacts {

  /** The first line of a sheet. */
  public static final List<String> HEADINGS =
      List.of("Arithmetic facts:", "Practice sums and products:", "Times tables and sums:", "Quick drill:");

  private ArithmeticFacts() {}

  /** A sheet of {@code facts} facts. */
  public static String sheet(int facts, SplittableRandom random) {
    StringBuilder out = new StringBuilder(HEADINGS.get(random.nextInt(HEADINGS.size())));
    for (int i = 0; i < facts; i++) {
      out.append('\n').append(fact(random));
    }
    return out.toString();
  }

  /** One true fact. */
  static String fact(SplittableRandom random) {
    int a = random.nextInt(10);
    int b = random.nextInt(10);
    return switch (random.nextInt(10)) {
      case 0 -> a + " + " + b + " = " + (a + b);
      case 1 -> {
        int carry = random.nextInt(2);
        yield a + " + " + b + " + " + carry + " = " + (a + b + carry);
      }
      case 2 -> (a + b) + " - " + b + " = " + a;
      case 3 -> a + " * " + b + " = " + a * b;
      case 4 -> {
        int carry = random.nextInt(9);
        yield a + " * " + b + " + " + carry + " = " + (a * b + carry);
      }
      case 5 -> {
        int divisor = 1 + random.nextInt(12);
        int quotient = random.nextInt(13);
        yield divisor * quotient + " / " + divisor + " = " + quotient;
      }
      case 6 -> {
        int divisor = 2 + random.nextInt(18);
        int quotient = random.nextInt(10);
        int remainder = random.nextInt(divisor);
        yield divisor * quotient + remainder + " = " + divisor + " * " + quotient + " + " + remainder;
      }
      case 7 -> {
        int x = 10 + random.nextInt(990);
        int y = random.nextInt(100);
        yield random.nextBoolean() ? x + " + " + y + " = " + (x + y) : (x + y) + " - " + y + " = " + x;
      }
      case 8 -> {
        int x = random.nextInt(199) - 99;
        int y = random.nextInt(100);
        yield random.nextBoolean() ? x + " + " + y + " = " + (x + y) : x + " - " + y + " = " + (x - y);
      }
      default -> {
        int x = 10 + random.nextInt(90);
        yield x + " * " + b + " = " + x * b;
      }
    };
  }
}
