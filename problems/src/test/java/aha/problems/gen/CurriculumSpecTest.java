package aha.problems.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.Problem;
import aha.problems.gen.CurriculumSpec.Entry;
import aha.problems.gen.CurriculumSpec.Share;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CurriculumSpecTest {

  private static final String EXAMPLE =
      """
      seed: 7
      count: 2000        # optional default count
      families:
        - family: addition
          weight: 3
          difficulty: [1, 2, 3]     # a list or a single int
        - family: countdown
          weight: 1
          difficulty: 2
      """;

  @Test
  void aliasesAreRefusedWithTheirLine() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> CurriculumSpec.parse(
                "seed: 1\nfamilies:\n  - family: addition\n    difficulty: &d [1, 2]\n  - family: linear\n    difficulty: *d\n",
                "c.yaml"));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().startsWith("c.yaml: line 6: YAML aliases (*d) are not supported"), e.getMessage());
  }

  @Test
  void aSecondDocumentIsRefusedWithItsLine() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> CurriculumSpec.parse(
                "seed: 1\nfamilies:\n  - family: addition\n---\nseed: 2\n", "c.yaml"));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().startsWith("c.yaml: line 5: a second YAML document is not supported"), e.getMessage());
  }

  @Test
  void readsTheExample() {
    CurriculumSpec spec = CurriculumSpec.parse(EXAMPLE, "curriculum.yaml");
    assertEquals(7, spec.seed());
    assertEquals(2000, spec.count());
    assertEquals(
        List.of(new Entry("addition", 3, List.of(1, 2, 3)), new Entry("countdown", 1, List.of(2))),
        spec.families());
  }

  @Test
  void countAndWeightAreOptional() {
    CurriculumSpec spec =
        CurriculumSpec.parse("seed: 1\nfamilies:\n  - family: gcd\n    difficulty: 4\n", "c.yaml");
    assertNull(spec.count());
    assertEquals(1.0, spec.families().get(0).weight());
    assertThrows(IllegalArgumentException.class, () -> ProblemGenerator.generate(spec));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "seed: 7\\nfamilies:\\n  - {family: addition, difficulty: 1}\\n  - {family: gcd, difficulty: 7}"
            + "| curriculum.yaml: families[1].difficulty: 7 is outside 1-5",
        "seed: 7\\nfamilies:\\n  - {family: addition, difficulty: [1, 0]}"
            + "| curriculum.yaml: families[0].difficulty: 0 is outside 1-5",
        "seed: 7\\nfamilies:\\n  - {family: addition, difficulty: []}"
            + "| curriculum.yaml: families[0].difficulty: empty list",
        "seed: 7\\nfamilies:\\n  - {family: addition, difficulty: two}"
            + "| curriculum.yaml: families[0].difficulty: 'two' is not an integer 1-5",
        "seed: 7\\nfamilies:\\n  - {family: addition}"
            + "| curriculum.yaml: families[0].difficulty: missing",
        "seed: 7\\nfamilies:\\n  - {family: algebra, difficulty: 1}"
            + "| curriculum.yaml: families[0].family: unknown family 'algebra' (known: addition,",
        "seed: 7\\nfamilies:\\n  - {difficulty: 1}"
            + "| curriculum.yaml: families[0].family: missing",
        "seed: 7\\nfamilies:\\n  - {family: addition, weight: -2, difficulty: 1}"
            + "| curriculum.yaml: families[0].weight: -2 is negative",
        "seed: 7\\nfamilies:\\n  - {family: addition, weight: lots, difficulty: 1}"
            + "| curriculum.yaml: families[0].weight: 'lots' is not a number",
        "seed: 7\\nfamilies:\\n  - {family: addition, wieght: 2, difficulty: 1}"
            + "| curriculum.yaml: families[0].wieght: unknown key (expected one of difficulty, family, weight)",
        "sede: 7\\nfamilies:\\n  - {family: addition, difficulty: 1}"
            + "| curriculum.yaml: sede: unknown key (expected one of count, description, families, seed)",
        "families:\\n  - {family: addition, difficulty: 1}"
            + "| curriculum.yaml: seed: missing",
        "seed: seven\\nfamilies:\\n  - {family: addition, difficulty: 1}"
            + "| curriculum.yaml: seed: 'seven' is not an integer",
        "seed: 7\\ncount: -3\\nfamilies:\\n  - {family: addition, difficulty: 1}"
            + "| curriculum.yaml: count: -3 is negative",
        "seed: 7\\nfamilies: []"
            + "| curriculum.yaml: families: expected a non-empty list",
        "seed: 7"
            + "| curriculum.yaml: families: missing",
        "seed: 7\\nfamilies:\\n  - {family: addition, weight: 0, difficulty: 1}"
            + "| curriculum.yaml: families: the weights add up to 0",
        "seed: 7\\nfamilies:\\n  - addition"
            + "| curriculum.yaml: families[0]: expected a mapping",
        "- 1\\n- 2"
            + "| curriculum.yaml: expected a mapping",
        "seed: 7\\nseed: 8\\nfamilies: []"
            + "| curriculum.yaml: not valid YAML: Duplicate field 'seed'",
        "''"
            + "| curriculum.yaml: empty",
      })
  void errorsNameTheFileAndTheField(String yaml, String expected) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CurriculumSpec.parse(yaml.replace("\\n", "\n"), "curriculum.yaml"));
    assertTrue(e.getMessage().startsWith(expected), "got: " + e.getMessage());
  }

  @Test
  void loadNamesThePath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("curriculum.yaml");
    Files.writeString(file, EXAMPLE.replace("difficulty: 2", "difficulty: 7"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CurriculumSpec.load(file));
    assertEquals(file + ": families[1].difficulty: 7 is outside 1-5", e.getMessage());
    Files.writeString(file, EXAMPLE);
    assertEquals(CurriculumSpec.parse(EXAMPLE, "x"), CurriculumSpec.load(file));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 7, 10, 99, 1000, 2001})
  void allocationSumsToTheCount(int count) {
    for (CurriculumSpec spec :
        List.of(CurriculumSpec.parse(EXAMPLE, "x"), CurriculumSpec.defaultSpec(), odd())) {
      List<Share> shares = spec.allocate(count);
      assertEquals(count, shares.stream().mapToInt(Share::count).sum());
      shares.forEach(s -> assertTrue(s.count() > 0, s.toString()));
      assertEquals(shares, spec.allocate(count));
    }
  }

  /** Weights with awkward fractions, a zero weight and a family listed twice. */
  private static CurriculumSpec odd() {
    return new CurriculumSpec(
        3,
        null,
        List.of(
            new Entry("gcd", 0.7, List.of(1, 2)),
            new Entry("word", 0, List.of(3)),
            new Entry("linear", 1.3, List.of(5)),
            new Entry("gcd", 1.0 / 3, List.of(2, 4, 1))));
  }

  @Test
  void allocationIsLargestRemainderThenRoundRobin() {
    CurriculumSpec spec = CurriculumSpec.parse(EXAMPLE, "x");
    // 3:1 of 10 is 7.5 and 2.5; the tie goes to the first entry: 8 and 2; 8 over [1, 2, 3] is 3, 3, 2
    assertEquals(
        List.of(
            new Share("addition", 1, 3),
            new Share("addition", 2, 3),
            new Share("addition", 3, 2),
            new Share("countdown", 2, 2)),
        spec.allocate(10));
    // 3:1 of 2001 is 1500.75 and 500.25
    Map<String, Integer> byFamily =
        spec.allocate(2001).stream().collect(Collectors.groupingBy(Share::family, TreeMap::new,
            Collectors.summingInt(Share::count)));
    assertEquals(Map.of("addition", 1501, "countdown", 500), byFamily);
  }

  @Test
  void sharesOfTheSameFamilyAndLevelMerge() {
    List<Share> shares = odd().allocate(100);
    assertEquals(shares.size(), shares.stream().map(s -> s.family() + s.difficulty()).distinct().count());
    assertTrue(shares.stream().noneMatch(s -> s.family().equals("word")));
  }

  @Test
  void curriculumSetsAreDeterministicDistinctAndRegenerable() {
    CurriculumSpec spec = CurriculumSpec.parse(EXAMPLE, "x");
    List<Problem> problems = ProblemGenerator.generate(spec, 500);
    assertEquals(500, problems.size());
    assertEquals(problems, ProblemGenerator.generate(spec, 500));
    Set<String> ids = new HashSet<>();
    Set<String> questions = new HashSet<>();
    for (Problem p : problems) {
      assertTrue(ids.add(p.id()), p.id());
      assertTrue(questions.add(p.question()), p.question());
      assertTrue(p.id().contains("-s7-"), p.id());
      assertEquals(p, Families.get(p.meta().family()).generate(p.meta().difficulty(), p.meta().seed(), p.id()));
    }
    // shuffled: the families are interleaved, not in blocks
    assertNotEquals(
        problems.stream().map(p -> p.meta().family()).sorted().toList(),
        problems.stream().map(p -> p.meta().family()).toList());
    Map<String, Long> counts =
        problems.stream().collect(Collectors.groupingBy(p -> p.meta().family(), Collectors.counting()));
    assertEquals(Map.of("addition", 375L, "countdown", 125L), counts);
  }

  @Test
  void theDefaultCurriculumMixesAllFamiliesAtEasyLevels() {
    CurriculumSpec spec = CurriculumSpec.defaultSpec();
    assertEquals(Set.copyOf(Families.names()), spec.families().stream().map(Entry::family).collect(Collectors.toSet()));
    spec.families().forEach(e -> e.difficulties().forEach(d -> assertTrue(d >= 1 && d <= 3, e.toString())));
    double arithmetic = weight(spec, "addition") + weight(spec, "multiplication") + weight(spec, "arithmetic");
    assertTrue(arithmetic > weight(spec, "word") + weight(spec, "countdown") + weight(spec, "gcd"));
  }

  @Test
  void theDefaultCurriculumGeneratesItsWholeCount() {
    CurriculumSpec spec = CurriculumSpec.defaultSpec();
    List<Problem> problems = ProblemGenerator.generate(spec);
    assertEquals(spec.count(), problems.size());
    assertEquals(problems.size(), problems.stream().map(Problem::question).distinct().count());
  }

  private static double weight(CurriculumSpec spec, String family) {
    return spec.families().stream().filter(e -> e.family().equals(family)).mapToDouble(Entry::weight).sum();
  }
}
