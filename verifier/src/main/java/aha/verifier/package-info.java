/**
 * Deterministic answer checking: {@link aha.verifier.Verifier} checks the format ({@link
 * aha.verifier.FormatReward}), extracts the final answer ({@link aha.verifier.AnswerExtractor}),
 * compares it with the gold (in {@code aha.verifier.math}) and returns a {@link
 * aha.verifier.Verdict} with its reward. Also the answer checks of problem-set lint ({@link
 * aha.verifier.VerifierAnswerChecker}) and the throughput benchmark of {@code aha bench verify}.
 */
package aha.verifier;
