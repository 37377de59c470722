package aha.verifier.math;

import aha.verifier.budget.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits normalized answer text into tokens. Numbers are read here, with their separators:
 * {@code 1{,}000} and {@code 1\,000} are always one thousand, {@code 1,000} only where a plain
 * comma cannot separate list items (scalar answers); a group after a separator must have exactly
 * three digits. Literal sizes are capped here, before any BigInteger is built.
 */
final class LatexLexer {
  private LatexLexer() {}

  private static final String SYMBOLS = "+-*/^_()[]{},!=|%<>':;";
  /** Spacing and style commands that carry no mathematics. */
  private static final Set<String> IGNORED_COMMANDS =
      Set.of("quad", "qquad", "displaystyle", "textstyle", "limits", "nolimits", "hfill");

  /**
   * @param commaGroupsDigits true when a plain comma between digit groups is a thousands separator
   */
  static List<Token> tokenize(String text, boolean commaGroupsDigits, Budget budget) {
    List<Token> tokens = new ArrayList<>(Math.min(text.length(), 64));
    int i = 0;
    int n = text.length();
    while (i < n) {
      budget.check();
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '~') {
        i++;
      } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(text.charAt(i + 1)))) {
        i = readNumber(text, i, commaGroupsDigits, budget, tokens);
      } else if (c == '\\') {
        i = readCommand(text, i, tokens);
      } else if (isAsciiLetter(c)) {
        tokens.add(new Token(Token.Type.LETTER, String.valueOf(c), 0, i));
        i++;
      } else if (SYMBOLS.indexOf(c) >= 0) {
        tokens.add(new Token(Token.Type.SYMBOL, String.valueOf(c), 0, i));
        i++;
      } else {
        throw new AnswerParseException("unexpected character '" + c + "'");
      }
    }
    tokens.add(new Token(Token.Type.END, "", 0, n));
    return tokens;
  }

  private static int readCommand(String text, int start, List<Token> tokens) {
    int i = start + 1;
    if (i >= text.length()) {
      throw new AnswerParseException("dangling backslash");
    }
    char first = text.charAt(i);
    if (!isAsciiLetter(first)) {
      switch (first) {
        case ',', '!', ';', ':', ' ', '>' -> {
          // thin and negative spaces; digit grouping with \, is handled in readNumber
        }
        case '{', '}', '|' -> tokens.add(new Token(Token.Type.COMMAND, String.valueOf(first), 0, start));
        case '%' -> tokens.add(new Token(Token.Type.SYMBOL, "%", 0, start));
        case '\\' -> throw new AnswerParseException("line break \\\\ in answer");
        default -> throw new AnswerParseException("unsupported \\" + first);
      }
      return i + 1;
    }
    while (i < text.length() && isAsciiLetter(text.charAt(i))) {
      i++;
    }
    String name = text.substring(start + 1, i);
    if (!IGNORED_COMMANDS.contains(name)) {
      tokens.add(new Token(Token.Type.COMMAND, name, 0, start));
    }
    return i;
  }

  private static int readNumber(
      String text, int start, boolean commaGroupsDigits, Budget budget, List<Token> tokens) {
    StringBuilder digits = new StringBuilder();
    int i = readDigits(text, start, digits);
    int firstGroupLength = digits.length();
    while (true) {
      int separatorLength = groupSeparatorLength(text, i, commaGroupsDigits);
      if (separatorLength == 0 || firstGroupLength > 3 || firstGroupLength == 0) {
        break;
      }
      int groupStart = i + separatorLength;
      int groupEnd = groupStart;
      while (groupEnd < text.length() && isDigit(text.charAt(groupEnd))) {
        groupEnd++;
      }
      if (groupEnd - groupStart != 3) {
        break;
      }
      digits.append(text, groupStart, groupEnd);
      i = groupEnd;
    }
    if (i + 1 < text.length() && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
      digits.append('.');
      i = readDigits(text, i + 1, digits);
    }
    int digitCount = digits.length() - (digits.indexOf(".") >= 0 ? 1 : 0);
    budget.require("digits", digitCount, budget.limits().maxDigits());
    int exponent = 0;
    int afterExponent = scientificExponentEnd(text, i);
    if (afterExponent > 0) {
      String exponentText = text.substring(i + 1, afterExponent);
      long value = boundedLong(exponentText.replace("+", "").replace("-", ""));
      budget.require("exponent", value, budget.limits().maxExponent());
      exponent = (int) (exponentText.startsWith("-") ? -value : value);
      budget.require("digits", digitCount + Math.abs(exponent), budget.limits().maxDigits());
      i = afterExponent;
    }
    tokens.add(new Token(Token.Type.NUMBER, digits.toString(), exponent, start));
    return i;
  }

  private static int readDigits(String text, int i, StringBuilder into) {
    while (i < text.length() && isDigit(text.charAt(i))) {
      into.append(text.charAt(i));
      i++;
    }
    return i;
  }

  /** Length of a digit-group separator at {@code i}: {@code ,} {@code {,}} or {@code \,}. */
  private static int groupSeparatorLength(String text, int i, boolean commaGroupsDigits) {
    if (text.startsWith("{,}", i)) {
      return 3;
    }
    if (text.startsWith("\\,", i) || text.startsWith("\\!", i) || text.startsWith("\\ ", i)) {
      return 2; // thin, negative thin and plain spaces between groups of three: 1\,000, 1\!000
    }
    if (commaGroupsDigits && text.startsWith(",", i)) {
      return 1;
    }
    return 0;
  }

  /** The end of {@code e-3} / {@code E+12} at {@code i}, or 0 when none (then e is Euler's e). */
  private static int scientificExponentEnd(String text, int i) {
    if (i >= text.length() || (text.charAt(i) != 'e' && text.charAt(i) != 'E')) {
      return 0;
    }
    int j = i + 1;
    if (j < text.length() && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
      j++;
    }
    int digitsStart = j;
    while (j < text.length() && isDigit(text.charAt(j))) {
      j++;
    }
    return j > digitsStart ? j : 0;
  }

  /** The value of a digit string, saturating at Long.MAX_VALUE so a cap check reports it. */
  static long boundedLong(String digits) {
    String trimmed = digits.replaceFirst("^0+(?=.)", "");
    return trimmed.length() > 18 ? Long.MAX_VALUE : Long.parseLong(trimmed);
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
