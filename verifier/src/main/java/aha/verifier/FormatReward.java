package aha.verifier;

/**
 * The R1 format check: a response is well formed when it is exactly
 *
 * <pre>
 *   [space] &lt;think&gt; T &lt;/think&gt; [space] &lt;answer&gt; A &lt;/answer&gt; [space]
 * </pre>
 *
 * where [space] is optional whitespace and T and A each hold at least one non-whitespace character.
 * Each of the four tags occurs exactly once in the whole response, so nested, duplicated or
 * misordered tags fail, and so does any text before {@code <think>}, between the blocks, or after
 * {@code </answer>}: a format reward that tolerates chatter around the blocks would be paid for
 * chatter. Tags are matched exactly (lower case, no attributes, no spaces inside the angle
 * brackets), as the chat template writes them.
 */
public final class FormatReward {
  private static final String THINK_OPEN = "<think>";
  private static final String THINK_CLOSE = "</think>";
  private static final String ANSWER_OPEN = "<answer>";
  private static final String ANSWER_CLOSE = "</answer>";

  private FormatReward() {}

  /**
   * True when the response is one non-empty think block followed by one non-empty answer block,
   * with only whitespace around them. Null is not well formed.
   */
  public static boolean isWellFormed(String response) {
    if (response == null) {
      return false;
    }
    int start = skipSpace(response, 0);
    int end = skipSpaceBackwards(response, response.length());

    int thinkOpen = onlyOccurrence(response, THINK_OPEN);
    int thinkClose = onlyOccurrence(response, THINK_CLOSE);
    int answerOpen = onlyOccurrence(response, ANSWER_OPEN);
    int answerClose = onlyOccurrence(response, ANSWER_CLOSE);
    if (thinkOpen < 0 || thinkClose < 0 || answerOpen < 0 || answerClose < 0) {
      return false;
    }
    int thinkContent = thinkOpen + THINK_OPEN.length();
    int answerContent = answerOpen + ANSWER_OPEN.length();
    return thinkOpen == start
        && answerClose + ANSWER_CLOSE.length() == end
        && thinkClose >= thinkContent
        && skipSpace(response, thinkClose + THINK_CLOSE.length()) == answerOpen
        && answerClose >= answerContent
        && hasContent(response, thinkContent, thinkClose)
        && hasContent(response, answerContent, answerClose);
  }

  /** The index of the single occurrence of {@code tag}, or -1 when it is missing or repeated. */
  private static int onlyOccurrence(String text, String tag) {
    int first = text.indexOf(tag);
    return first >= 0 && text.indexOf(tag, first + 1) < 0 ? first : -1;
  }

  private static int skipSpace(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipSpaceBackwards(String text, int to) {
    int i = to;
    while (i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
      i--;
    }
    return i;
  }

  private static boolean hasContent(String text, int from, int to) {
    return skipSpace(text, from) < to;
  }
}
