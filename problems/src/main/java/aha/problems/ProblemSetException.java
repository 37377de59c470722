package aha.problems;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A problem-set file that cannot be read as problems: bad JSON, a missing or mistyped field, an
 * unknown kind, a duplicate id. The message says where, compiler style, so that a user can jump to
 * it: {@code train.jsonl:17: field "answer": missing}.
 *
 * <p>It is an {@link IOException} because it is a fact about a file, met where files are read; a
 * caller that only wants to report it catches {@code IOException}, one that wants the location
 * catches this.
 */
public final class ProblemSetException extends IOException {

  private final Path file;
  private final int line;
  private final int element;
  private final String field;
  private final String reason;

  /**
   * @param file the file being read
   * @param line 1-based line number; 0 when it does not apply
   * @param field the offending field ({@code "answer"}, {@code "meta.seed"}); null when the whole
   *     record or file is at fault
   * @param reason what is wrong, one line, starting lower-case
   */
  public ProblemSetException(Path file, int line, String field, String reason) {
    this(file, line, -1, field, reason);
  }

  /**
   * @param element 0-based index of the record inside a JSON array; -1 when the file is JSONL
   * @see #ProblemSetException(Path, int, String, String)
   */
  public ProblemSetException(Path file, int line, int element, String field, String reason) {
    super(describe(file, line, element, field, reason));
    this.file = file;
    this.line = line;
    this.element = element;
    this.field = field;
    this.reason = reason;
  }

  /** The file being read. */
  public Path file() {
    return file;
  }

  /** 1-based line number, 0 when it does not apply. */
  public int line() {
    return line;
  }

  /** 0-based index of the record in a JSON array, -1 when the file is JSONL. */
  public int element() {
    return element;
  }

  /** The offending field, or null when the whole record or file is at fault. */
  public String field() {
    return field;
  }

  /** What is wrong, without the location. */
  public String reason() {
    return reason;
  }

  private static String describe(Path file, int line, int element, String field, String reason) {
    StringBuilder text = new StringBuilder(String.valueOf(file));
    if (line > 0) {
      text.append(':').append(line);
    }
    text.append(": ");
    if (element >= 0) {
      text.append("element [").append(element).append("]: ");
    }
    if (field != null) {
      text.append("field \"").append(field).append("\": ");
    }
    return text.append(reason).toString();
  }
}
