package aha.runs.train;

import aha.runs.store.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The run's clock behind every metrics line's {@code elapsed_s}: seconds of work on the run since
 * it started, across its stages. A resumed run goes on from the last line it kept, so the time it
 * spent stopped is not counted and the stages of one run share one axis (docs/run-format.md).
 */
public final class RunClock {

  private final long zeroNanos;

  private RunClock(long zeroNanos) {
    this.zeroNanos = zeroNanos;
  }

  /** A clock at 0 now: a run that starts from nothing. */
  public static RunClock startingNow() {
    return new RunClock(System.nanoTime());
  }

  /**
   * A clock at the {@code elapsed_s} of the last line of {@code metrics} (0 when there is none, or
   * when the file does not exist yet).
   *
   * @throws IOException when the file exists but cannot be read
   */
  public static RunClock continuing(Path metrics) throws IOException {
    double seconds = 0;
    List<JsonNode> lines = java.nio.file.Files.exists(metrics) ? JsonLines.read(metrics, warning -> {}) : List.of();
    for (JsonNode line : lines) {
      JsonNode elapsed = line.get("elapsed_s");
      if (elapsed != null && elapsed.isNumber()) {
        seconds = elapsed.asDouble();
      }
    }
    return new RunClock(System.nanoTime() - Math.round(seconds * 1e9));
  }

  /** Seconds on this clock. */
  public double elapsedSeconds() {
    return (System.nanoTime() - zeroNanos) / 1e9;
  }
}
