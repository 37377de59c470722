package aha.runs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/config.md stays in step with the records: every key in its table, and its example loads. */
class ConfigDocsTest {
  private static final Path DOC = Path.of("..", "docs", "config.md");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
  void tableDefaultsAreTheResolvedPresets() throws IOException {
    JsonNode defaults = YAML.readTree(ConfigLoader.toYaml(ConfigLoader.load("default", null, List.of())));
    JsonNode smoke = YAML.readTree(ConfigLoader.toYaml(ConfigLoader.load("smoke", null, List.of())));
    // | `key` | default | smoke (blank: the same) | meaning |
    Matcher row = Pattern.compile("(?m)^\\| `([a-z_.]+)` \\| ([^|]*) \\| ([^|]*) \\|").matcher(Files.readString(DOC));
    List<String> wrong = new ArrayList<>();
    while (row.find()) {
      String key = row.group(1);
      String documented = row.group(2).trim();
      String documentedSmoke = row.group(3).trim();
      String actual = valueAt(defaults, key);
      String actualSmoke = valueAt(smoke, key);
      if (!same(documented, actual)) {
        wrong.add(key + ": documents " + documented + ", default is " + actual);
      }
      String expectedSmoke = documentedSmoke.isEmpty() ? documented : documentedSmoke;
      if (!same(expectedSmoke, actualSmoke)) {
        wrong.add(key + ": documents smoke " + expectedSmoke + ", smoke is " + actualSmoke);
      }
    }
    assertEquals(List.of(), wrong);
  }

  /** Equal text, or equal numbers however written (2e-4 and 2.0E-4). */
  private static boolean same(String documented, String actual) {
    if (documented.equals(actual)) {
      return true;
    }
    try {
      return Double.parseDouble(documented) == Double.parseDouble(actual);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A key's value as the table writes it: scalars as YAML prints them, lists in brackets. */
  private static String valueAt(JsonNode root, String dottedKey) {
    JsonNode node = root;
    for (String part : dottedKey.split("\\.")) {
      node = node.path(part);
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(item.asText()));
      return "[" + String.join(", ", items) + "]";
    }
    return node.isMissingNode() ? "(missing)" : node.asText();
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
      assertEquals(4, config.grpo().rollout().groupSize());
    } finally {
      Files.delete(file);
    }
  }
}
