package aha.verifier;

import aha.problems.AnswerChecker;
import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import aha.verifier.budget.BudgetExceededException;
import aha.verifier.budget.Limits;
import aha.verifier.math.AnswerComparator;

/**
 * The verifier's answer checks for problem-set lint. Gold answers are parsed with no deadline (lint
 * runs offline, and a slow gold is not a wrong gold) but with the usual caps. A reference
 * solution's final answer is found by the same rules as a model's ({@link AnswerExtractor}:
 * solutions end with a line {@code #### <answer>} or contain {@code \boxed{…}}) and judged by a
 * {@link Verifier} with the same work budget as training's, so lint accepts exactly the solutions
 * that training would reward, on any machine.
 */
public final class VerifierAnswerChecker implements AnswerChecker {
  private final Limits limits;
  private final Verifier verifier;

  /** A checker with the default limits. */
  public VerifierAnswerChecker() {
    this(Limits.defaults());
  }

  /** A checker with the given caps. */
  public VerifierAnswerChecker(Limits limits) {
    this.limits = limits;
    this.verifier =
        new Verifier(new VerifierConfig(1.0, 0.0, VerifierConfig.DEFAULT_GUARD_NANOS, true, limits));
  }

  @Override
  public String goldProblem(String gold, AnswerKind kind) {
    if (gold == null || gold.isBlank()) {
      return "empty gold answer";
    }
    try {
      return AnswerComparator.goldProblem(gold, kind, Budget.unlimitedTime(limits));
    } catch (BudgetExceededException e) {
      return e.getMessage();
    } catch (RuntimeException | StackOverflowError e) {
      return "internal error: " + e;
    }
  }

  @Override
  public String solutionProblem(String solution, String gold, AnswerKind kind) {
    Verdict verdict = verifier.verify(solution, gold, kind);
    if (verdict.correct()) {
      return null;
    }
    if (verdict.extracted() == null) {
      return "solution has no final answer (end it with a line '#### <answer>' or a \\boxed{}): "
          + verdict.reason();
    }
    return "solution's final answer '"
        + verdict.extracted()
        + "' does not verify: "
        + verdict.reason();
  }
}
