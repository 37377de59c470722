package aha.runs.config;

import aha.grpo.train.BaseConfig;
import aha.problems.YamlLimits;
import aha.sampler.settings.InvalidFieldException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Resolves a {@link RunConfig} from a preset, an optional YAML file and {@code --set key=value}
 * overrides, and writes one back as YAML.
 *
 * <p>Precedence, lowest first: the preset's values; {@code base.preset} and {@code base.seed},
 * which choose the defaults of everything under {@code base} ({@code BaseConfig.preset(p)
 * .withSeed(s)}); the file's values; each {@code --set} in order. Every key is checked against
 * the preset's tree before anything is bound, so an unknown key or a value of the wrong type is
 * reported with its full dotted path (and the closest known key) rather than as a Jackson
 * message; the records' constructors then validate the values, and their messages get the dotted
 * path of the record in front.
 */
public final class ConfigLoader {

  /** Where a stored {@code config.yaml} came from: any preset works, every key is in the file. */
  private static final String RESOLVED_PRESET = "default";

  private static final String HEADER =
      "# aha run config, resolved: every key. Load with --config FILE; see docs/config.md.\n";

  private static final ObjectMapper MAPPER =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  // a run named "1e3" must read back as text, not as the number 1000.0
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .build())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
              DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
              DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();

  /** Every key with a value of its type: what config files and {@code --set} are checked against. */
  private static final ObjectNode SCHEMA = tree(RunConfig.defaults());

  /**
   * The GRPO keys of configs written before the {@code grpo} section was nested (a run's {@code
   * config.yaml} from then, a script's {@code --set grpo.group_size=4}), and where each lives now.
   * They are read as their new keys, so old runs resume and old commands work.
   */
  private static final Map<String, String> FLAT_GRPO_KEYS =
      Map.ofEntries(
          Map.entry("problems_per_step", "rollout.problems_per_step"),
          Map.entry("group_size", "rollout.group_size"),
          Map.entry("max_new_tokens", "rollout.max_new_tokens"),
          Map.entry("temperature", "rollout.temperature"),
          Map.entry("top_k", "rollout.top_k"),
          Map.entry("top_p", "rollout.top_p"),
          Map.entry("dynamic_sampling", "rollout.dynamic_sampling"),
          Map.entry("max_sampling_rounds", "rollout.max_sampling_rounds"),
          Map.entry("problems_per_round", "rollout.problems_per_round"),
          Map.entry("loss_type", "loss.type"),
          Map.entry("epsilon_low", "loss.epsilon_low"),
          Map.entry("epsilon_high", "loss.epsilon_high"),
          Map.entry("beta", "loss.beta"),
          Map.entry("accuracy_weight", "reward.accuracy_weight"),
          Map.entry("format_weight", "reward.format_weight"),
          Map.entry("scale_rewards", "reward.scale_rewards"),
          Map.entry("mask_truncated", "reward.mask_truncated"),
          Map.entry("overlong_buffer", "reward.overlong_buffer"),
          Map.entry("overlong_penalty", "reward.overlong_penalty"),
          Map.entry("lr", "schedule.lr"),
          Map.entry("warmup_steps", "schedule.warmup_steps"),
          Map.entry("min_lr_ratio", "schedule.min_lr_ratio"),
          Map.entry("beta1", "optimizer.beta1"),
          Map.entry("beta2", "optimizer.beta2"),
          Map.entry("weight_decay", "optimizer.weight_decay"),
          Map.entry("clip_norm", "optimizer.clip_norm"),
          Map.entry("num_iterations", "optimizer.num_iterations"),
          Map.entry("micro_batch", "optimizer.micro_batch"),
          Map.entry("eval_every", "eval.every"),
          Map.entry("eval_problems", "eval.problems"),
          Map.entry("eval_samples", "eval.samples"),
          Map.entry("eval_max_new_tokens", "eval.max_new_tokens"));

  private ConfigLoader() {}

  /**
   * Resolves a config.
   *
   * @param preset a name of {@link RunConfig#PRESETS}
   * @param yamlFileOrNull a config file whose keys override the preset's, or null
   * @param sets {@code key=value} overrides applied last, in order; the value is YAML, so {@code
   *     grpo.markers=[wait, hmm]} sets a list
   * @throws ConfigException naming the file, the {@code --set} or the key that is wrong
   */
  public static RunConfig load(String preset, Path yamlFileOrNull, List<String> sets) {
    RunConfig presetConfig;
    try {
      presetConfig = RunConfig.preset(preset);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(null, "--preset: " + e.getMessage(), e);
    }
    ObjectNode defaults = tree(presetConfig);

    // what the user said, checked against the preset's tree
    ObjectNode overrides = MAPPER.createObjectNode();
    if (yamlFileOrNull != null) {
      deepMerge(overrides, check(SCHEMA, readFile(yamlFileOrNull), "", yamlFileOrNull + ": "));
    }
    for (String set : sets) {
      deepMerge(overrides, check(SCHEMA, parseSet(set), "", "--set "));
    }

    // base.preset and base.seed choose the defaults of the whole base section; what the run
    // preset itself changes there (the calculator of the default and tools presets) is kept on top of them
    BaseConfig presetBase = presetConfig.base();
    String basePreset = overrides.path("base").path("preset").asText(presetBase.preset());
    long baseSeed = overrides.path("base").path("seed").asLong(presetBase.seed());
    if (!basePreset.equals(presetBase.preset()) || baseSeed != presetBase.seed()) {
      ObjectNode base;
      try {
        base = tree(BaseConfig.preset(basePreset).withSeed(baseSeed));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("base.preset", "base.preset: " + e.getMessage(), e);
      }
      ObjectNode modelPresetBase =
          tree(BaseConfig.preset(presetBase.preset()).withSeed(presetBase.seed()));
      defaults.set("base", deepMerge(base, changes(modelPresetBase, tree(presetBase))));
    }

    RunConfig config = bind(deepMerge(defaults, overrides));
    checkCurriculum(config);
    return config;
  }

  /**
   * Reads a resolved config back exactly, as {@code aha train --resume} does with a run's
   * {@code config.yaml}.
   *
   * @throws ConfigException naming the file and the key that is wrong
   */
  public static RunConfig read(Path configYaml) {
    return load(RESOLVED_PRESET, configYaml, List.of());
  }

  /** The config as YAML with every key, in the order of the records; {@link #read} gives it back. */
  public static String toYaml(RunConfig config) {
    try {
      return HEADER + MAPPER.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the config as YAML", e);
    }
  }

  /** Every dotted key a config file or {@code --set} accepts, sections included, in file order. */
  public static List<String> keys() {
    List<String> keys = new ArrayList<>();
    collectKeys(SCHEMA, "", keys);
    return keys;
  }

  private static ObjectNode tree(Object config) {
    return MAPPER.valueToTree(config);
  }

  private static ObjectNode readFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(null, file + ": no such config file", e);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
    }
    String unsafe = YamlLimits.problem(text);
    if (unsafe != null) {
      throw new ConfigException(null, file + ": " + unsafe);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw syntaxError(file.toString(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return MAPPER.createObjectNode(); // an empty file changes nothing
    }
    if (!root.isObject()) {
      throw new ConfigException(
          null, file + ": expected a mapping of the sections curriculum, base, grpo and run, got " + describe(root));
    }
    return nestFlatGrpoKeys((ObjectNode) root);
  }

  /** {@code root} with the flat keys of its {@code grpo} section moved to their sections. */
  private static ObjectNode nestFlatGrpoKeys(ObjectNode root) {
    if (!(root.get("grpo") instanceof ObjectNode grpo)) {
      return root;
    }
    ObjectNode nested = MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> field : grpo.properties()) {
      String newKey = FLAT_GRPO_KEYS.get(field.getKey());
      if (newKey == null) {
        deepMerge(nested, MAPPER.createObjectNode().set(field.getKey(), field.getValue()));
      } else {
        String[] parts = newKey.split("\\.");
        ObjectNode section = MAPPER.createObjectNode();
        section.putObject(parts[0]).set(parts[1], field.getValue());
        deepMerge(nested, section);
      }
    }
    root.set("grpo", nested);
    return root;
  }

  /** {@code "FILE:LINE:COLUMN: not valid YAML: PROBLEM"}, the problem in SnakeYAML's words. */
  private static ConfigException syntaxError(String source, JacksonException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
    return new ConfigException(null, where + ": not valid YAML: " + yamlProblem(e), e);
  }

  private static String yamlProblem(JacksonException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblem() != null) {
        return marked.getProblem();
      }
    }
    String message = e.getOriginalMessage();
    return message == null ? e.toString() : message.lines().findFirst().orElse(message).strip();
  }

  /** One {@code --set a.b.c=value} as the nested tree {@code {a: {b: {c: value}}}}. */
  private static ObjectNode parseSet(String set) {
    int equals = set.indexOf('=');
    if (equals < 0) {
      throw new ConfigException(
          null, "--set " + set + ": expected key=value (e.g. grpo.steps=50), but there is no '='");
    }
    String key = set.substring(0, equals).strip();
    if (key.startsWith("grpo.") && FLAT_GRPO_KEYS.containsKey(key.substring(5))) {
      key = "grpo." + FLAT_GRPO_KEYS.get(key.substring(5));
    }
    String[] parts = key.split("\\.", -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new ConfigException(
            null, "--set " + set + ": the key '" + key + "' has an empty part; expected a.b.c=value");
      }
    }
    JsonNode section = SCHEMA;
    for (int i = 0; i < parts.length; i++) {
      String path = String.join(".", List.of(parts).subList(0, i));
      if (!section.isObject()) {
        throw new ConfigException(
            path, "--set " + path + ": is a single value, not a section, so " + key + " does not exist");
      }
      if (!section.has(parts[i])) {
        throw unknownKey(join(path, parts[i]), "--set ");
      }
      section = section.get(parts[i]);
    }
    String unsafe = YamlLimits.problem(set.substring(equals + 1));
    if (unsafe != null) {
      throw new ConfigException(key, "--set " + key + ": " + unsafe);
    }
    JsonNode value;
    try {
      value = MAPPER.readTree(set.substring(equals + 1));
    } catch (JacksonException e) {
      throw new ConfigException(
          key, "--set " + key + ": the value is not valid YAML: " + yamlProblem(e), e);
    }
    if (section.isTextual() && (value.isNumber() || value.isBoolean())) {
      // YAML read 1e3 as 1000.0 and yes as true; where text belongs, the user meant what they typed
      value = TextNode.valueOf(set.substring(equals + 1).strip());
    }
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode parent = root;
    for (int i = 0; i < parts.length - 1; i++) {
      parent = parent.putObject(parts[i]);
    }
    parent.set(parts[parts.length - 1], value);
    return root;
  }

  /**
   * Checks {@code value} against the preset's tree: known keys, sections where sections belong,
   * and scalars of the right type. Returns it normalized (numbers where text is expected become
   * text, integers where decimals are expected become decimals), so binding cannot coerce.
   */
  private static JsonNode check(JsonNode schema, JsonNode value, String path, String source) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      throw badValue(source, path, "no value; expected " + expected(schema));
    }
    if (schema.isObject()) {
      if (!value.isObject()) {
        throw badValue(source, path, "expected " + expected(schema) + ", got " + describe(value));
      }
      ObjectNode checked = MAPPER.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String childPath = join(path, field.getKey());
        JsonNode childSchema = schema.get(field.getKey());
        if (childSchema == null) {
          throw unknownKey(childPath, source);
        }
        checked.set(field.getKey(), check(childSchema, field.getValue(), childPath, source));
      }
      return checked;
    }
    if (schema.isArray()) {
      if (!value.isArray()) {
        throw badValue(source, path, "expected a list, e.g. [a, b], got " + describe(value));
      }
      JsonNode elementSchema = schema.isEmpty() ? TextNode.valueOf("") : schema.get(0);
      ArrayNode checked = MAPPER.createArrayNode();
      for (int i = 0; i < value.size(); i++) {
        checked.add(check(elementSchema, value.get(i), path + "[" + i + "]", source));
      }
      return checked;
    }
    boolean fits =
        switch (schema.getNodeType()) {
          case BOOLEAN -> value.isBoolean();
          case NUMBER ->
              schema.isIntegralNumber()
                  ? value.isIntegralNumber() && (schema.isInt() ? value.canConvertToInt() : value.canConvertToLong())
                  : value.isNumber();
          // an integer reads back as the same text (name: 2024); 1e3 or yes would not
          case STRING -> value.isTextual() || value.isIntegralNumber();
          default -> throw new IllegalStateException("unexpected default at " + path + ": " + schema);
        };
    if (!fits) {
      throw badValue(source, path, "expected " + expected(schema) + ", got " + describe(value));
    }
    if (schema.isTextual() && value.isIntegralNumber()) {
      return TextNode.valueOf(value.asText());
    }
    if (schema.isFloatingPointNumber() && !value.isFloatingPointNumber()) {
      return DoubleNode.valueOf(value.asDouble());
    }
    return value;
  }

  /** The fields of {@code changed} whose values differ from {@code original}'s, section by section. */
  private static ObjectNode changes(ObjectNode original, ObjectNode changed) {
    ObjectNode differences = MAPPER.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = changed.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode before = original.get(field.getKey());
      if (before instanceof ObjectNode section && field.getValue() instanceof ObjectNode after) {
        ObjectNode nested = changes(section, after);
        if (!nested.isEmpty()) {
          differences.set(field.getKey(), nested);
        }
      } else if (!field.getValue().equals(before)) {
        differences.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    return differences;
  }

  /** Overwrites {@code target} with {@code update}, section by section; lists are replaced. */
  private static ObjectNode deepMerge(ObjectNode target, JsonNode update) {
    for (Iterator<Map.Entry<String, JsonNode>> it = update.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode existing = target.get(field.getKey());
      if (existing instanceof ObjectNode section && field.getValue().isObject()) {
        deepMerge(section, field.getValue());
      } else {
        target.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    return target;
  }

  private static RunConfig bind(ObjectNode resolved) {
    try {
      return MAPPER.treeToValue(resolved, RunConfig.class);
    } catch (JsonMappingException e) {
      throw bindError(e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot bind the checked config tree", e);
    }
  }

  /**
   * A record's refusal as a config error. Records name the bad field with an {@link
   * InvalidFieldException} ({@code rollout.group_size}), which goes under the record's dotted path
   * ({@code grpo}); any other refusal (an enum's unknown name) is put under the path Jackson was
   * binding.
   */
  private static ConfigException bindError(JsonMappingException e) {
    List<String> path = new ArrayList<>();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.add(reference.getFieldName());
      }
    }
    String recordPath = String.join(".", path);
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidFieldException invalid) {
        String key = join(recordPath, invalid.field());
        return new ConfigException(key, key + ": " + invalid.problem(), e);
      }
    }
    Throwable cause = e;
    while (cause != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    String message = cause != null ? cause.getMessage() : e.getOriginalMessage();
    return new ConfigException(
        recordPath.isEmpty() ? null : recordPath, recordPath.isEmpty() ? message : recordPath + ": " + message, e);
  }

  private static void checkCurriculum(RunConfig config) {
    if (config.curriculum().equals(RunConfig.DEFAULT_CURRICULUM)) {
      return;
    }
    try {
      config.curriculumSpec();
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          "curriculum", "curriculum: no such file " + config.curriculum() + " (or use 'default')", e);
    } catch (IOException e) {
      throw new ConfigException("curriculum", "curriculum: cannot read " + config.curriculum() + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("curriculum", "curriculum: " + e.getMessage(), e);
    }
  }

  private static ConfigException badValue(String source, String path, String what) {
    return new ConfigException(path, source + path + ": " + what);
  }

  /** Names the unknown key and the closest known one, or the keys of its section. */
  private static ConfigException unknownKey(String path, String source) {
    JsonNode schema = SCHEMA;
    List<String> known = new ArrayList<>();
    collectKeys(schema, "", known);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = keyDistance(path, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    // a misspelt flat GRPO key (grpo.group_sise) is nearest its flat name: suggest where it lives now
    for (Map.Entry<String, String> flat : FLAT_GRPO_KEYS.entrySet()) {
      int distance = keyDistance(path, "grpo." + flat.getKey());
      if (distance < bestDistance) {
        best = "grpo." + flat.getValue();
        bestDistance = distance;
      }
    }
    String leaf = leaf(path);
    String hint;
    if (best != null && bestDistance <= Math.max(2, leaf.length() / 3)) {
      hint = "did you mean " + best + "?";
    } else {
      String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
      JsonNode section = parent.isEmpty() ? schema : schema.at("/" + parent.replace('.', '/'));
      List<String> names = new ArrayList<>();
      section.fieldNames().forEachRemaining(names::add);
      hint = (parent.isEmpty() ? "the sections are " : "the keys of " + parent + " are ")
          + String.join(", ", names);
    }
    return new ConfigException(path, source + path + ": unknown key; " + hint);
  }

  /**
   * How far an unknown key is from a known one: the edit distance of the whole paths, or of the
   * last parts plus 2 when the key sits in another section ({@code grpo.seq_len} is near {@code
   * base.pretrain.seq_len}).
   */
  private static int keyDistance(String unknown, String known) {
    int whole = levenshtein(unknown, known);
    int leaves = levenshtein(leaf(unknown), leaf(known)) + (parent(unknown).equals(parent(known)) ? 0 : 2);
    return Math.min(whole, leaves);
  }

  private static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static void collectKeys(JsonNode section, String prefix, List<String> keys) {
    section.fields().forEachRemaining(field -> {
      String key = join(prefix, field.getKey());
      keys.add(key);
      if (field.getValue().isObject()) {
        collectKeys(field.getValue(), key, keys);
      }
    });
  }

  private static String expected(JsonNode schema) {
    if (schema.isObject()) {
      List<String> names = new ArrayList<>();
      schema.fieldNames().forEachRemaining(names::add);
      return "a section with the keys " + String.join(", ", names);
    }
    if (schema.isArray()) {
      return "a list";
    }
    if (schema.isBoolean()) {
      return "true or false";
    }
    if (schema.isInt()) {
      return "an integer";
    }
    if (schema.isIntegralNumber()) {
      return "a (64-bit) integer";
    }
    if (schema.isNumber()) {
      return "a number";
    }
    return "text (in quotes when YAML would read it as a number or boolean)";
  }

  private static String describe(JsonNode value) {
    if (value.isObject()) {
      return "a section " + value;
    }
    if (value.isArray()) {
      return "a list " + value;
    }
    return value.toString();
  }

  private static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  private static String leaf(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  private static String parent(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }
}
