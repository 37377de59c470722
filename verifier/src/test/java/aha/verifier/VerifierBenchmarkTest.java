package aha.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifierBenchmarkTest {

  @Test
  void casesAreDeterministicAndCoverEveryKind() {
    List<VerifierBenchmark.Case> cases = VerifierBenchmark.buildCases(7);

    assertEquals(cases, VerifierBenchmark.buildCases(7));
    Set<String> names = new HashSet<>();
    Set<AnswerKind> kinds = new HashSet<>();
    for (VerifierBenchmark.Case c : cases) {
      assertTrue(names.add(c.name()), "duplicate name " + c.name());
      kinds.add(c.kind());
    }
    assertEquals(Set.of(AnswerKind.values()), kinds);
    assertTrue(cases.stream().filter(VerifierBenchmark.Case::plainNumeric).count() >= 32);
    assertTrue(cases.stream().anyMatch(c -> !c.expectedCorrect()));
  }

  @Test
  void aShortRunReportsFiguresInBothFormats() {
    VerifierBenchmark benchmark =
        new VerifierBenchmark(VerifierConfig.defaults(), 1, Duration.ZERO, Duration.ofMillis(50));

    VerifierBenchmark.Result result = benchmark.run();

    assertTrue(result.plainVerdictsPerSecond() > 0);
    assertTrue(result.mixedVerdictsPerSecond() > 0);
    assertTrue(result.slowestVerdictNanos() > 0);
    assertTrue(result.format().contains("plain numeric"), result.format());
    String json = result.toJson();
    assertTrue(json.startsWith("{\"seed\":1,") && json.endsWith("}"), json);
    assertTrue(json.contains("\"slowestCase\":\""), json);
  }

  /** Needs the real comparator: every case's verdict is the one it expects. */
  @Test
  void everyCaseGetsTheExpectedVerdict() {
    VerifierBenchmark benchmark =
        new VerifierBenchmark(VerifierConfig.defaults(), 42, Duration.ZERO, Duration.ofMillis(20));

    VerifierBenchmark.Result result = benchmark.run();

    assertEquals(0, result.unexpectedVerdicts(), result.firstUnexpected());
  }
}
