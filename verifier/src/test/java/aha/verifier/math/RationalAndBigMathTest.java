package aha.verifier.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RationalAndBigMathTest {
  private static final aha.verifier.budget.Budget ANY = aha.verifier.budget.Budget.unlimitedTime(aha.verifier.budget.Limits.defaults());


  @Test
  void rationalsAreNormalized() {
    assertEquals(Rational.of(1, 2), Rational.of(-2, -4));
    assertEquals(Rational.of(1, 2), Rational.of(new BigDecimal("0.50")));
    assertEquals("-3/4", Rational.of(3, -4).toString());
    assertEquals(Rational.of(1, 2).hashCode(), Rational.of(2, 4).hashCode());
    assertNotEquals(Rational.of(1, 3), Rational.of(new BigDecimal("0.333")));
    assertTrue(Rational.of(1, 3).compareTo(Rational.of(new BigDecimal("0.333"))) > 0);
    assertThrows(ArithmeticException.class, () -> Rational.of(1, 0));
    assertEquals(Rational.of(8, 27), Rational.of(2, 3).pow(3));
    assertEquals(Rational.of(9, 4), Rational.of(2, 3).pow(-2));
  }

  @Test
  void constantsMatchTheirDefinitions() {
    MathContext context = new MathContext(45);
    // e = exp(1) by the series; pi by Machin's formula 16 atan(1/5) - 4 atan(1/239)
    assertTrue(BigMath.E.subtract(BigMath.exp(BigDecimal.ONE, ANY)).abs().compareTo(new BigDecimal("1e-38")) < 0);
    BigDecimal pi =
        atanOfReciprocal(5, context).multiply(BigDecimal.valueOf(16))
            .subtract(atanOfReciprocal(239, context).multiply(BigDecimal.valueOf(4)));
    assertTrue(BigMath.PI.subtract(pi).abs().compareTo(new BigDecimal("1e-42")) < 0, pi.toString());
  }

  private static BigDecimal atanOfReciprocal(int n, MathContext context) {
    BigDecimal x = BigDecimal.ONE.divide(BigDecimal.valueOf(n), context);
    BigDecimal xSquared = x.multiply(x, context);
    BigDecimal power = x;
    BigDecimal sum = BigDecimal.ZERO;
    for (int k = 0; k < 200; k++) {
      BigDecimal term = power.divide(BigDecimal.valueOf(2L * k + 1), context);
      sum = k % 2 == 0 ? sum.add(term, context) : sum.subtract(term, context);
      power = power.multiply(xSquared, context);
    }
    return sum;
  }

  @ParameterizedTest(name = "{0}({1})")
  @CsvSource({
    "ln, 2", "ln, 0.001", "ln, 12345.678", "exp, -3.5", "exp, 20", "sin, 1", "sin, 100", "cos, 2.5",
    "cos, -7"
  })
  void functionsAgreeWithDoubleMath(String function, double x) {
    BigDecimal argument = BigDecimal.valueOf(x);
    double expected;
    BigDecimal actual;
    switch (function) {
      case "ln" -> {
        expected = Math.log(x);
        actual = BigMath.ln(argument, ANY);
      }
      case "exp" -> {
        expected = Math.exp(x);
        actual = BigMath.exp(argument, ANY);
      }
      case "sin" -> {
        expected = Math.sin(x);
        actual = BigMath.sin(argument, ANY);
      }
      default -> {
        expected = Math.cos(x);
        actual = BigMath.cos(argument, ANY);
      }
    }
    assertEquals(expected, actual.doubleValue(), 1e-14 * Math.max(1, Math.abs(expected)));
  }

  @Test
  void lnAndExpAreInversesToFortyDigits() {
    BigDecimal x = new BigDecimal("3.7");
    BigDecimal roundTrip = BigMath.exp(BigMath.ln(x, ANY), ANY);
    assertTrue(roundTrip.subtract(x).abs().compareTo(new BigDecimal("1e-36")) < 0, roundTrip.toString());
  }
}
