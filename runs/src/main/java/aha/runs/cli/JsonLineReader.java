package aha.runs.cli;

import java.io.IOException;
import java.io.Reader;

/**
 * Lines of a JSON-lines stream, split at {@code '\n'} only: a {@code '\r'} inside a line stays in
 * it (JSON strings may not hold one raw, so the parser reports it), one right before the
 * {@code '\n'} is dropped. A line longer than the cap is not held: its first characters are
 * dropped too and it comes back marked overlong, so one huge line costs no memory and the stream
 * goes on with the next. {@link java.io.BufferedReader#readLine} would split at a lone
 * {@code '\r'} and hold any line whole.
 */
final class JsonLineReader {

  /** One line: its 1-based number, its text (empty when overlong), and whether it was too long. */
  record Line(long number, String text, boolean overlong) {}

  private final Reader reader;
  private final int maxChars;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;
  private long number;

  JsonLineReader(Reader reader, int maxChars) {
    this.reader = reader;
    this.maxChars = maxChars;
  }

  /** The next line, or null at the end of the stream. */
  Line next() throws IOException {
    StringBuilder text = new StringBuilder();
    boolean overlong = false;
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = reader.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return any ? finish(text, overlong) : null;
        }
      }
      any = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      if (!overlong) {
        if (text.length() + (position - start) > maxChars + 1) { // + 1: room for a '\r' to drop
          overlong = true;
          text.setLength(0);
        } else {
          text.append(buffer, start, position - start);
        }
      }
      if (position < limit) {
        position++; // the '\n'
        return finish(text, overlong);
      }
    }
  }

  private Line finish(StringBuilder text, boolean overlong) {
    number++;
    int length = text.length();
    if (length > 0 && text.charAt(length - 1) == '\r') {
      text.setLength(length - 1);
    }
    if (!overlong && text.length() > maxChars) {
      return new Line(number, "", true);
    }
    return new Line(number, overlong ? "" : text.toString(), overlong);
  }
}
