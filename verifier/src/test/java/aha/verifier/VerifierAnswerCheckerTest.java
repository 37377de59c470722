package aha.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VerifierAnswerCheckerTest {
  private static final VerifierAnswerChecker CHECKER = new VerifierAnswerChecker();

  static Stream<Arguments> solutions() {
    return Stream.of(
        // solution, gold, kind, expect a problem
        Arguments.of(
            "Natalia sold 48/2 = <<48/2=24>>24 clips.\n#### 72", "72", AnswerKind.NUMERIC, false),
        Arguments.of(
            "Natalia sold 48/2 = <<48/2=24>>24 clips.\n#### 71", "72", AnswerKind.NUMERIC, true),
        Arguments.of("We find $x = \\boxed{\\frac{1}{2}}$.", "\\frac12", AnswerKind.NUMERIC, false),
        Arguments.of("The roots are \\boxed{\\{1, 2\\}}.", "\\{2, 1\\}", AnswerKind.SET, false),
        Arguments.of("It is \\boxed{3} or \\boxed{4}.", "3", AnswerKind.NUMERIC, true));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("solutions")
  void checksReferenceSolutions(String solution, String gold, AnswerKind kind, boolean problem) {
    String reason = CHECKER.solutionProblem(solution, gold, kind);
    assertEquals(problem, reason != null, String.valueOf(reason));
  }

  @Test
  void aSolutionWithoutAFinalAnswerSaysHowToWriteOne() {
    String reason = CHECKER.solutionProblem("We add them and get 72", "72", AnswerKind.NUMERIC);
    assertNotNull(reason);
    assertTrue(reason.startsWith("solution has no final answer"), reason);
  }

  @Test
  void emptyGoldIsAProblem() {
    assertEquals("empty gold answer", CHECKER.goldProblem("  ", AnswerKind.NUMERIC));
  }

  @Test
  void parsableGoldsAreFine() {
    assertNull(CHECKER.goldProblem("\\frac{1}{2}", AnswerKind.NUMERIC));
    assertNull(CHECKER.goldProblem("24 from [3, 5, 7, 25]", AnswerKind.COUNTDOWN));
    assertNotNull(CHECKER.goldProblem("\\frac{1}{", AnswerKind.NUMERIC));
  }
}
