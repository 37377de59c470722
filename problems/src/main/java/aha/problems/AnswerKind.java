package aha.problems;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a problem's gold answer is to be read and compared. Stored in JSONL as the lower-case name
 * ({@code "numeric"}, {@code "countdown"}, ...).
 */
public enum AnswerKind {
  /** A single number: integer, decimal, fraction, percent, scientific notation. */
  NUMERIC,
  /** A symbolic expression such as {@code 2\sqrt{3}} or {@code x^2+1}. */
  EXPRESSION,
  /** An unordered collection, {@code \{1, 2, 3\}}. */
  SET,
  /** An ordered collection, {@code (1, 2)}. */
  TUPLE,
  /** An interval with open or closed ends, {@code [0, 1)}. */
  INTERVAL,
  /** An equation, {@code y = 2x + 1}. */
  EQUATION,
  /** A multiple-choice letter, {@code B}. */
  CHOICE,
  /** A countdown puzzle: the gold is {@code "TARGET from [n1, n2, ...]"}, the answer an expression. */
  COUNTDOWN;

  /** The name used in files and on the command line. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a kind from its wire name.
   *
   * @throws IllegalArgumentException naming the accepted values when {@code text} is none of them
   */
  @JsonCreator
  public static AnswerKind fromWire(String text) {
    for (AnswerKind kind : values()) {
      if (kind.wireName().equals(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown kind '" + text + "' (expected one of " + acceptedNames() + ")");
  }

  /** The accepted wire names, comma separated, for error messages and help. */
  public static String acceptedNames() {
    return Arrays.stream(values()).map(AnswerKind::wireName).collect(Collectors.joining(", "));
  }
}
