package aha.verifier;

import aha.problems.AnswerKind;
import aha.verifier.AnswerExtractor.Extraction;
import aha.verifier.budget.Budget;
import aha.verifier.budget.BudgetExceededException;
import aha.verifier.math.AnswerComparator.Match;
import aha.verifier.math.AnswerComparator;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Scores one response against one gold answer: format, extraction, equivalence, reward.
 *
 * <p>One verdict runs as: check the format ({@link FormatReward}); extract the final answer ({@link
 * AnswerExtractor}, which reads at most the last {@link AnswerExtractor#MAX_RESPONSE_CHARS}
 * characters of the response); infer the gold's kind when none is given; compare the chosen answer
 * with the gold ({@link AnswerComparator}). In strict mode ({@link VerifierConfig#strict()}) every
 * other distinct candidate in the final-answer region must match the gold as well, so hedging
 * ("\boxed{2} or \boxed{3}") is wrong even when one of the hedges is right. Whether a list is
 * acceptable for the gold ("2, 3" against a single number) is the comparator's call, by kind.
 *
 * <p>Every verdict gets its own {@link Budget}, started when {@link #verify} is entered, with the
 * configured limits (the work budget among them) and wall-clock guard. A verdict never throws: a
 * spent work budget, the guard or a cap gives a wrong verdict
 * whose reason is the budget's message, and any other failure (a bug, a stack overflow on a hostile
 * input) gives a wrong verdict whose reason starts with "internal error:". The format part of the
 * reward is kept in both cases, since it does not depend on the answer.
 *
 * <p>Instances are immutable and thread-safe; one can serve a whole pool of verifier workers.
 */
public final class Verifier {
  /** Longest candidate text quoted in a reason. */
  private static final int MAX_QUOTED_CHARS = 40;

  private final VerifierConfig config;
  private final AnswerMatcher matcher;

  /**
   * A verifier with the given settings.
   *
   * @throws IllegalArgumentException when the deadline is not positive or a weight is not finite
   */
  public Verifier(VerifierConfig config) {
    this(config, AnswerMatcher.EXACT);
  }

  /** A verifier that compares with {@code matcher}: the seam for tests. */
  Verifier(VerifierConfig config, AnswerMatcher matcher) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(config.limits(), "config.limits");
    if (config.deadlineNanos() <= 0) {
      throw new IllegalArgumentException(
          "deadlineNanos must be positive, got " + config.deadlineNanos());
    }
    if (!Double.isFinite(config.accuracyWeight()) || !Double.isFinite(config.formatWeight())) {
      throw new IllegalArgumentException(
          "reward weights must be finite, got accuracy "
              + config.accuracyWeight()
              + " and format "
              + config.formatWeight());
    }
    this.config = config;
    this.matcher = Objects.requireNonNull(matcher, "matcher");
  }

  public VerifierConfig config() {
    return config;
  }

  /**
   * Judges a response.
   *
   * @param response the model's full output; null counts as empty
   * @param gold the gold answer as written in the problem set
   * @param kindOrNull how to read the gold; null to infer it from the gold's text
   * @return the verdict; never null, never throws
   */
  public Verdict verify(String response, String gold, AnswerKind kindOrNull) {
    Budget budget = Budget.startingNow(config.deadlineNanos(), config.limits());
    Verdict verdict = verify(response, gold, kindOrNull, budget);
    return new Verdict(
        verdict.correct(), verdict.reward(), verdict.formatOk(), verdict.extracted(), verdict.reason(), budget.work());
  }

  private Verdict verify(String response, String gold, AnswerKind kindOrNull, Budget budget) {
    boolean formatOk = false;
    String extracted = null;
    try {
      formatOk = FormatReward.isWellFormed(response);
      Extraction extraction = AnswerExtractor.extract(response);
      extracted = extraction.answer();
      if (!extraction.found()) {
        return verdict(false, formatOk, null, extraction.problem());
      }
      if (gold == null || gold.isBlank()) {
        return verdict(false, formatOk, extracted, "no gold answer");
      }
      AnswerKind kind = kindOrNull != null ? kindOrNull : matcher.inferKind(gold);
      return judge(extraction, gold, kind, budget, formatOk);
    } catch (BudgetExceededException e) {
      return verdict(false, formatOk, extracted, e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      return verdict(false, formatOk, extracted, "internal error: " + describe(e));
    }
  }

  private Verdict judge(
      Extraction extraction, String gold, AnswerKind kind, Budget budget, boolean formatOk) {
    String chosen = extraction.answer();
    Match match = matcher.compare(chosen, gold, kind, budget);
    if (!config.strict()) {
      return verdict(match.equivalent(), formatOk, chosen, reasonOf(match));
    }
    if (extraction.tooManyCandidates()) {
      return verdict(
          false,
          formatOk,
          chosen,
          "ambiguous: more than " + AnswerExtractor.MAX_CANDIDATES + " candidate answers");
    }
    // Strict: all distinct candidates must agree with the gold. The first one that disagrees with
    // the chosen answer makes the response a hedge. When the chosen answer is wrong, the others are
    // only looked at to name the hedge in the reason.
    Set<String> compared = new HashSet<>();
    compared.add(chosen);
    for (String other : extraction.candidates()) {
      if (compared.add(other)
          && matcher.compare(other, gold, kind, budget).equivalent() != match.equivalent()) {
        return verdict(
            false,
            formatOk,
            chosen,
            "ambiguous: non-equivalent final answers '"
                + quote(other)
                + "' and '"
                + quote(chosen)
                + "'");
      }
    }
    return verdict(match.equivalent(), formatOk, chosen, reasonOf(match));
  }

  private static String reasonOf(Match match) {
    if (match.reason() != null) {
      return match.reason();
    }
    return match.equivalent() ? "equivalent" : "not equivalent";
  }

  private Verdict verdict(boolean correct, boolean formatOk, String extracted, String reason) {
    double reward =
        config.accuracyWeight() * (correct ? 1 : 0) + config.formatWeight() * (formatOk ? 1 : 0);
    return new Verdict(correct, reward, formatOk, extracted, reason);
  }

  private static String quote(String candidate) {
    return candidate.length() <= MAX_QUOTED_CHARS
        ? candidate
        : candidate.substring(0, MAX_QUOTED_CHARS) + "…";
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    String name = e.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return name;
    }
    return name + ": " + (message.length() > 200 ? message.substring(0, 200) + "…" : message);
  }
}
