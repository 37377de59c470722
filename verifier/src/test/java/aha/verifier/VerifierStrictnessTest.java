package aha.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import aha.verifier.budget.BudgetExceededException;
import aha.verifier.budget.Limits;
import aha.verifier.math.AnswerComparator.Match;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verifier's own logic (strictness, rewards, budgets, failure handling) with a fake comparator
 * that knows only decimal numbers, so these tests do not depend on the math package.
 */
class VerifierStrictnessTest {

  /** Equal as decimals ("2" = "2.0"); anything else is not a number and not equivalent. */
  static final class DecimalEquivalence implements AnswerMatcher {
    final List<String> compared = new ArrayList<>();
    int inferred;

    @Override
    public Match compare(String candidate, String gold, AnswerKind kind, Budget budget) {
      compared.add(candidate);
      try {
        boolean equal = new BigDecimal(candidate).compareTo(new BigDecimal(gold)) == 0;
        return new Match(equal, equal ? "equivalent" : "not equal");
      } catch (NumberFormatException e) {
        return new Match(false, "not a number");
      }
    }

    @Override
    public AnswerKind inferKind(String gold) {
      inferred++;
      return AnswerKind.NUMERIC;
    }
  }

  private static final VerifierConfig STRICT = VerifierConfig.defaults();
  private static final VerifierConfig LENIENT =
      new VerifierConfig(1.0, 0.1, 50_000_000L, false, Limits.defaults());

  /** "\boxed{0} \boxed{1} … \boxed{9}": one of them is surely right. */
  private static String everyDigitBoxed() {
    StringBuilder out = new StringBuilder("It is one of ");
    for (int digit = 0; digit <= 9; digit++) {
      out.append("\\boxed{").append(digit).append("} ");
    }
    return out.toString();
  }

  static Stream<Arguments> verdicts() {
    return Stream.of(
        // response, gold, strict, correct, reason prefix
        Arguments.of("\\boxed{2} or \\boxed{3}", "2", true, false, "ambiguous"),
        Arguments.of("\\boxed{2} or \\boxed{3}", "3", true, false, "ambiguous"),
        Arguments.of("\\boxed{3} or \\boxed{2}", "2", true, false, "ambiguous"),
        Arguments.of("\\boxed{2} or \\boxed{2.0}", "2", true, true, "equivalent"),
        Arguments.of("\\boxed{2}, i.e. \\boxed{2}", "2", true, true, "equivalent"),
        Arguments.of("\\boxed{4} \\boxed{5}", "2", true, false, "not equal"),
        Arguments.of("\\boxed{2} or \\boxed{3}", "3", false, true, "equivalent"),
        Arguments.of("\\boxed{3} or \\boxed{2}", "3", false, false, "not equal"),
        Arguments.of("guess \\boxed{3}\n\nso \\boxed{2}", "2", true, false, "ambiguous"),
        Arguments.of("guess \\boxed{3}, so \\boxed{2}", "2", true, false, "ambiguous"),
        Arguments.of("<answer>\\boxed{2}\n\n\\boxed{3}</answer>", "3", true, false, "ambiguous"),
        Arguments.of("<answer>\\boxed{2}\n\n\\boxed{3}</answer>", "3", false, true, "equivalent"),
        Arguments.of("\\boxed{2}", "2", true, true, "equivalent"),
        Arguments.of(everyDigitBoxed(), "7", true, false, "ambiguous"),
        Arguments.of(everyDigitBoxed(), "9", false, true, "equivalent"),
        Arguments.of("\\boxed{2", "2", true, false, "no answer found (unclosed \\boxed)"),
        Arguments.of("nothing to see", "2", true, false, "no answer found"),
        Arguments.of("\\boxed{2}", " ", true, false, "no gold answer"),
        Arguments.of("#### 2, 3", "2", true, false, "not a number"),
        Arguments.of("The answer is 2.", "2", true, true, "equivalent"));
  }

  @ParameterizedTest(name = "[{index}] {0} vs {1} strict={2}")
  @MethodSource("verdicts")
  void judgesCandidates(
      String response, String gold, boolean strict, boolean correct, String reasonPrefix) {
    Verifier verifier = new Verifier(strict ? STRICT : LENIENT, new DecimalEquivalence());

    Verdict verdict = verifier.verify(response, gold, AnswerKind.NUMERIC);

    assertEquals(correct, verdict.correct(), verdict.reason());
    assertTrue(verdict.reason().startsWith(reasonPrefix), verdict.reason());
  }

  @Test
  void tooManyCandidatesAreAmbiguousWhenStrict() {
    // distinct statements of one value: the same one repeated is a single candidate
    StringBuilder spam = new StringBuilder();
    for (int zeros = 0; zeros <= AnswerExtractor.MAX_CANDIDATES; zeros++) {
      spam.append("\\boxed{2.").append("0".repeat(zeros)).append("} ");
    }
    Verdict strict = new Verifier(STRICT, new DecimalEquivalence()).verify(spam.toString(), "2", null);
    Verdict lenient = new Verifier(LENIENT, new DecimalEquivalence()).verify(spam.toString(), "2", null);

    assertFalse(strict.correct());
    assertTrue(strict.reason().startsWith("ambiguous: more than"), strict.reason());
    assertTrue(lenient.correct());
  }

  @Test
  void identicalCandidatesAreComparedOnce() {
    DecimalEquivalence equivalence = new DecimalEquivalence();
    new Verifier(STRICT, equivalence).verify("\\boxed{2} \\boxed{2} \\boxed{2}", "2", null);

    assertEquals(List.of("2"), equivalence.compared);
  }

  @Test
  void infersTheKindOnlyWhenNoneIsGiven() {
    DecimalEquivalence equivalence = new DecimalEquivalence();
    Verifier verifier = new Verifier(STRICT, equivalence);
    verifier.verify("\\boxed{2}", "2", AnswerKind.NUMERIC);
    assertEquals(0, equivalence.inferred);
    verifier.verify("\\boxed{2}", "2", null);
    assertEquals(1, equivalence.inferred);
  }

  static Stream<Arguments> rewards() {
    String formatted = "<think>a</think><answer>\\boxed{2}</answer>";
    return Stream.of(
        // response, accuracy weight, format weight, expected reward, formatOk
        Arguments.of(formatted, 1.0, 0.1, 1.1, true),
        Arguments.of("<think>a</think><answer>\\boxed{3}</answer>", 1.0, 0.1, 0.1, true),
        Arguments.of("\\boxed{2}", 1.0, 0.1, 1.0, false),
        Arguments.of("\\boxed{3}", 1.0, 0.1, 0.0, false),
        Arguments.of(formatted, 2.0, 0.5, 2.5, true),
        Arguments.of(formatted, 1.0, 0.0, 1.0, true));
  }

  @ParameterizedTest(name = "[{index}] {0} weights {1}/{2} -> {3}")
  @MethodSource("rewards")
  void rewardIsTheWeightedSum(
      String response, double accuracy, double format, double reward, boolean formatOk) {
    Verifier verifier =
        new Verifier(
            VerifierConfig.defaults().withWeights(accuracy, format), new DecimalEquivalence());

    Verdict verdict = verifier.verify(response, "2", AnswerKind.NUMERIC);

    assertEquals(reward, verdict.reward(), 1e-12);
    assertEquals(formatOk, verdict.formatOk());
  }

  /** A comparator that fails in a given way, to check that no failure escapes a verdict. */
  private static AnswerMatcher failing(Runnable failure) {
    return new AnswerMatcher() {
      @Override
      public Match compare(String candidate, String gold, AnswerKind kind, Budget budget) {
        failure.run();
        return new Match(true, "equivalent");
      }

      @Override
      public AnswerKind inferKind(String gold) {
        return AnswerKind.NUMERIC;
      }
    };
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            (Runnable)
                () -> {
                  throw new BudgetExceededException("digits 900 exceeds the cap of 400");
                },
            "digits 900 exceeds the cap of 400"),
        Arguments.of(
            (Runnable)
                () -> {
                  throw new IllegalStateException("boom");
                },
            "internal error: IllegalStateException: boom"),
        Arguments.of(
            (Runnable)
                () -> {
                  throw new StackOverflowError();
                },
            "internal error: StackOverflowError"),
        Arguments.of(
            (Runnable)
                () -> {
                  throw new NullPointerException();
                },
            "internal error: NullPointerException"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("failures")
  void failuresBecomeWrongVerdictsThatKeepTheFormatReward(Runnable failure, String reason) {
    Verifier verifier = new Verifier(VerifierConfig.defaults(), failing(failure));

    Verdict verdict =
        verifier.verify("<think>a</think><answer>\\boxed{2}</answer>", "2", AnswerKind.NUMERIC);

    assertFalse(verdict.correct());
    assertTrue(verdict.formatOk());
    assertEquals(0.1, verdict.reward(), 1e-12);
    assertEquals("2", verdict.extracted());
    assertEquals(reason, verdict.reason());
  }

  @Test
  void aComparatorThatNeverStopsIsStoppedByTheWorkBudget() {
    AnswerMatcher spinning = matcherThatSpins(0);
    Verifier verifier = new Verifier(VerifierConfig.defaults(), spinning);

    Verdict verdict = verifier.verify("\\boxed{2}", "2", AnswerKind.NUMERIC);

    assertEquals("work budget exceeded (" + Limits.DEFAULT_MAX_WORK + " steps)", verdict.reason());
    assertEquals(Limits.DEFAULT_MAX_WORK + 1, verdict.work());
  }

  @Test
  void slowStepsAreStoppedByTheWallClockGuard() {
    // a step that does far more work than it counts: only the guard can stop it
    Verifier verifier =
        new Verifier(VerifierConfig.defaults().withDeadlineNanos(20_000_000L), matcherThatSpins(1));

    long start = System.nanoTime();
    Verdict verdict = verifier.verify("\\boxed{2}", "2", AnswerKind.NUMERIC);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(Budget.WALL_CLOCK_GUARD, verdict.reason());
    assertTrue(elapsedMillis < 1_000, "took " + elapsedMillis + " ms");
  }

  /** A comparator that counts steps forever, sleeping {@code millisPerStep} in each. */
  private static AnswerMatcher matcherThatSpins(long millisPerStep) {
    return new AnswerMatcher() {
      @Override
      public Match compare(String candidate, String gold, AnswerKind kind, Budget budget) {
        while (true) {
          budget.check();
          if (millisPerStep > 0) {
            try {
              Thread.sleep(millisPerStep);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
        }
      }

      @Override
      public AnswerKind inferKind(String gold) {
        return AnswerKind.NUMERIC;
      }
    };
  }

  @Test
  void nullResponseIsNoAnswer() {
    Verdict verdict =
        new Verifier(STRICT, new DecimalEquivalence()).verify(null, "2", AnswerKind.NUMERIC);
    assertFalse(verdict.correct());
    assertNull(verdict.extracted());
    assertEquals("no answer found", verdict.reason());
  }

  @Test
  void rejectsABadConfigAtConstruction() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Verifier(VerifierConfig.defaults().withDeadlineNanos(0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Verifier(VerifierConfig.defaults().withWeights(Double.NaN, 0.1)));
  }
}
