/**
 * GRPO: {@link aha.grpo.rl.GrpoTrainer} (one step = sample, score, advantages, learn, publish;
 * {@code step()} is the whole algorithm), its settings ({@link aha.grpo.rl.GrpoConfig}, one record
 * per component), the group-relative advantages and the clipped policy loss in its four forms,
 * and where rollouts come from: a {@link aha.grpo.rl.RolloutSource}, in a run the sampling service
 * behind {@link aha.grpo.rl.ProblemSampler}, which asks problems in the lab's prompt and scores
 * completions with the verifier ({@link aha.grpo.rl.VerifierScorer}); in tests a fake.
 */
package aha.grpo.rl;
