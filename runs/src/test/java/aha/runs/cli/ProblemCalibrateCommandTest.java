package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.eval.EvalConfig;
import aha.problems.AnswerKind;
import aha.problems.PassRate;
import aha.problems.Problem;
import aha.problems.ProblemMeta;
import aha.problems.ProblemSets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aha problems calibrate} on a tiny checkpoint, and {@code aha problems filter}. */
class ProblemCalibrateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int N = 3;

  @TempDir static Path dir;
  private static Path checkpoint;
  private static Path problems;

  /** A tiny random model, and 4 problems of 2 families. */
  @BeforeAll
  static void makeCheckpoint() throws IOException {
    checkpoint = TinyCheckpoint.write(dir.resolve("checkpoint"));
    problems = TinyCheckpoint.writeTwoFamilies(dir.resolve("problems.jsonl"));
  }

  /** {@code aha problems calibrate} of the tiny checkpoint, -n 3 unless {@code extra} sets -n. */
  private static CliRun calibrate(Path input, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("problems", "calibrate", "--model", checkpoint.toString(), input.toString(),
                "--max-new-tokens", "6", "--device", "cpu", "--batch-rows", "5"));
    if (!List.of(extra).contains("-n")) {
      args.addAll(List.of("-n", String.valueOf(N)));
    }
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void writesPassRatesThatRecountFromTheVerdicts() throws IOException {
    Path output = dir.resolve("out").resolve("calibrated.jsonl");
    CliRun run = calibrate(problems, "-o", output.toString());
    assertEquals(0, run.exitCode(), run.err());

    List<Problem> before = ProblemSets.read(problems);
    List<Problem> after = ProblemSets.read(output);
    assertEquals(before.size(), after.size());
    List<String> lines = Files.readAllLines(output);
    List<List<Boolean>> verdicts = verdicts(before);
    for (int p = 0; p < before.size(); p++) {
      // the problem is unchanged but for its pass rate
      ProblemMeta meta = after.get(p).meta();
      assertEquals(before.get(p), withMeta(after.get(p), before.get(p).meta()));
      assertEquals(before.get(p).meta(), meta.withPassRate(null));

      JsonNode written = JSON.readTree(lines.get(p)).get("meta");
      double rate = written.get("pass_rate").asDouble();
      assertTrue(rate >= 0 && rate <= 1, lines.get(p));
      assertEquals(N, written.get("pass_rate_n").asInt());
      assertEquals(Math.round(rate * N), rate * N, 1e-9, "a multiple of 1/" + N + ": " + rate);
      assertEquals(checkpoint.toString(), written.get("pass_rate_model").asText());
      long recount = verdicts.get(p).stream().filter(Boolean::booleanValue).count();
      assertEquals(recount, meta.passRate().solved(), after.get(p).id());
      assertEquals(recount / (double) N, rate, 1e-12, after.get(p).id());
    }
    String out = run.out();
    assertTrue(out.contains("pass rates of 4 problems, 3 samples each at temperature 0.8"), out);
    for (String family : List.of("addition", "gcd", "all")) {
      assertTrue(out.contains("\n  " + family + " "), family + " missing from\n" + out);
    }
    try (var files = Files.list(output.getParent())) {
      assertEquals(List.of(output), files.toList(), "written atomically, nothing else left");
    }
  }

  /**
   * The verdicts of the same samples, drawn here through the evaluator at the command's settings:
   * what calibrate's pass rates must count.
   */
  private static List<List<Boolean>> verdicts(List<Problem> set) throws IOException {
    CheckpointOptions options = new CheckpointOptions();
    options.model = checkpoint;
    options.maxNewTokens = 6;
    options.topP = 1;
    options.seed = 1;
    options.batchRows = 5;
    options.device = "cpu";
    EvalConfig config = new EvalConfig(N, List.of(), false, 0.8, 1, 6, 5, 1);
    return options.withEvaluator(evaluator -> evaluator.sampledVerdicts(set, config, null));
  }

  @Test
  void withoutOutputTheProblemsGoToStdoutAndTheSummaryToStderr() throws IOException {
    CliRun run = calibrate(problems, "-n", "1");
    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().strip().split("\n");
    assertEquals(4, lines.length, run.out());
    for (String line : lines) {
      assertEquals(1, JSON.readTree(line).at("/meta/pass_rate_n").asInt(), line);
    }
    assertTrue(run.err().contains("pass rates of 4 problems, 1 samples each"), run.err());
  }

  @Test
  void theRatesOfTheLabeledProblemsMapToTheirOwnVerdicts() {
    Problem a = new Problem("a", "q a", "1", AnswerKind.NUMERIC, null, null);
    Problem b = new Problem("b", "q b", "2", AnswerKind.NUMERIC, null, new ProblemMeta("f", 2, 9, "s"));
    Problem c =
        new Problem("c", "q c", "3", AnswerKind.NUMERIC, null,
            new ProblemMeta("f", 1, 1, null, new PassRate(0, 2, "old")));
    List<Problem> calibrated =
        ProblemsCommand.Calibrate.withPassRates(
            List.of(a, b, c),
            List.of(List.of(true, true, true, true), List.of(false, true, false, false),
                List.of(false, false, false, false)),
            "m");
    assertEquals(new ProblemMeta(null, 0, 0, null, new PassRate(4, 4, "m")), calibrated.get(0).meta());
    assertEquals(new ProblemMeta("f", 2, 9, "s", new PassRate(1, 4, "m")), calibrated.get(1).meta());
    // a new calibration replaces the old one
    assertEquals(new PassRate(0, 4, "m"), calibrated.get(2).meta().passRate());
  }

  @Test
  void badInputIsOneLineNamingWhatIsWrong() throws IOException {
    assertUserError("-n must be at least 1, got 0", calibrate(problems, "-n", "0"));

    Path nowhere = dir.resolve("nowhere");
    CliRun noModel =
        CliRun.of("problems", "calibrate", "--model", nowhere.toString(), problems.toString());
    assertUserError(nowhere + ": not a checkpoint directory", noModel);

    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, Files.readAllLines(problems).get(0) + "\n{\"id\": \"p1\"}\n");
    CliRun badLine = calibrate(bad);
    assertEquals(CliErrors.USER_ERROR, badLine.exitCode(), badLine.err());
    assertTrue(badLine.err().startsWith("aha: error: " + bad + ":2: field \"question\": missing"), badLine.err());

    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "");
    assertUserError(empty + ": no problems", calibrate(empty));

    Path spelledOtherwise = dir.resolve("out").resolve("..").resolve("problems.jsonl");
    assertUserError(
        "-o " + spelledOtherwise + " is the input file; write to another file and keep the input",
        calibrate(problems, "-o", spelledOtherwise.toString()));
    assertUserError(
        "--temperature must be positive and --top-p in (0, 1], got 0.0 and 1.0",
        calibrate(problems, "--temperature", "0"));
  }

  @Test
  void filterKeepsExactlyTheProblemsInTheBand() throws IOException {
    List<Problem> set = new ArrayList<>();
    for (int solved = 0; solved <= 4; solved++) {
      set.add(
          new Problem("p" + solved, "q " + solved, "1", AnswerKind.NUMERIC, null,
              new ProblemMeta("f", 1, solved, null, new PassRate(solved, 4, "m"))));
    }
    Path calibrated = dir.resolve("rates.jsonl");
    ProblemSets.write(calibrated, set);
    Path band = dir.resolve("band.jsonl");
    CliRun run =
        CliRun.of("problems", "filter", "--pass-rate", "0.25:0.75", calibrated.toString(), "-o", band.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(set.subList(1, 4), ProblemSets.read(band));
    assertTrue(run.err().contains("kept 3 of 5 problems with a pass rate in [0.25, 0.75]"), run.err());

    CliRun never = CliRun.of("problems", "filter", "--pass-rate", "0:0", calibrated.toString());
    assertEquals(0, never.exitCode(), never.err());
    assertEquals(ProblemSets.toJson(set.get(0)), never.out().strip());
  }

  @Test
  void filterRefusesAMalformedBandAnUncalibratedFileAndItsInputAsOutput() throws IOException {
    CliRun malformed = CliRun.of("problems", "filter", "--pass-rate", "0.9:0.1", problems.toString());
    assertUserError(
        "--pass-rate: expected MIN:MAX with 0 <= MIN <= MAX <= 1, such as 0.1:0.9, got '0.9:0.1'",
        malformed);

    CliRun uncalibrated = CliRun.of("problems", "filter", "--pass-rate", "0.1:0.9", problems.toString());
    assertUserError(
        problems + ":1: field \"meta.pass_rate\": missing (4 of 4 problems have no pass rate;"
            + " run 'aha problems calibrate' first)",
        uncalibrated);

    CliRun overwrite =
        CliRun.of("problems", "filter", "--pass-rate", "0:1", problems.toString(), "-o", problems.toString());
    assertEquals(CliErrors.USER_ERROR, overwrite.exitCode());
    assertTrue(overwrite.err().contains("is the input file"), overwrite.err());
  }

  private static Problem withMeta(Problem problem, ProblemMeta meta) {
    return new Problem(problem.id(), problem.question(), problem.answer(), problem.kind(), problem.solution(), meta);
  }

  private static void assertUserError(String expected, CliRun run) {
    assertEquals(CliErrors.USER_ERROR, run.exitCode(), run.err());
    assertEquals("aha: error: " + expected, run.err().strip());
    assertFalse(run.err().contains("Exception"), run.err());
  }
}
