/**
 * Exact rationals, the LaTeX-subset expression parser, and the comparison of answers by kind
 * ({@link aha.verifier.math.AnswerComparator}): exactly where both sides are rational, numerically
 * for irrational constants and at random points for expressions; a countdown answer by the numbers
 * it uses and the target it reaches.
 */
package aha.verifier.math;
