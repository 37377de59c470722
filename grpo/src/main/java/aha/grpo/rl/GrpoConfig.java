package aha.grpo.rl;

import aha.grpo.reflection.ReflectionMarkers;
import aha.grpo.train.AdamW;
import aha.grpo.train.LrSchedule;
import aha.sampler.settings.Fields;
import aha.sampler.settings.InvalidFieldException;
import aha.verifier.VerifierConfig;
import java.util.List;

/**
 * Settings of a GRPO run, one record per component. Config files and {@code --set} use the
 * snake_case of each name, nested the same way ({@code grpo.rollout.group_size}, {@code
 * grpo.loss.type}, …); see docs/config.md. Change one setting with the component's {@code with…}
 * call: {@code config.withRollout(config.rollout().withGroupSize(4))}.
 *
 * @param steps GRPO steps (each: sample, score, learn, publish)
 * @param rollout what each step samples
 * @param loss the clipped policy loss
 * @param reward what a completion earns, how rewards become advantages, and which completions count
 * @param schedule the learning rate over the optimizer steps
 * @param optimizer AdamW and how each sampled batch is learnt from
 * @param eval the held-out evaluations during the run
 * @param logSamples groups per step written to the sample log
 * @param markers the reflection markers that aha tracking counts
 * @param seed seeds the problem order and the sampling
 */
public record GrpoConfig(
    int steps,
    Rollout rollout,
    PolicyLossConfig loss,
    Reward reward,
    Schedule schedule,
    Optimizer optimizer,
    Eval eval,
    int logSamples,
    List<String> markers,
    long seed) {

  /**
   * What each step samples: the {@code grpo.rollout} section.
   *
   * @param problemsPerStep P, the groups each step learns from
   * @param groupSize G, the completions sampled per problem
   * @param maxNewTokens the longest completion, stop token included
   * @param temperature sampling temperature (must be positive: the loss needs the sampling
   *     distribution)
   * @param topK keep only the k most likely tokens when sampling (0: all)
   * @param topP nucleus threshold when sampling (1: all)
   * @param dynamicSampling drop groups whose rewards are all equal (they teach nothing) and sample
   *     more problems to fill the step (DAPO)
   * @param maxSamplingRounds the most sampling requests one step makes when dynamic sampling is on
   * @param problemsPerRound problems each sampling request asks for (verl's {@code gen_batch_size};
   *     0: {@code problemsPerStep}). More than {@code problemsPerStep} lets one request find enough
   *     informative groups, and one large batch decodes faster than two small ones
   * @param batchRows the most rows decoded together: a request is cut into items of whole groups of
   *     at most this many rows, each decoded as one batch with a seed that follows from where it
   *     starts; in a cluster ({@code run.cluster}) an item is the unit a node takes, so a run gives the
   *     same completions on one node or several
   */
  public record Rollout(
      int problemsPerStep,
      int groupSize,
      int maxNewTokens,
      double temperature,
      int topK,
      double topP,
      boolean dynamicSampling,
      int maxSamplingRounds,
      int problemsPerRound,
      int batchRows) {

    public Rollout {
      Fields.atLeast("problems_per_step", problemsPerStep, 1);
      Fields.atLeast("group_size", groupSize, 2);
      Fields.atLeast("max_new_tokens", maxNewTokens, 1);
      if (!(temperature > 0) || Double.isInfinite(temperature)) {
        throw new InvalidFieldException(
            "temperature", "must be positive (GRPO learns from sampled completions), got " + temperature);
      }
      Fields.atLeast("top_k", topK, 0);
      if (!(topP > 0 && topP <= 1)) {
        throw new InvalidFieldException("top_p", "must be in (0, 1], got " + topP);
      }
      Fields.atLeast("max_sampling_rounds", maxSamplingRounds, 1);
      Fields.atLeast("problems_per_round", problemsPerRound, 0);
      Fields.atLeast("batch_rows", batchRows, 1);
    }

    /** Problems each sampling request asks for: {@code problemsPerRound}, or P when it is 0. */
    public int problemsSampledPerRound() {
      return problemsPerRound == 0 ? problemsPerStep : problemsPerRound;
    }

    /** The most sampling requests one step makes. */
    public int samplingRounds() {
      return dynamicSampling ? maxSamplingRounds : 1;
    }

    public Rollout withProblems(int perStep, int perRound) {
      return new Rollout(perStep, groupSize, maxNewTokens, temperature, topK, topP, dynamicSampling,
          maxSamplingRounds, perRound, batchRows);
    }

    public Rollout withGroupSize(int g) {
      return new Rollout(problemsPerStep, g, maxNewTokens, temperature, topK, topP, dynamicSampling,
          maxSamplingRounds, problemsPerRound, batchRows);
    }

    public Rollout withMaxNewTokens(int tokens) {
      return new Rollout(problemsPerStep, groupSize, tokens, temperature, topK, topP, dynamicSampling,
          maxSamplingRounds, problemsPerRound, batchRows);
    }

    public Rollout withTemperature(double t) {
      return new Rollout(problemsPerStep, groupSize, maxNewTokens, t, topK, topP, dynamicSampling,
          maxSamplingRounds, problemsPerRound, batchRows);
    }

    /** Rows decoded together, and in a cluster the unit of work a node takes ({@code batch_rows}). */
    public Rollout withBatchRows(int rows) {
      return new Rollout(problemsPerStep, groupSize, maxNewTokens, temperature, topK, topP, dynamicSampling,
          maxSamplingRounds, problemsPerRound, rows);
    }

    /** Dynamic sampling on, with at most {@code rounds} requests a step, or off (rounds ignored). */
    public Rollout withDynamicSampling(boolean on, int rounds) {
      return new Rollout(problemsPerStep, groupSize, maxNewTokens, temperature, topK, topP, on, rounds,
          problemsPerRound, batchRows);
    }
  }

  /**
   * What a completion earns, how rewards become advantages, and which completions the loss counts:
   * the {@code grpo.reward} section.
   *
   * @param accuracyWeight reward for a correct final answer
   * @param formatWeight reward for the {@code <think>…</think><answer>…</answer>} format
   * @param scaleRewards what centred rewards are divided by: group, batch or none
   * @param maskTruncated leave completions cut at {@code max_new_tokens} out of the loss (DAPO's
   *     overlong filtering)
   * @param overlongBuffer DAPO's soft overlong penalty: completions longer than {@code
   *     max_new_tokens − overlongBuffer} lose reward linearly, up to {@code overlongPenalty} at the
   *     limit (0: off)
   * @param overlongPenalty the largest overlong penalty
   */
  public record Reward(
      double accuracyWeight,
      double formatWeight,
      ScaleRewards scaleRewards,
      boolean maskTruncated,
      int overlongBuffer,
      double overlongPenalty) {

    public Reward {
      Fields.present("scale_rewards", scaleRewards);
      Fields.atLeast("overlong_buffer", overlongBuffer, 0);
      Fields.nonNegative("overlong_penalty", overlongPenalty);
    }

    /** The verifier with these reward weights. */
    public VerifierConfig verifier() {
      return VerifierConfig.defaults().withWeights(accuracyWeight, formatWeight);
    }

    public Reward withOverlong(int buffer, double penalty) {
      return new Reward(accuracyWeight, formatWeight, scaleRewards, maskTruncated, buffer, penalty);
    }

    public Reward withMaskTruncated(boolean mask) {
      return new Reward(accuracyWeight, formatWeight, scaleRewards, mask, overlongBuffer, overlongPenalty);
    }

    public Reward withScaleRewards(ScaleRewards scale) {
      return new Reward(accuracyWeight, formatWeight, scale, maskTruncated, overlongBuffer, overlongPenalty);
    }
  }

  /**
   * The learning rate over all optimizer steps ({@code steps × num_iterations}): the {@code
   * grpo.schedule} section.
   *
   * @param lr peak learning rate
   * @param warmupSteps optimizer steps of linear warmup (at most all of them)
   * @param minLrRatio the last step's learning rate as a fraction of the peak (cosine decay; 1:
   *     constant)
   */
  public record Schedule(double lr, int warmupSteps, double minLrRatio) {

    public Schedule {
      Fields.atLeast("warmup_steps", warmupSteps, 0);
      // the schedule itself checks lr and min_lr_ratio, naming them; warmup is capped by over()
      new LrSchedule(lr, 0, 1, minLrRatio);
    }

    /** The schedule over {@code optimizerSteps} steps. */
    public LrSchedule over(int optimizerSteps) {
      return new LrSchedule(lr, Math.min(warmupSteps, optimizerSteps), optimizerSteps, minLrRatio);
    }
  }

  /**
   * AdamW and how each sampled batch is learnt from: the {@code grpo.optimizer} section.
   *
   * @param beta1 AdamW first-moment decay
   * @param beta2 AdamW second-moment decay
   * @param weightDecay decoupled AdamW decay of the matrices
   * @param clipNorm the largest global gradient norm (0: no clipping)
   * @param numIterations μ, the optimizer passes over each sampled batch
   * @param microBatch completions per forward/backward pass; gradients accumulate over a step
   */
  public record Optimizer(
      double beta1, double beta2, double weightDecay, double clipNorm, int numIterations, int microBatch) {

    public Optimizer {
      // AdamW's settings check beta1, beta2, weight_decay and clip_norm, naming them (built from
      // the parameters: a compact constructor does not see its fields yet)
      new AdamW.Settings(beta1, beta2, AdamW.Settings.EPS, weightDecay, clipNorm);
      Fields.atLeast("num_iterations", numIterations, 1);
      Fields.atLeast("micro_batch", microBatch, 1);
    }

    /** AdamW's settings. */
    public AdamW.Settings adamW() {
      return new AdamW.Settings(beta1, beta2, AdamW.Settings.EPS, weightDecay, clipNorm);
    }
  }

  /**
   * The held-out evaluations during the run: the {@code grpo.eval} section.
   *
   * @param every steps between evaluations (0: only before the first and after the last step)
   * @param problems held-out problems per evaluation, the first ones of the held-out set (0: no
   *     evaluation)
   * @param samples sampled completions per held-out problem, besides the greedy one, in the
   *     evaluations before the first and after the last step (those in between are greedy only)
   * @param maxNewTokens the most tokens per evaluated completion ({@code aha eval}'s {@code
   *     --max-new-tokens}), apart from the training limit so that runs compare
   */
  public record Eval(int every, int problems, int samples, int maxNewTokens) {

    public Eval {
      Fields.atLeast("every", every, 0);
      Fields.atLeast("problems", problems, 0);
      Fields.atLeast("samples", samples, 0);
      Fields.atLeast("max_new_tokens", maxNewTokens, 1);
    }
  }

  public GrpoConfig {
    Fields.atLeast("steps", steps, 1);
    nested("rollout", rollout);
    nested("loss", loss);
    nested("reward", reward);
    nested("schedule", schedule);
    nested("optimizer", optimizer);
    nested("eval", eval);
    if (reward.overlongBuffer() >= rollout.maxNewTokens()) {
      throw new InvalidFieldException(
          "reward.overlong_buffer",
          "must be less than rollout.max_new_tokens (" + rollout.maxNewTokens() + "), got "
              + reward.overlongBuffer());
    }
    Fields.atLeast("log_samples", logSamples, 0);
    markers = List.copyOf(markers == null ? ReflectionMarkers.DEFAULT_MARKERS : markers);
    try {
      new ReflectionMarkers(markers);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("markers", e.getMessage());
    }
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
        100,
        new Rollout(16, 8, 256, 0.8, 0, 1.0, true, 1, 32, ProblemSampler.MAX_TRAINING_BATCH_ROWS),
        new PolicyLossConfig(LossType.DAPO, 0.2, 0.28, 0.0),
        new Reward(1.0, 0.1, ScaleRewards.GROUP, true, 0, 1.0),
        new Schedule(2e-4, 5, 0.1),
        new Optimizer(0.9, 0.99, 0.0, 1.0, 1, 64),
        new Eval(25, 256, 8, 256),
        4,
        ReflectionMarkers.DEFAULT_MARKERS,
        1);
  }

  public GrpoConfig withSteps(int newSteps) {
    return new GrpoConfig(newSteps, rollout, loss, reward, schedule, optimizer, eval, logSamples, markers, seed);
  }

  public GrpoConfig withRollout(Rollout newRollout) {
    return new GrpoConfig(steps, newRollout, loss, reward, schedule, optimizer, eval, logSamples, markers, seed);
  }

  public GrpoConfig withLoss(PolicyLossConfig newLoss) {
    return new GrpoConfig(steps, rollout, newLoss, reward, schedule, optimizer, eval, logSamples, markers, seed);
  }

  public GrpoConfig withReward(Reward newReward) {
    return new GrpoConfig(steps, rollout, loss, newReward, schedule, optimizer, eval, logSamples, markers, seed);
  }

  public GrpoConfig withSchedule(Schedule newSchedule) {
    return new GrpoConfig(steps, rollout, loss, reward, newSchedule, optimizer, eval, logSamples, markers, seed);
  }

  public GrpoConfig withOptimizer(Optimizer newOptimizer) {
    return new GrpoConfig(steps, rollout, loss, reward, schedule, newOptimizer, eval, logSamples, markers, seed);
  }

  public GrpoConfig withEval(Eval newEval) {
    return new GrpoConfig(steps, rollout, loss, reward, schedule, optimizer, newEval, logSamples, markers, seed);
  }

  public GrpoConfig withLogSamples(int groups) {
    return new GrpoConfig(steps, rollout, loss, reward, schedule, optimizer, eval, groups, markers, seed);
  }

  public GrpoConfig withSeed(long newSeed) {
    return new GrpoConfig(steps, rollout, loss, reward, schedule, optimizer, eval, logSamples, markers, newSeed);
  }

  /** The learning-rate schedule over all optimizer steps ({@code steps × num_iterations}). */
  public LrSchedule lrSchedule() {
    return schedule.over(steps * optimizer.numIterations());
  }

  /**
   * DAPO's soft overlong penalty for a completion of {@code length} tokens: 0 up to {@code
   * max_new_tokens − overlong_buffer}, then falling linearly to {@code −overlong_penalty} at {@code
   * max_new_tokens}.
   */
  public double overlongPenaltyFor(int length) {
    if (reward.overlongBuffer() == 0) {
      return 0;
    }
    int safe = rollout.maxNewTokens() - reward.overlongBuffer();
    if (length <= safe) {
      return 0;
    }
    return -reward.overlongPenalty() * Math.min(1.0, (double) (length - safe) / reward.overlongBuffer());
  }

  private static void nested(String field, Object component) {
    Fields.present(field, component);
  }
}
