package aha.verifier.math;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites answer text into the LaTeX subset the lexer reads: presentation markup ({@code \left},
 * {@code \dfrac}, {@code ^\circ}, {@code \$}), unit words ({@code 10\text{ cm}}, {@code 5
 * dollars}) and plain-text spellings ({@code sqrt}, {@code pi}, {@code ×}) are removed or mapped,
 * so that the parser only sees mathematics.
 *
 * <p>A mixed number written alone, {@code 2\frac{1}{2}}, means 2½ (how answers are written in
 * school problems), not 2·½; anywhere else juxtaposition is multiplication.
 */
final class LatexNormalizer {
  private LatexNormalizer() {}

  private static final Pattern SIZING =
      Pattern.compile("\\\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg)(?![a-zA-Z])\\.?");
  private static final Pattern FRAC_VARIANT = Pattern.compile("\\\\[dtc]frac(?![a-zA-Z])");
  private static final Pattern BINOM_VARIANT = Pattern.compile("\\\\[dt]binom(?![a-zA-Z])");
  private static final Pattern DEGREES =
      Pattern.compile("\\^\\s*\\{\\s*\\\\circ\\s*\\}|\\^\\s*\\\\circ(?![a-zA-Z])|\\\\circ(?![a-zA-Z])|\\\\degrees?(?![a-zA-Z])");
  private static final Pattern DOLLARS = Pattern.compile("\\\\?\\$");
  private static final Pattern BARE_SQRT = Pattern.compile("(?<![\\\\A-Za-z])sqrt(?![A-Za-z])");
  private static final Pattern BARE_PI = Pattern.compile("(?<![\\\\A-Za-z])pi(?![A-Za-z])");
  private static final Pattern BARE_INFINITY =
      Pattern.compile("(?<![\\\\A-Za-z])(?:infinity|inf)(?![A-Za-z])");
  /** A word of two or more letters after a space, before a separator: a unit ("5 dollars"). */
  private static final Pattern SPACED_UNIT_WORD =
      Pattern.compile("(?<=[0-9}).\\s])\\s*[A-Za-z]{2,}\\.?(?:\\^\\{?\\d\\}?)?(?=\\s*(?:$|,|\\)|\\]|\\\\\\}))");
  /** A unit glued to a number ("10cm"); only multi-letter units, single letters are variables. */
  private static final Pattern ATTACHED_UNIT =
      Pattern.compile("(?<=[0-9])(?:cm|mm|km|kg|mg|ml|sec|min|hr|hrs|ft|mph|lbs|oz|cents?)(?:\\^\\{?\\d\\}?)?(?=\\s*(?:$|,|\\)|\\]|\\\\\\}))");
  private static final Pattern OR_AND = Pattern.compile("\\s+(?:or|and)\\s+");
  private static final Pattern TRAILING_PERIOD = Pattern.compile("(?:\\s|\\.|\\\\[ ,;:!])+$");
  private static final Pattern MIXED_NUMBER =
      Pattern.compile("^\\s*(-?)\\s*(\\d+)\\s*\\\\frac\\s*(?:\\{\\s*(\\d+)\\s*\\}|(\\d))\\s*(?:\\{\\s*(\\d+)\\s*\\}|(\\d))\\s*$");
  private static final Pattern UNIT_EXPONENT = Pattern.compile("^\\s*\\^\\s*(?:\\{\\s*\\d\\s*\\}|\\d)");
  private static final Pattern WORD = Pattern.compile("\\s*[A-Za-z]+(?:[\\s.]+[A-Za-z]+)*\\.?\\s*");

  /** Commands whose argument is text: a word inside is a unit, anything else is kept. */
  private static final Set<String> TEXT_COMMANDS =
      Set.of(
          "text", "textbf", "textrm", "textit", "textnormal", "mathrm", "mathbf", "mathit", "mbox",
          "operatorname", "boldsymbol", "mathsf", "textsf");

  /**
   * @param listContext true for sets, tuples and intervals: "or"/"and" between items become commas
   */
  static String normalize(String text, boolean listContext) {
    String s = replaceUnicode(text);
    // each rewrite runs only when its trigger occurs: most answers are short and plain
    if (s.indexOf('\\') >= 0) {
      if (s.contains("\\text") || s.contains("\\math") || s.contains("\\mbox")
          || s.contains("\\operatorname") || s.contains("\\boldsymbol")) {
        s = unwrapTextCommands(s, listContext);
      }
      if (s.contains("\\left") || s.contains("\\right") || s.contains("\\big")
          || s.contains("\\Big")) {
        s = SIZING.matcher(s).replaceAll("");
      }
      if (s.contains("frac")) {
        s = FRAC_VARIANT.matcher(s).replaceAll("\\\\frac");
      }
      if (s.contains("binom")) {
        s = BINOM_VARIANT.matcher(s).replaceAll("\\\\binom");
      }
      s = s.replace("\\%", "%").replace("\\mathbb{R}", "(-\\infty,\\infty)");
    }
    if (s.contains("circ") || s.contains("degree")) {
      s = DEGREES.matcher(s).replaceAll("");
    }
    if (s.indexOf('$') >= 0) {
      s = DOLLARS.matcher(s).replaceAll("");
    }
    if (s.contains("sqrt")) {
      s = BARE_SQRT.matcher(s).replaceAll("\\\\sqrt");
    }
    if (s.contains("pi")) {
      s = BARE_PI.matcher(s).replaceAll("\\\\pi ");
    }
    if (s.contains("inf")) {
      s = BARE_INFINITY.matcher(s).replaceAll("\\\\infty ");
    }
    if (hasBareWord(s)) {
      if (listContext) {
        s = OR_AND.matcher(s).replaceAll(", ");
      }
      s = SPACED_UNIT_WORD.matcher(s).replaceAll("");
      s = ATTACHED_UNIT.matcher(s).replaceAll("");
    }
    if (!s.isEmpty() && ". \t\n\r,;:!".indexOf(s.charAt(s.length() - 1)) >= 0) {
      s = TRAILING_PERIOD.matcher(s).replaceAll("");
    }
    if (s.indexOf("\\frac") >= 0) {
      s = rewriteMixedNumber(s);
    }
    return s.strip();
  }

  private static String replaceUnicode(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement =
          switch (c) {
            case '\u2212', '\u2013', '\u2012' -> "-";
            case '\u00d7' -> "\\times ";
            case '\u00b7', '\u22c5' -> "\\cdot ";
            case '\u00f7' -> "\\div ";
            case '\u03c0' -> "\\pi ";
            case '\u221e' -> "\\infty ";
            case '\u222a' -> "\\cup ";
            case '\u221a' -> "\\sqrt ";
            case '\u00b0' -> "";
            case '\u00a0', '\u2009', '\u202f' -> " ";
            default -> null;
          };
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /** True when a run of two or more letters occurs that is not a command name: a word. */
  private static boolean hasBareWord(String s) {
    int run = 0;
    boolean command = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (LatexLexer.isAsciiLetter(c)) {
        if (run == 0) {
          command = i > 0 && s.charAt(i - 1) == '\\';
        }
        run++;
        if (run >= 2 && !command) {
          return true;
        }
      } else {
        run = 0;
      }
    }
    return false;
  }

  /**
   * {@code \text{...}} and friends: a word inside ("cm", "dollars") is a unit and goes, together
   * with a following {@code ^2}; anything else ("(B)", "e") stays, unwrapped.
   */
  private static String unwrapTextCommands(String s, boolean listContext) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        i++;
        continue;
      }
      int nameEnd = i + 1;
      while (nameEnd < s.length() && Character.isLetter(s.charAt(nameEnd))) {
        nameEnd++;
      }
      if (nameEnd == i + 1) {
        // a one-character command such as \{ or \, : copy it whole so its character is not reread
        int end = Math.min(i + 2, s.length());
        out.append(s, i, end);
        i = end;
        continue;
      }
      String name = s.substring(i + 1, nameEnd);
      int open = skipSpaces(s, nameEnd);
      if (!TEXT_COMMANDS.contains(name) || open >= s.length() || s.charAt(open) != '{') {
        out.append(s, i, nameEnd);
        i = nameEnd;
        continue;
      }
      int close = matchingBrace(s, open);
      if (close < 0) {
        out.append(s, i, nameEnd);
        i = nameEnd;
        continue;
      }
      String content = s.substring(open + 1, close);
      i = close + 1;
      if (WORD.matcher(content).matches() && content.strip().length() >= 2) {
        String word = content.strip();
        if (listContext && (word.equals("or") || word.equals("and"))) {
          out.append(", ");
        } else {
          out.append(' ');
          Matcher exponent = UNIT_EXPONENT.matcher(s.substring(i));
          if (exponent.find()) {
            i += exponent.end();
          }
        }
      } else {
        out.append(content);
      }
    }
    return out.toString();
  }

  private static int skipSpaces(String s, int from) {
    while (from < s.length() && s.charAt(from) == ' ') {
      from++;
    }
    return from;
  }

  private static int matchingBrace(String s, int open) {
    int depth = 0;
    for (int j = open; j < s.length(); j++) {
      char c = s.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return j;
      }
    }
    return -1;
  }

  private static String rewriteMixedNumber(String s) {
    Matcher m = MIXED_NUMBER.matcher(s);
    if (!m.matches()) {
      return s;
    }
    String top = m.group(3) != null ? m.group(3) : m.group(4);
    String bottom = m.group(5) != null ? m.group(5) : m.group(6);
    return m.group(1) + "(" + m.group(2) + "+\\frac{" + top + "}{" + bottom + "})";
  }
}
