package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchSampleCommandTest {

  @Test
  void aTinyRunEndsWithOneJsonObject() throws Exception {
    CliRun run =
        CliRun.of(
            "bench", "sample", "--preset", "tiny", "--batch", "2", "--prompt-tokens", "3",
            "--new-tokens", "4", "--repeats", "1", "--threads", "1", "--no-peer", "--json");

    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().strip().split("\\R");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    for (String key : new String[] {"tokens_per_s", "roofline_gflops", "roofline_fraction"}) {
      assertTrue(json.path(key).asDouble() > 0, key + " in " + json);
    }
    assertEquals("tiny", json.path("preset").asText());
    assertEquals(2, json.path("batch").asInt());
    assertTrue(run.out().contains("python peer     not run: --no-peer"), run.out());
  }

  @Test
  void badSettingsAreUserErrors() {
    CliRun preset = CliRun.of("bench", "sample", "--preset", "huge", "--no-peer");
    assertEquals(CliErrors.USER_ERROR, preset.exitCode());
    assertTrue(preset.err().contains("unknown model preset"), preset.err());

    CliRun tooLong =
        CliRun.of("bench", "sample", "--preset", "tiny", "--new-tokens", "100", "--no-peer");
    assertEquals(CliErrors.USER_ERROR, tooLong.exitCode());
    assertTrue(tooLong.err().contains("exceed the model's 64 positions"), tooLong.err());
  }

  @Test
  void helpShowsAnExample() {
    CliRun help = CliRun.of("bench", "sample", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("aha bench sample --preset micro --batch 64"), help.out());
  }
}
