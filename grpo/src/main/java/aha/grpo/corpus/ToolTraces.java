package aha.grpo.corpus;

import aha.sampler.tokenizer.ChatTemplate;
import aha.verifier.math.Calculator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Traces that call the calculator: each operation written {@code a op b = c} becomes {@code
 * <calc>a op b</calc><result>c</result>}, the call the policy would write and the answer the
 * environment would give at sampling time. An operation is rewritten only when the calculator
 * answers exactly {@code c}, so that the corpus never shows an answer the tool would not give
 * (a deliberate slip, or a value written another way, stays as it is).
 */
public final class ToolTraces {

  /** How a conversation that uses the calculator uses it. */
  public enum Style {
    /** Each integer operation written as a call: the calculator in place of mental arithmetic. */
    CALLS,
    /**
     * The steps worked in the head, and each self-check done with the calculator instead of by
     * working it out: the calculator as the independent route of a reflection.
     */
    CHECKS;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Two integers, one of the four operations, and the integer result the step states. */
  private static final Pattern OPERATION =
      Pattern.compile("(?<![\\d.])(-?\\d+) ([-+*/]) (-?\\d+) = (-?\\d+)(?![\\d.])");

  private ToolTraces() {}

  /** {@code reasoning} with each operation the calculator answers alike written as a call. */
  public static String withCalls(String reasoning) {
    Matcher matcher = OPERATION.matcher(reasoning);
    StringBuilder out = new StringBuilder(reasoning.length() + 64);
    while (matcher.find()) {
      String expression = matcher.group(1) + " " + matcher.group(2) + " " + matcher.group(3);
      String result = matcher.group(4);
      String replacement =
          Calculator.evaluate(expression).equals(result) ? call(expression, result) : matcher.group();
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** A call and its answer as the policy and the environment write them. */
  public static String call(String expression, String result) {
    return ChatTemplate.CALC_START + expression + ChatTemplate.CALC_END
        + ChatTemplate.RESULT_START + result + ChatTemplate.RESULT_END;
  }

  /** How many calls a text holds. */
  public static int calls(String text) {
    return count(text, ChatTemplate.CALC_START);
  }

  /** How many times {@code tag} occurs in {@code text}, without overlaps. */
  public static int count(String text, String tag) {
    int count = 0;
    for (int at = text.indexOf(tag); at >= 0; at = text.indexOf(tag, at + tag.length())) {
      count++;
    }
    return count;
  }
}
