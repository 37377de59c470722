/**
 * Contains seeded procedural problem generators ({@link aha.problems.gen.ProblemFamily}), their
 * registry ({@link aha.problems.gen.Families}), the set generator ({@link
 * aha.problems.gen.ProblemGenerator}), YAML curricula that mix them ({@link
 * aha.problems.gen.CurriculumSpec}), and the written-out arithmetic ({@link
 * aha.problems.gen.WrittenArithmetic}) that their solutions and the training corpus share.
 */
package aha.problems.gen;
