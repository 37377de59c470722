package aha.runs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;

  @Test
  void runDirectoriesAreUniqueAndListed() throws IOException {
    RunDirectory first = RunDirectory.create(root, "smoke");
    RunDirectory second = RunDirectory.create(root, "smoke");
    assertNotEquals(first.dir(), second.dir());
    Manifest.startingNow(List.of("train")).write(first.manifest());
    assertEquals(List.of(first.name()), RunDirectory.list(root).stream().map(RunDirectory::name).toList());
    assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(root, "../escape"));
    assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(second.dir()));
  }

  @Test
  void manifestRoundTripsAndRecordsTheEnd() throws IOException {
    Path file = root.resolve("manifest.json");
    Manifest started = Manifest.startingNow(List.of("train", "--preset", "smoke"));
    started.write(file);
    Manifest read = Manifest.read(file);
    assertEquals(started, read);
    assertEquals("running", read.status());
    Manifest ended = read.endedNow("finished");
    ended.write(file);
    assertEquals("finished", Manifest.read(file).status());
    assertTrue(Manifest.read(file).endedAt() != null);
    Files.writeString(file, "[1]");
    IOException bad = assertThrows(IOException.class, () -> Manifest.read(file));
    assertTrue(bad.getMessage().contains("manifest.json"), bad.getMessage());
  }

  /** A full disk (Linux's /dev/full answers every write so) and a directory name their file. */
  @Test
  void aFailedAppendNamesItsFileAndWhy() throws IOException {
    Path full = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full");
    try (JsonLinesWriter writer = new JsonLinesWriter(full)) {
      java.nio.file.FileSystemException e =
          assertThrows(java.nio.file.FileSystemException.class, () -> writer.append(JSON.createObjectNode().put("step", 1)));
      assertEquals("/dev/full", e.getFile());
      assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    }
    Path directory = Files.createDirectories(root.resolve("metrics.jsonl"));
    java.nio.file.FileSystemException d =
        assertThrows(java.nio.file.FileSystemException.class, () -> new JsonLinesWriter(directory));
    assertTrue(d.getMessage().startsWith(directory.toString()), d.getMessage());
  }

  @Test
  void appendedLinesReadBackAndATornLineIsSkippedWithAWarning() throws IOException {
    Path metrics = root.resolve("metrics.jsonl");
    try (JsonLinesWriter writer = new JsonLinesWriter(metrics)) {
      for (int step = 1; step <= 3; step++) {
        ObjectNode node = JSON.createObjectNode().put("step", step).put("reward/mean", step / 10.0);
        writer.append(node);
      }
    }
    // a crash mid-write leaves a partial line; a hand edit leaves garbage
    Files.writeString(metrics, "not json\n{\"step\": 4, \"rew", StandardOpenOption.APPEND);
    List<String> warnings = new ArrayList<>();
    List<JsonNode> lines = JsonLines.read(metrics, warnings::add);
    assertEquals(3, lines.size());
    assertEquals(0.3, lines.get(2).get("reward/mean").asDouble(), 1e-12);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("metrics.jsonl:4"), warnings.toString());
  }

  @Test
  void incrementalReadsSeeOnlyCompleteNewLines() throws IOException {
    Path file = root.resolve("m.jsonl");
    Files.writeString(file, "{\"step\":1}\n{\"step\":2}\n{\"step\":");
    List<JsonNode> seen = new ArrayList<>();
    long offset = JsonLines.readFrom(file, 0, seen, w -> {});
    assertEquals(2, seen.size());
    Files.writeString(file, "3}\n", StandardOpenOption.APPEND);
    offset = JsonLines.readFrom(file, offset, seen, w -> {});
    assertEquals(3, seen.size());
    assertEquals(3, seen.get(2).get("step").asInt());
    assertEquals(Files.size(file), offset);
    assertEquals(offset, JsonLines.readFrom(file, offset, seen, w -> {}));
  }

  @Test
  void keepThroughStepDropsLaterAndTornLines() throws IOException {
    Path file = root.resolve("m.jsonl");
    Files.writeString(file, "{\"step\":1}\n{\"step\":2}\n{\"step\":3}\n{\"step\":4,\"x\"");
    JsonLines.keepThroughStep(file, 2);
    assertEquals("{\"step\":1}\n{\"step\":2}\n", Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void checkpointsLandWholeAndOnlyTheLastFewAreKept() throws IOException {
    CheckpointStore store = new CheckpointStore(root.resolve("checkpoints"), 2);
    for (long step = 10; step <= 40; step += 10) {
      long written = step;
      store.write(step, dir -> Files.writeString(dir.resolve("state.json"), "{\"step\":" + written + "}"));
    }
    assertEquals(List.of(30L, 40L), store.steps());
    assertEquals(root.resolve("checkpoints/step-40"), store.latest().orElseThrow());

    // a writer that fails leaves nothing behind and the latest checkpoint unchanged
    assertThrows(
        IOException.class,
        () ->
            store.write(
                50,
                dir -> {
                  Files.writeString(dir.resolve("half"), "x");
                  throw new IOException("disk full");
                }));
    assertEquals(List.of(30L, 40L), store.steps());
    try (var children = Files.list(root.resolve("checkpoints"))) {
      assertFalse(children.anyMatch(p -> p.getFileName().toString().startsWith(".tmp")));
    }
  }
}
