package aha.runs.train;

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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exact resume: {@code aha train --preset smoke} is killed with SIGKILL at random points, resumed
 * each time, and must end with the metrics, samples and eval reports of an uninterrupted run with
 * the same seed (wall-clock figures aside): the same sampled completions and eval reports, and
 * the same metrics, bit for bit (see {@link #assertSameFigures}). Each run is a real child
 * process, so a kill is a real kill: no shutdown hook, no flush. Once without the calculator and
 * once with it.
 */
@Tag("slow")
class KillAndResumeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KILLS = 3;

  @TempDir Path dir;

  /**
   * At tool_share 1 the smoke base writes the calculator's tags, and its policy opens and closes
   * calls now and then, so completions hold answers the environment wrote (checked below): resume
   * is exact with tools too.
   */
  @ParameterizedTest(name = "base.corpus.tool_share {0}")
  @ValueSource(strings = {"0", "1"})
  void aRunKilledAtRandomPointsAndResumedEndsLikeAnUninterruptedOne(String toolShare) throws Exception {
    Path straightRoot = dir.resolve("straight");
    String tools = "base.corpus.tool_share=" + toolShare;
    Process straight = aha(straightRoot, "train", "--preset", "smoke", "--set", "grpo.steps=40", "--set", tools, "--set", "run.root=" + straightRoot);
    long started = System.nanoTime();
    assertEquals(0, finish(straight), "the uninterrupted run");
    double seconds = (System.nanoTime() - started) / 1e9;
    Path expected = RunFiles.onlyRun(straightRoot);
    String samples = Files.readString(expected.resolve("samples.jsonl"));
    assertEquals(!toolShare.equals("0"), samples.contains("</calc><result>"), "calls answered in the samples");

    // a run's output in a log: no library noise, progress as whole lines, the story at the end
    String log = Files.readString(dir.resolve("straight.log"));
    for (String noise : List.of("AutoNonVariableTypeMode", "CudaUtils", "INFO ai.djl", "\r")) {
      assertFalse(log.contains(noise), "the log has " + noise.strip() + ":\n" + log);
    }
    assertTrue(log.contains("held-out, 4 problems; greedy + 2 samples at temperature 1,"), log);
    assertTrue(log.contains("wrong → right / right → wrong, last "), log);
    // one clock across the stages: elapsed_s never goes back
    double elapsed = 0;
    for (String line : Files.readAllLines(expected.resolve("metrics.jsonl"))) {
      double now = JSON.readTree(line).get("elapsed_s").asDouble();
      assertTrue(now >= elapsed, "elapsed_s went from " + elapsed + " back to " + now);
      elapsed = now;
    }

    Path killedRoot = dir.resolve("killed");
    Random random = new Random(20261128);
    Process run = aha(killedRoot, "train", "--preset", "smoke", "--set", "grpo.steps=40", "--set", tools, "--set", "run.root=" + killedRoot);
    int kills = 0;
    Path actual = null;
    while (true) {
      // wait until the run directory holds its config (before that there is nothing to resume)
      while (actual == null && run.isAlive()) {
        actual = Files.isDirectory(killedRoot) ? RunFiles.onlyRunOrNull(killedRoot) : null;
        if (actual == null || !Files.exists(actual.resolve("config.yaml"))) {
          actual = null;
          Thread.sleep(50);
        }
      }
      if (kills == KILLS) {
        break;
      }
      // somewhere in the run's remaining work: the base stages or GRPO (40 steps rather than the
      // smoke preset's 4, so that a quick machine still leaves room for three kills)
      long delay = (long) (1000 * (0.5 + random.nextDouble() * seconds * 0.5));
      if (run.waitFor(delay, TimeUnit.MILLISECONDS)) {
        break; // it finished before the kill point; nothing more to interrupt
      }
      run.destroyForcibly(); // SIGKILL
      run.waitFor();
      kills++;
      run = aha(killedRoot, "train", "--resume", actual.toString());
    }
    assertEquals(0, finish(run), "the last resumption");
    assertTrue(kills >= 1, "killed at least once");

    List<JsonNode> metrics = RunFiles.withoutWallClock(expected.resolve("metrics.jsonl"));
    for (int i = 1; i < metrics.size(); i++) {
      assertEquals(metrics.get(i - 1).get("step").asLong() + 1, metrics.get(i).get("step").asLong(),
          "one line per step, in order: " + metrics.get(i));
    }
    assertSameFigures(metrics, RunFiles.withoutWallClock(actual.resolve("metrics.jsonl")));
    assertEquals(RunFiles.withoutWallClock(expected.resolve("samples.jsonl")), RunFiles.withoutWallClock(actual.resolve("samples.jsonl")), "samples.jsonl");
    List<String> reports;
    try (Stream<Path> files = Files.list(expected.resolve("eval"))) {
      reports = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertTrue(!reports.isEmpty());
    for (String report : reports) {
      assertEquals(JSON.readTree(expected.resolve("eval").resolve(report).toFile()),
          JSON.readTree(actual.resolve("eval").resolve(report).toFile()), report);
    }
    JsonNode manifest = JSON.readTree(actual.resolve("manifest.json").toFile());
    assertEquals("finished", manifest.get("status").asText());
    assertEquals(kills, manifest.get("resumes").asInt());

    // resuming the finished run says so and changes nothing
    String before = Files.readString(actual.resolve("manifest.json"));
    long linesBefore = Files.readAllLines(actual.resolve("metrics.jsonl")).size();
    assertEquals(0, finish(aha(killedRoot, "train", "--resume", actual.toString())), "resuming a finished run");
    assertEquals(before, Files.readString(actual.resolve("manifest.json")));
    assertEquals(linesBefore, Files.readAllLines(actual.resolve("metrics.jsonl")).size());
    assertTrue(Files.readString(dir.resolve("killed.log")).contains("there is nothing to resume"));
  }

  /**
   * Lines that say the same, bit for bit: the same keys, steps, stages, texts and numbers. This
   * once needed a float tolerance, because the same pretraining step of two fresh processes could
   * give gradient norms of 0.8399507676 and 0.8399501644; that was DJL freeing scalar operands that
   * backward still read (docs/djl-notes.md), not libtorch, and since the fix a resumed run redoes a
   * step exactly.
   */
  private static void assertSameFigures(List<JsonNode> expected, List<JsonNode> actual) {
    assertEquals(expected.size(), actual.size(), "metrics lines");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), "line " + i);
    }
  }

  /** {@code aha ARGS} in a child JVM, output to a log beside the runs; train without a dashboard. */
  private Process aha(Path root, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(args));
    if (args[0].equals("train")) {
      command.add("--no-dashboard");
    }
    return ChildAha.start(List.of(), dir.resolve(root.getFileName() + ".log"), command);
  }

  private int finish(Process process) throws Exception {
    return ChildAha.finish(process);
  }
}
