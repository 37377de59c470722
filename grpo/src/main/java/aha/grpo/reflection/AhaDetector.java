package aha.grpo.reflection;

import aha.problems.AnswerKind;
import aha.verifier.AnswerExtractor;
import aha.verifier.Verdict;
import aha.verifier.Verifier;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds reflection markers in a response and classifies the transition they caused.
 *
 * <p>The rule: for each marker in order, the <em>candidate</em> is the answer stated in the text
 * before it — an answer statement the verifier's extractor recognises (a box, an {@code <answer>}
 * block, {@code ####}, "the answer is …"), or else a value after the last "=" of the sentence right
 * before the marker ("… so 12 * 3 = 38. Wait, …"). The first candidate that differs from the final
 * answer decides the transition; candidate and final are each judged against the gold by the
 * verifier. Intermediate results stated earlier in the text are not candidates, so a marker that
 * follows ordinary working ("3 + 4 = 7. Let me check the next step") only counts when the value
 * before it differs from the final answer; the sentence rule keeps such false alarms rare, not
 * impossible.
 *
 * <p>Two candidates "differ" when the verifier does not find them equivalent (countdown answers are
 * expressions and differ when their text, spaces removed, differs).
 */
public final class AhaDetector {

  /** A number as a model writes one: sign, digits with separators, decimals, a plain fraction. */
  private static final String NUMBER = "-?\\d[\\d,]*(?:\\.\\d+)?(?:\\s*/\\s*\\d+)?";

  /** "= 38" ending a sentence, or "= 38" right before the marker. */
  private static final Pattern TRAILING_EQUALS =
      Pattern.compile("=\\s*(" + NUMBER + ")\\s*[.,;:!]?\\s*$");

  /** A countdown expression: numbers joined by operators, with parentheses. */
  private static final Pattern COUNTDOWN_EXPRESSION =
      Pattern.compile("[(\\s]*\\d+[)\\s]*(?:[-+*/×÷][(\\s]*\\d+[)\\s]*)+");

  /** Sentence ends, used to keep only the sentence right before a marker. */
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?\\n](?=\\s|$)");

  private final ReflectionMarkers markers;
  private final Verifier verifier;

  public AhaDetector(ReflectionMarkers markers, Verifier verifier) {
    this.markers = markers;
    this.verifier = verifier;
  }

  /**
   * What one response shows.
   *
   * @param hits every marker occurrence, in order (for highlighting and rates)
   * @param transition what the first differing candidate → final change was
   * @param candidate that candidate, or null when the transition is NONE
   * @param finalAnswer the verifier's extracted final answer, or null
   * @param finalCorrect whether the final answer is correct
   */
  public record Analysis(
      List<ReflectionMarkers.Hit> hits,
      Transition transition,
      String candidate,
      String finalAnswer,
      boolean finalCorrect) {

    /** Number of marker occurrences. */
    public int markerCount() {
      return hits.size();
    }
  }

  /** The markers this detector looks for. */
  public ReflectionMarkers markers() {
    return markers;
  }

  /**
   * Analyses a response against its gold.
   *
   * @param finalVerdict the verifier's verdict on the whole response, when the caller has it
   *     already (saves a second verification); null to compute it
   */
  public Analysis analyze(String response, String gold, AnswerKind kind, Verdict finalVerdict) {
    String text = response == null ? "" : response;
    List<ReflectionMarkers.Hit> hits = markers.find(text);
    Verdict verdict = finalVerdict != null ? finalVerdict : verifier.verify(text, gold, kind);
    String finalAnswer = verdict.extracted();
    if (hits.isEmpty() || finalAnswer == null) {
      return new Analysis(hits, Transition.NONE, null, finalAnswer, verdict.correct());
    }
    for (ReflectionMarkers.Hit hit : hits) {
      String candidate = candidateBefore(text.substring(0, hit.start()), kind);
      if (candidate == null || same(candidate, finalAnswer, kind)) {
        continue;
      }
      boolean candidateCorrect = judge(candidate, gold, kind);
      Transition transition;
      if (candidateCorrect && verdict.correct()) {
        continue; // two different texts both right: equivalent forms, not a change of answer
      } else if (candidateCorrect) {
        transition = Transition.RIGHT_TO_WRONG;
      } else if (verdict.correct()) {
        transition = Transition.WRONG_TO_RIGHT;
      } else {
        transition = Transition.WRONG_TO_WRONG;
      }
      return new Analysis(hits, transition, candidate, finalAnswer, verdict.correct());
    }
    return new Analysis(hits, Transition.NONE, null, finalAnswer, verdict.correct());
  }

  /** The answer stated just before a marker, or null when there is none. */
  static String candidateBefore(String prefix, AnswerKind kind) {
    AnswerExtractor.Extraction stated = AnswerExtractor.extract(prefix);
    if (stated.found()) {
      return stated.answer().strip();
    }
    String sentence = lastSentence(prefix);
    if (kind == AnswerKind.COUNTDOWN) {
      String expression = null;
      Matcher matcher = COUNTDOWN_EXPRESSION.matcher(sentence);
      while (matcher.find()) {
        expression = matcher.group().strip();
      }
      return expression;
    }
    Matcher matcher = TRAILING_EQUALS.matcher(sentence);
    return matcher.find() ? matcher.group(1).strip() : null;
  }

  /** The text after the last sentence end that is followed by more text. */
  private static String lastSentence(String prefix) {
    String trimmed = prefix.stripTrailing();
    int start = 0;
    Matcher matcher = SENTENCE_END.matcher(trimmed);
    while (matcher.find()) {
      if (matcher.end() < trimmed.length()) {
        start = matcher.end();
      }
    }
    return trimmed.substring(start);
  }

  private boolean judge(String candidate, String gold, AnswerKind kind) {
    return verifier.verify("\\boxed{" + candidate + "}", gold, kind).correct();
  }

  private boolean same(String candidate, String finalAnswer, AnswerKind kind) {
    if (kind == AnswerKind.COUNTDOWN) {
      return candidate.replaceAll("\\s+", "").equals(finalAnswer.replaceAll("\\s+", ""));
    }
    return verifier.verify("\\boxed{" + candidate + "}", finalAnswer, kind).correct();
  }
}
