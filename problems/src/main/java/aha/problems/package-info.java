/**
 * Problems and problem sets: the JSONL schema ({@link aha.problems.Problem}, read and written by
 * {@link aha.problems.ProblemSets}), lint, stats, a deterministic train/test split, import from
 * other datasets' formats, and pass rates calibrated against a model. The seeded generators and
 * the curricula that mix them are in {@code aha.problems.gen}.
 */
package aha.problems;
