package aha.problems;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns problem sets in other people's formats into {@link Problem}s. The formats and what is taken
 * from each field are documented in {@code docs/problem-format.md}; in short:
 *
 * <ul>
 *   <li>{@link Format#GSM8K}: {@code question}, {@code answer} ending in a line {@code #### N}.
 *   <li>{@link Format#MATH}: {@code problem}, {@code solution} with a {@code \boxed{...}}, optional
 *       {@code answer}, {@code level}, {@code type}.
 *   <li>{@link Format#VERL}: {@code prompt} (text or chat messages), {@code
 *       reward_model.ground_truth}, optional {@code data_source}, {@code extra_info.index}.
 * </ul>
 *
 * <p>Any of them may be JSONL (one object per line) or one JSON array of objects; a file whose
 * first non-blank character is {@code [} is read as an array. Fields the format does not use are
 * ignored, since real datasets carry many. Import is strict otherwise: the first record that cannot
 * become a problem stops it with a {@link ProblemSetException} naming file, line (and, in an array,
 * the element index) and field. Solutions are brought to the house convention: steps, then a last
 * line {@code #### <answer>}. {@code meta.source} is the input file's name.
 */
public final class ProblemImporter {

  /** The formats {@link #importFile} reads. */
  public enum Format {
    /** Grade-school math: {@code question}, {@code answer} ending in {@code #### N}. */
    GSM8K,
    /** Competition math: {@code problem}, {@code solution} with {@code \boxed{}}. */
    MATH,
    /** verl RL parquet rows exported to JSON: {@code prompt}, {@code reward_model.ground_truth}. */
    VERL,
    /** Decide from the first record's fields. */
    AUTO;

    /** The name used on the command line. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a format from its wire name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Format fromWire(String text) {
      for (Format format : values()) {
        if (format.wireName().equals(text)) {
          return format;
        }
      }
      throw new IllegalArgumentException(
          "unknown import format '"
              + text
              + "' (expected one of "
              + Arrays.stream(values()).map(Format::wireName).collect(Collectors.joining(", "))
              + ")");
    }
  }

  private static final Pattern INTERVAL_QUESTION =
      Pattern.compile("(?i)\\binterval|interval notation|\\brange of|\\bdomain\\b");
  /** "(a, b)" with exactly one top-level comma. */
  private static final Pattern OPEN_PAIR = Pattern.compile("\\s*\\(\\s*[^,()]+,[^,()]+\\)\\s*");
  private static final Pattern PLAIN_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern CALCULATOR_ANNOTATION = Pattern.compile("<<[^<>\\n]*>>");
  private static final Pattern MATH_LEVEL = Pattern.compile("Level (\\d+|\\?)");

  private ProblemImporter() {}

  /**
   * Imports with the default kind rule ({@link #defaultKind}) for golds whose kind the format does
   * not fix.
   */
  public static List<Problem> importFile(Path file, Format format) throws IOException {
    return importFile(file, format, null);
  }

  /**
   * Imports every record of {@code file} as a problem.
   *
   * @param kindInferrer decides the kind of a MATH or verl gold (the verifier module has the real
   *     one); null, or a null result, falls back to {@link #defaultKind}. GSM8K golds are always
   *     numeric and verl countdown golds always countdown.
   * @throws ProblemSetException at the first record that cannot be imported, or on duplicate ids
   */
  public static List<Problem> importFile(
      Path file, Format format, Function<String, AnswerKind> kindInferrer) throws IOException {
    List<RawRecord> records = readRecords(file);
    if (records.isEmpty()) {
      return List.of();
    }
    Format actual = format == Format.AUTO ? sniff(records.get(0)) : format;
    Function<String, AnswerKind> kinds =
        gold -> {
          AnswerKind kind = kindInferrer == null ? null : kindInferrer.apply(gold);
          return kind == null ? defaultKind(gold) : kind;
        };
    String source = file.getFileName().toString();
    List<Problem> problems = new ArrayList<>(records.size());
    Map<String, RawRecord> firstById = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      RawRecord record = records.get(i);
      int ordinal = i + 1;
      Problem problem =
          switch (actual) {
            case GSM8K -> gsm8k(record, ordinal, source);
            case MATH -> math(record, ordinal, source, kinds);
            case VERL -> verl(record, ordinal, source, kinds);
            case AUTO -> throw new IllegalStateException("resolved above");
          };
      RawRecord first = firstById.putIfAbsent(problem.id(), record);
      if (first != null) {
        throw record.error(
            "id", "duplicate id \"" + problem.id() + "\" (first at " + first.where() + ")");
      }
      problems.add(problem);
    }
    return List.copyOf(problems);
  }

  /** NUMERIC for a plain integer or decimal ({@code -12}, {@code 3.5}), else EXPRESSION. */
  /**
   * A pair in parentheses, {@code (0, 1)}, reads as a tuple by itself; when the question asks for
   * an interval it is the open interval, and the kind says so (an interval keeps its brackets when
   * judged, so {@code [0, 1]} is not it).
   */
  static AnswerKind intervalWhenAsked(AnswerKind inferred, String gold, String question) {
    if (inferred == AnswerKind.TUPLE
        && question != null
        && INTERVAL_QUESTION.matcher(question).find()
        && OPEN_PAIR.matcher(gold).matches()) {
      return AnswerKind.INTERVAL;
    }
    return inferred;
  }

  public static AnswerKind defaultKind(String gold) {
    return PLAIN_NUMBER.matcher(gold.strip()).matches()
        ? AnswerKind.NUMERIC
        : AnswerKind.EXPRESSION;
  }

  /**
   * The content of the last {@code \boxed{...}} in {@code text}, braces matched ({@code \{} and
   * {@code \}} are literal braces and do not count), stripped; null when there is none.
   *
   * @throws IllegalArgumentException when the last box never closes
   */
  public static String lastBoxed(String text) {
    int at = text.lastIndexOf("\\boxed");
    while (at >= 0) {
      int open = at + "\\boxed".length();
      while (open < text.length() && Character.isWhitespace(text.charAt(open))) {
        open++;
      }
      if (open < text.length() && text.charAt(open) == '{') {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
          char c = text.charAt(i);
          if (c == '\\') {
            i++; // an escaped character, \{ included, is content
          } else if (c == '{') {
            depth++;
          } else if (c == '}' && --depth == 0) {
            return text.substring(open + 1, i).strip();
          }
        }
        throw new IllegalArgumentException("\\boxed{ at offset " + at + " is never closed");
      }
      at = text.lastIndexOf("\\boxed", at - 1);
    }
    return null;
  }

  // ---- formats
  // ------------------------------------------------------------------------------------

  private static Format sniff(RawRecord record) throws ProblemSetException {
    JsonNode node = record.node();
    if (node.has("prompt") && node.has("reward_model")) {
      return Format.VERL;
    }
    if (node.has("problem")) {
      return Format.MATH;
    }
    if (node.has("question") && node.has("answer")) {
      return Format.GSM8K;
    }
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    throw record.error(
        null,
        "cannot tell the format from the fields "
            + names
            + "; expected gsm8k (question, answer), math (problem, solution) or verl (prompt,"
            + " reward_model); name the format explicitly");
  }

  private static Problem gsm8k(RawRecord record, int ordinal, String source)
      throws ProblemSetException {
    String question = record.string(record.node(), "question");
    String answer = record.string(record.node(), "answer");
    List<String> lines = new ArrayList<>(Arrays.asList(answer.split("\n", -1)));
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    String last = lines.isEmpty() ? "" : lines.remove(lines.size() - 1).strip();
    if (!last.startsWith("####")) {
      throw record.error("answer", "last line is not \"#### <number>\": \"" + last + "\"");
    }
    String gold = last.substring(4).strip().replace(",", "");
    if (!PLAIN_NUMBER.matcher(gold).matches()) {
      throw record.error("answer", "final answer \"" + gold + "\" is not a number");
    }
    StringBuilder solution = new StringBuilder();
    for (String line : lines) {
      solution
          .append(CALCULATOR_ANNOTATION.matcher(line).replaceAll("").stripTrailing())
          .append('\n');
    }
    solution.append("#### ").append(gold);
    String id = record.id(record.node(), "id", "gsm8k", ordinal);
    return new Problem(
        id,
        question,
        gold,
        AnswerKind.NUMERIC,
        solution.toString(),
        new ProblemMeta("gsm8k", 0, 0, source));
  }

  private static Problem math(
      RawRecord record, int ordinal, String source, Function<String, AnswerKind> kinds)
      throws ProblemSetException {
    JsonNode node = record.node();
    String question = record.string(node, "problem");
    String solution = record.optionalString(node, "solution");
    String gold;
    if (node.hasNonNull("answer")) {
      gold = record.scalar(node.get("answer"), "answer");
    } else if (solution == null) {
      throw record.error("solution", "missing, and no \"answer\" field either");
    } else {
      try {
        gold = lastBoxed(solution);
      } catch (IllegalArgumentException e) {
        throw record.error("solution", e.getMessage());
      }
      if (gold == null) {
        throw record.error("solution", "no \\boxed{...} and no \"answer\" field");
      }
    }
    if (gold.isBlank()) {
      throw record.error(node.hasNonNull("answer") ? "answer" : "solution", "the answer is empty");
    }
    int difficulty = mathLevel(record, node.get("level"));
    String type = record.optionalString(node, "type");
    String family =
        type == null ? "math" : type.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    String id =
        node.hasNonNull("id")
            ? record.id(node, "id", "math", ordinal)
            : record.id(node, "unique_id", "math", ordinal);
    String houseSolution = solution == null ? null : solution.stripTrailing() + "\n#### " + gold;
    return new Problem(
        id,
        question,
        gold,
        intervalWhenAsked(kinds.apply(gold), gold, question),
        houseSolution,
        new ProblemMeta(family, difficulty, 0, source));
  }

  private static int mathLevel(RawRecord record, JsonNode level) throws ProblemSetException {
    if (level == null || level.isNull()) {
      return 0;
    }
    if (level.isIntegralNumber() && level.canConvertToInt()) {
      int value = level.intValue();
      if (value >= 0 && value <= ProblemSets.MAX_DIFFICULTY) {
        return value;
      }
    } else if (level.isTextual()) {
      var matcher = MATH_LEVEL.matcher(level.textValue().strip());
      if (matcher.matches()) {
        if (matcher.group(1).equals("?")) {
          return 0;
        }
        int value = Integer.parseInt(matcher.group(1));
        if (value <= ProblemSets.MAX_DIFFICULTY) {
          return value;
        }
      }
    }
    throw record.error(
        "level", "expected \"Level 1\" .. \"Level 5\" (or \"Level ?\"), got " + level);
  }

  private static Problem verl(
      RawRecord record, int ordinal, String source, Function<String, AnswerKind> kinds)
      throws ProblemSetException {
    JsonNode node = record.node();
    String question = verlQuestion(record, node.get("prompt"));
    JsonNode rewardModel = node.get("reward_model");
    if (rewardModel == null || !rewardModel.isObject()) {
      throw record.error(
          "reward_model",
          rewardModel == null
              ? "missing"
              : "expected an object, got " + Json.describe(rewardModel));
    }
    JsonNode truth = rewardModel.get("ground_truth");
    String gold;
    AnswerKind kind;
    if (truth == null || truth.isNull()) {
      throw record.error("reward_model.ground_truth", "missing");
    } else if (truth.isObject()) {
      gold = countdownGold(record, truth);
      kind = AnswerKind.COUNTDOWN;
    } else {
      gold = record.scalar(truth, "reward_model.ground_truth");
      if (gold.isBlank()) {
        throw record.error("reward_model.ground_truth", "empty");
      }
      kind = intervalWhenAsked(kinds.apply(gold), gold, question);
    }
    String family = record.optionalString(node, "data_source");
    JsonNode extra = node.get("extra_info");
    String id =
        extra != null && extra.isObject() && extra.hasNonNull("index")
            ? record.id(extra, "index", "verl", ordinal)
            : String.format(Locale.ROOT, "verl-%05d", ordinal);
    return new Problem(
        id,
        question,
        gold,
        kind,
        null,
        new ProblemMeta(family == null ? "verl" : family, 0, 0, source));
  }

  private static String verlQuestion(RawRecord record, JsonNode prompt) throws ProblemSetException {
    if (prompt == null || prompt.isNull()) {
      throw record.error("prompt", "missing");
    }
    if (prompt.isTextual()) {
      if (prompt.textValue().isBlank()) {
        throw record.error("prompt", "empty");
      }
      return prompt.textValue();
    }
    if (!prompt.isArray()) {
      throw record.error(
          "prompt", "expected a string or a list of chat messages, got " + Json.describe(prompt));
    }
    // The last user turn is the one the model answers; system turns are the trainer's business.
    for (int i = prompt.size() - 1; i >= 0; i--) {
      JsonNode message = prompt.get(i);
      if (!message.isObject()) {
        throw record.error(
            "prompt[" + i + "]", "expected a message object, got " + Json.describe(message));
      }
      JsonNode role = message.get("role");
      if (role != null && role.isTextual() && role.textValue().equals("user")) {
        JsonNode content = message.get("content");
        if (content == null || !content.isTextual() || content.textValue().isBlank()) {
          throw record.error(
              "prompt[" + i + "].content",
              "expected non-empty text, got "
                  + (content == null ? "nothing" : Json.describe(content)));
        }
        return content.textValue();
      }
    }
    throw record.error("prompt", "no message with role \"user\"");
  }

  /** TinyZero-style countdown truth: {@code {"target": 24, "numbers": [3, 5, 7, 25]}}. */
  private static String countdownGold(RawRecord record, JsonNode truth) throws ProblemSetException {
    String field = "reward_model.ground_truth";
    JsonNode target = truth.get("target");
    JsonNode numbers = truth.has("numbers") ? truth.get("numbers") : truth.get("nums");
    if (target == null || numbers == null) {
      throw record.error(
          field, "an object ground truth must be a countdown: {\"target\": N, \"numbers\": [...]}");
    }
    if (!target.isIntegralNumber()) {
      throw record.error(field + ".target", "expected an integer, got " + Json.describe(target));
    }
    String numbersField = field + (truth.has("numbers") ? ".numbers" : ".nums");
    if (!numbers.isArray() || numbers.isEmpty()) {
      throw record.error(numbersField, "expected a non-empty list of integers");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode number : numbers) {
      if (!number.isIntegralNumber()) {
        throw record.error(numbersField, "expected integers, got " + Json.describe(number));
      }
      values.add(Json.numberText(number));
    }
    return Json.numberText(target) + " from [" + String.join(", ", values) + "]";
  }

  // ---- reading records
  // ----------------------------------------------------------------------------

  /**
   * One JSON object of the input and where it was.
   *
   * @param element index in a JSON array, -1 for JSONL
   */
  private record RawRecord(Path file, int line, int element, JsonNode node) {

    ProblemSetException error(String field, String reason) {
      return new ProblemSetException(file, line, element, field, reason);
    }

    String where() {
      return element >= 0 ? "element [" + element + "], line " + line : "line " + line;
    }

    String string(JsonNode object, String name) throws ProblemSetException {
      JsonNode value = object.get(name);
      if (value == null || value.isNull()) {
        throw error(name, "missing");
      }
      if (!value.isTextual()) {
        throw error(name, "expected a string, got " + Json.describe(value));
      }
      if (value.textValue().isBlank()) {
        throw error(name, "empty");
      }
      return value.textValue();
    }

    String optionalString(JsonNode object, String name) throws ProblemSetException {
      JsonNode value = object.get(name);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isTextual()) {
        throw error(name, "expected a string, got " + Json.describe(value));
      }
      return value.textValue();
    }

    /** A string as is, or a number as its exact text. */
    String scalar(JsonNode value, String field) throws ProblemSetException {
      if (value.isTextual()) {
        return value.textValue().strip();
      }
      if (value.isNumber()) {
        return Json.numberText(value);
      }
      throw error(field, "expected a string or a number, got " + Json.describe(value));
    }

    /** The id in {@code name} (a string or an integer), else {@code prefix-00042}. */
    String id(JsonNode object, String name, String prefix, int ordinal) throws ProblemSetException {
      JsonNode value = object.get(name);
      if (value == null || value.isNull()) {
        return String.format(Locale.ROOT, "%s-%05d", prefix, ordinal);
      }
      String field = object == node ? name : "extra_info." + name;
      if (!(value.isTextual() || value.isIntegralNumber())) {
        throw error(field, "expected a string or an integer id, got " + Json.describe(value));
      }
      String id = value.isTextual() ? value.textValue() : Json.numberText(value);
      if (id.isBlank()) {
        throw error(field, "empty id");
      }
      return id;
    }
  }

  private static List<RawRecord> readRecords(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    boolean bom =
        bytes.length >= 3
            && (bytes[0] & 0xFF) == 0xEF
            && (bytes[1] & 0xFF) == 0xBB
            && (bytes[2] & 0xFF) == 0xBF;
    int first = bom ? 3 : 0;
    while (first < bytes.length && Character.isWhitespace(bytes[first])) {
      first++;
    }
    return first < bytes.length && bytes[first] == '['
        ? readArray(file, bytes)
        : readLines(file, bytes);
  }

  private static List<RawRecord> readLines(Path file, byte[] bytes) throws IOException {
    List<RawRecord> records = new ArrayList<>();
    List<String> lines = Json.decodeLines(bytes);
    for (int i = 0; i < lines.size(); i++) {
      int line = i + 1;
      String text = lines.get(i);
      if (text == null) {
        throw new ProblemSetException(file, line, null, "not valid UTF-8");
      }
      if (text.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = Json.readTree(text);
      } catch (JsonProcessingException e) {
        throw new ProblemSetException(file, line, null, Json.parseError(e));
      }
      if (!node.isObject()) {
        throw new ProblemSetException(
            file, line, null, "expected a JSON object, got " + Json.describe(node));
      }
      records.add(new RawRecord(file, line, -1, node));
    }
    return records;
  }

  private static List<RawRecord> readArray(Path file, byte[] bytes) throws IOException {
    List<RawRecord> records = new ArrayList<>();
    int element = 0;
    int line = 0;
    try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
      parser.nextToken(); // the opening bracket, sniffed already
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        line = parser.currentTokenLocation().getLineNr();
        if (token == null) {
          throw new ProblemSetException(
              file, line, null, "malformed JSON: the array is never closed");
        }
        if (token != JsonToken.START_OBJECT) {
          throw new ProblemSetException(
              file, line, element, null, "expected a JSON object, got " + token.asString());
        }
        // One element of the array: what follows it is the rest of the array, not trailing junk.
        JsonNode node = Json.readValue(parser);
        records.add(new RawRecord(file, line, element, node));
        element++;
      }
      if (parser.nextToken() != null) {
        line = parser.currentTokenLocation().getLineNr();
        throw new ProblemSetException(file, line, null, "malformed JSON: content after the array");
      }
    } catch (JsonEOFException e) {
      int at = e.getLocation() == null ? line : e.getLocation().getLineNr();
      throw new ProblemSetException(
          file, at, null, "malformed JSON: the file ends inside the array");
    } catch (JsonProcessingException e) {
      int at = e.getLocation() == null ? line : e.getLocation().getLineNr();
      throw new ProblemSetException(file, at, element, null, Json.parseError(e));
    }
    return records;
  }
}
