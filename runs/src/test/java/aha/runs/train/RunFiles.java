package aha.runs.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** What the multi-process tests read back from run directories, the same way for each. */
final class RunFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunFiles() {}

  /**
   * The JSON lines of a file without wall-clock figures, which differ from run to run: the lines
   * two runs of the same config must agree on bit for bit.
   */
  static List<JsonNode> withoutWallClock(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (key.equals("time") || key.equals("elapsed_s") || key.startsWith("time/") || key.equals("tokens_per_s")) {
          keys.remove();
        }
      }
      out.add(node);
    }
    return out;
  }

  /** The one run directory under {@code root}. */
  static Path onlyRun(Path root) throws IOException {
    Path run = onlyRunOrNull(root);
    assertTrue(run != null, "one run under " + root);
    return run;
  }

  /** The one run directory under {@code root}, or null while there is none (or several). */
  static Path onlyRunOrNull(Path root) throws IOException {
    try (Stream<Path> runs = Files.list(root)) {
      List<Path> dirs = runs.filter(Files::isDirectory).toList();
      return dirs.size() == 1 ? dirs.get(0) : null;
    }
  }
}
