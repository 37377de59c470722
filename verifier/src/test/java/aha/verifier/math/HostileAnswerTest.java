package aha.verifier.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import aha.verifier.budget.Limits;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answers built to hang, exhaust memory or overflow the stack must be judged wrong quickly, with a
 * reason that says why (the cap's name where a cap applies).
 */
class HostileAnswerTest {
  private static final Duration QUICKLY = Duration.ofSeconds(1);

  static Stream<Arguments> hostileAnswers() {
    return Stream.of(
        Arguments.of(AnswerKind.NUMERIC, "9^{9^{9^{9}}}", "1", "exponent"),
        Arguments.of(AnswerKind.NUMERIC, "10^{10^{10}}", "1", "exponent"),
        Arguments.of(AnswerKind.NUMERIC, "9^{999}", "1", "digits"),
        Arguments.of(AnswerKind.NUMERIC, "(10^{300})^{300}", "1", "digits"),
        Arguments.of(AnswerKind.NUMERIC, "1000!", "1", "factorial"),
        Arguments.of(AnswerKind.NUMERIC, "(10^{100})!", "1", "factorial"),
        Arguments.of(AnswerKind.NUMERIC, "\\binom{10^{50}}{10^{49}}", "1", "binomial"),
        Arguments.of(AnswerKind.NUMERIC, "(".repeat(10_000) + "1" + ")".repeat(10_000), "1", "length"),
        Arguments.of(AnswerKind.NUMERIC, "(".repeat(1_000) + "1" + ")".repeat(1_000), "1", "nesting"),
        Arguments.of(AnswerKind.NUMERIC, "{".repeat(1_000) + "1" + "}".repeat(1_000), "1", "nesting"),
        Arguments.of(AnswerKind.NUMERIC, "-".repeat(3_000) + "1", "1", "nesting"),
        Arguments.of(AnswerKind.NUMERIC, "2" + "^2".repeat(1_500), "1", "nesting"),
        Arguments.of(AnswerKind.NUMERIC, "\\sqrt{".repeat(500) + "2" + "}".repeat(500), "1", "nesting"),
        Arguments.of(AnswerKind.NUMERIC, "\\frac{1}{".repeat(300) + "2" + "}".repeat(300), "1", "nesting"),
        Arguments.of(AnswerKind.EXPRESSION, "x^{9^{9^{9}}}", "x", "exponent"),
        Arguments.of(AnswerKind.NUMERIC, "7".repeat(1_000), "7", "digits"),
        Arguments.of(AnswerKind.NUMERIC, "1e999999999", "1", "exponent"),
        Arguments.of(AnswerKind.NUMERIC, "1e99999999999999999999999", "1", "exponent"),
        Arguments.of(AnswerKind.NUMERIC, "\\sqrt[1000000]{2}", "1", "exponent"),
        Arguments.of(AnswerKind.NUMERIC, "1" + "+1".repeat(2_500) + "x", "1", "length"),
        Arguments.of(AnswerKind.NUMERIC, "\\frac{1}{0}", "1", "division by zero"),
        Arguments.of(AnswerKind.NUMERIC, "0^{-1}", "1", "negative power"),
        Arguments.of(AnswerKind.NUMERIC, "\\sqrt{-1}", "1", "negative"),
        Arguments.of(AnswerKind.EXPRESSION, "e^{e^{e^{e^{x}}}}", "x", "differ"),
        Arguments.of(AnswerKind.EXPRESSION, "\\sin(10^{300})", "0", "range"),
        Arguments.of(AnswerKind.NUMERIC, "\uff15", "5", "unexpected character"),
        Arguments.of(AnswerKind.NUMERIC, "\\frac{1}", "1", "missing argument"),
        Arguments.of(AnswerKind.NUMERIC, "((1)", "1", "unclosed"),
        Arguments.of(AnswerKind.NUMERIC, "\\evil{1}", "1", "unsupported"),
        Arguments.of(AnswerKind.SET, "\\{" + "1,".repeat(1_500) + "2\\}", "\\{1, 2\\}", "equal sets"),
        Arguments.of(AnswerKind.COUNTDOWN, "(".repeat(100) + "3" + ")".repeat(100), "3 from [3]", "nesting"),
        Arguments.of(AnswerKind.TUPLE, "(" + "1,".repeat(1_900) + "1)", "(1, 1)", "elements"),
        Arguments.of(AnswerKind.NUMERIC, "5", "9^{9^{9^{9}}}", "gold"),
        Arguments.of(AnswerKind.NUMERIC, "5", "(((", "gold could not be parsed"),
        Arguments.of(AnswerKind.COUNTDOWN, "5", "24 from 3, 5", "gold"),
        Arguments.of(AnswerKind.CHOICE, "A", "42", "gold"));
  }

  @ParameterizedTest(name = "[{index}] {0} {3}")
  @MethodSource("hostileAnswers")
  void hostileAnswerIsWrongQuicklyWithReason(
      AnswerKind kind, String candidate, String gold, String reasonPart) {
    AnswerComparator.Match match =
        assertTimeoutPreemptively(
            QUICKLY,
            () ->
                AnswerComparator.compare(
                    candidate, gold, kind, Budget.unlimitedTime(Limits.defaults())));
    if (reasonPart.equals("equal sets")) {
      // wide but shallow input within the caps is simply judged
      assertTrue(match.equivalent(), match.reason());
      return;
    }
    assertFalse(match.equivalent(), match.reason());
    assertTrue(
        match.reason().contains(reasonPart),
        () -> "reason '" + match.reason() + "' should mention '" + reasonPart + "'");
  }

  @Test
  void nullAndBlankCandidatesAreWrong() {
    Budget budget = Budget.unlimitedTime(Limits.defaults());
    assertFalse(AnswerComparator.compare(null, "1", AnswerKind.NUMERIC, budget).equivalent());
    assertFalse(AnswerComparator.compare("  ", "1", AnswerKind.NUMERIC, budget).equivalent());
    assertFalse(AnswerComparator.compare("1", null, AnswerKind.NUMERIC, budget).equivalent());
  }

  @Test
  void theWallClockGuardIsThrownNotSwallowed() {
    Budget expired = Budget.startingNow(0, Limits.defaults());
    // enough work to pass many budget checks: the guard must surface as the exception
    String candidate = "\\sin(x)+" .repeat(200) + "1";
    try {
      AnswerComparator.Match match =
          AnswerComparator.compare(candidate, "x", AnswerKind.EXPRESSION, expired);
      assertNotNull(match);
      throw new AssertionError("expected the guard to fire, got " + match);
    } catch (aha.verifier.budget.BudgetExceededException e) {
      assertEquals(Budget.WALL_CLOCK_GUARD, e.getMessage());
    }
  }

  @Test
  void aSpentWorkBudgetIsThrownNotSwallowed() {
    Limits defaults = Limits.defaults();
    Limits small = new Limits(defaults.maxInputChars(), defaults.maxDigits(), defaults.maxExponent(),
        defaults.maxFactorial(), defaults.maxNesting(), 500);
    Budget budget = Budget.startingNow(60_000_000_000L, small);
    try {
      AnswerComparator.Match match =
          AnswerComparator.compare("e^{x}e^{y}", "e^{x+y}", AnswerKind.EXPRESSION, budget);
      throw new AssertionError("expected the work budget to be spent, got " + match);
    } catch (aha.verifier.budget.BudgetExceededException e) {
      assertEquals("work budget exceeded (500 steps)", e.getMessage());
    }
  }
}
