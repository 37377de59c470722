/**
 * Problems and problem sets: the JSONL schema, seeded generators, curricula, lint, stats, import,
 * and pass rates calibrated against a model.
 */
package aha.problems;
