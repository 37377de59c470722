package aha.verifier;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Finds the final answer in a model response (or a reference solution), without judging it.
 *
 * <h2>Where the final answer is looked for</h2>
 *
 * <ol>
 *   <li><b>The answer block.</b> When the response holds {@code <answer>…</answer>}, the last
 *       {@code <answer>} and the first {@code </answer>} after it delimit the <em>final-answer
 *       region</em>, and nothing outside it counts (so an {@code <answer>} block beats a {@code
 *       ####} line or a box in the thinking). A last {@code <answer>} that is never closed extracts
 *       nothing: the generation was cut off. Inside the block the rules below apply; when none of
 *       them finds anything, the whole block content is the single candidate.
 *   <li><b>After the thinking.</b> Without an answer block, when non-blank text follows the last
 *       {@code </think>}, only that text is searched: boxes and phrases in the reasoning are
 *       drafts. Otherwise the whole response is searched.
 *   <li><b>Boxes.</b> {@code \boxed{…}} and {@code \fbox{…}}, braces matched (nested braces, {@code
 *       \{ \}} escapes), and the unbraced {@code \boxed 5} form (up to the next whitespace or
 *       {@code $}; the token must start with a digit, sign, bracket or command, or be one capital
 *       letter, so prose such as "we use \boxed to mark it" is no box). Boxes inside a box are
 *       unwrapped ({@code \boxed{\boxed{5}}} is {@code 5}). Empty boxes are ignored: models write
 *       "I will put the answer in \boxed{}" while thinking.
 *   <li><b>GSM8K marker.</b> The text after the last {@code ####} to the end of its line (a last
 *       marker with nothing after it counts as no marker). When a region has both boxes and a
 *       {@code ####} line, whichever comes later in the text wins.
 *   <li><b>Phrase.</b> "the final answer is …" or "the answer is …" (any case, last occurrence, an
 *       optional colon), up to the end of the sentence: a newline, or a period followed by
 *       whitespace or the end, outside braces and {@code $…$}; only when there is no box and no
 *       {@code ####} line.
 * </ol>
 *
 * <p><b>One final answer.</b> The rules above choose the answer; every other final-answer statement
 * of the region is a candidate that must agree with it: every box, every {@code ####} line (and a
 * second marker on the same line), every phrase, and the statements of every earlier closed
 * {@code <answer>} block. "\boxed{4}. The answer is 5.", two answer blocks that differ, {@code
 * #### 7 #### 8} and contradicting boxes in two paragraphs all state two answers.
 *
 * <p>A top-level box that is never closed extracts nothing, with no fallback to an earlier box or a
 * stray number: an unclosed box swallows the rest of the text, so it is always the last one, and a
 * verifier that guesses rewards malformed output.
 *
 * <p>Every candidate is trimmed and loses a trailing period and one layer of {@code $…$}, {@code
 * $$…$$}, {@code \(…\)} or {@code \[…\]}. Judging candidates (are they equivalent? is a list
 * acceptable for this gold?) is the caller's job; see {@link Verifier}.
 *
 * <p>Responses longer than {@link #MAX_RESPONSE_CHARS} are cut from the front: the final answer is
 * at the end, and scanning stays linear and bounded. All scans are single passes with {@code
 * indexOf}; there are no regular expressions, so no input can make extraction backtrack.
 */
public final class AnswerExtractor {

  /** Longest tail of a response that is searched; earlier text is dropped before extraction. */
  public static final int MAX_RESPONSE_CHARS = 200_000;

  /** More candidates than this in the final-answer region are not collected. */
  public static final int MAX_CANDIDATES = 32;

  /**
   * Passes of unwrapping boxes nested in a box; deeper nesting is left as is (and fails to parse).
   */
  private static final int MAX_UNBOX_PASSES = 8;

  private static final String ANSWER_OPEN = "<answer>";
  private static final String ANSWER_CLOSE = "</answer>";
  private static final String THINK_CLOSE = "</think>";
  private static final String HASH_MARK = "####";

  private AnswerExtractor() {}

  /** Which rule found the answer. */
  public enum Source {
    /** {@code \boxed{…}} or {@code \fbox{…}}. */
    BOXED,
    /** A GSM8K {@code #### …} line. */
    HASH_MARK,
    /** "the answer is …". */
    PHRASE,
    /** The whole content of an {@code <answer>} block. */
    ANSWER_BLOCK,
    /** Nothing was found. */
    NONE
  }

  /**
   * What was found.
   *
   * @param answer the chosen final answer (the last candidate), or null when none was found
   * @param candidates every candidate in the final-answer region, in order of appearance, at most
   *     {@link #MAX_CANDIDATES}; empty when none was found
   * @param tooManyCandidates the region held more than {@link #MAX_CANDIDATES} candidates
   * @param source the rule that found them
   * @param problem why nothing was found ("no answer found", "no answer found (unclosed \boxed)"),
   *     or null when an answer was found
   */
  public record Extraction(
      String answer,
      List<String> candidates,
      boolean tooManyCandidates,
      Source source,
      String problem) {

    public Extraction {
      candidates = List.copyOf(candidates);
    }

    static Extraction found(List<String> candidates, boolean tooMany, Source source) {
      return new Extraction(
          candidates.get(candidates.size() - 1), candidates, tooMany, source, null);
    }

    static Extraction none(String problem) {
      return new Extraction(null, List.of(), false, Source.NONE, problem);
    }

    /** True when an answer was found. */
    public boolean found() {
      return answer != null;
    }
  }

  /**
   * Extracts the final answer of a response.
   *
   * @param response model output or reference solution; null is treated as empty
   */
  public static Extraction extract(String response) {
    if (response == null || response.isEmpty()) {
      return Extraction.none("no answer found");
    }
    String text =
        response.length() > MAX_RESPONSE_CHARS
            ? response.substring(response.length() - MAX_RESPONSE_CHARS)
            : response;

    int answerOpen = lastIndexOf(text, ANSWER_OPEN, 0, text.length());
    if (answerOpen >= 0) {
      int contentStart = answerOpen + ANSWER_OPEN.length();
      int contentEnd = text.indexOf(ANSWER_CLOSE, contentStart);
      if (contentEnd < 0) {
        return Extraction.none("no answer found (unclosed <answer>)");
      }
      // every closed block states a final answer; the last one's is chosen, the others must agree
      List<Extraction> blocks = new ArrayList<>();
      int open = indexOf(text, ANSWER_OPEN, 0, answerOpen);
      while (open >= 0) {
        int close = indexOf(text, ANSWER_CLOSE, open + ANSWER_OPEN.length(), answerOpen);
        if (close < 0) {
          break; // an earlier block never closed before the last one opened: not a statement
        }
        blocks.add(extractFromRegion(text, open + ANSWER_OPEN.length(), close, true));
        open = indexOf(text, ANSWER_OPEN, close, answerOpen);
      }
      blocks.add(extractFromRegion(text, contentStart, contentEnd, true));
      return merge(blocks);
    }
    int thinkClose = lastIndexOf(text, THINK_CLOSE, 0, text.length());
    if (thinkClose >= 0) {
      int afterThinking = thinkClose + THINK_CLOSE.length();
      if (!isBlank(text, afterThinking, text.length())) {
        return extractFromRegion(text, afterThinking, text.length(), false);
      }
    }
    return extractFromRegion(text, 0, text.length(), false);
  }

  /**
   * Chooses the answer of {@code [from, to)} (the last box or {@code ####} line, whichever comes
   * later; else the last phrase; else, in an answer block, its whole content) and collects every
   * other final-answer statement of the region as a candidate that must agree with it.
   */
  private static Extraction extractFromRegion(
      String text, int from, int to, boolean isAnswerBlock) {
    List<Box> boxes = new ArrayList<>();
    Box unclosed = findTopLevelBoxes(text, from, to, boxes);
    if (unclosed != null) {
      return Extraction.none("no answer found (unclosed \\boxed)");
    }
    int hashMark = lastHashMark(text, from, to);
    Box lastBox = boxes.isEmpty() ? null : boxes.get(boxes.size() - 1);

    // every statement of the region, read once: box contents, #### lines, phrases
    List<String> boxContents = new ArrayList<>(boxes.size());
    for (Box box : boxes) {
      boxContents.add(cleanCandidate(unbox(box.content(text))));
    }
    List<String> phrases = phrases(text, from, to);

    String chosen = null;
    Source source;
    if (hashMark >= 0 && (lastBox == null || hashMark > lastBox.contentEnd)) {
      chosen = hashLine(text, hashMark, to);
      source = Source.HASH_MARK;
    } else if (lastBox != null) {
      // the last box that says something: "\boxed{.}" and "\boxed{$ $}" are like an empty box
      for (int i = boxContents.size() - 1; i >= 0 && chosen == null; i--) {
        chosen = boxContents.get(i).isEmpty() ? null : boxContents.get(i);
      }
      source = Source.BOXED;
    } else {
      chosen = phrases.isEmpty() ? null : phrases.get(phrases.size() - 1);
      source = Source.PHRASE;
      if (chosen == null && isAnswerBlock) {
        String whole = cleanCandidate(text.substring(from, to));
        chosen = whole.isEmpty() ? null : whole;
        source = Source.ANSWER_BLOCK;
      }
    }
    if (chosen == null || chosen.isEmpty()) {
      return Extraction.none("no answer found");
    }
    List<String> candidates = new ArrayList<>(boxContents);
    for (int mark = indexOf(text, HASH_MARK, from, to); mark >= 0; ) {
      if (!insideAny(boxes, mark)) { // "\boxed{#### 5}" is a box's content
        candidates.add(hashLine(text, mark, to));
      }
      mark = indexOf(text, HASH_MARK, skipHashes(text, mark, to), to);
    }
    candidates.addAll(phrases);
    candidates.removeIf(String::isEmpty);
    candidates.add(chosen);
    return capped(candidates, source, false);
  }

  private static boolean insideAny(List<Box> boxes, int position) {
    for (Box box : boxes) {
      if (position >= box.start && position < box.contentEnd) {
        return true;
      }
    }
    return false;
  }

  /** The candidates of every block, in order, the last block's chosen answer last. */
  private static Extraction merge(List<Extraction> blocks) {
    Extraction last = blocks.get(blocks.size() - 1);
    if (!last.found() || blocks.size() == 1) {
      return last;
    }
    List<String> candidates = new ArrayList<>();
    boolean tooMany = false;
    for (Extraction block : blocks) {
      candidates.addAll(block.candidates());
      tooMany |= block.tooManyCandidates();
    }
    candidates.add(last.answer());
    return capped(candidates, last.source(), tooMany);
  }

  /**
   * The distinct candidates in order of first appearance, the chosen answer (the last element)
   * moved last; at most {@link #MAX_CANDIDATES}, the chosen one always kept. {@code tooMany}
   * carries an earlier block's overflow.
   */
  private static Extraction capped(List<String> statements, Source source, boolean tooMany) {
    String chosen = statements.get(statements.size() - 1);
    LinkedHashSet<String> distinct = new LinkedHashSet<>(statements);
    distinct.remove(chosen);
    distinct.add(chosen);
    List<String> candidates = new ArrayList<>(distinct);
    if (candidates.size() <= MAX_CANDIDATES) {
      return Extraction.found(candidates, tooMany, source);
    }
    List<String> kept = new ArrayList<>(candidates.subList(0, MAX_CANDIDATES - 1));
    kept.add(candidates.get(candidates.size() - 1));
    return Extraction.found(kept, true, source);
  }

  // ---------------------------------------------------------------- boxes

  /** A box: {@code start} is its backslash, content is {@code [contentStart, contentEnd)}. */
  private record Box(int start, int contentStart, int contentEnd) {
    String content(String text) {
      return text.substring(contentStart, contentEnd);
    }
  }

  /**
   * Collects the non-empty top-level boxes in {@code [from, to)} into {@code out}, in order.
   *
   * @return the unclosed box that ended the scan, or null when every box was closed
   */
  private static Box findTopLevelBoxes(String text, int from, int to, List<Box> out) {
    int i = indexOf(text, '\\', from, to);
    while (i >= 0) {
      int nameLength = boxCommandLength(text, i, to);
      if (nameLength == 0) {
        // skip the escaped character too, so "\\boxed" (a line break, then text) is no box
        i = indexOf(text, '\\', i + 2, to);
        continue;
      }
      int after = i + nameLength;
      int argStart = after;
      while (argStart < to && isSpace(text.charAt(argStart))) {
        argStart++;
      }
      if (argStart < to && text.charAt(argStart) == '{') {
        int close = matchingBrace(text, argStart, to);
        if (close < 0) {
          return new Box(i, argStart + 1, to);
        }
        if (!isBlank(text, argStart + 1, close)) {
          out.add(new Box(i, argStart + 1, close));
        }
        i = indexOf(text, '\\', close + 1, to);
        continue;
      }
      // unbraced form: "\boxed 5" (a space is required before a letter, else it is another command)
      int tokenEnd = argStart;
      while (tokenEnd < to && !isSpace(text.charAt(tokenEnd)) && text.charAt(tokenEnd) != '$') {
        tokenEnd++;
      }
      if (tokenEnd == argStart) {
        // "\boxed" at the very end, or followed only by whitespace: an unfinished box
        if (tokenEnd >= to) {
          return new Box(i, tokenEnd, to);
        }
        i = indexOf(text, '\\', tokenEnd, to);
        continue;
      }
      if (looksLikeUnbracedAnswer(text, argStart, tokenEnd)) {
        out.add(new Box(i, argStart, tokenEnd));
      }
      i = indexOf(text, '\\', tokenEnd, to);
    }
    return null;
  }

  /**
   * True when the token after an unbraced {@code \boxed} reads as an answer: it starts with a
   * digit, sign, bracket or command ("\boxed 5", "\boxed -3", "\boxed \frac12"), or is one capital
   * letter (a choice). Prose that mentions the command ("we use \boxed to mark it") gives a
   * lower-case word and must not become a candidate.
   */
  private static boolean looksLikeUnbracedAnswer(String text, int start, int end) {
    char first = text.charAt(start);
    if (Character.isLetter(first)) {
      boolean single = end - start == 1 || (end - start == 2 && text.charAt(start + 1) == '.');
      return single && Character.isUpperCase(first);
    }
    return first != '}' && first != ',' && first != ';' && first != ':';
  }

  /**
   * Length of {@code \boxed} or {@code \fbox} at {@code i} (0 when neither): the name must not run
   * on into more letters, {@code \boxedx} is a different command.
   */
  private static int boxCommandLength(String text, int i, int to) {
    int length;
    if (text.startsWith("\\boxed", i)) {
      length = 6;
    } else if (text.startsWith("\\fbox", i)) {
      length = 5;
    } else {
      return 0;
    }
    if (i + length > to) {
      return 0;
    }
    if (i + length < to && Character.isLetter(text.charAt(i + length))) {
      return 0;
    }
    return length;
  }

  /**
   * Index of the brace closing the one at {@code open}, or -1. A backslash escapes the next
   * character, so {@code \{} and {@code \}} do not count and {@code \\} is a line break. Iterative:
   * no nesting depth can overflow the stack.
   */
  private static int matchingBrace(String text, int open, int to) {
    int depth = 0;
    for (int i = open; i < to; i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (--depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Replaces boxes inside a candidate by their content, a bounded number of layers deep. */
  private static String unbox(String candidate) {
    String current = candidate;
    for (int pass = 0; pass < MAX_UNBOX_PASSES; pass++) {
      if (current.indexOf("\\boxed") < 0 && current.indexOf("\\fbox") < 0) {
        return current;
      }
      List<Box> inner = new ArrayList<>();
      if (findTopLevelBoxes(current, 0, current.length(), inner) != null || inner.isEmpty()) {
        return current;
      }
      StringBuilder unwrapped = new StringBuilder(current.length());
      int copied = 0;
      for (Box box : inner) {
        unwrapped
            .append(current, copied, box.start)
            .append(current, box.contentStart, box.contentEnd);
        copied = box.contentEnd;
        // skip the closing brace of a braced box
        if (copied < current.length() && current.charAt(copied) == '}') {
          copied++;
        }
      }
      unwrapped.append(current, copied, current.length());
      current = unwrapped.toString();
    }
    return current;
  }

  // ---------------------------------------------------------------- #### and phrases

  /** Index of the last {@code ####} in the region followed by a non-blank line, or -1. */
  private static int lastHashMark(String text, int from, int to) {
    int mark = lastIndexOf(text, HASH_MARK, from, to);
    if (mark < from) {
      return -1;
    }
    // "#####…" runs: the marker is the last four hashes
    int contentStart = mark + HASH_MARK.length();
    return isBlank(text, contentStart, lineEnd(text, mark, to)) ? -1 : mark;
  }

  /** After the run of hashes that starts at {@code mark}. */
  private static int skipHashes(String text, int mark, int to) {
    int i = mark;
    while (i < to && text.charAt(i) == '#') {
      i++;
    }
    return i;
  }

  /**
   * What a {@code ####} marker at {@code mark} states: the rest of its line, up to another marker
   * on the same line ({@code "#### 7 #### 8"} states 7 and 8), cleaned.
   */
  private static String hashLine(String text, int mark, int to) {
    int start = skipHashes(text, mark, to);
    int end = lineEnd(text, start, to);
    int next = indexOf(text, HASH_MARK, start, end);
    if (next >= 0) {
      end = next;
    }
    return cleanCandidate(text.substring(start, end));
  }

  private static int lineEnd(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\n') {
        return i;
      }
    }
    return to;
  }

  /**
   * The text after each "the answer is" / "the final answer is" in the region, to the end of its
   * sentence, cleaned (boxes in it unwrapped); empty ones left out.
   */
  private static List<String> phrases(String text, int from, int to) {
    final String key = "answer is";
    List<Integer> starts = new ArrayList<>(); // where each phrase's answer starts
    List<Integer> phraseStarts = new ArrayList<>(); // where each phrase's "the" starts
    for (int at = from; at + key.length() <= to; at++) {
      char c = text.charAt(at);
      if ((c != 'a' && c != 'A') || !text.regionMatches(true, at, key, 0, key.length()) || !precededByThe(text, from, at)) {
        continue;
      }
      int start = at + key.length();
      if (start < to && Character.isLetterOrDigit(text.charAt(start))) {
        continue; // "the answer isn't" and the like
      }
      starts.add(start);
      phraseStarts.add(endsWithWord(text, from, at, "the final ") ? at - "the final ".length() : at - "the ".length());
    }
    List<String> found = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      int start = starts.get(i);
      // a sentence ends at the next phrase at the latest, so that reading them all stays linear
      int bound = i + 1 < starts.size() ? phraseStarts.get(i + 1) : to;
      while (start < bound && (isSpace(text.charAt(start)) || text.charAt(start) == ':')) {
        start++;
      }
      String sentence = text.substring(start, sentenceEnd(text, start, Math.max(start, bound)));
      if (sentence.contains("\\boxed") || sentence.contains("\\fbox")) {
        continue; // "the answer is \\boxed{5}": the box is the statement, and a candidate already
      }
      sentence = cleanCandidate(withoutExplanation(sentence));
      if (i + 1 < starts.size()) {
        // cut at the next phrase: "4, the final answer is 4" leaves "4,"
        int end = sentence.length();
        while (end > 0 && (sentence.charAt(end - 1) == ',' || sentence.charAt(end - 1) == ';')) {
          end--;
        }
        sentence = cleanCandidate(sentence.substring(0, end));
      }
      if (!sentence.isEmpty()) {
        found.add(sentence);
      }
    }
    return found;
  }

  /** Words after which a phrase's sentence explains the answer rather than states it. */
  private static final String[] EXPLANATIONS = {
    ", because ", " because ", ", since ", ", as ", ", which ", ", so ", ", given ", "; "
  };

  /**
   * The answer of "18, because 3 × 6 = 18": the sentence up to the first explanation that follows
   * some text; the whole sentence when there is none.
   */
  private static String withoutExplanation(String sentence) {
    int cut = sentence.length();
    for (String marker : EXPLANATIONS) {
      int at = sentence.indexOf(marker);
      if (at > 0 && at < cut) {
        cut = at;
      }
    }
    return sentence.substring(0, cut);
  }

  /** True when "the " or "the final " ends right before {@code i}. */
  private static boolean precededByThe(String text, int from, int i) {
    return endsWithWord(text, from, i, "the ") || endsWithWord(text, from, i, "the final ");
  }

  private static boolean endsWithWord(String text, int from, int end, String word) {
    int start = end - word.length();
    if (start < from || !text.regionMatches(true, start, word, 0, word.length())) {
      return false;
    }
    return start == from || !Character.isLetter(text.charAt(start - 1));
  }

  /**
   * End of the sentence starting at {@code start}: a newline, or a period then space/end at depth
   * 0.
   */
  private static int sentenceEnd(String text, int start, int to) {
    int depth = 0;
    boolean inMath = false;
    for (int i = start; i < to; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n':
          return i;
        case '\\':
          i++;
          break;
        case '{':
          depth++;
          break;
        case '}':
          depth--;
          break;
        case '$':
          inMath = !inMath;
          break;
        case '.':
          if (depth <= 0 && !inMath && (i + 1 >= to || isSpace(text.charAt(i + 1)))) {
            return i;
          }
          break;
        default:
          break;
      }
    }
    return to;
  }

  // ---------------------------------------------------------------- cleaning

  /**
   * Trims, drops a trailing period, and unwraps one layer of math delimiters (then trims and drops
   * a period again, for "$5.$").
   */
  static String cleanCandidate(String raw) {
    String s = stripTrailingPeriod(raw.strip());
    String unwrapped = unwrapMath(s);
    return unwrapped.length() == s.length() ? s : stripTrailingPeriod(unwrapped.strip());
  }

  private static String stripTrailingPeriod(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1).strip() : s;
  }

  private static String unwrapMath(String s) {
    if (s.length() >= 4 && s.startsWith("$$") && s.endsWith("$$")) {
      return s.substring(2, s.length() - 2);
    }
    if (s.length() >= 2 && s.startsWith("$") && s.endsWith("$")) {
      return s.substring(1, s.length() - 1);
    }
    if (s.length() >= 4
        && ((s.startsWith("\\(") && s.endsWith("\\)"))
            || (s.startsWith("\\[") && s.endsWith("\\]")))) {
      return s.substring(2, s.length() - 2);
    }
    return s;
  }

  /**
   * The last {@code needle} lying wholly in {@code [from, to)}, or -1. Most responses hold no such
   * marker at all, and the JDK's forward {@code indexOf} is vectorized while {@code lastIndexOf}
   * walks char by char, so absence is settled forward first (a 100k-character response: ~10 µs, not
   * ~100).
   */
  /** The first {@code c} in {@code [from, to)}, or -1; reads nothing past it. */
  private static int indexOf(String text, char c, int from, int to) {
    for (int i = Math.max(from, 0); i < to; i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  /** The first {@code needle} wholly inside {@code [from, to)}, or -1; reads nothing past it. */
  private static int indexOf(String text, String needle, int from, int to) {
    for (int i = Math.max(from, 0); i + needle.length() <= to; i++) {
      if (text.startsWith(needle, i)) {
        return i;
      }
    }
    return -1;
  }

  /** The last {@code needle} wholly inside {@code [from, to)}, or -1; reads nothing outside it. */
  private static int lastIndexOf(String text, String needle, int from, int to) {
    for (int i = to - needle.length(); i >= Math.max(from, 0); i--) {
      if (text.startsWith(needle, i)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || Character.isWhitespace(c);
  }

  private static boolean isBlank(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isSpace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
