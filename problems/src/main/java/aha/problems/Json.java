package aha.problems;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The one JSON configuration that problem files are read and written with. */
final class Json {

  /**
   * Strict where it matters for data files: a key twice in one object is an error, so is anything
   * after the value on a line; decimals are read as {@link java.math.BigDecimal} with their
   * trailing zeros, so that a numeric answer {@code 2.50} keeps its exact text.
   */
  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private Json() {}

  /**
   * Splits a file's bytes at {@code '\n'} (dropping a {@code '\r'} before it and a leading byte
   * order mark) and decodes each line as strict UTF-8, so that an encoding error is pinned to its
   * line. Element {@code i} is line {@code i + 1}; it is null when that line is not valid UTF-8.
   */
  static List<String> decodeLines(byte[] bytes) {
    List<String> lines = new ArrayList<>();
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    int start =
        bytes.length >= 3
                && (bytes[0] & 0xFF) == 0xEF
                && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF
            ? 3
            : 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
      try {
        lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, stop - start)).toString());
      } catch (CharacterCodingException e) {
        lines.add(null);
      }
      start = end + 1;
    }
    return lines;
  }

  /**
   * The exact decimal text of a JSON number: integers digit for digit, decimals as plain notation
   * ({@code 1e3} becomes {@code 1000}, {@code 2.50} stays {@code 2.50}). Never rounds.
   */
  static String numberText(JsonNode number) {
    if (number.isIntegralNumber()) {
      return number.bigIntegerValue().toString();
    }
    return number.decimalValue().toPlainString();
  }

  /** "a string", "an object", ... for messages such as "expected a string, got an array". */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    switch (node.getNodeType()) {
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case NULL:
        return "null";
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      default:
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A parse error as one line: Jackson's message without its source excerpt, plus the column. */
  static String parseError(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    int marker = message.indexOf(" (start marker at ");
    if (marker >= 0) {
      message = message.substring(0, marker);
    }
    JsonLocation where = e.getLocation();
    if (where != null && where.getColumnNr() > 0) {
      message += " (column " + where.getColumnNr() + ")";
    }
    return "malformed JSON: " + message;
  }
}
