/**
 * Evaluation of a policy on held-out problems under one protocol ({@link
 * aha.grpo.eval.EvalConfig#protocol}): greedy and sampled pass@1 (also per family), pass@k, maj@k,
 * truncation and length.
 */
package aha.grpo.eval;
