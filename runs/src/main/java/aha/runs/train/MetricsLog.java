package aha.runs.train;

import aha.runs.store.JsonLinesWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A run's {@code metrics.jsonl}, written by every stage: one line per step, counted globally across
 * the stages (pretraining steps 1..P, SFT after them, GRPO after both), each starting with the
 * global step, the stage, the wall-clock time and the run's elapsed seconds (docs/run-format.md).
 */
public final class MetricsLog implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonLinesWriter writer;
  private final RunClock clock;

  /** Appends to {@code file}, timing lines by {@code clock}. */
  public MetricsLog(Path file, RunClock clock) throws IOException {
    this.writer = new JsonLinesWriter(file);
    this.clock = clock;
  }

  /** One line: the step's place in the run, then its figures. */
  public void append(String stage, long globalStep, Map<String, Double> figures) throws IOException {
    ObjectNode line = JSON.createObjectNode();
    line.put("step", globalStep);
    line.put("stage", stage);
    line.put("time", Instant.now().toString());
    line.put("elapsed_s", clock.elapsedSeconds());
    figures.forEach((key, value) -> putNumber(line, key, value));
    writer.append(line);
  }

  /**
   * Puts a figure on a line; one that was not measured or not finite (a skipped step's NaN
   * gradient norm) goes in as null, so that every line stays strict JSON.
   */
  static void putNumber(ObjectNode line, String key, Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      line.putNull(key);
    } else {
      line.put(key, value);
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
