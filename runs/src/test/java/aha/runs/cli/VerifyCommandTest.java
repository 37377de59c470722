package aha.runs.cli;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void singleCaseJudgesEquivalentForms() throws IOException {
    CliRun right = CliRun.of("verify", "--gold", "1/2", "--response", "so \\boxed{0.5}");
    assertEquals(0, right.exitCode(), right.err());
    JsonNode verdict = JSON.readTree(right.out());
    assertTrue(verdict.get("correct").asBoolean());
    assertEquals(1.0, verdict.get("reward").asDouble(), 1e-12);

    CliRun wrong = CliRun.of("verify", "--gold", "1/3", "--response", "\\boxed{0.333}");
    assertEquals(false, JSON.readTree(wrong.out()).get("correct").asBoolean());
  }

  @Test
  void fileGivesOneVerdictPerLineInOrderAndFlagsBadLines() throws IOException {
    Path input = dir.resolve("cases.jsonl");
    Files.writeString(
        input,
        "{\"gold\":\"42\",\"response\":\"<think>6*7</think><answer>42</answer>\"}\n"
            + "{\"gold\":\"42\"}\n"
            + "not json\n"
            + "{\"gold\":\"\\\\{1,2\\\\}\",\"response\":\"\\\\boxed{\\\\{2,1\\\\}}\",\"kind\":\"set\"}\n"
            + "{\"gold\":3,\"response\":\"#### 3.0001\"}\n");
    CliRun run = CliRun.of("verify", input.toString());
    assertEquals(2, run.exitCode());
    String[] lines = run.out().strip().split("\n");
    assertEquals(5, lines.length, run.out());
    JsonNode first = JSON.readTree(lines[0]);
    assertTrue(first.get("correct").asBoolean());
    assertEquals(1.1, first.get("reward").asDouble(), 1e-9);
    assertTrue(JSON.readTree(lines[1]).has("error"));
    assertTrue(JSON.readTree(lines[2]).has("error"));
    assertTrue(JSON.readTree(lines[3]).get("correct").asBoolean(), lines[3]);
    assertEquals(false, JSON.readTree(lines[4]).get("correct").asBoolean(), lines[4]);
    assertTrue(run.err().contains("cases.jsonl:2: field \"response\": missing"), run.err());
    assertTrue(run.err().contains("cases.jsonl:3"), run.err());
  }

  @Test
  void nothingInALineStopsTheStream() throws IOException {
    Path input = dir.resolve("hostile.jsonl");
    String[] cases = {
      "{\"gold\": 1e99999999999, \"response\": \"<answer>1</answer>\"}",
      "{\"gold\": 1e2147483647, \"response\": \"<answer>1</answer>\"}",
      "{\"gold\": 1e999999999, \"response\": \"<answer>1e999999999</answer>\"}",
      "",
      "{\"gold\": \"1\", \"response\": \"<answer>1</answer>\"} trailing",
      "{\"gold\": [1], \"response\": \"x\"}",
      "{\"gold\": \"2\", \"response\": \"a\rb <answer>2</answer>\"}",
      "{\"gold\": \"2\", \"response\": \"a\\rb <answer>2</answer>\"}",
      "{\"gold\": \"7\", \"response\": \"" + "x".repeat(VerifyCommand.MAX_LINE_CHARS) + "\"}",
      "{\"gold\": 0.50, \"response\": \"<answer>1/2</answer>\"}",
    };
    Files.writeString(input, String.join("\n", cases) + "\n");
    CliRun run = CliRun.of("verify", input.toString());
    assertEquals(2, run.exitCode());
    assertFalse(run.err().contains("Exception"), run.err());
    String[] lines = run.out().strip().split("\n");
    assertEquals(cases.length, lines.length, run.out());
    JsonNode judged = JSON.readTree(lines[9]);
    for (String line : lines) {
      List<String> keys = new ArrayList<>();
      JSON.readTree(line).fieldNames().forEachRemaining(keys::add);
      // every verdict has the same keys, judged or not
      assertEquals(List.of("correct", "reward", "format_ok", "extracted", "reason", "error"), keys, line);
    }
    // numbers are judged as the text they were written in, under the verifier's caps
    assertTrue(JSON.readTree(lines[0]).get("reason").asText().contains("exceeds the cap"), lines[0]);
    assertTrue(JSON.readTree(lines[1]).get("reason").asText().contains("exceeds the cap"), lines[1]);
    assertTrue(JSON.readTree(lines[2]).get("error").isNull(), lines[2]);
    for (int error : new int[] {3, 4, 5, 6, 8}) {
      assertTrue(JSON.readTree(lines[error]).get("error").isTextual(), lines[error]);
    }
    // an escaped \r is part of a response, not a line break
    assertTrue(JSON.readTree(lines[7]).get("correct").asBoolean(), lines[7]);
    assertTrue(judged.get("correct").asBoolean(), lines[9]);
    assertTrue(run.err().contains("hostile.jsonl:4: blank line"), run.err());
    assertTrue(run.err().contains("hostile.jsonl:9: longer than"), run.err());
  }

  @Test
  void hostileAnswerIsWrongNotAHang() throws IOException {
    CliRun run = CliRun.of("verify", "--gold", "3", "--response", "\\boxed{9^{9^{9^{9}}}}");
    assertEquals(0, run.exitCode());
    assertEquals(false, JSON.readTree(run.out()).get("correct").asBoolean());
  }

  @Test
  void halfASingleCaseIsAUserError() {
    CliRun run = CliRun.of("verify", "--gold", "3");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--gold and --response"), run.err());
  }
}
