package aha.grpo.rl;

import aha.grpo.reflection.ReflectionMarkers;
import aha.grpo.train.AdamW;
import aha.grpo.train.LrSchedule;
import aha.verifier.VerifierConfig;
import java.util.List;

/**
 * Settings of a GRPO run. Config files and {@code --set} use the snake_case of each name
 * ({@code problems_per_step}, {@code loss_type}, …).
 *
 * @param steps GRPO steps (each: sample, score, learn, publish)
 * @param problemsPerStep P, the groups each step learns from
 * @param groupSize G, the completions sampled per problem
 * @param maxNewTokens the longest completion, stop token included
 * @param temperature sampling temperature of the rollouts (must be positive: the loss needs the
 *     sampling distribution)
 * @param topK keep only the k most likely tokens when sampling (0: all)
 * @param topP nucleus threshold when sampling (1: all)
 * @param lossType how token losses are averaged: grpo, bnpo, dr_grpo or dapo
 * @param epsilonLow the importance ratio is clipped below at 1 − ε_low
 * @param epsilonHigh and above at 1 + ε_high (DAPO's clip-higher when larger than ε_low)
 * @param beta weight of the k3 KL penalty to the frozen starting model (0: no reference model)
 * @param numIterations μ, the optimizer passes over each sampled batch
 * @param scaleRewards what centred rewards are divided by: group, batch or none
 * @param lr peak learning rate
 * @param warmupSteps optimizer steps of linear warmup
 * @param minLrRatio the last step's learning rate as a fraction of the peak (cosine decay; 1:
 *     constant)
 * @param weightDecay decoupled AdamW decay of the matrices
 * @param beta1 AdamW first-moment decay
 * @param beta2 AdamW second-moment decay
 * @param clipNorm the largest global gradient norm (0: no clipping)
 * @param microBatch completions per forward/backward pass; gradients accumulate over a step
 * @param dynamicSampling drop groups whose rewards are all equal (they teach nothing) and sample
 *     more problems to fill the step (DAPO)
 * @param maxSamplingRounds the most sampling requests one step makes when dynamic sampling is on
 * @param problemsPerRound problems each sampling request asks for (verl's {@code gen_batch_size};
 *     0: {@code problemsPerStep}). More than {@code problemsPerStep} lets one request find enough
 *     informative groups, and one large batch decodes faster than two small ones
 * @param maskTruncated leave completions cut at {@code maxNewTokens} out of the loss
 * @param overlongBuffer DAPO's soft overlong penalty: completions longer than {@code maxNewTokens
 *     − overlongBuffer} lose reward linearly, up to {@code overlongPenalty} at the limit (0: off)
 * @param overlongPenalty the largest overlong penalty
 * @param accuracyWeight reward for a correct final answer
 * @param formatWeight reward for the {@code <think>…</think><answer>…</answer>} format
 * @param evalEvery steps between held-out evaluations (0: only before the first and after the
 *     last step)
 * @param evalProblems held-out problems per evaluation, the first ones of the held-out set (0: no
 *     evaluation)
 * @param evalSamples sampled completions per held-out problem, besides the greedy one, in the
 *     evaluations before the first and after the last step (those in between are greedy only)
 * @param evalMaxNewTokens the most tokens per evaluated completion ({@code aha eval}'s {@code
 *     --max-new-tokens}), apart from the training limit so that runs compare
 * @param logSamples groups per step written to the sample log
 * @param markers the reflection markers that aha tracking counts
 * @param seed seeds the problem order and the sampling
 */
public record GrpoConfig(
    int steps,
    int problemsPerStep,
    int groupSize,
    int maxNewTokens,
    double temperature,
    int topK,
    double topP,
    LossType lossType,
    double epsilonLow,
    double epsilonHigh,
    double beta,
    int numIterations,
    ScaleRewards scaleRewards,
    double lr,
    int warmupSteps,
    double minLrRatio,
    double weightDecay,
    double beta1,
    double beta2,
    double clipNorm,
    int microBatch,
    boolean dynamicSampling,
    int maxSamplingRounds,
    int problemsPerRound,
    boolean maskTruncated,
    int overlongBuffer,
    double overlongPenalty,
    double accuracyWeight,
    double formatWeight,
    int evalEvery,
    int evalProblems,
    int evalSamples,
    int evalMaxNewTokens,
    int logSamples,
    List<String> markers,
    long seed) {

  public GrpoConfig {
    atLeast("steps", steps, 1);
    atLeast("problems_per_step", problemsPerStep, 1);
    atLeast("group_size", groupSize, 2);
    atLeast("max_new_tokens", maxNewTokens, 1);
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature: must be positive (GRPO learns from sampled completions), got " + temperature);
    }
    atLeast("top_k", topK, 0);
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top_p: must be in (0, 1], got " + topP);
    }
    if (lossType == null) {
      throw new IllegalArgumentException("loss_type: missing");
    }
    if (scaleRewards == null) {
      throw new IllegalArgumentException("scale_rewards: missing");
    }
    atLeast("num_iterations", numIterations, 1);
    atLeast("micro_batch", microBatch, 1);
    atLeast("max_sampling_rounds", maxSamplingRounds, 1);
    atLeast("problems_per_round", problemsPerRound, 0);
    if (overlongBuffer < 0 || overlongBuffer >= maxNewTokens) {
      throw new IllegalArgumentException(
          "overlong_buffer: must be in [0, max_new_tokens), got " + overlongBuffer);
    }
    if (!(overlongPenalty >= 0)) {
      throw new IllegalArgumentException("overlong_penalty: must be >= 0, got " + overlongPenalty);
    }
    atLeast("eval_every", evalEvery, 0);
    atLeast("eval_problems", evalProblems, 0);
    atLeast("eval_samples", evalSamples, 0);
    atLeast("eval_max_new_tokens", evalMaxNewTokens, 1);
    atLeast("log_samples", logSamples, 0);
    markers = List.copyOf(markers == null ? ReflectionMarkers.DEFAULT_MARKERS : markers);
    // the component records validate the rest and name what is wrong (a compact constructor
    // sees its parameters, not yet its fields, so they are passed as they are)
    new PolicyLossConfig(lossType, epsilonLow, epsilonHigh, beta, maxNewTokens);
    new LrSchedule(lr, Math.min(warmupSteps, steps * numIterations), steps * numIterations, minLrRatio);
    new AdamW.Settings(beta1, beta2, 1e-8, weightDecay, clipNorm);
    new ReflectionMarkers(markers);
  }

  /**
   * The default experiment, sized so that a whole {@code ./aha train} on two idle CPU cores with the
   * nano base stays within 15 minutes, evaluations included: 100 steps of 16 problems × 8
   * samples, completions up to 256 tokens at temperature 0.8, DAPO's token-level loss with its
   * clip-higher (0.2 / 0.28), no KL, one pass per batch, dynamic sampling from one request of 32
   * problems a step (the groups whose rewards all agree are dropped, at most 16 kept), truncated
   * completions masked, AdamW at 2e-4 with 5 warmup steps and cosine decay to a tenth; held-out
   * evaluation by the lab's protocol of all 256 held-out problems before the first step and after
   * the last (greedy and 8 samples, at most 256 tokens), greedy only every 25 steps between.
   * Measured on the nano base (docs/grpo.md): 1e-3 and 2e-3 made accuracy fall within 10 steps and
   * 5e-4 collapsed reflection; the DAPO loss gave the largest lift of the losses, temperatures,
   * schedules and passes tried; the lift grows with the steps, so the budget goes to them.
   */
  public static GrpoConfig defaults() {
    return new GrpoConfig(
        100, 16, 8, 256, 0.8, 0, 1.0, LossType.DAPO, 0.2, 0.28, 0.0, 1, ScaleRewards.GROUP,
        2e-4, 5, 0.1, 0.0, 0.9, 0.99, 1.0, 64, true, 1, 32, true, 0, 1.0, 1.0, 0.1, 25, 256, 8, 256, 4,
        ReflectionMarkers.DEFAULT_MARKERS, 1);
  }

  /** Problems each sampling request asks for: {@code problemsPerRound}, or {@code problemsPerStep} when it is 0. */
  public int problemsSampledPerRound() {
    return problemsPerRound == 0 ? problemsPerStep : problemsPerRound;
  }

  /** The loss settings. */
  public PolicyLossConfig policyLoss() {
    return new PolicyLossConfig(lossType, epsilonLow, epsilonHigh, beta, maxNewTokens);
  }

  /**
   * The learning-rate schedule over all optimizer steps ({@code steps × numIterations}).
   *
   * @throws IllegalArgumentException naming the bad setting
   */
  public LrSchedule schedule() {
    int optimizerSteps = steps * numIterations;
    return new LrSchedule(lr, Math.min(warmupSteps, optimizerSteps), optimizerSteps, minLrRatio);
  }

  /** The optimizer settings. */
  public AdamW.Settings optimizer() {
    return new AdamW.Settings(beta1, beta2, 1e-8, weightDecay, clipNorm);
  }

  /** The verifier with this run's reward weights. */
  public VerifierConfig verifier() {
    return VerifierConfig.defaults().withWeights(accuracyWeight, formatWeight);
  }

  /**
   * DAPO's soft overlong penalty for a completion of {@code length} tokens: 0 up to {@code
   * maxNewTokens − overlongBuffer}, then falling linearly to {@code −overlongPenalty} at {@code
   * maxNewTokens}.
   */
  public double overlongPenaltyFor(int length) {
    if (overlongBuffer == 0) {
      return 0;
    }
    int safe = maxNewTokens - overlongBuffer;
    if (length <= safe) {
      return 0;
    }
    return -overlongPenalty * Math.min(1.0, (double) (length - safe) / overlongBuffer);
  }

  private static void atLeast(String key, long value, long least) {
    if (value < least) {
      throw new IllegalArgumentException(key + ": must be >= " + least + ", got " + value);
    }
  }
}
