package aha.runs.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder of one run and the names of what it holds:
 *
 * <pre>
 * RUN/
 *   config.yaml          the resolved config (every stage)
 *   manifest.json        versions, git commit, host, command, start and end, status
 *   metrics.jsonl        one object per step: {"step": N, "stage": ..., "reward/mean": ..., ...}
 *   samples.jsonl        per step, sampled problems with all their completions and verdicts
 *   eval/step-N.json     evaluation reports
 *   checkpoints/step-N/  model, optimizer state, RNG states, data cursor, policy version
 * </pre>
 */
public final class RunDirectory {

  /** Where runs go unless told otherwise; git-ignored. */
  public static final Path DEFAULT_ROOT = Path.of("out", "runs");

  public static final String CONFIG = "config.yaml";
  public static final String MANIFEST = "manifest.json";
  public static final String METRICS = "metrics.jsonl";
  public static final String SAMPLES = "samples.jsonl";
  public static final String EVAL = "eval";
  public static final String CHECKPOINTS = "checkpoints";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates a new run folder {@code ROOT/<yyyyMMdd-HHmmss>-<name>} (UTC), adding {@code -2}, {@code
   * -3}, … when that exists already.
   *
   * @throws IllegalArgumentException when the name has characters other than letters, digits,
   *     '.', '_' and '-'
   */
  public static RunDirectory create(Path root, String name) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "run name '" + name + "': use letters, digits, '.', '_' and '-' (at most 100)");
    }
    Files.createDirectories(root);
    String base = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + name;
    for (int attempt = 1; ; attempt++) {
      Path candidate = root.resolve(attempt == 1 ? base : base + "-" + attempt);
      try {
        Files.createDirectory(candidate);
        return new RunDirectory(candidate);
      } catch (FileAlreadyExistsException taken) {
        // another run started in the same second; try the next suffix
      }
    }
  }

  /**
   * An existing run folder.
   *
   * @throws IllegalArgumentException when {@code dir} is not a directory with a manifest
   */
  public static RunDirectory open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": no such run directory");
    }
    if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
      throw new IllegalArgumentException(dir + ": not a run directory (no " + MANIFEST + ")");
    }
    return new RunDirectory(dir);
  }

  /**
   * Run folders directly under {@code root} (those with a manifest), by name. A symbolic link is
   * not a run folder: it could lead anywhere, and the runs root is all that readers of runs (the
   * dashboard above all) should show.
   */
  public static List<RunDirectory> list(Path root) throws IOException {
    List<RunDirectory> runs = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return runs;
    }
    try (Stream<Path> children = Files.list(root)) {
      children
          .filter(child -> !Files.isSymbolicLink(child))
          .filter(child -> Files.isRegularFile(child.resolve(MANIFEST)))
          .sorted()
          .forEach(child -> runs.add(new RunDirectory(child)));
    }
    return runs;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Whether {@code file}, one of this run's, leads outside the runs root (the run folder's parent)
   * through a symbolic link: then it is not this run's to show. A file that does not exist does
   * not lead anywhere.
   */
  public boolean leadsOutside(Path file) {
    try {
      return !file.toRealPath().startsWith(dir.toAbsolutePath().getParent().toRealPath());
    } catch (NoSuchFileException missing) {
      return false;
    } catch (IOException e) {
      return true; // cannot tell where it leads: do not read it
    }
  }

  /** The folder's name, which identifies the run. */
  public String name() {
    return dir.getFileName().toString();
  }

  public Path config() {
    return dir.resolve(CONFIG);
  }

  public Path manifest() {
    return dir.resolve(MANIFEST);
  }

  public Path metrics() {
    return dir.resolve(METRICS);
  }

  public Path samples() {
    return dir.resolve(SAMPLES);
  }

  public Path evalDir() {
    return dir.resolve(EVAL);
  }

  /** The checkpoints of this run. */
  public CheckpointStore checkpoints(int keepLast) {
    return new CheckpointStore(dir.resolve(CHECKPOINTS), keepLast);
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
