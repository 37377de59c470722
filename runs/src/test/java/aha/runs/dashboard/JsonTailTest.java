package aha.runs.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.runs.store.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTailTest {

  @TempDir Path dir;

  private final List<String> log = new ArrayList<>();

  @Test
  void readsOnlyWhatWasAppendedAndWaitsForATornLineToComplete() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    JsonTail tail = new JsonTail(file, f -> false, log::add);
    JsonTail.Delta first = tail.since(null);
    assertTrue(first.reset());
    assertTrue(first.lines().isEmpty()); // no file yet reads as empty

    append(file, "{\"step\": 1}\n{\"step\": 2}\n{\"step\": 3, \"lo");
    JsonTail.Delta second = tail.since(first.next());
    assertFalse(second.reset());
    assertEquals(List.of(1, 2), steps(second.lines()));

    append(file, "ss\": 0.5}\n");
    JsonTail.Delta third = tail.since(second.next());
    assertEquals(List.of(3), steps(third.lines()));
    assertTrue(tail.since(third.next()).isEmpty());
    assertTrue(log.isEmpty(), log.toString());
  }

  @Test
  void aMalformedLineIsSkippedAndWarnedAboutOnce() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    append(file, "{\"step\": 1}\nnot json\n[1, 2]\n{\"step\": 4}\n");
    JsonTail tail = new JsonTail(file, f -> false, log::add);
    JsonTail.Delta delta = tail.since(null);
    assertEquals(List.of(1, 4), steps(delta.lines()));
    assertEquals(2, delta.skipped());
    assertEquals(2, delta.warnings().size());
    assertTrue(delta.warnings().get(0).contains("metrics.jsonl:2: skipped"), delta.warnings().get(0));
    assertTrue(delta.warnings().get(1).contains("metrics.jsonl:3: skipped"), delta.warnings().get(1));
    tail.since(delta.next());
    tail.since(null);
    assertEquals(2, log.size(), "each warning is logged once: " + log);
  }

  @Test
  void aRewrittenFileStartsANewGeneration() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    append(file, "{\"step\": 1}\n{\"step\": 2}\n{\"step\": 3}\n");
    JsonTail tail = new JsonTail(file, f -> false, log::add);
    JsonTail.Delta before = tail.since(null);
    assertEquals(3, before.lines().size());

    // a resume keeps steps up to its checkpoint, then appends the rerun steps (a longer file)
    JsonLines.keepThroughStep(file, 1);
    append(file, "{\"step\": 2, \"rerun\": true}\n{\"step\": 3, \"rerun\": true}\n{\"step\": 4}\n");
    JsonTail.Delta after = tail.since(before.next());
    assertTrue(after.reset());
    assertEquals(List.of(1, 2, 3, 4), steps(after.lines()));
    assertTrue(after.lines().get(1).get("rerun").asBoolean());
  }

  @Test
  void aCappedTailKeepsEvenlySpacedLinesHoweverItWasRead() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    JsonTail inSteps = new JsonTail(file, f -> false, log::add, 64);
    JsonTail.Delta first = inSteps.since(null);
    StringBuilder text = new StringBuilder();
    for (int step = 1; step <= 10_000; step++) {
      text.append("{\"step\": ").append(step).append("}\n");
      if (step % 777 == 0) { // a live run: read while it grows
        append(file, text.toString());
        text.setLength(0);
        inSteps.since(first.next());
      }
    }
    append(file, text.toString());
    JsonTail.Delta late = inSteps.since(first.next());
    assertTrue(late.reset(), "thinning starts a new generation");
    JsonTail atOnce = new JsonTail(file, f -> false, log::add, 64);
    List<JsonNode> all = atOnce.all();

    assertEquals(256, atOnce.stride());
    assertEquals(40, all.size(), "steps 1, 257, ... 9985: 40 lines, at most 64");
    assertEquals(1, all.get(0).get("step").asInt());
    assertEquals(257, all.get(1).get("step").asInt());
    assertEquals(steps(all), steps(inSteps.all()), "the same lines whether read at once or as it grew");
    assertEquals(10_000, atOnce.last().get("step").asInt(), "the last line is kept apart");
  }

  /**
   * A thinned line carries the range of the lines it stands for, so a one-step spike between two
   * kept lines still shows; a bucket does not mix stages; and a live reader is sent the newest
   * bucket again as it widens.
   */
  @Test
  void aThinnedLineCarriesTheRangeOfTheLinesItStandsFor() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    StringBuilder text = new StringBuilder();
    for (int step = 1; step <= 9_000; step++) {
      String stage = step <= 300 ? "pretrain" : "grpo";
      double loss = step == 5_000 ? 100.0 : 1.0 + (step % 10) / 10.0;
      text.append("{\"step\": ").append(step).append(", \"stage\": \"").append(stage)
          .append("\", \"loss\": ").append(loss).append(", \"lr\": 0.001, \"note\": \"x\"}\n");
    }
    append(file, text.toString());
    JsonTail tail = new JsonTail(file, f -> false, log::add, 64);
    JsonTail.Delta read = tail.since(null);
    List<JsonNode> lines = read.lines();

    assertEquals(256, tail.stride());
    JsonNode first = lines.get(0); // steps 1-256, all pretraining
    assertEquals(256, first.get("thinned").get("lines").asInt());
    assertEquals(1.0, first.get("thinned").get("min").get("loss").asDouble());
    assertEquals(1.9, first.get("thinned").get("max").get("loss").asDouble(), 1e-12);
    assertFalse(first.get("thinned").get("min").has("lr"), "a flat field has no range");
    assertFalse(first.get("thinned").get("min").has("note"), "only numbers have ranges");
    JsonNode boundary = lines.get(1); // steps 257-512: 44 of pretraining, then GRPO
    assertEquals("pretrain", boundary.get("stage").asText());
    assertEquals(44, boundary.get("thinned").get("lines").asInt(), "GRPO lines left out");
    JsonNode spike = lines.get(19); // steps 4865-5120
    assertEquals(4865, spike.get("step").asInt());
    assertEquals(100.0, spike.get("thinned").get("max").get("loss").asDouble());
    assertTrue(spike.get("loss").asDouble() < 2, "the kept line itself missed the spike");

    // the newest bucket (from step 8961) widens: a reader that saw it gets it again
    append(file, "{\"step\": 9001, \"stage\": \"grpo\", \"loss\": 7.5, \"lr\": 0.001}\n");
    JsonTail.Delta grown = tail.since(read.next());
    assertFalse(grown.reset());
    assertEquals(List.of(8961), steps(grown.lines()));
    assertEquals(7.5, grown.lines().get(0).get("thinned").get("max").get("loss").asDouble());
    assertTrue(tail.since(grown.next()).isEmpty(), "nothing new, nothing sent");
  }

  /** Read in chunks: a line longer than a chunk, and a torn last line left for later. */
  @Test
  void aFileIsReadInChunksWhateverTheLineLengths() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    String huge = "x".repeat(3 * JsonLines.CHUNK_BYTES / 2);
    append(file, "{\"step\": 1}\n{\"step\": 2, \"note\": \"" + huge + "\"}\n{\"step\": 3}\n{\"step\": 4, \"lo");
    List<JsonNode> lines = new ArrayList<>();
    long offset = JsonLines.readFrom(file, 0, lines, log::add);
    assertEquals(List.of(1, 2, 3), steps(lines));
    assertEquals(huge.length(), lines.get(1).get("note").asText().length());
    assertEquals(Files.size(file) - "{\"step\": 4, \"lo".length(), offset, "resumes at the torn line");
    assertTrue(log.isEmpty(), log.toString());
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(
        file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static List<Integer> steps(List<JsonNode> lines) {
    return lines.stream().map(line -> line.get("step").asInt()).toList();
  }
}
