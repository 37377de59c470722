package aha.verifier.math;

import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import aha.verifier.budget.Limits;
import org.junit.jupiter.api.Test;

/**
 * The verifier must keep up with sampling: well over 50,000 verdicts per second on one thread. The
 * bounds here are loose (shared CI machines); the printed numbers are the measurement.
 */
class ComparatorSpeedTest {

  private static double microsPerCompare(String candidate, String gold, AnswerKind kind, int rounds) {
    Limits limits = Limits.defaults();
    boolean sink = false;
    for (int i = 0; i < rounds; i++) { // warm-up
      sink ^= AnswerComparator.compare(candidate, gold, kind, Budget.startingNow(50_000_000L, limits)).equivalent();
    }
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      sink ^= AnswerComparator.compare(candidate, gold, kind, Budget.startingNow(50_000_000L, limits)).equivalent();
    }
    double micros = (System.nanoTime() - start) / 1_000.0 / rounds;
    System.out.printf("compare(%s, %s, %s): %.2f us (%s)%n", candidate, gold, kind, micros, sink);
    return micros;
  }

  @Test
  void plainNumbersTakeTheFastPath() {
    assertTrue(microsPerCompare("42", "42", AnswerKind.NUMERIC, 200_000) < 10);
  }

  @Test
  void parsedAnswersStayCheap() {
    assertTrue(microsPerCompare("\\frac{1}{2}", "0.5", AnswerKind.NUMERIC, 50_000) < 100);
    assertTrue(microsPerCompare("1{,}000\\text{ cm}", "1000", AnswerKind.NUMERIC, 50_000) < 100);
    assertTrue(microsPerCompare("(25+3)*4/(7-3)", "28 from [3, 4, 7, 25, 3]", AnswerKind.COUNTDOWN, 20_000) < 200);
    assertTrue(microsPerCompare("\\frac{2}{\\sqrt{2}}", "\\sqrt{2}", AnswerKind.EXPRESSION, 5_000) < 2_000);
    assertTrue(microsPerCompare("(x+1)^2", "x^2+2x+1", AnswerKind.EXPRESSION, 2_000) < 5_000);
  }
}
