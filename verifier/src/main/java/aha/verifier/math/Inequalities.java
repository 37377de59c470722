package aha.verifier.math;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inequalities and set differences written where an interval is asked for, rewritten as interval
 * notation: {@code x \ge -1} is {@code [-1, \infty)}, {@code 0 < x \le 1} is {@code (0, 1]}, {@code
 * x < 0 \text{ or } x > 1} is {@code (-\infty, 0) \cup (1, \infty)}, {@code \mathbb{R}\setminus\{0\}}
 * is {@code (-\infty, 0) \cup (0, \infty)}. One variable; the bounds are kept as written, so the
 * interval comparison judges their values.
 */
final class Inequalities {

  private static final Pattern VARIABLE_FIRST = Pattern.compile("\\s*([a-zA-Z])\\s*([<>≤≥])\\s*(.+?)\\s*");
  private static final Pattern VARIABLE_LAST = Pattern.compile("\\s*(.+?)\\s*([<>≤≥])\\s*([a-zA-Z])\\s*");
  private static final Pattern BETWEEN =
      Pattern.compile("\\s*(.+?)\\s*([<>≤≥])\\s*([a-zA-Z])\\s*([<>≤≥])\\s*(.+?)\\s*");
  private static final Pattern JOINER = Pattern.compile("\\s*(?:\\\\text\\s*\\{\\s*or\\s*\\}|\\bor\\b|\\\\cup|\\\\lor)\\s*");
  private static final Pattern REALS_WITHOUT =
      Pattern.compile("\\s*\\\\mathbb\\s*\\{?\\s*R\\s*\\}?\\s*\\\\(?:setminus|backslash)\\s*\\\\\\{\\s*(.+?)\\s*\\\\\\}\\s*");

  private Inequalities() {}

  /** The interval notation of {@code text}, or null when it is not an inequality or set difference. */
  static String asIntervals(String text) {
    String s = text.replace("$", "")
        .replaceAll("\\\\geq?(?![a-zA-Z])|>=", "≥")
        .replaceAll("\\\\leq?(?![a-zA-Z])|<=", "≤")
        .replaceAll("\\\\gt(?![a-zA-Z])", ">")
        .replaceAll("\\\\lt(?![a-zA-Z])", "<");
    Matcher without = REALS_WITHOUT.matcher(s);
    if (without.matches()) {
      String point = without.group(1);
      return "(-\\infty, " + point + ") \\cup (" + point + ", \\infty)";
    }
    if (s.indexOf('<') < 0 && s.indexOf('>') < 0 && s.indexOf('≤') < 0 && s.indexOf('≥') < 0) {
      return null;
    }
    List<String> intervals = new ArrayList<>();
    for (String part : JOINER.split(s)) {
      String interval = one(part);
      if (interval == null) {
        return null;
      }
      intervals.add(interval);
    }
    return String.join(" \\cup ", intervals);
  }

  private static String one(String part) {
    Matcher between = BETWEEN.matcher(part);
    if (between.matches() && isBound(between.group(1)) && isBound(between.group(5))) {
      String low = between.group(1);
      String high = between.group(5);
      char first = between.group(2).charAt(0);
      char second = between.group(4).charAt(0);
      if (isLess(first) && isLess(second)) {
        return (first == '≤' ? "[" : "(") + low + ", " + high + (second == '≤' ? "]" : ")");
      }
      if (!isLess(first) && !isLess(second)) {
        return (second == '≥' ? "[" : "(") + high + ", " + low + (first == '≥' ? "]" : ")");
      }
      return null;
    }
    Matcher first = VARIABLE_FIRST.matcher(part);
    if (first.matches() && isBound(first.group(3))) {
      return ray(first.group(2).charAt(0), first.group(3));
    }
    Matcher last = VARIABLE_LAST.matcher(part);
    if (last.matches() && isBound(last.group(1))) {
      return ray(flip(last.group(2).charAt(0)), last.group(1));
    }
    return null;
  }

  /** x op bound as an interval. */
  private static String ray(char op, String bound) {
    return switch (op) {
      case '>' -> "(" + bound + ", \\infty)";
      case '≥' -> "[" + bound + ", \\infty)";
      case '<' -> "(-\\infty, " + bound + ")";
      default -> "(-\\infty, " + bound + "]";
    };
  }

  private static char flip(char op) {
    return switch (op) {
      case '<' -> '>';
      case '>' -> '<';
      case '≤' -> '≥';
      default -> '≤';
    };
  }

  private static boolean isLess(char op) {
    return op == '<' || op == '≤';
  }

  /** A bound holds no comparison of its own. */
  private static boolean isBound(String text) {
    return !text.isBlank() && text.chars().noneMatch(c -> c == '<' || c == '>' || c == '≤' || c == '≥');
  }
}
