package aha.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProblemSplitterTest {

  static List<Problem> problems(int from, int to) {
    List<Problem> list = new ArrayList<>();
    for (int i = from; i < to; i++) {
      list.add(
          new Problem(
              "p-" + i, "question " + i, String.valueOf(i), AnswerKind.NUMERIC, null, null));
    }
    return list;
  }

  static Set<String> ids(List<Problem> problems) {
    Set<String> ids = new HashSet<>();
    problems.forEach(p -> ids.add(p.id()));
    return ids;
  }

  @Test
  void sameSeedSameSplitAndEveryProblemInExactlyOnePart() {
    List<Problem> all = problems(0, 1000);
    ProblemSplitter.Split a = ProblemSplitter.split(all, 0.2, 42);
    ProblemSplitter.Split b = ProblemSplitter.split(all, 0.2, 42);
    assertEquals(a, b);
    assertEquals(1000, a.train().size() + a.test().size());
    Set<String> overlap = ids(a.train());
    overlap.retainAll(ids(a.test()));
    assertEquals(Set.of(), overlap);
    // Binomial(1000, 0.2) has standard deviation ~12.6; 5 sigma either side.
    assertTrue(a.test().size() > 137 && a.test().size() < 263, "test size " + a.test().size());
    assertNotEquals(ids(a.test()), ids(ProblemSplitter.split(all, 0.2, 43).test()));
  }

  @Test
  void keepsInputOrderWithinEachPart() {
    List<Problem> all = problems(0, 200);
    ProblemSplitter.Split split = ProblemSplitter.split(all, 0.5, 1);
    List<Problem> trainInOrder = all.stream().filter(split.train()::contains).toList();
    List<Problem> testInOrder = all.stream().filter(split.test()::contains).toList();
    assertEquals(trainInOrder, split.train());
    assertEquals(testInOrder, split.test());
  }

  @Test
  void addingProblemsMovesNoOldProblem() {
    ProblemSplitter.Split before = ProblemSplitter.split(problems(0, 300), 0.25, 9);
    List<Problem> grown = new ArrayList<>(problems(300, 600));
    grown.addAll(problems(0, 300)); // new ones first, too: order must not matter
    ProblemSplitter.Split after = ProblemSplitter.split(grown, 0.25, 9);
    Set<String> oldTestNow = ids(after.test());
    oldTestNow.retainAll(ids(problems(0, 300)));
    assertEquals(ids(before.test()), oldTestNow);
  }

  @Test
  void raisingTheFractionOnlyMovesProblemsIntoTest() {
    List<Problem> all = problems(0, 500);
    Set<String> small = ids(ProblemSplitter.split(all, 0.1, 5).test());
    Set<String> large = ids(ProblemSplitter.split(all, 0.3, 5).test());
    assertTrue(large.containsAll(small));
    assertTrue(large.size() > small.size());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN})
  void rejectsFractionsOutsideTheOpenUnitInterval(double fraction) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProblemSplitter.split(problems(0, 3), fraction, 0));
    assertTrue(e.getMessage().contains("strictly between 0 and 1"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(fraction)), e.getMessage());
  }

  @Test
  void positionIsAFixedFunctionOfIdAndSeed() {
    // Pinned so that a change of hash (which would reshuffle every existing split) fails loudly.
    double p = ProblemSplitter.position("p-1", 0);
    assertTrue(p >= 0 && p < 1);
    assertEquals(p, ProblemSplitter.position("p-1", 0));
    assertNotEquals(p, ProblemSplitter.position("p-1", 1));
    // SHA-256 of the seed's 8 big-endian bytes then "p-1"; top 53 bits of the first 8 bytes.
    assertEquals(0.17285712213572701, p);
  }
}
