package aha.runs.store;

import aha.problems.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends JSON objects to a file, one line each, durably: each line goes out in a single write of
 * its complete bytes and is fsynced before {@link #append} returns, so a reader sees whole lines
 * and a crash loses at most the line being written (which readers then skip).
 */
public final class JsonLinesWriter implements Closeable {

  private final Path file;
  private final FileChannel channel;

  /** Opens {@code file} for appending, creating it and its directory when missing. */
  public JsonLinesWriter(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.file = file;
    try {
      this.channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw AtomicFiles.naming(file, e);
    }
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  /** Writes {@code node} as one line and syncs it to disk. */
  public synchronized void append(JsonNode node) throws IOException {
    byte[] line = (JsonLines.JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.wrap(line);
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      throw AtomicFiles.naming(file, e); // "No space left on device" names no file by itself
    }
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
