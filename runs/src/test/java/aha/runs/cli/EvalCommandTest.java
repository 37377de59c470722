package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.Problem;
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
    checkpoint = dir.resolve("checkpoint");
    problems = dir.resolve("problems.jsonl");
    List<Problem> set = new ArrayList<>(ProblemGenerator.generate("addition", 1, 2, 7));
    set.addAll(ProblemGenerator.generate("gcd", 1, 2, 7));
    ProblemSets.write(problems, set);
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
  void printsTheTableAndWritesTheReport() throws IOException {
    Path report = dir.resolve("reports").resolve("eval.json");
    CliRun run = eval("-k", "1,3", "-o", report.toString());
    assertEquals(0, run.exitCode(), run.err());
    String out = run.out();
    for (String row :
        List.of("4 problems, 3 samples each", "pass@1 (greedy)", "pass@1 (sampled)", "pass@3",
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

  @Test
  void inputErrorsNameTheFileOrOptionAndExit2() throws IOException {
    Path missing = dir.resolve("nowhere");
    CliRun noDir = CliRun.of("eval", "--model", missing.toString(), "--problems", problems.toString());
    assertEquals(2, noDir.exitCode());
    assertEquals("aha: error: " + missing + ": not a checkpoint directory", noDir.err().strip());

    Path bare = dir.resolve("bare");
    Files.createDirectories(bare);
    Files.copy(checkpoint.resolve(Checkpoints.CONFIG), bare.resolve(Checkpoints.CONFIG));
    CliRun noTokenizer = CliRun.of("eval", "--model", bare.toString(), "--problems", problems.toString());
    assertEquals(2, noTokenizer.exitCode());
    assertEquals(
        "aha: error: " + bare.resolve("tokenizer.json") + ": no such file", noTokenizer.err().strip());

    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, Files.readAllLines(problems).get(0) + "\n{\"id\": \"p1\"}\n");
    CliRun badProblems = CliRun.of("eval", "--model", checkpoint.toString(), "--problems", bad.toString());
    assertEquals(2, badProblems.exitCode());
    assertTrue(badProblems.err().startsWith("aha: error: " + bad), badProblems.err());
    assertTrue(badProblems.err().contains("2"), "names the line: " + badProblems.err());
    assertEquals(1, badProblems.err().strip().lines().count(), badProblems.err());

    Path noFile = dir.resolve("none.jsonl");
    CliRun noProblems = CliRun.of("eval", "--model", checkpoint.toString(), "--problems", noFile.toString());
    assertEquals(2, noProblems.exitCode());
    assertEquals("aha: error: " + noFile + ": no such file", noProblems.err().strip());

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
