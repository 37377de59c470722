package aha.verifier.math;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
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
  /** A matrix environment: {@code \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}}. */
  private static final Pattern MATRIX =
      Pattern.compile("\\\\begin\\s*\\{([pbB]?)matrix\\}(.*?)\\\\end\\s*\\{\\1matrix\\}", Pattern.DOTALL);

  /** {@code 0.\overline{27}}, {@code 1.2\overline{3}}: a repeating decimal (digits capped at 50 a part). */
  private static final Pattern REPEATING =
      Pattern.compile("(\\d{0,50})\\.(\\d{0,50})\\\\overline\\s*\\{\\s*(\\d{1,50})\\s*\\}");
  private static final Pattern NAMED_FUNCTION =
      Pattern.compile("\\\\(?:operatorname|text|mathrm)\\s*\\{\\s*(lcm|gcd)\\s*\\}");
  private static final Pattern TRIG = Pattern.compile("\\\\(?:sin|cos|tan|sec|csc|cot)(?![a-zA-Z])");
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
  /** Words ("cm", "square meters", "m/s", "km/h"): what a unit in {@code \text{}} looks like. */
  private static final Pattern WORD = Pattern.compile("\\s*[A-Za-z]+(?:[\\s./]+[A-Za-z]+)*\\.?\\s*");

  /**
   * Words that change or void the value they stand next to, so they are never dropped as a unit:
   * negations, hedges and joiners ({@code \text{not } 5}, {@code 5\text{ or six}}, {@code
   * \text{at least } 10}), number words and multipliers ({@code 7\text{ hundred}}, {@code 3\text{
   * squared}}). An answer holding one cannot be read.
   */
  private static final Set<String> MEANING_WORDS =
      Set.of(
          "not", "no", "never", "none", "neither", "nor", "or", "and", "except", "but",
          "at", "least", "most", "about", "around", "approximately", "approx", "roughly", "nearly",
          "almost", "over", "under", "above", "below", "more", "less", "fewer", "than", "between",
          "maybe", "perhaps", "probably", "possibly", "likely", "either", "plus", "minus", "times",
          "negative", "positive", "half", "halves", "third", "thirds", "quarter", "quarters",
          "twice", "thrice", "double", "triple", "squared", "cubed", "root",
          "power", "zero", "one", "two", "three", "four", "five", "six", "seven",
          "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty",
          "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million",
          "millions", "billion", "billions", "trillion", "dozen", "dozens", "score");

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
      if (s.contains("\\begin")) {
        s = matrices(s);
      }
      if (s.contains("overline")) {
        s = repeatingDecimals(s);
      }
      if (s.contains("lcm") || s.contains("gcd")) {
        // LaTeX has no \lcm: people write \operatorname{lcm} or \text{lcm}
        s = NAMED_FUNCTION.matcher(s).replaceAll("\\\\$1");
      }
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
      // inside a trigonometric function a degree is pi/180 (\cos 60^\circ is 1/2, and the
      // juxtaposed factor stays in the function's argument); elsewhere the sign just goes
      s = DEGREES.matcher(s).replaceAll(TRIG.matcher(s).find() ? "\\\\frac{\\\\pi}{180}" : "");
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
      s = SPACED_UNIT_WORD.matcher(s).replaceAll(unit -> {
        requireDroppable(unit.group());
        return "";
      });
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
            case '\u00b0' -> "^\\circ ";
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
      // "\mathrm{~kg}", "\text{\,m/s}": spacing commands around a unit are not part of it
      String spaced = content.replace("~", " ").replace("\\,", " ").replace("\\;", " ").replace("\\ ", " ");
      if (WORD.matcher(spaced).matches() && spaced.strip().length() >= 2) {
        String word = spaced.strip();
        if (listContext && (word.equals("or") || word.equals("and"))) {
          out.append(", ");
        } else if (word.equalsIgnoreCase("percent") || word.equalsIgnoreCase("per cent")) {
          out.append('%'); // "5\text{ percent}" is 5%, not 5
        } else {
          requireDroppable(word);
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

  /**
   * Rewrites each matrix environment as a tuple of its rows, {@code ((1, 2), (3, 4))}; a single row
   * or column is a flat tuple, {@code (1, 2)}, so a vector answer matches however it is laid out.
   */
  private static String matrices(String s) {
    return MATRIX.matcher(s).replaceAll(m -> {
      List<List<String>> rows = new ArrayList<>();
      for (String row : m.group(2).split("\\\\\\\\")) {
        if (row.isBlank()) {
          continue;
        }
        List<String> cells = new ArrayList<>();
        for (String cell : row.split("&")) {
          cells.add(cell.strip());
        }
        rows.add(cells);
      }
      StringBuilder out = new StringBuilder("(");
      boolean column = rows.stream().allMatch(r -> r.size() == 1);
      if (rows.size() == 1 || column) {
        List<String> flat = new ArrayList<>();
        rows.forEach(flat::addAll);
        out.append(String.join(", ", flat));
      } else {
        for (int i = 0; i < rows.size(); i++) {
          out.append(i == 0 ? "" : ", ").append('(').append(String.join(", ", rows.get(i))).append(')');
        }
      }
      return Matcher.quoteReplacement(out.append(')').toString());
    });
  }

  /**
   * Rewrites each repeating decimal as its exact fraction: A.B(C) = A + (BC - B) / (10^|B| (10^|C|
   * - 1)), so {@code 0.\overline{27}} is {@code \frac{27}{99}} = 3/11.
   */
  private static String repeatingDecimals(String s) {
    return REPEATING.matcher(s).replaceAll(m -> {
      BigInteger whole = m.group(1).isEmpty() ? BigInteger.ZERO : new BigInteger(m.group(1));
      String fixed = m.group(2);
      String repeating = m.group(3);
      BigInteger fixedValue = fixed.isEmpty() ? BigInteger.ZERO : new BigInteger(fixed);
      BigInteger numerator = new BigInteger(fixed + repeating).subtract(fixedValue);
      BigInteger denominator =
          BigInteger.TEN.pow(fixed.length()).multiply(BigInteger.TEN.pow(repeating.length()).subtract(BigInteger.ONE));
      numerator = numerator.add(whole.multiply(denominator));
      return Matcher.quoteReplacement("(\\frac{" + numerator + "}{" + denominator + "})");
    });
  }

  /**
   * Throws when {@code words}, about to be dropped as a unit, hold a word that changes the value
   * ({@link #MEANING_WORDS}).
   */
  private static void requireDroppable(String words) {
    int start = -1;
    for (int i = 0; i <= words.length(); i++) {
      boolean letter = i < words.length() && Character.isLetter(words.charAt(i));
      if (letter && start < 0) {
        start = i;
      } else if (!letter && start >= 0) {
        String word = words.substring(start, i).toLowerCase(java.util.Locale.ROOT);
        if (MEANING_WORDS.contains(word)) {
          throw new AnswerParseException("'" + words.strip() + "' is not a unit: '" + word + "' changes the value");
        }
        start = -1;
      }
    }
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
