package aha.problems.gen;

import aha.problems.YamlLimits;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A curriculum: which families to mix, with what weights and difficulties, from one seed. One YAML
 * file:
 *
 * <pre>
 * seed: 7
 * count: 2000        # optional default count
 * families:
 *   - family: addition
 *     weight: 3          # optional, default 1
 *     difficulty: [1, 2, 3]     # a list or a single int
 *   - family: countdown
 *     weight: 1
 *     difficulty: 2
 * </pre>
 *
 * <p>{@link #allocate(int)} splits a count over the entries by largest remainder on the weights (ties
 * to the earlier entry), then over each entry's difficulties round-robin (the earlier ones get the
 * rest), so the split depends on nothing but the spec and the count.
 *
 * @param seed the seed of every problem in the curriculum and of its order
 * @param count the default number of problems; null when the file sets none
 * @param families the entries, in file order
 */
public record CurriculumSpec(long seed, Integer count, List<Entry> families) {

  /** The classpath resource of the default curriculum. */
  public static final String DEFAULT_RESOURCE = "/aha/problems/default-curriculum.yaml";

  private static final Set<String> TOP_KEYS = Set.of("seed", "count", "families", "description");
  private static final Set<String> ENTRY_KEYS = Set.of("family", "weight", "difficulty");

  /**
   * One family in the mix.
   *
   * @param family a name known to {@link Families}
   * @param weight its share relative to the other entries; 0 or more
   * @param difficulties the levels it is generated at, each 1 to 5; a repeated level gets more problems
   */
  public record Entry(String family, double weight, List<Integer> difficulties) {
    public Entry {
      Families.get(family);
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException("weight of " + family + " must be 0 or more, got " + weight);
      }
      if (difficulties.isEmpty()) {
        throw new IllegalArgumentException("difficulties of " + family + " are empty");
      }
      difficulties.forEach(ProblemGenerator::checkDifficulty);
      difficulties = List.copyOf(difficulties);
    }
  }

  /** How many problems of one family at one difficulty a curriculum asks for. */
  public record Share(String family, int difficulty, int count) {}

  public CurriculumSpec {
    if (count != null) {
      ProblemGenerator.checkCount(count);
    }
    if (families.isEmpty()) {
      throw new IllegalArgumentException("a curriculum needs at least one family");
    }
    if (families.stream().mapToDouble(Entry::weight).sum() <= 0) {
      throw new IllegalArgumentException("the weights of a curriculum add up to 0");
    }
    families = List.copyOf(families);
  }

  /**
   * Reads a curriculum file.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file and the field when the content is invalid
   */
  public static CurriculumSpec load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /** The curriculum shipped as {@value #DEFAULT_RESOURCE}. */
  public static CurriculumSpec defaultSpec() {
    try (InputStream in = CurriculumSpec.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + DEFAULT_RESOURCE);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses curriculum YAML.
   *
   * @param source the name errors start with, usually the file
   * @throws IllegalArgumentException {@code "<source>: <field>: <what is wrong>"}
   */
  public static CurriculumSpec parse(String yaml, String source) {
    ObjectMapper mapper =
        new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    String unsafe = YamlLimits.problem(yaml);
    if (unsafe != null) {
      throw new IllegalArgumentException(source + ": " + unsafe);
    }
    JsonNode root;
    try {
      root = mapper.readTree(yaml);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new IllegalArgumentException(source + ": empty; expected seed and families");
    }
    Fields top = new Fields(source, "", root, TOP_KEYS);
    long seed = top.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    Integer count = top.has("count") ? (int) top.integer("count", 0, Integer.MAX_VALUE) : null;
    JsonNode list = top.required("families");
    if (!list.isArray() || list.isEmpty()) {
      throw top.error("families", "expected a non-empty list of {family, weight, difficulty}");
    }
    List<Entry> entries = new ArrayList<>();
    double total = 0;
    for (int i = 0; i < list.size(); i++) {
      Fields entry = new Fields(source, "families[" + i + "].", list.get(i), ENTRY_KEYS);
      JsonNode name = entry.required("family");
      if (!name.isTextual()) {
        throw entry.error("family", "expected a family name (known: " + String.join(", ", Families.names()) + ")");
      }
      if (!Families.contains(name.asText())) {
        throw entry.error(
            "family",
            "unknown family '" + name.asText() + "' (known: " + String.join(", ", Families.names()) + ")");
      }
      double weight = 1;
      if (entry.has("weight")) {
        JsonNode w = entry.node.get("weight");
        if (!w.isNumber() || !Double.isFinite(w.asDouble())) {
          throw entry.error("weight", "'" + w.asText() + "' is not a number");
        }
        weight = w.asDouble();
        if (weight < 0) {
          throw entry.error("weight", w.asText() + " is negative");
        }
      }
      total += weight;
      entries.add(new Entry(name.asText(), weight, entry.difficulties("difficulty")));
    }
    if (total <= 0) {
      throw top.error("families", "the weights add up to 0; give at least one family a positive weight");
    }
    return new CurriculumSpec(seed, count, entries);
  }

  /**
   * Splits {@code count} problems over (family, difficulty) shares, in entry order; shares of the same
   * family and difficulty from different entries are merged, and empty shares left out.
   *
   * @throws IllegalArgumentException on a negative count
   */
  public List<Share> allocate(int count) {
    ProblemGenerator.checkCount(count);
    double total = families.stream().mapToDouble(Entry::weight).sum();
    int n = families.size();
    int[] perEntry = new int[n];
    double[] fraction = new double[n];
    int given = 0;
    for (int i = 0; i < n; i++) {
      double quota = count * families.get(i).weight() / total;
      perEntry[i] = (int) Math.floor(quota);
      fraction[i] = quota - perEntry[i];
      given += perEntry[i];
    }
    // largest remainders first; equal ones go to the earlier entry
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingDouble(i -> -fraction[i]).thenComparing(i -> i));
    for (int k = 0; given < count; k = (k + 1) % n) {
      // weight-0 entries take part only if every entry weighs 0, which the constructor forbids
      if (families.get(order.get(k)).weight() > 0) {
        perEntry[order.get(k)]++;
        given++;
      }
    }
    Map<String, Integer> merged = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      List<Integer> levels = families.get(i).difficulties();
      for (int j = 0; j < levels.size(); j++) {
        int share = perEntry[i] / levels.size() + (j < perEntry[i] % levels.size() ? 1 : 0);
        merged.merge(families.get(i).family() + "\t" + levels.get(j), share, Integer::sum);
      }
    }
    List<Share> shares = new ArrayList<>();
    merged.forEach(
        (key, share) -> {
          if (share > 0) {
            String[] parts = key.split("\t");
            shares.add(new Share(parts[0], Integer.parseInt(parts[1]), share));
          }
        });
    return shares;
  }

  /** The fields of one YAML mapping, with errors that name the file and the field. */
  private static final class Fields {
    final String source;
    final String prefix;
    final JsonNode node;

    Fields(String source, String prefix, JsonNode node, Set<String> allowed) {
      this.source = source;
      this.prefix = prefix;
      this.node = node;
      if (!node.isObject()) {
        String where = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1) + ": ";
        throw new IllegalArgumentException(
            source + ": " + where + "expected a mapping with keys " + sorted(allowed));
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          throw error(name, "unknown key (expected one of " + sorted(allowed) + ")");
        }
      }
    }

    boolean has(String field) {
      return node.has(field) && !node.get(field).isNull();
    }

    JsonNode required(String field) {
      if (!has(field)) {
        throw error(field, "missing");
      }
      return node.get(field);
    }

    long integer(String field, long min, long max) {
      JsonNode value = required(field);
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw error(field, "'" + value.asText() + "' is not an integer");
      }
      long v = value.asLong();
      if (v < min) {
        throw error(field, v + (min == 0 ? " is negative" : " is below " + min));
      }
      if (v > max) {
        throw error(field, v + " is above " + max);
      }
      return v;
    }

    List<Integer> difficulties(String field) {
      JsonNode value = required(field);
      List<Integer> levels = new ArrayList<>();
      if (value.isArray()) {
        if (value.isEmpty()) {
          throw error(field, "empty list; expected levels 1-5");
        }
        for (int i = 0; i < value.size(); i++) {
          levels.add(level(field, value.get(i)));
        }
      } else {
        levels.add(level(field, value));
      }
      return levels;
    }

    private int level(String field, JsonNode value) {
      if (!value.isIntegralNumber()) {
        throw error(field, "'" + value.asText() + "' is not an integer 1-5");
      }
      if (!value.canConvertToInt() || value.asInt() < 1 || value.asInt() > 5) {
        throw error(field, value.asText() + " is outside 1-5");
      }
      return value.asInt();
    }

    IllegalArgumentException error(String field, String message) {
      return new IllegalArgumentException(source + ": " + prefix + field + ": " + message);
    }

    private static String sorted(Set<String> keys) {
      return String.join(", ", keys.stream().sorted().toList());
    }
  }
}
