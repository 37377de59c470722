package aha.runs.store;

import aha.problems.AtomicFiles;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reading and rewriting the JSON-lines files of a run. Readers are lenient: a malformed line (a
 * torn last line after a crash, a hand edit) is skipped with a warning naming the file and line,
 * never a crash.
 */
public final class JsonLines {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Bytes read at a time: a file of any size is read through a buffer this big. */
  public static final int CHUNK_BYTES = 1 << 20;

  private JsonLines() {}

  /**
   * Every well-formed JSON object line of {@code file}, in order; an absent file reads as empty.
   *
   * @param warn receives "FILE:LINE: reason" for each skipped line
   */
  public static List<JsonNode> read(Path file, Consumer<String> warn) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    readFrom(file, 0, nodes, warn);
    return nodes;
  }

  /**
   * Appends to {@code into} the object lines that start at byte {@code offset} or later and are
   * complete (end in a newline), and returns the offset just past the last complete line: the
   * place to resume reading from when the file grows (as a live dashboard does).
   */
  public static long readFrom(Path file, long offset, List<JsonNode> into, Consumer<String> warn)
      throws IOException {
    return readFrom(file, offset, (Consumer<JsonNode>) into::add, warn);
  }

  /**
   * Like {@link #readFrom(Path, long, List, Consumer)}, handing each object line to {@code each}
   * as it is parsed. The file is read in chunks of {@link #CHUNK_BYTES}, so reading a file of any
   * size holds one chunk and one line at a time (a line longer than a chunk grows the buffer to
   * fit it).
   */
  public static long readFrom(Path file, long offset, Consumer<JsonNode> each, Consumer<String> warn)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = channel.size(); // a snapshot: what is appended while reading waits for next time
      long position = offset; // the file offset of buffer[0]
      int lineNumber = 0;
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(1, end - offset)));
      while (position + buffer.position() < end) {
        if (!buffer.hasRemaining()) {
          // one line fills the buffer: grow it to hold the line
          ByteBuffer larger = ByteBuffer.allocate(buffer.capacity() * 2);
          buffer.flip();
          larger.put(buffer);
          buffer = larger;
        }
        int read = channel.read(buffer, position + buffer.position());
        if (read <= 0) {
          break;
        }
        byte[] bytes = buffer.array();
        int filled = buffer.position();
        int start = 0;
        for (int i = 0; i < filled; i++) {
          if (bytes[i] != '\n') {
            continue;
          }
          lineNumber++;
          String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
          if (!line.isBlank()) {
            // Line numbers are exact when reading from the start; later reads name the byte offset.
            String where =
                offset == 0 ? file + ":" + lineNumber : file + " (byte " + (position + start) + ")";
            parse(line, where, each, warn);
          }
          start = i + 1;
        }
        // keep the incomplete last line at the front of the buffer
        buffer.position(start);
        buffer.limit(filled);
        buffer.compact();
        position += start;
      }
      return position;
    } catch (NoSuchFileException missing) {
      return offset;
    }
  }

  private static void parse(String line, String where, Consumer<JsonNode> into, Consumer<String> warn) {
    try {
      JsonNode node = JSON.readTree(line);
      if (node != null && node.isObject()) {
        into.accept(node);
      } else {
        warn.accept(where + ": skipped: not a JSON object");
      }
    } catch (JsonProcessingException e) {
      warn.accept(where + ": skipped: " + describe(e));
    }
  }

  /**
   * What is wrong with malformed JSON, without a word of its content: Jackson's own message quotes
   * the offending token, which for a file that is not what it claims to be (a link to a secret)
   * would hand its content to whoever reads the warning.
   */
  public static String describe(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getColumnNr() < 0
        ? "malformed JSON"
        : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /**
   * Atomically rewrites {@code file} keeping only the lines whose {@code "step"} is at most {@code
   * lastStep} (and dropping malformed ones): what a resumed run does to the records of steps it
   * will run again.
   */
  public static void keepThroughStep(Path file, long lastStep) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    List<String> kept = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        try {
          JsonNode node = JSON.readTree(line);
          if (node != null && node.path("step").asLong(Long.MAX_VALUE) <= lastStep) {
            kept.add(line);
          }
        } catch (JsonProcessingException torn) {
          // a torn line belongs to a step that is being run again
        }
      }
    }
    AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
  }
}
