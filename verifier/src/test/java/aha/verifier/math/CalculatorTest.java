package aha.verifier.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CalculatorTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "37 * 6|222",
        "7*6|42",
        "100 - 58|42",
        "2 + 3 * 4|14",
        "(2 + 3) * 4|20",
        "7 / 3|7/3",
        "-14 / 6|-7/3",
        "2.5 * 4|10",
        "0.1 + 0.2|3/10",
        "2^10|1024",
        "2^-2|1/4",
        "(1/2)^3|1/8",
        "12 × 3 ÷ 4|9",
        "-(3 - 5)|2",
        "123456789 * 987654321|121932631112635269",
      })
  void answersArithmeticExactly(String expression, String value) {
    assertEquals(value, Calculator.evaluate(expression));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "1 / 0",
        "5 / (3 - 3)",
        "x + 1",
        "2 ^ 0.5",
        "2^1000",
        "9^9^9^9",
        "10^64 * 10^64",
        "\\frac{1}{2}",
        "sqrt(4)",
        "3!",
        "1 +",
        "(1 + 2",
        "2 3",
        "java.lang.Runtime",
        "1; rm -rf /",
      })
  void refusesWhatIsNotCappedArithmetic(String expression) {
    assertEquals(Calculator.ERROR, Calculator.evaluate(expression));
  }

  /** Hostile calls get an error within the budget: deep nesting, long input, long numbers. */
  @ParameterizedTest
  @ValueSource(ints = {33, 10_000})
  void deepNestingIsAnErrorQuickly(int depth) {
    String nested = "(".repeat(depth) + "1" + ")".repeat(depth);
    long began = System.nanoTime();
    assertEquals(Calculator.ERROR, Calculator.evaluate(nested));
    assertTrue(System.nanoTime() - began < 1_000_000_000L, "took " + (System.nanoTime() - began) / 1e6 + " ms");
  }

  @org.junit.jupiter.api.Test
  void longInputAndLongNumbersAreErrors() {
    assertEquals(Calculator.ERROR, Calculator.evaluate("1+".repeat(150) + "1"));
    assertEquals(Calculator.ERROR, Calculator.evaluate("9".repeat(65)));
    assertEquals("1", Calculator.evaluate("(".repeat(10) + "1" + ")".repeat(10)));
    assertEquals(Calculator.ERROR, Calculator.evaluate(null));
  }
}
