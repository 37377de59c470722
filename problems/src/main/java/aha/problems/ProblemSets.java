package aha.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes problem-set JSONL files: one {@link Problem} per line, UTF-8. The schema is
 * documented in {@code docs/problem-format.md}.
 *
 * <p>Reading is strict, because a problem set is the input of everything downstream: required
 * fields must be present with the right types, unknown fields are errors (a misspelt {@code
 * "anwser"} must not silently vanish), ids must be unique. Every error names file, line and field.
 * {@link #read} throws on the first error; {@link #readAll} collects every error and keeps the good
 * lines, for lint.
 *
 * <p>Writing is deterministic (fixed field order, compact JSON, {@code "\n"} after every line) and
 * atomic (see {@link AtomicFiles}), and refuses problems that {@link #read} would reject, so a file
 * written here always reads back to the same problems and rewrites to the same bytes.
 */
public final class ProblemSets {

  /** The top-level fields, in the order they are written. */
  static final List<String> FIELDS =
      List.of("id", "question", "answer", "kind", "solution", "meta");

  /** The fields of {@code meta}, in the order they are written. */
  static final List<String> META_FIELDS =
      List.of("family", "difficulty", "seed", "source", "pass_rate", "pass_rate_n", "pass_rate_model");

  /** Difficulty 0 means unknown; 1 (easiest) to 5 are the generator levels. */
  static final int MAX_DIFFICULTY = 5;

  private ProblemSets() {}

  /** A problem and the 1-based line it was read from. */
  public record Entry(int line, Problem problem) {}

  /**
   * Everything that could be read from a file.
   *
   * @param file the file read
   * @param entries the lines that are valid problems, in file order (a line with a duplicate id is
   *     not among them)
   * @param errors one or more errors per bad line, in file order
   */
  public record ReadResult(Path file, List<Entry> entries, List<ProblemSetException> errors) {

    public ReadResult {
      entries = List.copyOf(entries);
      errors = List.copyOf(errors);
    }

    /** The valid problems, in file order. */
    public List<Problem> problems() {
      return entries.stream().map(Entry::problem).toList();
    }

    /** True when the file had no errors. */
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /**
   * Reads a problem-set file, strictly.
   *
   * @return the problems in file order, unmodifiable
   * @throws ProblemSetException at the first bad line, naming file, line and field
   * @throws IOException when the file cannot be read at all
   */
  public static List<Problem> read(Path jsonl) throws IOException {
    return readEntries(jsonl).stream().map(Entry::problem).toList();
  }

  /**
   * Reads a problem-set file strictly, as {@link #read}, keeping each problem's line for messages
   * about a problem that is valid but unfit for a task (such as one without a pass rate).
   */
  public static List<Entry> readEntries(Path jsonl) throws IOException {
    ReadResult result = readAll(jsonl);
    if (!result.ok()) {
      throw result.errors().get(0);
    }
    return result.entries();
  }

  /**
   * Reads every valid line of a problem-set file and collects the errors of the others, so that a
   * user sees all of a file's problems at once. Blank lines are skipped.
   *
   * @throws IOException only when the file cannot be opened or read; content errors are in the
   *     result
   */
  public static ReadResult readAll(Path jsonl) throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<ProblemSetException> errors = new ArrayList<>();
    Map<String, Integer> firstLineOfId = new HashMap<>();
    List<String> lines = Json.decodeLines(Files.readAllBytes(jsonl));
    for (int i = 0; i < lines.size(); i++) {
      int lineNumber = i + 1;
      String line = lines.get(i);
      if (line == null) {
        errors.add(new ProblemSetException(jsonl, lineNumber, null, "not valid UTF-8"));
        continue;
      }
      if (line.isBlank()) {
        continue;
      }
      Problem problem = parseLine(jsonl, lineNumber, line, errors);
      if (problem == null) {
        continue;
      }
      Integer first = firstLineOfId.putIfAbsent(problem.id(), lineNumber);
      if (first != null) {
        errors.add(
            new ProblemSetException(
                jsonl,
                lineNumber,
                "id",
                "duplicate id \"" + problem.id() + "\" (first at line " + first + ")"));
        continue;
      }
      entries.add(new Entry(lineNumber, problem));
    }
    return new ReadResult(jsonl, entries, errors);
  }

  /**
   * Writes a problem-set file atomically, one problem per line in the given order.
   *
   * @throws IllegalArgumentException when a problem would not read back (empty id, question or
   *     answer, no kind, difficulty outside 0..5, a duplicate id); nothing is written then
   */
  public static void write(Path jsonl, List<Problem> problems) throws IOException {
    AtomicFiles.writeString(jsonl, jsonLines(jsonl, problems));
  }

  /**
   * Writes several problem sets, all or none ({@link AtomicFiles#writeStrings}): a set that would
   * not read back, or a file that cannot be written, leaves every file as it was.
   *
   * @param sets each file and its problems, in the order they are renamed into place
   */
  public static void writeAll(Map<Path, List<Problem>> sets) throws IOException {
    Map<Path, String> texts = new LinkedHashMap<>();
    for (Map.Entry<Path, List<Problem>> set : sets.entrySet()) {
      texts.put(set.getKey(), jsonLines(set.getKey(), set.getValue()));
    }
    AtomicFiles.writeStrings(texts);
  }

  /** The JSONL text of {@code problems}, checked as {@link #write} says; {@code jsonl} names them. */
  private static String jsonLines(Path jsonl, List<Problem> problems) {
    StringBuilder text = new StringBuilder();
    Map<String, Integer> firstIndexOfId = new HashMap<>();
    for (int i = 0; i < problems.size(); i++) {
      Problem problem = problems.get(i);
      String invalid = invalidForWrite(problem);
      if (invalid == null) {
        Integer first = firstIndexOfId.putIfAbsent(problem.id(), i);
        if (first != null) {
          invalid = "duplicate id (first at index " + first + ")";
        }
      }
      if (invalid != null) {
        String id = problem == null ? "" : " (id \"" + problem.id() + "\")";
        throw new IllegalArgumentException(
            "cannot write " + jsonl + ": problem at index " + i + id + ": " + invalid);
      }
      text.append(toJson(problem)).append('\n');
    }
    return text.toString();
  }

  /**
   * One problem as one line of compact JSON (no newline), fields in schema order, absent optional
   * fields omitted.
   */
  public static String toJson(Problem problem) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", problem.id());
    node.put("question", problem.question());
    node.put("answer", problem.answer());
    node.put("kind", problem.kind().wireName());
    if (problem.solution() != null) {
      node.put("solution", problem.solution());
    }
    ProblemMeta meta = problem.meta();
    if (meta != null) {
      ObjectNode metaNode = node.putObject("meta");
      if (meta.family() != null) {
        metaNode.put("family", meta.family());
      }
      metaNode.put("difficulty", meta.difficulty());
      metaNode.put("seed", meta.seed());
      if (meta.source() != null) {
        metaNode.put("source", meta.source());
      }
      PassRate passRate = meta.passRate();
      if (passRate != null) {
        metaNode.put("pass_rate", passRate.rate());
        metaNode.put("pass_rate_n", passRate.samples());
        if (passRate.model() != null) {
          metaNode.put("pass_rate_model", passRate.model());
        }
      }
    }
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  private static String invalidForWrite(Problem problem) {
    if (problem == null) {
      return "null problem";
    }
    if (problem.id() == null || problem.id().isEmpty()) {
      return "empty id";
    }
    if (problem.question() == null || problem.question().isEmpty()) {
      return "empty question";
    }
    if (problem.answer() == null || problem.answer().isEmpty()) {
      return "empty answer";
    }
    if (problem.kind() == null) {
      return "no kind";
    }
    ProblemMeta meta = problem.meta();
    if (meta != null && (meta.difficulty() < 0 || meta.difficulty() > MAX_DIFFICULTY)) {
      return "difficulty " + meta.difficulty() + " outside 0.." + MAX_DIFFICULTY;
    }
    return null;
  }

  // ---- parsing one line ------------------------------------------------------------------------

  /** Parses one non-blank line; on failure adds its errors and returns null. */
  private static Problem parseLine(
      Path file, int line, String text, List<ProblemSetException> errors) {
    JsonNode node;
    try {
      node = Json.readTree(text);
    } catch (JsonProcessingException e) {
      errors.add(new ProblemSetException(file, line, null, Json.parseError(e)));
      return null;
    }
    if (!node.isObject()) {
      errors.add(
          new ProblemSetException(
              file, line, null, "expected a JSON object, got " + Json.describe(node)));
      return null;
    }
    Fields fields = new Fields(file, line, errors);
    fields.rejectUnknown(node, "", FIELDS);
    String id = fields.requiredString(node, "id");
    String question = fields.requiredString(node, "question");
    String answer = fields.answer(node);
    AnswerKind kind = fields.kind(node);
    String solution = fields.optionalString(node, "solution", "solution");
    ProblemMeta meta = fields.meta(node);
    if (fields.failed) {
      return null;
    }
    return new Problem(id, question, answer, kind, solution, meta);
  }

  /** How far rate × n may sit from a whole count: far above a double's rounding, far below 1/n. */
  private static final BigDecimal COUNT_TOLERANCE = new BigDecimal("1e-6");

  /** Reads typed fields out of one record, adding one error per bad field. */
  private static final class Fields {
    private final Path file;
    private final int line;
    private final List<ProblemSetException> errors;
    boolean failed;

    Fields(Path file, int line, List<ProblemSetException> errors) {
      this.file = file;
      this.line = line;
      this.errors = errors;
    }

    void error(String field, String reason) {
      errors.add(new ProblemSetException(file, line, field, reason));
      failed = true;
    }

    void rejectUnknown(JsonNode object, String prefix, List<String> known) {
      Set<String> knownSet = Set.copyOf(known);
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!knownSet.contains(name)) {
          error(prefix + name, "unknown field (expected " + String.join(", ", known) + ")");
        }
      }
    }

    String requiredString(JsonNode object, String name) {
      JsonNode value = object.get(name);
      if (value == null) {
        error(name, "missing");
        return null;
      }
      if (!value.isTextual()) {
        error(name, "expected a string, got " + Json.describe(value));
        return null;
      }
      if (value.textValue().isEmpty()) {
        error(name, "must not be empty");
        return null;
      }
      return value.textValue();
    }

    /** A string or null; JSON null counts as absent, as tools that write None produce it. */
    String optionalString(JsonNode object, String name, String path) {
      JsonNode value = object.get(name);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isTextual()) {
        error(path, "expected a string, got " + Json.describe(value));
        return null;
      }
      return value.textValue();
    }

    /** The gold answer: a non-empty string, or a JSON number taken as its exact decimal text. */
    String answer(JsonNode object) {
      JsonNode value = object.get("answer");
      if (value != null && value.isNumber()) {
        return Json.numberText(value);
      }
      return requiredString(object, "answer");
    }

    AnswerKind kind(JsonNode object) {
      JsonNode value = object.get("kind");
      if (value == null) {
        error("kind", "missing (expected one of " + AnswerKind.acceptedNames() + ")");
        return null;
      }
      if (!value.isTextual()) {
        error(
            "kind",
            "expected a string, got "
                + Json.describe(value)
                + " (one of "
                + AnswerKind.acceptedNames()
                + ")");
        return null;
      }
      try {
        return AnswerKind.fromWire(value.textValue());
      } catch (IllegalArgumentException e) {
        error("kind", e.getMessage());
        return null;
      }
    }

    ProblemMeta meta(JsonNode object) {
      JsonNode meta = object.get("meta");
      if (meta == null || meta.isNull()) {
        return null;
      }
      if (!meta.isObject()) {
        error("meta", "expected an object, got " + Json.describe(meta));
        return null;
      }
      rejectUnknown(meta, "meta.", META_FIELDS);
      String family = optionalString(meta, "family", "meta.family");
      long difficulty = integer(meta, "difficulty", 0, MAX_DIFFICULTY);
      long seed = integer(meta, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
      String source = optionalString(meta, "source", "meta.source");
      return new ProblemMeta(family, (int) difficulty, seed, source, passRate(meta));
    }

    /**
     * The calibration fields: all absent, or {@code pass_rate} and {@code pass_rate_n} both given
     * and agreeing (the rate a multiple of 1/n, as calibrate writes it), with an optional {@code
     * pass_rate_model}. Null when absent or wrong (the error is recorded).
     */
    PassRate passRate(JsonNode meta) {
      JsonNode rate = meta.get("pass_rate");
      boolean hasRate = rate != null && !rate.isNull();
      boolean hasSamples = meta.hasNonNull("pass_rate_n");
      String model = optionalString(meta, "pass_rate_model", "meta.pass_rate_model");
      if (!hasRate || !hasSamples) {
        if (hasRate || hasSamples || model != null) {
          String missing = hasRate ? "pass_rate_n" : "pass_rate";
          error("meta." + missing, "missing (the calibration fields go together)");
        }
        return null;
      }
      int errorsBefore = errors.size();
      long samples = integer(meta, "pass_rate_n", 1, Integer.MAX_VALUE);
      if (!rate.isNumber()) {
        error("meta.pass_rate", "expected a number in 0..1, got " + Json.describe(rate));
      } else if (rate.decimalValue().signum() < 0 || rate.decimalValue().compareTo(BigDecimal.ONE) > 0) {
        error("meta.pass_rate", Json.numberText(rate) + " out of range (expected 0..1)");
      }
      if (errors.size() > errorsBefore) {
        return null;
      }
      // a rate calibrate wrote is solved / n as a double: within rounding of a whole count
      BigDecimal solved = rate.decimalValue().multiply(BigDecimal.valueOf(samples));
      long count = solved.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
      if (solved.subtract(BigDecimal.valueOf(count)).abs().compareTo(COUNT_TOLERANCE) > 0) {
        error(
            "meta.pass_rate",
            Json.numberText(rate) + " is not a multiple of 1/" + samples + " (pass_rate_n)");
        return null;
      }
      return new PassRate((int) count, (int) samples, model);
    }

    /** An optional integer field of meta, 0 when absent. */
    long integer(JsonNode meta, String name, long min, long max) {
      JsonNode value = meta.get(name);
      if (value == null || value.isNull()) {
        return 0;
      }
      String path = "meta." + name;
      if (!value.isIntegralNumber()) {
        error(path, "expected an integer, got " + describeValue(value));
        return 0;
      }
      if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
        String range = max == Long.MAX_VALUE ? "a 64-bit integer" : min + ".." + max;
        error(path, Json.numberText(value) + " out of range (expected " + range + ")");
        return 0;
      }
      return value.longValue();
    }

    private static String describeValue(JsonNode value) {
      return value.isNumber() ? Json.numberText(value) : Json.describe(value);
    }
  }
}
