package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.ProblemSets;
import aha.problems.gen.ProblemGenerator;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Message;
import aha.sampler.tokenizer.Tokenizer;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
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
    checkpoint = dir.resolve("checkpoint");
    problems = dir.resolve("problems.jsonl");
    ProblemSets.write(problems, ProblemGenerator.generate("addition", 1, 3, 7));
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      corpus.add(
          ChatTemplate.render(
              List.of(
                  Message.system(ChatTemplate.DEFAULT_SYSTEM_PROMPT),
                  Message.user("What is " + i + " + " + (i + 1) + "?"),
                  Message.assistant(i + " + " + (i + 1) + " = " + (2 * i + 1), "" + (2 * i + 1)))));
    }
    Files.createDirectories(checkpoint);
    BpeTrainer.withChatTokens(300).train(corpus).save(checkpoint.resolve("tokenizer.json"));
    int vocab;
    try (Tokenizer tokenizer = Tokenizer.load(checkpoint)) {
      vocab = tokenizer.vocabSize();
    }
    ModelConfig config = new ModelConfig(vocab, 16, 40, 2, 4, 2, 256, 10000, 1e-5, false, false);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Transformer model = new Transformer(config);
      model.initialize(manager, 1);
      Checkpoints.save(model, checkpoint);
    }
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
    CliRun run = sample();
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

  @Test
  void inputErrorsNameTheFileAndExit2() throws IOException {
    Path missing = dir.resolve("nowhere");
    CliRun noDir =
        CliRun.of("sample", "--model", missing.toString(), "--problems", problems.toString());
    assertEquals(2, noDir.exitCode());
    assertEquals("aha: error: " + missing + ": not a checkpoint directory", noDir.err().strip());

    Path bare = dir.resolve("bare");
    Files.createDirectories(bare);
    Files.copy(checkpoint.resolve(Checkpoints.CONFIG), bare.resolve(Checkpoints.CONFIG));
    CliRun noTokenizer =
        CliRun.of("sample", "--model", bare.toString(), "--problems", problems.toString());
    assertEquals(2, noTokenizer.exitCode());
    assertEquals(
        "aha: error: " + bare.resolve("tokenizer.json") + ": no such file",
        noTokenizer.err().strip());

    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"id\": \"p1\"}\n");
    CliRun badProblems =
        CliRun.of("sample", "--model", checkpoint.toString(), "--problems", bad.toString());
    assertEquals(2, badProblems.exitCode());
    assertTrue(badProblems.err().startsWith("aha: error: " + bad), badProblems.err());
    assertEquals(1, badProblems.err().strip().lines().count(), badProblems.err());
  }

  @Test
  void helpShowsAnExample() {
    CliRun run = CliRun.of("sample", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("aha sample --model "), run.out());
  }
}
