package aha.grpo.rl;

import aha.problems.Problem;
import java.util.List;

/**
 * One problem's G completions, all scored: the unit GRPO computes advantages over.
 *
 * @param problem the problem asked
 * @param promptTokens the prompt's token ids, shared by every completion of the group (a trainer
 *     scores prompt + completion)
 * @param completions the G completions, in index order
 */
public record ScoredGroup(Problem problem, int[] promptTokens, List<ScoredCompletion> completions) {

  public ScoredGroup {
    completions = List.copyOf(completions);
  }

  /** G. */
  public int size() {
    return completions.size();
  }

  /** How many completions are correct. */
  public int passCount() {
    return (int) completions.stream().filter(ScoredCompletion::correct).count();
  }

  /** The share of correct completions. */
  public double passRate() {
    return completions.isEmpty() ? 0 : (double) passCount() / completions.size();
  }

  /** The policy version of the group's completions (a request samples all with one version). */
  public long policyVersion() {
    return completions.get(0).policyVersion();
  }
}
