package aha.runs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/config.md stays in step with the records: every key in its table, and its example loads. */
class ConfigDocsTest {
  private static final Path DOC = Path.of("..", "docs", "config.md");

  @Test
  void tableListsEveryKey() throws IOException {
    String doc = Files.readString(DOC);
    List<String> keys = ConfigLoader.keys();
    for (String key : keys) {
      boolean section = keys.stream().anyMatch(other -> other.startsWith(key + "."));
      if (!section) {
        assertTrue(doc.contains("| `" + key + "` |"), "docs/config.md lacks " + key);
      }
    }
  }

  @Test
  void exampleFileLoads() throws IOException {
    Matcher example = Pattern.compile("```yaml\n(# my-run.yaml\n.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
    assertTrue(example.find(), "no example file in docs/config.md");
    Path file = Files.createTempFile("config-doc", ".yaml");
    try {
      Files.writeString(file, example.group(1));
      RunConfig config = ConfigLoader.load("default", file, List.of());
      assertEquals("tiny", config.base().preset());
      assertEquals(60, config.base().pretrain().steps());
      assertEquals(4, config.grpo().groupSize());
    } finally {
      Files.delete(file);
    }
  }
}
