package aha.problems;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  /**
   * Largest decimal exponent of a JSON number read as a number ({@code 1e1000}); past it the
   * number stays the text it was written in. Its plain digits would be longer than the verifier
   * takes (the same cap), and {@code 1e999999999} written out is a billion characters.
   */
  static final int MAX_EXPONENT = 1000;

  private Json() {}

  /**
   * Reads one JSON value the way {@link #MAPPER} does (duplicate keys and anything after the value
   * are errors), except that a number whose exponent is past {@link #MAX_EXPONENT} becomes its
   * text, so that no reader of a user's file expands it.
   *
   * @return the value; a missing node for blank text
   */
  static JsonNode readTree(String text) throws JsonProcessingException {
    try (JsonParser parser = MAPPER.createParser(text)) {
      if (parser.nextToken() == null) {
        return MissingNode.getInstance();
      }
      JsonNode value = readValue(parser);
      if (parser.nextToken() != null) {
        throw new JsonParseException(parser, "content after the JSON value");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a String source does not fail to read
    }
  }

  /** The value that starts at the parser's current token; leaves it on the value's last token. */
  static JsonNode readValue(JsonParser parser) throws IOException {
    JsonNodeFactory nodes = MAPPER.getNodeFactory();
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          object.set(name, readValue(parser));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser));
        }
        return array;
      }
      case VALUE_STRING -> {
        return nodes.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        // Jackson caps a number's length (1000 digits), so an integer is cheap to hold
        return switch (parser.getNumberType()) {
          case INT -> nodes.numberNode(parser.getIntValue());
          case LONG -> nodes.numberNode(parser.getLongValue());
          default -> nodes.numberNode(parser.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        String written = parser.getText();
        return exponentWithinCap(written) ? nodes.numberNode(parser.getDecimalValue()) : nodes.textNode(written);
      }
      case VALUE_TRUE -> {
        return nodes.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return nodes.booleanNode(false);
      }
      case VALUE_NULL -> {
        return nodes.nullNode();
      }
      default -> throw new JsonParseException(parser, "unexpected " + parser.currentToken());
    }
  }

  /** Whether a JSON number's exponent ("1.5e-7": -7) is at most {@link #MAX_EXPONENT} either way. */
  private static boolean exponentWithinCap(String number) {
    int e = Math.max(number.indexOf('e'), number.indexOf('E'));
    if (e < 0) {
      return true;
    }
    String digits = number.substring(number.charAt(e + 1) == '+' || number.charAt(e + 1) == '-' ? e + 2 : e + 1);
    // more than four digits is past the cap whatever they are (leading zeros aside)
    String significant = digits.replaceFirst("^0+(?=.)", "");
    return significant.length() <= 4 && Integer.parseInt(significant) <= MAX_EXPONENT;
  }

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
