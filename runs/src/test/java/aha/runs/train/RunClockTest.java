package aha.runs.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunClockTest {

  @Test
  void aResumedRunGoesOnFromItsLastLinesElapsedSeconds(@TempDir Path dir) throws IOException {
    Path metrics = dir.resolve("metrics.jsonl");
    Files.writeString(metrics,
        "{\"step\":1,\"stage\":\"pretrain\",\"elapsed_s\":100.0}\n"
            + "{\"step\":2,\"stage\":\"sft\",\"elapsed_s\":250.5}\n"
            + "{\"step\":3,\"stage\":\"grpo\",\"elapsed_s\":null}\n");
    double elapsed = RunClock.continuing(metrics).elapsedSeconds();
    // the last number wins; the seconds since are a few milliseconds of this test
    assertTrue(elapsed >= 250.5 && elapsed < 260, "elapsed " + elapsed);
  }

  @Test
  void aRunWithoutMetricsStartsAtZero(@TempDir Path dir) throws IOException {
    double fresh = RunClock.continuing(dir.resolve("metrics.jsonl")).elapsedSeconds();
    assertTrue(fresh >= 0 && fresh < 10, "elapsed " + fresh);
    double now = RunClock.startingNow().elapsedSeconds();
    assertTrue(now >= 0 && now < 10, "elapsed " + now);
  }
}
