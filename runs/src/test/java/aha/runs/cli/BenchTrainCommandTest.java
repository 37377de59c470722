package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchTrainCommandTest {

  @Test
  void aTinyRunEndsWithOneJsonObject() throws Exception {
    CliRun run =
        CliRun.of(
            "bench", "train", "--preset", "tiny", "--batch", "2", "--seq-len", "8", "--steps",
            "2", "--warmup", "1", "--threads", "1", "--no-peer", "--json");

    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().strip().split("\\R");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertTrue(json.path("ms_per_step").asDouble() > 0, json.toString());
    assertEquals("tiny", json.path("preset").asText());
    assertEquals(2, json.path("batch").asInt());
    assertEquals(8, json.path("seq_len").asInt());
    assertEquals(300, json.path("vocab_size").asInt(), "the tiny recipe's vocabulary");
    assertTrue(run.out().contains("python peer     not run: --no-peer"), run.out());
  }

  @Test
  void badSettingsAreUserErrors() {
    CliRun preset = CliRun.of("bench", "train", "--preset", "huge", "--no-peer");
    assertEquals(CliErrors.USER_ERROR, preset.exitCode());
    assertTrue(preset.err().contains("unknown model preset"), preset.err());

    CliRun tooLong =
        CliRun.of("bench", "train", "--preset", "tiny", "--seq-len", "1000", "--no-peer");
    assertEquals(CliErrors.USER_ERROR, tooLong.exitCode());
    assertTrue(tooLong.err().contains("exceeds the model's 320 positions"), tooLong.err());

    CliRun noSteps = CliRun.of("bench", "train", "--preset", "tiny", "--steps", "0", "--no-peer");
    assertEquals(CliErrors.USER_ERROR, noSteps.exitCode());
    assertTrue(noSteps.err().contains("steps must be at least 1"), noSteps.err());
  }

  @Test
  void helpShowsAnExample() {
    CliRun help = CliRun.of("bench", "train", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("aha bench train --preset nano"), help.out());
  }
}
