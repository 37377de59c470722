package aha.verifier.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import aha.verifier.budget.Limits;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** inferKind, goldProblem and the countdown gold format. */
class KindAndGoldTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          42                          | NUMERIC
          -3.5                        | NUMERIC
          \\frac{1}{2}                | NUMERIC
          1,000                       | NUMERIC
          50\\%                       | NUMERIC
          \\sqrt{2}                   | EXPRESSION
          x^2+1                       | EXPRESSION
          2\\pi                       | EXPRESSION
          "(1, 2)"                    | TUPLE
          "(1, 2, 3)"                 | TUPLE
          "[0, 1)"                    | INTERVAL
          "[0, 1]"                    | INTERVAL
          "(0, \\infty)"              | INTERVAL
          "(-\\infty, 0) \\cup (1, 2)" | INTERVAL
          "\\{1, 2\\}"                | SET
          "1, 2"                      | SET
          y = 2x + 1                  | EQUATION
          B                           | CHOICE
          (C)                         | CHOICE
          F                           | EXPRESSION
          24 from [3, 5, 7, 25]       | COUNTDOWN
          \\unknown{5}                | EXPRESSION
          """)
  void infersKind(String gold, AnswerKind expected) {
    assertEquals(expected, AnswerComparator.inferKind(gold));
  }

  @ParameterizedTest(name = "[{index}] {1}: {0} -> ok={2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          42                    | NUMERIC    | true
          \\frac{3}{4}          | NUMERIC    | true
          x + 1                 | NUMERIC    | false
          1/0                   | NUMERIC    | false
          "1, 2"                | NUMERIC    | false
          x + 1                 | EXPRESSION | true
          \\frac{1}{            | EXPRESSION | false
          y = 2x                | EQUATION   | true
          2x                    | EQUATION   | false
          "(1, 2)"              | TUPLE      | true
          5                     | TUPLE      | false
          "\\{1, 2\\}"          | SET        | true
          "[0, 1)"              | INTERVAL   | true
          "(0, 1) \\cup [2, 3]" | INTERVAL   | true
          7                     | INTERVAL   | false
          D                     | CHOICE     | true
          "A, B"                | CHOICE     | false
          24 from [3, 5, 7, 25] | COUNTDOWN  | true
          24 from []            | COUNTDOWN  | false
          24                    | COUNTDOWN  | false
          9^{9^{9^{9}}}         | NUMERIC    | false
          """)
  void checksGold(String gold, AnswerKind kind, boolean ok) {
    String problem = AnswerComparator.goldProblem(gold, kind, Budget.unlimitedTime(Limits.defaults()));
    if (ok) {
      assertNull(problem);
    } else {
      assertNotNull(problem, "expected a problem with " + gold);
    }
  }

  @Test
  void deeplyNestedGoldNamesTheCap() {
    String gold = "(".repeat(10_00) + "1" + ")".repeat(10_00);
    String problem = AnswerComparator.goldProblem(gold, AnswerKind.NUMERIC, Budget.unlimitedTime(Limits.defaults()));
    assertNotNull(problem);
    assertTrue(problem.contains("nesting"), problem);
  }

  @Test
  void countdownGoldRoundTrips() {
    CountdownGold gold = CountdownGold.parse("24 from [3, 5, 7, 25]");
    assertEquals(24, gold.target());
    assertEquals(List.of(3L, 5L, 7L, 25L), gold.numbers());
    assertEquals("24 from [3, 5, 7, 25]", gold.toString());
    assertEquals(gold, CountdownGold.parse(gold.toString()));
    assertEquals(gold, CountdownGold.parse("  24   from [3,5 ,7,  25] "));
  }

  @Test
  void countdownGoldRejectsOtherFormats() {
    assertThrows(IllegalArgumentException.class, () -> CountdownGold.parse("24 from 3, 5"));
    assertThrows(IllegalArgumentException.class, () -> CountdownGold.parse("24 from [3, x]"));
    assertThrows(IllegalArgumentException.class, () -> CountdownGold.parse("24 from [3,, 5]"));
    assertThrows(IllegalArgumentException.class, () -> CountdownGold.parse("24 from []"));
  }
}
