package aha.problems.gen;

import java.util.ArrayList;
import java.util.List;

/**
 * Arithmetic worked the way a careful pupil writes it out: addition and subtraction column by
 * column with every carry and borrow, multiplication digit by digit with its partial products. The
 * addition and multiplication families write their solutions with it, and the corpus uses it to
 * work any step of another family carefully (a trace's careful route) or to check a one-line
 * result by working it again.
 *
 * <p>Each method returns the lines of the working; the last line states the result ({@code "840 +
 * 2744 = 3584"}), so the working can replace a one-line step or precede it.
 */
public final class WrittenArithmetic {

  private static final String[] PLACES = {
    "ones", "tens", "hundreds", "thousands", "ten thousands", "hundred thousands", "millions",
    "ten millions", "hundred millions", "billions"
  };

  private WrittenArithmetic() {}

  /** The working of {@code a + b} for a, b &gt;= 0. */
  public static List<String> add(long a, long b) {
    requireNonNegative(a, b);
    List<String> lines = new ArrayList<>();
    lines.add("Add column by column, starting from the ones.");
    int columns = Math.max(digitCount(a), digitCount(b));
    long carry = 0;
    for (int i = 0; i < columns; i++) {
      long x = digit(a, i);
      long y = digit(b, i);
      long sum = x + y + carry;
      String work = i == 0 ? x + " + " + y : x + " + " + y + " + " + carry;
      carry = sum / 10;
      lines.add(PLACES[i] + ": " + work + " = " + sum + ", write " + sum % 10 + ", carry " + carry);
    }
    if (carry > 0) {
      lines.add(PLACES[columns] + ": carry " + carry + ", write " + carry);
    }
    lines.add(a + " + " + b + " = " + (a + b));
    return lines;
  }

  /**
   * The working of {@code a - b} for a, b &gt;= 0. When a &lt; b it computes b - a and makes it
   * negative, saying so first and restating the result last.
   */
  public static List<String> subtract(long a, long b) {
    requireNonNegative(a, b);
    if (a >= b) {
      return subtractSmaller(a, b);
    }
    List<String> lines = new ArrayList<>();
    lines.add(a + " is smaller than " + b + ", so compute " + b + " - " + a + " and make it negative.");
    lines.addAll(subtractSmaller(b, a));
    lines.add("So " + a + " - " + b + " = " + (a - b));
    return lines;
  }

  /** a - b for a &gt;= b. */
  private static List<String> subtractSmaller(long a, long b) {
    List<String> lines = new ArrayList<>();
    lines.add("Subtract column by column, starting from the ones.");
    int columns = digitCount(a);
    long borrow = 0;
    for (int i = 0; i < columns; i++) {
      long x = digit(a, i);
      long y = digit(b, i);
      long diff = x - y - borrow;
      String work = (i == 0 ? x + " - " + y : x + " - " + y + " - " + borrow) + " = " + diff;
      if (diff < 0) {
        borrow = 1;
        lines.add(PLACES[i] + ": " + work + ", below 0 so add 10: " + (diff + 10)
            + ", write " + (diff + 10) + ", borrow 1");
      } else {
        borrow = 0;
        lines.add(PLACES[i] + ": " + work + ", write " + diff + ", borrow 0");
      }
    }
    lines.add(a + " - " + b + " = " + (a - b));
    return lines;
  }

  /**
   * The working of {@code multiplicand * multiplier} for positive factors: one line when the
   * multiplier has one digit ("347 * 8: 7 * 8 = 56, 4 * 8 + 5 = 37, 3 * 8 + 3 = 27, so 2776"),
   * else a partial product per digit of the multiplier, their sum, and the product.
   */
  public static List<String> multiply(long multiplicand, long multiplier) {
    if (multiplicand < 1 || multiplier < 1) {
      throw new IllegalArgumentException("factors must be positive, got " + multiplicand + " and " + multiplier);
    }
    List<String> lines = new ArrayList<>();
    long product = multiplicand * multiplier;
    if (multiplier < 10) {
      lines.add(partial(multiplicand, multiplier));
      return lines;
    }
    lines.add("Multiply " + multiplicand + " by each digit of " + multiplier + ", starting from the ones.");
    List<Long> partials = new ArrayList<>();
    long rest = multiplier;
    long shift = 1;
    for (int place = 0; rest > 0; place++, rest /= 10, shift *= 10) {
      long digit = rest % 10;
      if (digit == 0) {
        lines.add(PLACES[place] + " digit is 0, so its partial product is 0");
        continue;
      }
      String line = PLACES[place] + " digit " + digit + ": " + partial(multiplicand, digit);
      if (place > 0) {
        line += ", times " + shift + ": " + multiplicand * digit * shift;
      }
      lines.add(line);
      partials.add(multiplicand * digit * shift);
    }
    long sum = partials.get(0);
    for (int i = 1; i < partials.size(); i++) {
      lines.add("Add: " + sum + " + " + partials.get(i) + " = " + (sum + partials.get(i)));
      sum += partials.get(i);
    }
    if (sum != product) {
      throw new IllegalStateException("partial products of " + multiplicand + " * " + multiplier + " add to " + sum);
    }
    lines.add(multiplicand + " * " + multiplier + " = " + product);
    return lines;
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

  /** Digits of |n|; 1 for 0. */
  public static int digitCount(long n) {
    return Long.toString(Math.abs(n)).length();
  }

  private static long digit(long n, int place) {
    for (int i = 0; i < place; i++) {
      n /= 10;
    }
    return n % 10;
  }

  private static void requireNonNegative(long a, long b) {
    if (a < 0 || b < 0) {
      throw new IllegalArgumentException("written addition and subtraction take numbers >= 0, got " + a + " and " + b);
    }
  }
}
