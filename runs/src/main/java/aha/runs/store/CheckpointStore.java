package aha.runs.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoint folders {@code step-N}, each written whole or not at all: the content goes to a
 * hidden temporary folder, every file is fsynced, and the folder is renamed into place. A crash
 * leaves at most a temporary folder, which is ignored and cleaned up; a {@code step-N} folder is
 * therefore always complete. Only the last few are kept.
 */
public final class CheckpointStore {

  /** Writes the files of one checkpoint into a folder that exists and is empty. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(Path dir) throws IOException;
  }

  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
  private static final String TEMP_PREFIX = ".tmp-";

  private final Path root;
  private final int keepLast;

  /**
   * @param keepLast how many checkpoints to keep (older ones are deleted after a new one lands)
   */
  public CheckpointStore(Path root, int keepLast) {
    if (keepLast < 1) {
      throw new IllegalArgumentException("keep at least 1 checkpoint, got " + keepLast);
    }
    this.root = root;
    this.keepLast = keepLast;
  }

  /**
   * Writes the checkpoint of {@code step}, replacing one of the same step, then prunes old ones.
   *
   * @return the checkpoint's folder
   */
  public Path write(long step, Writer writer) throws IOException {
    Files.createDirectories(root);
    Path temp = Files.createTempDirectory(root, TEMP_PREFIX + "step-" + step + "-");
    Path target = root.resolve("step-" + step);
    boolean moved = false;
    try {
      writer.writeTo(temp);
      syncTree(temp);
      if (Files.exists(target)) {
        deleteTree(target);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target);
      }
      moved = true;
      syncDirectory(root);
    } finally {
      if (!moved) {
        deleteTree(temp);
      }
    }
    prune();
    return target;
  }

  /** Steps with a complete checkpoint, ascending. */
  public List<Long> steps() throws IOException {
    List<Long> steps = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return steps;
    }
    try (Stream<Path> children = Files.list(root)) {
      children.forEach(
          child -> {
            Matcher matcher = STEP_DIR.matcher(child.getFileName().toString());
            if (matcher.matches() && Files.isDirectory(child)) {
              steps.add(Long.parseLong(matcher.group(1)));
            }
          });
    }
    steps.sort(Comparator.naturalOrder());
    return steps;
  }

  /** The folder of the latest complete checkpoint, if any. */
  public Optional<Path> latest() throws IOException {
    List<Long> steps = steps();
    return steps.isEmpty()
        ? Optional.empty()
        : Optional.of(root.resolve("step-" + steps.get(steps.size() - 1)));
  }

  /** Deletes all but the newest {@code keepLast} checkpoints, and leftovers of crashed writes. */
  private void prune() throws IOException {
    List<Long> steps = steps();
    for (int i = 0; i < steps.size() - keepLast; i++) {
      deleteTree(root.resolve("step-" + steps.get(i)));
    }
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.toList()) {
        if (child.getFileName().toString().startsWith(TEMP_PREFIX)) {
          deleteTree(child);
        }
      }
    }
  }

  private static void syncTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.toList()) {
        if (Files.isRegularFile(file)) {
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
          }
        } else {
          syncDirectory(file);
        }
      }
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort: not every platform lets a directory be opened
    }
  }

  /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path visited, IOException e) throws IOException {
            if (e != null) {
              throw new UncheckedIOException(e);
            }
            Files.delete(visited);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
