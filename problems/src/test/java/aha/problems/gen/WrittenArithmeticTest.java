package aha.problems.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static aha.problems.gen.WrittenArithmetic.Layout.PEELED;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WrittenArithmeticTest {

  /** "221 + 131: 1 + 1 + 1 = 3, carry 0, so far 34": what is left, the digits, the running result. */
  private static final Pattern ADD_LINE =
      Pattern.compile("(\\d+) \\+ (\\d+): (\\d) \\+ (\\d)(?: \\+ (\\d))? = (\\d+), carry (\\d), so far (\\d+)");

  private static final Pattern SUBTRACT_LINE =
      Pattern.compile("(\\d+) - (\\d+): (\\d) - (\\d)(?: - (\\d))? = (-?\\d+)(?:, below 0 so add 10: (\\d))?, borrow (\\d), so far (\\d+)");

  private static final Pattern MULTIPLY_LINE =
      Pattern.compile("(\\d+) \\* (\\d): (\\d) \\* (\\d)(?: \\+ (\\d))? = (\\d+), carry (\\d), so far (\\d+)");

  @Test
  void columnsNameThePlaceOfEachColumn() {
    assertEquals(
        List.of(
            "Add column by column, starting from the ones.",
            "ones: 5 + 7 = 12, write 2, carry 1",
            "tens: 8 + 4 + 1 = 13, write 3, carry 1",
            "hundreds: 9 + 0 + 1 = 10, write 0, carry 1",
            "thousands: carry 1, write 1",
            "985 + 47 = 1032"),
        WrittenArithmetic.add(985, 47));
    assertEquals(List.of("347 * 8: 7 * 8 = 56, 4 * 8 + 5 = 37, 3 * 8 + 3 = 27, so 2776"), WrittenArithmetic.multiply(347, 8));
  }

  @Test
  void additionAsWritten() {
    assertEquals(
        List.of(
            "Add digit by digit from the right.",
            "985 + 47: 5 + 7 = 12, carry 1, so far 2",
            "98 + 4: 8 + 4 + 1 = 13, carry 1, so far 32",
            "9 + 0: 9 + 0 + 1 = 10, carry 1, so far 032",
            "carry 1, so far 1032",
            "985 + 47 = 1032"),
        WrittenArithmetic.add(985, 47, PEELED));
  }

  @Test
  void eachAdditionLineTakesTheLastDigitsOfTheLineAboveWithoutThem() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 2000; trial++) {
      long a = random.nextLong(1_000_000);
      long b = random.nextLong(1_000_000);
      List<String> lines = WrittenArithmetic.add(a, b, PEELED);
      long restA = a;
      long restB = b;
      long carry = 0;
      String soFar = "";
      for (String line : lines.subList(1, lines.size() - 1)) {
        Matcher m = ADD_LINE.matcher(line);
        if (!m.matches()) {
          assertEquals("carry " + carry + ", so far " + carry + soFar, line);
          soFar = carry + soFar;
          continue;
        }
        assertEquals(restA, Long.parseLong(m.group(1)), line);
        assertEquals(restB, Long.parseLong(m.group(2)), line);
        assertEquals(restA % 10, Long.parseLong(m.group(3)), line);
        assertEquals(restB % 10, Long.parseLong(m.group(4)), line);
        long sum = restA % 10 + restB % 10 + carry;
        assertEquals(sum, Long.parseLong(m.group(6)), line);
        carry = sum / 10;
        soFar = sum % 10 + soFar;
        assertEquals(carry, Long.parseLong(m.group(7)), line);
        assertEquals(soFar, m.group(8), line);
        restA /= 10;
        restB /= 10;
      }
      assertEquals(a + b, Long.parseLong(soFar), a + " + " + b);
      assertEquals(a + " + " + b + " = " + (a + b), lines.get(lines.size() - 1));
    }
  }

  @Test
  void subtractionBorrowsAndKeepsLeadingZerosUntilTheResultLine() {
    assertEquals(
        List.of(
            "Subtract digit by digit from the right.",
            "1005 - 998: 5 - 8 = -3, below 0 so add 10: 7, borrow 1, so far 7",
            "100 - 99: 0 - 9 - 1 = -10, below 0 so add 10: 0, borrow 1, so far 07",
            "10 - 9: 0 - 9 - 1 = -10, below 0 so add 10: 0, borrow 1, so far 007",
            "1 - 0: 1 - 0 - 1 = 0, borrow 0, so far 0007",
            "1005 - 998 = 7"),
        WrittenArithmetic.subtract(1005, 998, PEELED));
    SplittableRandom random = new SplittableRandom(8);
    for (int trial = 0; trial < 2000; trial++) {
      long a = random.nextLong(1_000_000);
      long b = random.nextLong(1_000_000);
      List<String> lines = WrittenArithmetic.subtract(a, b, PEELED);
      String last = lines.get(lines.size() - 1);
      assertTrue(last.endsWith(a + " - " + b + " = " + (a - b)), last);
      long larger = Math.max(a, b);
      long smaller = Math.min(a, b);
      String soFar = null;
      for (String line : lines) {
        Matcher m = SUBTRACT_LINE.matcher(line);
        if (m.matches()) {
          long x = Long.parseLong(m.group(3));
          long y = Long.parseLong(m.group(4));
          long borrow = m.group(5) == null ? 0 : Long.parseLong(m.group(5));
          assertEquals(x - y - borrow, Long.parseLong(m.group(6)), line);
          soFar = m.group(9);
        }
      }
      assertEquals(larger - smaller, Long.parseLong(soFar), a + " - " + b);
    }
  }

  @Test
  void aProductPeelsTheMultiplicandForEachDigitOfTheMultiplier() {
    assertEquals(
        List.of(
            "347 * 8: 7 * 8 = 56, carry 5, so far 6",
            "34 * 8: 4 * 8 + 5 = 37, carry 3, so far 76",
            "3 * 8: 3 * 8 + 3 = 27, carry 2, so far 776",
            "carry 2, so far 2776",
            "347 * 8 = 2776"),
        WrittenArithmetic.multiply(347, 8, PEELED));
    SplittableRandom random = new SplittableRandom(9);
    for (int trial = 0; trial < 2000; trial++) {
      long multiplicand = 1 + random.nextLong(100_000);
      long multiplier = 1 + random.nextLong(1000);
      List<String> lines = WrittenArithmetic.multiply(multiplicand, multiplier, PEELED);
      assertEquals(multiplicand + " * " + multiplier + " = " + multiplicand * multiplier, lines.get(lines.size() - 1));
      for (String line : lines) {
        Matcher m = MULTIPLY_LINE.matcher(line);
        if (m.matches()) {
          long digit = Long.parseLong(m.group(2));
          assertEquals(Long.parseLong(m.group(1)) % 10, Long.parseLong(m.group(3)), line);
          long carry = m.group(5) == null ? 0 : Long.parseLong(m.group(5));
          assertEquals(Long.parseLong(m.group(3)) * digit + carry, Long.parseLong(m.group(6)), line);
        }
      }
    }
  }
}
