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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
    writeChannel(
        target,
        channel -> {
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
        });
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
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        action.writeTo(channel);
        channel.force(true);
      }
      copyPermissions(absolute, temp);
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
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
