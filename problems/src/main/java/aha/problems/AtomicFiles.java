package aha.problems;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a
 * half-written file, even if the writer fails or the machine stops midway.
 *
 * <p>The content goes to a temporary file in the target's directory (so the final rename stays on
 * one file system), is flushed and fsynced, and is then renamed over the target with {@link
 * StandardCopyOption#ATOMIC_MOVE}; where the file system cannot do that, a plain replacing move is
 * used. On any failure the temporary file is deleted and the target is left as it was. Missing
 * parent directories are created. Text is UTF-8; unencodable characters (lone surrogates) fail the
 * write rather than turning into '?'.
 *
 * <p>The new file keeps the permissions of the file it replaces; a new file gets {@code rw-r--r--}
 * (the temporary file itself is created private).
 */
public final class AtomicFiles {

  /** Writes the content of a file to a {@link Writer}; it need not close the writer. */
  @FunctionalInterface
  public interface WriterAction {
    void writeTo(Writer out) throws IOException;
  }

  private static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS =
      PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /** Atomically replaces {@code target} with {@code text}, encoded as UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text));
  }

  /** Atomically replaces {@code target} with what {@code action} writes, encoded as UTF-8. */
  public static void write(Path target, WriterAction action) throws IOException {
    writeChannel(target, textWriter(action));
  }

  /** Writes what {@code action} writes to a channel as UTF-8, refusing unencodable text. */
  private static ChannelAction textWriter(WriterAction action) {
    return channel -> {
      Writer out =
          new BufferedWriter(
              new OutputStreamWriter(
                  Channels.newOutputStream(channel),
                  StandardCharsets.UTF_8
                      .newEncoder()
                      .onMalformedInput(CodingErrorAction.REPORT)
                      .onUnmappableCharacter(CodingErrorAction.REPORT)));
      action.writeTo(out);
      out.flush();
    };
  }

  /**
   * Replaces each target with its text, all or none: every text is written and synced to a
   * temporary file beside its target before the first is renamed into place, so a write that
   * fails (a full disk, a directory that cannot be written) leaves every target as it was. Only a
   * rename failing after an earlier one succeeded, which needs the file system to fail between two
   * renames, could leave some replaced.
   *
   * @param texts each target and its text, renamed in this order
   */
  public static void writeStrings(Map<Path, String> texts) throws IOException {
    Map<Path, Path> staged = new LinkedHashMap<>(); // target -> its temporary file
    try {
      for (Map.Entry<Path, String> entry : texts.entrySet()) {
        Path target = entry.getKey().toAbsolutePath();
        staged.put(target, stage(target, textWriter(out -> out.write(entry.getValue()))));
      }
      for (Map.Entry<Path, Path> entry : staged.entrySet()) {
        commit(entry.getValue(), entry.getKey());
      }
      staged.clear();
    } finally {
      for (Path temp : staged.values()) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    writeChannel(
        target,
        channel -> {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        });
  }

  /** What writes a file's bytes to the temporary file's channel. */
  @FunctionalInterface
  private interface ChannelAction {
    void writeTo(FileChannel channel) throws IOException;
  }

  private static void writeChannel(Path target, ChannelAction action) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path temp = stage(absolute, action);
    boolean moved = false;
    try {
      commit(temp, absolute);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Writes {@code action}'s content to a new temporary file beside {@code target} (an absolute
   * path), synced, with the permissions the target should get; deletes it again on failure.
   */
  private static Path stage(Path target, ChannelAction action) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    if (Files.isDirectory(target)) {
      throw new FileSystemException(target.toString(), null, "is a directory, not a file to write");
    }
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    boolean written = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        action.writeTo(channel);
        channel.force(true);
      } catch (IOException e) {
        throw naming(target, e);
      }
      copyPermissions(target, temp);
      written = true;
      return temp;
    } finally {
      if (!written) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * {@code e} as an error that names {@code file}: as it is when it names a file already, else (a
   * "No space left on device", an encoding error, which name none) a {@link FileSystemException}
   * of {@code file} whose reason is {@code e}'s message and whose cause is {@code e}.
   */
  public static FileSystemException naming(Path file, IOException e) {
    if (e instanceof FileSystemException named && named.getFile() != null) {
      return named;
    }
    FileSystemException named = new FileSystemException(file.toString(), null, e.getMessage());
    named.initCause(e);
    return named;
  }

  /** Renames a staged {@code temp} over {@code target}, atomically where the file system can. */
  private static void commit(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(target.getParent());
  }

  private static void copyPermissions(Path target, Path temp) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    view.setPermissions(
        Files.exists(target) ? Files.getPosixFilePermissions(target) : NEW_FILE_PERMISSIONS);
  }

  /**
   * Makes the rename itself durable; not every platform lets a directory be opened, so best effort.
   */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The content is already on disk; only the rename's durability is at stake.
    }
  }
}
