/** Exact rationals, the LaTeX-subset expression parser, and equivalence of answers by kind. */
package aha.verifier.math;
