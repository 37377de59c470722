package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.ProblemSets;
import aha.problems.gen.ProblemGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static Path checkpoint;
  private static Path problems;

  /**
   * A checkpoint of a tiny random model with a tokenizer trained on a few chats, and 3 problems.
   */
  @BeforeAll
  static void makeCheckpoint() throws IOException {
    checkpoint = TinyCheckpoint.write(dir.resolve("checkpoint"));
    problems = dir.resolve("problems.jsonl");
    ProblemSets.write(problems, ProblemGenerator.generate("addition", 1, 3, 7));
  }

  private static CliRun sample(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sample",
                "--model",
                checkpoint.toString(),
                "--problems",
                problems.toString(),
                "-g",
                "2",
                "--max-new-tokens",
                "6",
                "--device",
                "cpu",
                "--batch-rows",
                "4"));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void printsEachGroupAndThePassRate() {
    CliRun run = sample("--no-text");
    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().strip().split("\n");
    // three problems of a header and two completions, then the summary
    assertEquals(10, lines.length, run.out());
    assertTrue(lines[0].matches("\\S+  [0-2]/2  gold \\S+"), lines[0]);
    assertTrue(
        lines[1].matches("  \\[0] .*(stop|length) +\\d+ tokens  (correct|wrong \\(.*\\))"),
        lines[1]);
    assertTrue(lines[9].startsWith("pass rate "), lines[9]);
    assertTrue(lines[9].contains("/6 completions); "), lines[9]);
    assertTrue(lines[9].contains("/3 problems solved at least once"), lines[9]);
  }

  @Test
  void theTextShowsEachQuestionAndCompletionUnderItsVerdict() throws IOException {
    CliRun text = sample();
    CliRun json = sample("--json"); // the same seed: the same completions, with their texts
    assertEquals(0, text.exitCode(), text.err());
    JsonNode first = JSON.readTree(json.out().split("\n")[0]);
    String question = ProblemSets.read(problems).get(0).question();
    String out = text.out();
    assertTrue(out.startsWith(first.get("id").asText() + "  "), out);
    assertTrue(out.contains("\n  " + question + "\n  [0] "), out);
    for (JsonNode completion : first.get("completions")) {
      String written = completion.get("text").asText().strip();
      assertTrue(out.contains("\n      " + written.replace("\n", "\n      ") + "\n"), written + " not in\n" + out);
    }
  }

  @Test
  void jsonLinesAreReproducibleForASeed() throws IOException {
    CliRun first = sample("--json", "--seed", "5");
    CliRun second = sample("--json", "--seed", "5");
    assertEquals(0, first.exitCode(), first.err());
    String[] lines = first.out().strip().split("\n");
    assertEquals(4, lines.length, first.out());
    for (int i = 0; i < 3; i++) {
      JsonNode group = JSON.readTree(lines[i]);
      assertEquals("group", group.get("type").asText());
      assertEquals(2, group.get("completions").size());
      for (JsonNode c : group.get("completions")) {
        assertTrue(c.get("tokens").asInt() <= 6, c.toString());
        assertTrue(c.get("finish").asText().matches("stop|length"), c.toString());
      }
    }
    JsonNode summary = JSON.readTree(lines[3]);
    assertEquals("summary", summary.get("type").asText());
    assertEquals(6, summary.get("completions").asInt());
    assertEquals(texts(first.out()), texts(second.out()));
  }

  private static List<String> texts(String out) throws IOException {
    List<String> texts = new ArrayList<>();
    for (String line : out.strip().split("\n")) {
      JsonNode node = JSON.readTree(line);
      for (JsonNode c : node.path("completions")) {
        texts.add(c.get("text").asText());
      }
    }
    return texts;
  }

  /** The checkpoint and problem-file checks are {@link CheckpointSamplingOptionsTest}'s. */
  @Test
  void badGroupSizeAndWorkersNameTheOptionAndExit2() {
    CliRun noGroup =
        CliRun.of(
            "sample", "--model", checkpoint.toString(), "--problems", problems.toString(), "-g", "0");
    assertEquals(2, noGroup.exitCode());
    assertEquals("aha: error: -g must be positive, got 0", noGroup.err().strip());

    CliRun noWorkers = sample("--workers", "0");
    assertEquals(2, noWorkers.exitCode());
    assertEquals("aha: error: --workers and --batch-rows must be positive", noWorkers.err().strip());
  }

  @Test
  void helpShowsAnExample() {
    CliRun run = CliRun.of("sample", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("aha sample --model "), run.out());
  }
}
