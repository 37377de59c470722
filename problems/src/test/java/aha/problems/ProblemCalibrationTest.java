package aha.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The calibration fields of meta, the pass-rate band and the summary of a calibrated set. */
class ProblemCalibrationTest {

  @TempDir Path dir;

  private static final String HEAD = "{\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\"";

  private static Problem problem(String id, String family, PassRate rate) {
    return new Problem(
        id, "q " + id, "1", AnswerKind.NUMERIC, null, new ProblemMeta(family, 1, 0, null, rate));
  }

  @Test
  void aFileWrittenBeforeCalibrationStillReadsWithoutAPassRate() throws IOException {
    Path file = dir.resolve("old.jsonl");
    // a line exactly as aha wrote it before the calibration fields existed
    String old =
        "{\"id\":\"add-1\",\"question\":\"What is 17 + 25?\",\"answer\":\"42\",\"kind\":\"numeric\","
            + "\"meta\":{\"family\":\"addition\",\"difficulty\":1,\"seed\":7,\"source\":\"generated\"}}\n";
    Files.writeString(file, old);
    Problem read = ProblemSets.read(file).get(0);
    assertNull(read.meta().passRate());
    assertEquals(new ProblemMeta("addition", 1, 7, "generated"), read.meta());
    // and rewrites to the same bytes: no calibration fields appear
    Path again = dir.resolve("again.jsonl");
    ProblemSets.write(again, List.of(read));
    assertEquals(old, Files.readString(again));
  }

  @Test
  void passRatesRoundTripByteIdenticalWithAnExactCount() throws IOException {
    List<Problem> set =
        List.of(
            problem("a", "addition", new PassRate(3, 8, "out/base")),
            problem("b", "addition", new PassRate(1, 3, null)),
            problem("c", "gcd", new PassRate(7, 7, "out/sft")),
            problem("d", "gcd", new PassRate(0, 1, "m")));
    Path file = dir.resolve("cal.jsonl");
    ProblemSets.write(file, set);
    assertEquals(set, ProblemSets.read(file));
    String first = Files.readAllLines(file).get(0);
    assertTrue(
        first.endsWith(
            "\"meta\":{\"family\":\"addition\",\"difficulty\":1,\"seed\":0,"
                + "\"pass_rate\":0.375,\"pass_rate_n\":8,\"pass_rate_model\":\"out/base\"}}"),
        first);
    // 1/3 is written as a rounded double and still reads back as 1 of 3
    assertEquals(new PassRate(1, 3, null), ProblemSets.read(file).get(1).meta().passRate());

    Path again = dir.resolve("again.jsonl");
    ProblemSets.write(again, ProblemSets.read(file));
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
  }

  @Test
  void integerRatesAndHandWrittenDecimalsRead() throws IOException {
    Path file = dir.resolve("hand.jsonl");
    Files.writeString(
        file,
        HEAD.replace("\"x\"", "\"p1\"") + ",\"meta\":{\"pass_rate\":1,\"pass_rate_n\":4}}\n"
            + HEAD.replace("\"x\"", "\"p2\"") + ",\"meta\":{\"pass_rate\":0.25,\"pass_rate_n\":4,"
            + "\"pass_rate_model\":null}}\n");
    List<Problem> read = ProblemSets.read(file);
    assertEquals(new PassRate(4, 4, null), read.get(0).meta().passRate());
    assertEquals(new PassRate(1, 4, null), read.get(1).meta().passRate());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rate without n     | {\"pass_rate\":0.5}                          | meta.pass_rate_n | missing",
        "n without rate     | {\"pass_rate_n\":8}                          | meta.pass_rate   | missing",
        "model alone        | {\"pass_rate_model\":\"m\"}                  | meta.pass_rate   | missing",
        "rate above 1       | {\"pass_rate\":1.5,\"pass_rate_n\":2}        | meta.pass_rate   | 1.5 out of range (expected 0..1)",
        "rate negative      | {\"pass_rate\":-0.5,\"pass_rate_n\":2}       | meta.pass_rate   | -0.5 out of range",
        "rate a string      | {\"pass_rate\":\"0.5\",\"pass_rate_n\":2}    | meta.pass_rate   | expected a number in 0..1, got a string",
        "not a multiple     | {\"pass_rate\":0.3,\"pass_rate_n\":8}        | meta.pass_rate   | 0.3 is not a multiple of 1/8 (pass_rate_n)",
        "n zero             | {\"pass_rate\":0,\"pass_rate_n\":0}          | meta.pass_rate_n | 0 out of range (expected 1..2147483647)",
        "n decimal          | {\"pass_rate\":0,\"pass_rate_n\":8.0}        | meta.pass_rate_n | expected an integer, got 8.0",
        "model a number     | {\"pass_rate\":0,\"pass_rate_n\":8,\"pass_rate_model\":3} | meta.pass_rate_model | expected a string",
      })
  void badCalibrationFieldsNameFileLineAndField(
      String name, String meta, String field, String reason) throws IOException {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, HEAD.replace("\"x\"", "\"ok\"") + "}\n" + HEAD + ",\"meta\":" + meta + "}\n");
    ProblemSetException e = assertThrows(ProblemSetException.class, () -> ProblemSets.read(file));
    assertEquals(2, e.line());
    assertEquals(field, e.field());
    assertTrue(e.reason().startsWith(reason), e.reason());
    assertTrue(e.getMessage().startsWith(file + ":2: field \"" + field + "\": "), e.getMessage());
  }

  @Test
  void passRateChecksItsCount() {
    assertEquals(new PassRate(2, 3, "m"), PassRate.of(List.of(true, false, true), "m"));
    assertThrows(IllegalArgumentException.class, () -> new PassRate(0, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new PassRate(5, 4, null));
    assertThrows(IllegalArgumentException.class, () -> PassRate.of(List.of(), null));
  }

  @ParameterizedTest
  @CsvSource({"0.1:0.9, 0.1, 0.9", "0:1, 0, 1", " 0.25 : 0.25 , 0.25, 0.25", "1e-1:1, 0.1, 1"})
  void bandsParse(String text, double min, double max) {
    assertEquals(new PassRateBand(min, max), PassRateBand.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.5", "0.1:0.5:0.9", "0.9:0.1", "-0.1:0.5", "0.1:1.5", "a:0.5", ":0.5", "NaN:1", "0.1:0.5d", ""})
  void malformedBandsSayWhatIsExpected(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PassRateBand.parse(text));
    assertTrue(e.getMessage().contains("expected MIN:MAX with 0 <= MIN <= MAX <= 1"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
  }

  @Test
  void aBandKeepsExactlyTheRatesBetweenItsEndsIncluded() throws IOException {
    // n = 8: rates 0, 1/8, ..., 1, one problem each, ids r0..r8
    List<Problem> set = new ArrayList<>();
    for (int solved = 0; solved <= 8; solved++) {
      set.add(problem("r" + solved, "f", new PassRate(solved, 8, "m")));
    }
    Path file = dir.resolve("rates.jsonl");
    ProblemSets.write(file, set);
    List<ProblemSets.Entry> entries = ProblemSets.readEntries(file);

    assertEquals(ids("r1", "r2", "r3", "r4", "r5", "r6", "r7"), keptIds("0.125:0.875", file, entries));
    assertEquals(ids("r1", "r2", "r3", "r4", "r5", "r6", "r7"), keptIds("0.1:0.9", file, entries));
    assertEquals(ids("r0"), keptIds("0:0", file, entries));
    assertEquals(ids("r8"), keptIds("1:1", file, entries));
    assertEquals(ids("r4"), keptIds("0.5:0.5", file, entries));
    assertEquals(ids(), keptIds("0.51:0.6", file, entries));
    assertEquals(9, keptIds("0:1", file, entries).size());
  }

  @Test
  void aBandOverAnUncalibratedProblemNamesItsLineAndHowManyLackARate() throws IOException {
    Path file = dir.resolve("half.jsonl");
    ProblemSets.write(
        file,
        List.of(
            problem("a", "f", new PassRate(1, 2, null)),
            new Problem("b", "q b", "1", AnswerKind.NUMERIC, null, null),
            problem("c", "f", null)));
    ProblemSetException e =
        assertThrows(
            ProblemSetException.class,
            () -> PassRateBand.parse("0:1").select(file, ProblemSets.readEntries(file)));
    assertEquals(2, e.line());
    assertEquals("meta.pass_rate", e.field());
    assertTrue(e.reason().startsWith("missing (2 of 3 problems have no pass rate;"), e.reason());
  }

  @Test
  void summaryCountsNeverBetweenAndAlwaysPerFamily() {
    List<Problem> set =
        List.of(
            problem("a1", "addition", new PassRate(4, 4, null)),
            problem("a2", "addition", new PassRate(2, 4, null)),
            problem("a3", "addition", new PassRate(0, 4, null)),
            problem("g1", "gcd", new PassRate(0, 4, null)),
            problem("g2", "gcd", new PassRate(0, 4, null)),
            new Problem("n1", "q", "1", AnswerKind.NUMERIC, null,
                new ProblemMeta(null, 0, 0, null, new PassRate(1, 4, null))));
    PassRateSummary summary = PassRateSummary.of(set);
    assertEquals(new PassRateSummary.Row(3, 1, 1, 1, 0.5), summary.byFamily().get("addition"));
    assertEquals(new PassRateSummary.Row(2, 2, 0, 0, 0.0), summary.byFamily().get("gcd"));
    assertEquals(new PassRateSummary.Row(1, 0, 1, 0, 0.25), summary.byFamily().get("(none)"));
    assertEquals(new PassRateSummary.Row(6, 3, 2, 1, 7.0 / 24), summary.total());
    assertEquals(List.of("a3", "g1", "g2"), summary.never());
    assertEquals(List.of("a1"), summary.always());

    String text = summary.format(2);
    assertTrue(text.contains("never solved (3): a3, g1, ... and 1 more"), text);
    assertTrue(text.contains("always solved (1): a1\n"), text);
    assertTrue(text.matches("(?s).*\\n  all +6 +3 +2 +1 +29\\.2%\\n.*"), text);

    assertThrows(
        IllegalArgumentException.class, () -> PassRateSummary.of(List.of(problem("u", "f", null))));
  }

  private static List<String> keptIds(String band, Path file, List<ProblemSets.Entry> entries)
      throws IOException {
    return PassRateBand.parse(band).select(file, entries).stream().map(Problem::id).toList();
  }

  private static List<String> ids(String... ids) {
    return List.of(ids);
  }
}
