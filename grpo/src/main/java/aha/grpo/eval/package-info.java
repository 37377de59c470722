/** Evaluation of a policy on held-out problems: pass@1, pass@k, maj@k, truncation and length. */
package aha.grpo.eval;
