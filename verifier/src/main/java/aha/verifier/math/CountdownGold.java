package aha.verifier.math;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The gold answer of a countdown puzzle, written {@code "TARGET from [n1, n2, ...]"}: reach TARGET
 * with + - × ÷ and parentheses, using each given number at most as often as it is listed.
 *
 * @param target the value the expression must reach
 * @param numbers the numbers on offer, in the order given; repeats allow repeated use
 */
public record CountdownGold(long target, List<Long> numbers) {
  private static final Pattern FORMAT =
      Pattern.compile("\\s*(-?\\d{1,18})\\s+from\\s+\\[([^\\]]*)\\]\\s*");
  private static final Pattern NUMBER = Pattern.compile("\\s*(\\d{1,18})\\s*");

  public CountdownGold {
    if (numbers.isEmpty()) {
      throw new IllegalArgumentException("a countdown needs at least one number");
    }
    numbers = List.copyOf(numbers);
  }

  /**
   * Reads {@code "24 from [3, 5, 7, 25]"}.
   *
   * @throws IllegalArgumentException naming what is wrong when the text is not in that format
   */
  public static CountdownGold parse(String text) {
    Matcher matcher = FORMAT.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "countdown gold must read 'TARGET from [n1, n2, ...]', got '" + text + "'");
    }
    List<Long> numbers = new ArrayList<>();
    if (!matcher.group(2).isBlank()) {
      for (String part : matcher.group(2).split(",", -1)) {
        Matcher number = NUMBER.matcher(part);
        if (!number.matches()) {
          throw new IllegalArgumentException("countdown number '" + part.strip() + "' is not a non-negative integer");
        }
        numbers.add(Long.parseLong(number.group(1)));
      }
    }
    return new CountdownGold(Long.parseLong(matcher.group(1)), numbers);
  }

  /** True when {@code text} looks like a countdown gold (used to infer the kind). */
  public static boolean looksLikeCountdown(String text) {
    return FORMAT.matcher(text).matches();
  }

  /** The gold text, {@code "24 from [3, 5, 7, 25]"}; {@link #parse} reads it back. */
  @Override
  public String toString() {
    return target + " from " + numbers.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }
}
