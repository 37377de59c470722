package aha.problems.gen;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Arithmetic worked the way a careful pupil writes it out, with every carry and borrow, in one of
 * two {@link Layout layouts}. The addition and multiplication families write their solutions in
 * columns, and the corpus uses either layout to work any step of another family carefully (a
 * trace's careful route) or to check a one-line result by working it again.
 *
 * <p><b>Columns</b> name the place of each column ("tens: 2 + 8 + 1 = 11, write 1, carry 1").
 * <b>Peeled</b> working takes the last digits of what is left of the operands, and drops them for
 * the next line, while the result grows from the right ("so far"):
 *
 * <pre>
 * Add digit by digit from the right.
 * 2217 + 1317: 7 + 7 = 14, carry 1, so far 4
 * 221 + 131: 1 + 1 + 1 = 3, carry 0, so far 34
 * ...
 * 2217 + 1317 = 3534
 * </pre>
 *
 * <p>Why peeled: a small transformer finds "the last digit before the +" and "the line above
 * without its last digit" by looking one line up, but "the hundreds digit of 2217" only by counting
 * positions, which the lab's nano model got wrong in most column-by-column traces ("tens: 2 + 8"
 * for 2217 + 1317). Every peeled line needs only the line above it; the same layout made small
 * models learn addition from far fewer examples in Lee et al. 2023, "Teaching Arithmetic to Small
 * Transformers". Measured in docs/grpo.md: the nano base's held-out addition went from 52% to 67%
 * greedy, its multiplication (longer when peeled) from 11% to 4%.
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

  /** How the working is laid out. */
  public enum Layout {
    /**
     * Column by column, with the place of each column ("tens: 2 + 8 + 1 = 11, write 1, carry 1");
     * a one-digit multiplication in one line. What the problem generators write.
     */
    COLUMNS,
    /** Peeled, one digit a line, each line built from the line above (see the class comment). */
    PEELED;

    /** The name in config files: {@code columns}, {@code peeled}. */
    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The working of {@code a + b} for a, b &gt;= 0, in columns. */
  public static List<String> add(long a, long b) {
    return add(a, b, Layout.COLUMNS);
  }

  /** The working of {@code a + b} for a, b &gt;= 0. */
  public static List<String> add(long a, long b, Layout layout) {
    requireNonNegative(a, b);
    return layout == Layout.PEELED ? peeledAdd(a, b) : columnsAdd(a, b);
  }

  /** The working of {@code a - b} for a, b &gt;= 0, in columns. */
  public static List<String> subtract(long a, long b) {
    return subtract(a, b, Layout.COLUMNS);
  }

  /**
   * The working of {@code a - b} for a, b &gt;= 0. When a &lt; b it computes b - a and makes it
   * negative, saying so first and restating the result last.
   */
  public static List<String> subtract(long a, long b, Layout layout) {
    requireNonNegative(a, b);
    if (a >= b) {
      return smallerSubtracted(a, b, layout);
    }
    List<String> lines = new ArrayList<>();
    lines.add(a + " is smaller than " + b + ", so compute " + b + " - " + a + " and make it negative.");
    lines.addAll(smallerSubtracted(b, a, layout));
    lines.add("So " + a + " - " + b + " = " + (a - b));
    return lines;
  }

  private static List<String> smallerSubtracted(long a, long b, Layout layout) {
    return layout == Layout.PEELED ? peeledSubtract(a, b) : columnsSubtract(a, b);
  }

  /** The working of {@code multiplicand * multiplier} for positive factors, in columns. */
  public static List<String> multiply(long multiplicand, long multiplier) {
    return multiply(multiplicand, multiplier, Layout.COLUMNS);
  }

  /**
   * The working of {@code multiplicand * multiplier} for positive factors: the multiplicand times
   * a one-digit multiplier peeled digit by digit ({@code "347 * 8: 7 * 8 = 56, carry 5, so far
   * 6"}); for a longer multiplier, that for each of its digits, each partial product shifted to its
   * place, their sum, and the product.
   */
  public static List<String> multiply(long multiplicand, long multiplier, Layout layout) {
    if (multiplicand < 1 || multiplier < 1) {
      throw new IllegalArgumentException("factors must be positive, got " + multiplicand + " and " + multiplier);
    }
    List<String> lines = new ArrayList<>();
    if (multiplier < 10) {
      lines.addAll(byDigit(multiplicand, multiplier, layout));
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
      String times = place > 0 ? "times " + shift + ": " + multiplicand * digit * shift : null;
      if (layout == Layout.PEELED) {
        lines.add(PLACES[place] + " digit " + digit + ":");
        lines.addAll(byDigit(multiplicand, digit, layout));
        if (times != null) {
          lines.add(times);
        }
      } else {
        // one line: "tens digit 2: 347 * 2: ..., so 694, times 10: 6940"
        lines.add(PLACES[place] + " digit " + digit + ": " + partial(multiplicand, digit) + (times != null ? ", " + times : ""));
      }
      partials.add(multiplicand * digit * shift);
    }
    long sum = partials.get(0);
    for (int i = 1; i < partials.size(); i++) {
      lines.add("Add: " + sum + " + " + partials.get(i) + " = " + (sum + partials.get(i)));
      sum += partials.get(i);
    }
    long product = multiplicand * multiplier;
    if (sum != product) {
      throw new IllegalStateException("partial products of " + multiplicand + " * " + multiplier + " add to " + sum);
    }
    lines.add(multiplicand + " * " + multiplier + " = " + product);
    return lines;
  }

  /** {@code multiplicand * digit}: one line in columns, peeled lines and the product line when peeled. */
  private static List<String> byDigit(long multiplicand, long digit, Layout layout) {
    return layout == Layout.PEELED ? byDigit(multiplicand, digit) : List.of(partial(multiplicand, digit));
  }

  /** {@code a + b} column by column: "tens: 1 + 1 + 1 = 3, write 3, carry 0". */
  private static List<String> columnsAdd(long a, long b) {
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

  /** a - b for a &gt;= b, column by column. */
  private static List<String> columnsSubtract(long a, long b) {
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

  /** {@code a + b} peeled: "221 + 131: 1 + 1 + 1 = 3, carry 0, so far 34". */
  private static List<String> peeledAdd(long a, long b) {
    requireNonNegative(a, b);
    List<String> lines = new ArrayList<>();
    lines.add("Add digit by digit from the right.");
    long restA = a;
    long restB = b;
    long carry = 0;
    StringBuilder soFar = new StringBuilder();
    do {
      long x = restA % 10;
      long y = restB % 10;
      long sum = x + y + carry;
      String work = soFar.length() == 0 ? x + " + " + y : x + " + " + y + " + " + carry;
      String header = restA + " + " + restB + ": ";
      carry = sum / 10;
      soFar.insert(0, sum % 10);
      lines.add(header + work + " = " + sum + ", carry " + carry + ", so far " + soFar);
      restA /= 10;
      restB /= 10;
    } while (restA > 0 || restB > 0);
    if (carry > 0) {
      soFar.insert(0, carry);
      lines.add("carry " + carry + ", so far " + soFar);
    }
    lines.add(a + " + " + b + " = " + (a + b));
    return lines;
  }

  /** a - b for a &gt;= b; the result's leading zeros ("so far 0007") go in its last line. */
  private static List<String> peeledSubtract(long a, long b) {
    List<String> lines = new ArrayList<>();
    lines.add("Subtract digit by digit from the right.");
    long restA = a;
    long restB = b;
    long borrow = 0;
    StringBuilder soFar = new StringBuilder();
    do {
      long x = restA % 10;
      long y = restB % 10;
      long diff = x - y - borrow;
      String header = restA + " - " + restB + ": ";
      String work = (soFar.length() == 0 ? x + " - " + y : x + " - " + y + " - " + borrow) + " = " + diff;
      if (diff < 0) {
        borrow = 1;
        soFar.insert(0, diff + 10);
        lines.add(header + work + ", below 0 so add 10: " + (diff + 10) + ", borrow 1, so far " + soFar);
      } else {
        borrow = 0;
        soFar.insert(0, diff);
        lines.add(header + work + ", borrow 0, so far " + soFar);
      }
      restA /= 10;
      restB /= 10;
    } while (restA > 0);
    lines.add(a + " - " + b + " = " + (a - b));
    return lines;
  }

  /**
   * {@code multiplicand * digit} peeled, then the product line; "7 * 8 = 56" alone for a one-digit
   * multiplicand.
   */
  private static List<String> byDigit(long multiplicand, long digit) {
    if (multiplicand < 10) {
      return List.of(multiplicand + " * " + digit + " = " + multiplicand * digit);
    }
    List<String> lines = new ArrayList<>();
    long rest = multiplicand;
    long carry = 0;
    StringBuilder soFar = new StringBuilder();
    while (rest > 0) {
      long d = rest % 10;
      long value = d * digit + carry;
      String work = d + " * " + digit + (soFar.length() == 0 ? "" : " + " + carry) + " = " + value;
      carry = value / 10;
      soFar.insert(0, value % 10);
      lines.add(rest + " * " + digit + ": " + work + ", carry " + carry + ", so far " + soFar);
      rest /= 10;
    }
    if (carry > 0) {
      soFar.insert(0, carry);
      lines.add("carry " + carry + ", so far " + soFar);
    }
    lines.add(multiplicand + " * " + digit + " = " + multiplicand * digit);
    return lines;
  }

  private static long digit(long n, int place) {
    for (int i = 0; i < place; i++) {
      n /= 10;
    }
    return n % 10;
  }

  /** Digits of |n|; 1 for 0. */
  public static int digitCount(long n) {
    return Long.toString(Math.abs(n)).length();
  }

  private static void requireNonNegative(long a, long b) {
    if (a < 0 || b < 0) {
      throw new IllegalArgumentException("written addition and subtraction take numbers >= 0, got " + a + " and " + b);
    }
  }
}
