package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.runs.config.ConfigLoader;
import aha.runs.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {

  @TempDir Path dir;

  @Test
  void showPrintsTheResolvedConfigThatLoadsBack() throws IOException {
    CliRun shown = CliRun.of("config", "show", "--preset", "smoke", "--set", "grpo.steps=3");
    assertEquals(0, shown.exitCode(), shown.err());
    assertTrue(shown.out().contains("\n  preset: tiny\n"), shown.out());
    assertTrue(shown.out().contains("\ngrpo:\n  steps: 3\n"), shown.out());

    Path file = dir.resolve("run.yaml");
    Files.writeString(file, shown.out());
    assertEquals(3, ConfigLoader.read(file).grpo().steps());
    CliRun again = CliRun.of("config", "show", "--config", file.toString());
    assertEquals(shown.out(), again.out()); // the default preset underneath changes nothing
  }

  @Test
  void theDefaultPresetIsDefault() {
    CliRun shown = CliRun.of("config", "show");
    assertEquals(0, shown.exitCode(), shown.err());
    assertEquals(ConfigLoader.toYaml(RunConfig.defaults()), shown.out());
  }

  @Test
  void badValueIsExitCodeTwoNamingTheKey() {
    CliRun run = CliRun.of("config", "show", "--set", "grpo.rollout.group_size=1");
    assertEquals(2, run.exitCode());
    assertEquals("aha: error: grpo.rollout.group_size: must be >= 2, got 1", run.err().strip());
    assertEquals("", run.out());
  }

  @Test
  void unknownKeySuggestsTheClosest() {
    CliRun run = CliRun.of("config", "show", "--set", "run.chekpoint_every=5");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("run.chekpoint_every: unknown key; did you mean run.checkpoint_every?"), run.err());
  }

  @Test
  void helpDescribesAndGivesExamples() {
    CliRun help = CliRun.of("config", "show", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--set=KEY=VALUE"), help.out());
    assertTrue(help.out().contains("Examples:"), help.out());
    assertTrue(CliRun.of("--help").out().contains("config"));
  }
}
