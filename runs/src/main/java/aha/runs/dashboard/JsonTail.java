package aha.runs.dashboard;

import aha.runs.store.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

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
 * <p>Blocking (file reads) and thread-safe.
 */
final class JsonTail {

  /** Warnings kept per file; further ones are only counted (a file of garbage must not fill memory). */
  static final int MAX_WARNINGS = 100;

  /** Where a reader stands: the generation it read and how many lines and warnings of it. */
  record Position(int generation, int lines, int warnings) {}

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
    int fromWarning = reset ? 0 : Math.min(seen.warnings(), warnings.size());
    return new Delta(
        reset,
        List.copyOf(lines.subList(fromLine, lines.size())),
        List.copyOf(warnings.subList(fromWarning, warnings.size())),
        skipped,
        now);
  }

  /** Refreshes, then returns every line of the file (a copy). */
  synchronized List<JsonNode> all() throws IOException {
    refresh();
    return List.copyOf(lines);
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
    return new Position(generation, lines.size(), warnings.size());
  }

  private void accept(JsonNode line) {
    last = line;
    if (accepted % stride == 0) {
      lines.add(line);
    }
    accepted++;
    if (maxLines > 0 && lines.size() > maxLines) {
      // keep every second kept line: those at multiples of twice the stride
      List<JsonNode> thinned = new ArrayList<>(lines.size() / 2 + 1);
      for (int j = 0; j < lines.size(); j += 2) {
        thinned.add(lines.get(j));
      }
      lines.clear();
      lines.addAll(thinned);
      stride *= 2;
      generation++; // positions into the denser list mean nothing now: readers start over
    }
  }

  private void restart(Object key) {
    lines.clear();
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
}
