/**
 * Exact rationals, the LaTeX-subset expression parser, and the comparison of answers by kind
 * ({@link aha.verifier.math.AnswerComparator}): exactly where both sides are rational, numerically
 * for irrational constants and at random points for expressions; a countdown answer by the numbers
 * it uses and the target it reaches. The same parser and exact evaluator serve the policy's
 * calculator ({@link aha.verifier.math.Calculator}).
 */
package aha.verifier.math;
