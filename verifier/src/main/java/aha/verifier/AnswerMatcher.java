package aha.verifier;

import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import aha.verifier.math.AnswerComparator;

/**
 * What {@link Verifier} needs from the math package, as a seam: tests substitute a fake with known
 * answers to exercise strictness, deadlines and error handling apart from the real comparator.
 */
interface AnswerMatcher {

  /** See {@link AnswerComparator#compare}. */
  AnswerComparator.Match compare(String candidate, String gold, AnswerKind kind, Budget budget);

  /** See {@link AnswerComparator#inferKind}. */
  AnswerKind inferKind(String gold);

  /** The real thing: exact math from {@code aha.verifier.math}. */
  AnswerMatcher EXACT =
      new AnswerMatcher() {
        @Override
        public AnswerComparator.Match compare(
            String candidate, String gold, AnswerKind kind, Budget budget) {
          return AnswerComparator.compare(candidate, gold, kind, budget);
        }

        @Override
        public AnswerKind inferKind(String gold) {
          return AnswerComparator.inferKind(gold);
        }
      };
}
