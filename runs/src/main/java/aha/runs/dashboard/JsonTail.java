package aha.runs.dashboard;

import aha.runs.store.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The lines of one growing JSON-lines file, read incrementally and shared by every reader of it:
 * each {@link #refresh} reads only the bytes appended since the last one ({@link
 * JsonLines#readFrom}), so a live run's metrics cost one small read per poll however many pages
 * watch it. Malformed lines are skipped with a warning.
 *
 * <p>A resumed run rewrites its files without the steps it runs again (a new file renamed into
 * place). That is seen as a new file key or a file shorter than what was read, and starts a new
 * {@link #generation}: everything is read again, and readers holding positions into the old one
 * start over.
 *
 * <p>Memory. With a cap ({@code maxLines} above 0, as metrics have) the tail keeps at most that
 * many lines, evenly spaced: every line until the cap, then every second, every fourth, ... (the
 * lines whose index in the file is a multiple of the stride), thinning what it holds each time the
 * cap is passed and starting a new generation so that readers take the thinned list. A chart
 * wants a few thousand points, not a million lines, and a file is read in fixed chunks, so a
 * run of any length costs the same. The last line is always kept apart ({@link #last}). Without a
 * cap every line is kept.
 *
 * <p>Ranges. A kept line of a thinned tail stands for the {@code stride} lines from it to the next
 * kept one (its bucket). So that a spike between two kept lines still shows, each kept line
 * carries the least and greatest value of every numeric field over the lines of its bucket that
 * share its stage: readers get it as a {@code thinned} field, {@code {"lines": n, "min": {...},
 * "max": {...}}}, naming only the fields whose bucket is not flat. The newest bucket grows as lines
 * arrive, so a reader that saw it is sent it again, with its wider range, after each read.
 *
 * <p>Blocking (file reads) and thread-safe.

 */
final class JsonTail {

  /** Warnings kept per file; further ones are only counted (a file of garbage must not fill memory). */
  static final int MAX_WARNINGS = 100;

  /** Numeric fields given a range per tail; further ones are served without one. */
  static final int MAX_RANGED_FIELDS = 256;

  /**
   * Where a reader stands: the generation it read, how many kept lines and warnings of it, and how
   * many lines of the file it had read (kept or not).
   */
  record Position(int generation, int lines, int warnings, long read) {}

  /**
   * What a reader has not seen yet.
   *
   * @param reset true when the reader must drop what it had (first read, or a rewritten file)
   * @param lines the new lines (all of them after a reset)
   * @param warnings the new warnings
   * @param skipped malformed lines skipped in this generation so far
   * @param next the position to pass to the next {@link #since} call
   */
  record Delta(
      boolean reset, List<JsonNode> lines, List<String> warnings, int skipped, Position next) {

    boolean isEmpty() {
      return !reset && lines.isEmpty() && warnings.isEmpty();
    }
  }

  private final Path file;
  private final Predicate<Path> leadsOutside;
  private final Consumer<String> log;
  private final List<JsonNode> lines = new ArrayList<>();
  // per kept line of a capped tail: the range of its bucket, or null while it stands for itself
  private final List<Range> ranges = new ArrayList<>();
  // the numeric fields that have a range, by their column in Range's arrays
  private final Map<String, Integer> rangedFields = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private boolean linkedOut; // the file was last seen as a link out of the runs root
  private final int maxLines;
  private int stride = 1; // lines kept: those whose index in this generation is a multiple of it
  private long accepted; // lines read in this generation
  private JsonNode last; // the last line read, kept or not
  private int skipped;
  private long offset;
  private Object fileKey;
  private int generation;

  /**
   * @param leadsOutside whether the file is a link out of the runs root, which is read as absent
   * @param log receives each warning once, as it is found
   */
  JsonTail(Path file, Predicate<Path> leadsOutside, Consumer<String> log) {
    this(file, leadsOutside, log, 0);
  }

  /**
   * @param maxLines the most lines kept, evenly thinned beyond it; 0 keeps every line
   */
  JsonTail(Path file, Predicate<Path> leadsOutside, Consumer<String> log, int maxLines) {
    this.file = file;
    this.leadsOutside = leadsOutside;
    this.log = log;
    this.maxLines = maxLines;
  }

  /** Reads what was appended since the last call (or everything, for a new generation). */
  synchronized Position refresh() throws IOException {
    if (leadsOutside.test(file)) {
      // a link out of the runs root: read as absent, said once, never echoed
      if (!linkedOut) {
        restart(null);
        linkedOut = true;
        String warning = file + ": not read: a link out of the runs root";
        warnings.add(warning);
        log.accept(warning);
      }
      return position();
    }
    linkedOut = false;
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException missing) {
      if (offset > 0) {
        restart(null);
      }
      return position();
    }
    Object key = attributes.fileKey();
    if (attributes.size() < offset || (offset > 0 && !Objects.equals(key, fileKey))) {
      restart(key);
    }
    fileKey = key;
    offset = JsonLines.readFrom(file, offset, this::accept, this::warn);
    return position();
  }

  /**
   * Refreshes, then returns what a reader at {@code seen} has not seen; {@code null} for a reader
   * that has seen nothing.
   */
  synchronized Delta since(Position seen) throws IOException {
    Position now = refresh();
    boolean reset = seen == null || seen.generation() != now.generation();
    int fromLine = reset ? 0 : Math.min(seen.lines(), lines.size());
    if (!reset && fromLine > 0 && stride > 1 && seen.read() < accepted) {
      fromLine--; // the bucket the reader saw last has grown since: send it again
    }
    int fromWarning = reset ? 0 : Math.min(seen.warnings(), warnings.size());
    return new Delta(
        reset,
        served(fromLine),
        List.copyOf(warnings.subList(fromWarning, warnings.size())),
        skipped,
        now);
  }

  /** Refreshes, then returns every kept line of the file, as readers get them. */
  synchronized List<JsonNode> all() throws IOException {
    refresh();
    return served(0);
  }

  /** The warnings of this generation (a copy; at most {@value #MAX_WARNINGS}). */
  synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The last line read, if any, without reading the file. */
  synchronized JsonNode last() {
    return last;
  }

  /** The lines between two kept ones, 1 until the cap is first passed. */
  synchronized int stride() {
    return stride;
  }

  /** How many lines were skipped as malformed in this generation, including those not kept. */
  synchronized int skipped() {
    return skipped;
  }

  synchronized Position position() {
    return new Position(generation, lines.size(), warnings.size(), accepted);
  }

  /** The kept lines from {@code from} on, each with its bucket's range when it has one. */
  private List<JsonNode> served(int from) {
    List<JsonNode> out = new ArrayList<>(lines.size() - from);
    for (int k = from; k < lines.size(); k++) {
      Range range = maxLines > 0 ? ranges.get(k) : null;
      out.add(range == null ? lines.get(k) : range.annotate(lines.get(k), rangedFields));
    }
    return out;
  }

  private void accept(JsonNode line) {
    last = line;
    if (accepted % stride == 0) {
      lines.add(line);
      if (maxLines > 0) {
        ranges.add(null);
      }
    } else {
      int newest = lines.size() - 1;
      ranges.set(newest, rangeOf(newest).add(line, this::column));
    }
    accepted++;
    if (maxLines > 0 && lines.size() > maxLines) {
      // keep every second kept line, those at multiples of twice the stride, each standing for
      // its own bucket and the next one's
      List<JsonNode> thinned = new ArrayList<>(lines.size() / 2 + 1);
      List<Range> merged = new ArrayList<>(lines.size() / 2 + 1);
      for (int j = 0; j < lines.size(); j += 2) {
        thinned.add(lines.get(j));
        merged.add(j + 1 < lines.size() ? rangeOf(j).absorb(rangeOf(j + 1)) : ranges.get(j));
      }
      lines.clear();
      lines.addAll(thinned);
      ranges.clear();
      ranges.addAll(merged);
      stride *= 2;
      generation++; // positions into the denser list mean nothing now: readers start over
    }
  }

  /** Kept line {@code k}'s range, made from the line itself while it stands for itself alone. */
  private Range rangeOf(int k) {
    Range range = ranges.get(k);
    return range != null ? range : Range.of(lines.get(k), this::column);
  }

  /** The column of a numeric field in Range's arrays; -1 once {@value #MAX_RANGED_FIELDS} are in use. */
  private int column(String field) {
    Integer known = rangedFields.get(field);
    if (known != null) {
      return known;
    }
    if (rangedFields.size() >= MAX_RANGED_FIELDS) {
      return -1;
    }
    rangedFields.put(field, rangedFields.size());
    return rangedFields.size() - 1;
  }

  private void restart(Object key) {
    lines.clear();
    ranges.clear();
    rangedFields.clear();
    stride = 1;
    accepted = 0;
    last = null;
    warnings.clear();
    skipped = 0;
    offset = 0;
    fileKey = key;
    generation++;
  }

  private void warn(String warning) {
    skipped++;
    if (warnings.size() < MAX_WARNINGS) {
      warnings.add(warning);
    }
    log.accept(warning);
  }

  /**
   * The lines one kept line stands for: how many, and the least and greatest finite value of each
   * numeric field over them (NaN where none had one). Lines of another stage than the kept line's
   * are left out, so that a bucket across a stage boundary does not mix, say, pretraining and SFT
   * losses.
   */
  private static final class Range {
    private final String stage;
    private int count;
    private double[] min = new double[0];
    private double[] max = new double[0];

    private Range(String stage) {
      this.stage = stage;
    }

    static Range of(JsonNode line, ToIntFunction<String> column) {
      return new Range(stageOf(line)).add(line, column);
    }

    /** Takes in one more line of the bucket (unless it is of another stage). */
    Range add(JsonNode line, ToIntFunction<String> column) {
      if (!Objects.equals(stageOf(line), stage)) {
        return this;
      }
      count++;
      for (Iterator<Map.Entry<String, JsonNode>> fields = line.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        double value = field.getValue().asDouble(Double.NaN);
        if (!field.getValue().isNumber() || !Double.isFinite(value)) {
          continue;
        }
        int at = column.applyAsInt(field.getKey());
        if (at >= 0) {
          widen(at, value, value);
        }
      }
      return this;
    }

    /** Takes in the next bucket's lines (unless they are of another stage). */
    Range absorb(Range next) {
      if (!Objects.equals(next.stage, stage)) {
        return this;
      }
      count += next.count;
      for (int at = 0; at < next.min.length; at++) {
        if (!Double.isNaN(next.min[at])) {
          widen(at, next.min[at], next.max[at]);
        }
      }
      return this;
    }

    private void widen(int at, double low, double high) {
      if (at >= min.length) {
        int size = Math.max(at + 1, 2 * min.length);
        int from = min.length;
        min = Arrays.copyOf(min, size);
        max = Arrays.copyOf(max, size);
        Arrays.fill(min, from, size, Double.NaN);
        Arrays.fill(max, from, size, Double.NaN);
      }
      min[at] = Double.isNaN(min[at]) ? low : Math.min(min[at], low);
      max[at] = Double.isNaN(max[at]) ? high : Math.max(max[at], high);
    }

    /** A copy of {@code line} with {@code thinned}: the count and the fields that are not flat. */
    JsonNode annotate(JsonNode line, Map<String, Integer> columns) {
      if (count < 2 || !(line instanceof ObjectNode object)) {
        return line;
      }
      ObjectNode copy = object.deepCopy();
      ObjectNode thinned = copy.putObject("thinned");
      thinned.put("lines", count);
      ObjectNode low = thinned.putObject("min");
      ObjectNode high = thinned.putObject("max");
      columns.forEach(
          (field, at) -> {
            if (at < min.length && min[at] < max[at]) {
              low.put(field, min[at]);
              high.put(field, max[at]);
            }
          });
      return copy;
    }

    private static String stageOf(JsonNode line) {
      JsonNode stage = line.get("stage");
      return stage == null ? null : stage.asText();
    }
  }
}
