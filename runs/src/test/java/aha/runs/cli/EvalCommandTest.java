package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static Path checkpoint;
  private static Path problems;

  /** A tiny random model with a tokenizer trained on a few chats, and 4 problems of 2 families. */
  @BeforeAll
  static void makeCheckpoint() throws IOException {
    checkpoint = TinyCheckpoint.write(dir.resolve("checkpoint"));
    problems = TinyCheckpoint.writeTwoFamilies(dir.resolve("problems.jsonl"));
  }

  /** {@code aha eval} of the tiny checkpoint, 3 samples per problem unless {@code extra} sets -n. */
  private static CliRun eval(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "eval",
                "--model",
                checkpoint.toString(),
                "--problems",
                problems.toString(),
                "--max-new-tokens",
                "6",
                "--device",
                "cpu",
                "--batch-rows",
                "5"));
    if (!List.of(extra).contains("-n")) {
      args.addAll(List.of("-n", "3"));
    }
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void refusesAReportOverItsProblemsFileBeforeSampling() throws IOException {
    byte[] before = Files.readAllBytes(problems);
    CliRun run = eval("-o", problems.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("-o " + problems + " is the --problems file"), run.err());
    assertArrayEquals(before, Files.readAllBytes(problems), "the problems are untouched");
  }

  @Test
  void printsTheTableAndWritesTheReport() throws IOException {
    Path report = dir.resolve("reports").resolve("eval.json");
    CliRun run = eval("-k", "1,3", "-o", report.toString());
    assertEquals(0, run.exitCode(), run.err());
    String out = run.out();
    for (String row :
        List.of("4 problems; greedy + 3 samples at temperature 0.8, at most 6 new tokens, seed", "pass@1 (greedy)", "pass@1 (sampled)", "pass@3",
            "maj@3", "truncated", "mean length", "addition", "gcd", "report written to " + report)) {
      assertTrue(out.contains(row), row + " missing from\n" + out);
    }

    JsonNode json = JSON.readTree(Files.readString(report));
    assertEquals(4, json.get("problems").asInt());
    assertEquals(3, json.get("samples").asInt());
    assertEquals(checkpoint.toString(), json.get("model").asText());
    assertEquals(6, json.at("/config/max_new_tokens").asInt());
    assertEquals("[1,3]", json.at("/config/k").toString());
    for (String key : List.of("pass@1_greedy", "pass@1", "pass@3", "maj@1", "maj@3", "truncated")) {
      double value = json.get(key).asDouble(-1);
      assertTrue(value >= 0 && value <= 1, key + " = " + json.get(key));
    }
    // pass@3 can only be at least pass@1
    assertTrue(json.get("pass@3").asDouble() >= json.get("pass@1").asDouble());
    double length = json.get("mean_length").asDouble();
    assertTrue(length > 0 && length <= 6, "mean length " + length);
    assertEquals(2, json.at("/by_family/addition/problems").asInt());
    assertEquals(2, json.at("/by_family/gcd/problems").asInt());
    assertFalse(json.has("step"), "an eval report belongs to no training step");
    // written atomically: nothing but the report is left in its directory
    try (Stream<Path> files = Files.list(report.getParent())) {
      assertEquals(List.of(report), files.toList());
    }
  }

  @Test
  void theJsonReportIsReproducibleForASeed() throws IOException {
    JsonNode first = JSON.readTree(eval("--json", "--seed", "5", "--limit", "2").out());
    JsonNode second = JSON.readTree(eval("--json", "--seed", "5", "--limit", "2").out());
    assertEquals(2, first.get("problems").asInt());
    // the default k: 1 and n
    assertTrue(first.has("pass@1") && first.has("pass@3") && first.has("maj@3"), first.toString());
    ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("seconds");
    ((com.fasterxml.jackson.databind.node.ObjectNode) second).remove("seconds");
    assertEquals(first, second);
  }

  @Test
  void greedyOnlyLeavesTheSampledFiguresEmpty() throws IOException {
    CliRun run = eval("-n", "0", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode json = JSON.readTree(run.out());
    assertTrue(json.get("pass@1").isNull(), json.toString());
    assertTrue(json.get("pass@1_greedy").isNumber(), json.toString());
  }

  /** The checkpoint and problem-file checks are {@link CheckpointSamplingOptionsTest}'s. */
  @Test
  void badSampleCountsNameTheOptionAndExit2() {
    CliRun bigK = eval("-k", "4");
    assertEquals(2, bigK.exitCode());
    assertEquals("aha: error: -k 4 must be in 1..3 (-n, the samples per problem)", bigK.err().strip());

    CliRun nothing = eval("-n", "0", "--no-greedy");
    assertEquals(2, nothing.exitCode());
    assertTrue(nothing.err().contains("nothing to evaluate"), nothing.err());
  }

  @Test
  void helpShowsAnExample() {
    CliRun run = CliRun.of("eval", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("aha eval --model "), run.out());
  }
}
