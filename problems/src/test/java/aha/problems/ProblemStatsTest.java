package aha.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProblemStatsTest {

  static Problem p(
      String id, String answer, AnswerKind kind, String solution, String family, int difficulty) {
    return new Problem(
        id, "q " + id, answer, kind, solution, new ProblemMeta(family, difficulty, 0, null));
  }

  static final List<Problem> SET =
      List.of(
          p("a", "1", AnswerKind.NUMERIC, "s#### 1", "addition", 1), // solution length 7
          p("b", "22", AnswerKind.NUMERIC, null, "addition", 1),
          p("c", "333", AnswerKind.NUMERIC, "longer#### 3", "addition", 2), // 12
          p("d", "24 from [3, 5, 7, 25]", AnswerKind.COUNTDOWN, null, "countdown", 3), // answer 21
          new Problem("e", "q e", "√2", AnswerKind.EXPRESSION, "x", null)); // answer 2 code points

  @Test
  void countsByKindFamilyAndDifficulty() {
    ProblemStats stats = ProblemStats.of(SET);
    assertEquals(5, stats.count());
    assertEquals(Map.of("numeric", 3, "expression", 1, "countdown", 1), stats.byKind());
    assertEquals(
        List.of("numeric", "expression", "countdown"), List.copyOf(stats.byKind().keySet()));
    assertEquals(
        Map.of("addition", 3, "countdown", 1, ProblemStats.NO_FAMILY, 1), stats.byFamily());
    assertEquals(Map.of(0, 1, 1, 2, 2, 1, 3, 1), stats.byDifficulty());
    assertEquals(Map.of(1, 2, 2, 1), stats.byFamilyDifficulty().get("addition"));
    assertEquals(3, stats.withSolution());
    assertEquals(0.6, stats.solutionFraction(), 1e-12);
  }

  @Test
  void lengthsInCodePoints() {
    ProblemStats stats = ProblemStats.of(SET);
    // answers: 1, 2, 3, 21, 2 -> sorted 1 2 2 3 21
    assertEquals(new ProblemStats.Lengths(5, 1, 29 / 5.0, 2, 21, 21), stats.answerLength());
    // solutions: 7, 12, 1 -> sorted 1 7 12
    assertEquals(new ProblemStats.Lengths(3, 1, 20 / 3.0, 7, 12, 12), stats.solutionLength());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // lengths        | min | mean | median | p90 | max
        "5                | 5   | 5.0  | 5.0    | 5   | 5",
        "4 1 3 2          | 1   | 2.5  | 2.5    | 4   | 4",
        "1 2 3 4 5 6 7 8 9 10 | 1 | 5.5 | 5.5   | 9   | 10",
        "1 2 3 4 5 6 7 8 9 10 11 | 1 | 6.0 | 6.0 | 10  | 11",
      })
  void lengthSummaryUsesNearestRankP90(
      String lengths, int min, double mean, double median, int p90, int max) {
    int[] values =
        java.util.Arrays.stream(lengths.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    assertEquals(
        new ProblemStats.Lengths(values.length, min, mean, median, p90, max),
        ProblemStats.Lengths.of(values));
  }

  @Test
  void formatShowsTheTableAndToMapHasStringKeys() {
    ProblemStats stats = ProblemStats.of(SET);
    String text = stats.format();
    assertTrue(text.contains("with solution  3 (60.0%)"), text);
    assertTrue(text.matches("(?s).*\naddition +0 +2 +1 +0 +3\n.*"), text);
    assertTrue(text.matches("(?s).*\ntotal +1 +2 +1 +1 +5\n.*"), text);
    assertTrue(text.matches("(?s).*\nanswer +5 +1 +5\\.8 +2\\.0 +21 +21\n.*"), text);
    Map<String, Object> map = stats.toMap();
    assertEquals(Map.of("0", 1, "1", 2, "2", 1, "3", 1), map.get("byDifficulty"));
    assertEquals(0.6, (double) map.get("solutionFraction"), 1e-12);
  }

  @Test
  void emptySet() {
    ProblemStats stats = ProblemStats.of(List.of());
    assertEquals(0, stats.count());
    assertEquals(new ProblemStats.Lengths(0, 0, 0, 0, 0, 0), stats.answerLength());
    assertEquals("problems       0\nwith solution  0 (0.0%)\n", stats.format());
  }
}
