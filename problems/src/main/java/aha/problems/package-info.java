/** Problems and problem sets: the JSONL schema, seeded generators, curricula, lint, stats and import. */
package aha.problems;
