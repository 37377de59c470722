package aha.runs.config;

import aha.grpo.corpus.ToolTraces;
import aha.grpo.rl.GrpoConfig;
import aha.grpo.rl.LossType;
import aha.grpo.rl.PolicyLossConfig;
import aha.grpo.train.BaseConfig;
import aha.problems.gen.CurriculumSpec;
import aha.sampler.settings.Fields;
import aha.sampler.settings.InvalidFieldException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one {@code aha train} run does, from problems to the last GRPO step: the resolved
 * config a run directory stores as {@code config.yaml}. Config files name each component in
 * snake_case ({@code base.pretrain.seq_len}, {@code grpo.rollout.group_size}); {@link ConfigLoader} reads
 * and writes them. See docs/config.md.
 *
 * @param curriculum the problems' curriculum: "default" (the built-in mix) or a curriculum YAML
 *     file
 * @param base the base model: corpus, tokenizer, pretraining, SFT and its closing evaluation
 * @param grpo the reinforcement learning stage
 * @param run where the run is kept and how it is watched
 */
public record RunConfig(String curriculum, BaseConfig base, GrpoConfig grpo, RunSettings run) {

  /** The curriculum value that means the built-in {@link CurriculumSpec#defaultSpec()}. */
  public static final String DEFAULT_CURRICULUM = "default";

  /** The names {@link #preset} accepts. */
  public static final List<String> PRESETS = List.of("default", "tools", "no-tools", "smoke");

  /**
   * The share of SFT conversations that call the calculator in the {@code tools} preset: half, so
   * the base both calls and works sums in its head, and GRPO has a choice to learn (docs/tools.md).
   */
  public static final double TOOLS_SHARE = 0.5;

  public RunConfig {
    if (curriculum == null || curriculum.isBlank()) {
      throw new InvalidFieldException(
          "curriculum", "expected 'default' or a curriculum YAML file, got '" + curriculum + "'");
    }
    Fields.present("base", base);
    Fields.present("grpo", grpo);
    Fields.present("run", run);
    // the prompt needs positions too, so a completion cannot take all of them
    if (grpo.rollout().maxNewTokens() >= base.model().maxPositions()) {
      throw new InvalidFieldException(
          "grpo.rollout.max_new_tokens",
          "must be less than base.model.max_positions (" + base.model().maxPositions() + "), got "
              + grpo.rollout().maxNewTokens());
    }
  }

  /**
   * A named starting point: {@code default} (the nano base model whose self-checks call the
   * calculator, then {@link GrpoConfig#defaults()}), {@code tools} (the calculator called for
   * the steps themselves, in half the conversations), {@code no-tools} (no calculator: every step
   * and check worked in the head) or {@code smoke} (the whole pipeline in seconds, for tests).
   * docs/tools.md measures the three designs against each other.
   *
   * @throws IllegalArgumentException naming the presets when {@code name} is none of them
   */
  public static RunConfig preset(String name) {
    return switch (name) {
      case "default" -> defaults();
      case "tools" -> tools();
      case "no-tools" -> noTools();
      case "smoke" -> smoke();
      default -> throw new IllegalArgumentException(
          "unknown preset '" + name + "'; expected one of " + String.join(", ", PRESETS));
    };
  }

  /**
   * The learning rate of the default experiment: half {@link GrpoConfig#defaults()}'s. With the
   * calculator's checks the lift is there within about 25 steps at either rate, and the smaller
   * one keeps pass@8 from falling (seed 3: -1.2 points at 2e-4, +5.1 at 1e-4; docs/grpo.md).
   */
  public static final double DEFAULT_LR = 1e-4;

  /**
   * The default experiment: the nano base model (seed 1) whose SFT conversations all check their
   * steps with the calculator (tool_style checks, tool_share 1: each step worked in the head, each
   * check a call, slips caught by the calculator's answer), then the default GRPO recipe at
   * {@link #DEFAULT_LR}. The design that held every W2-A goal at seeds 1-4 (docs/grpo.md,
   * "Efficacy, measured").
   */
  public static RunConfig defaults() {
    BaseConfig nano = BaseConfig.preset("nano").withSeed(1);
    BaseConfig base = nano.withCorpus(nano.corpus().withToolShare(1).withToolStyle(ToolTraces.Style.CHECKS));
    GrpoConfig recipe = GrpoConfig.defaults();
    GrpoConfig.Schedule schedule = recipe.schedule();
    GrpoConfig grpo =
        recipe.withSchedule(new GrpoConfig.Schedule(DEFAULT_LR, schedule.warmupSteps(), schedule.minLrRatio()));
    return new RunConfig(DEFAULT_CURRICULUM, base, grpo, RunSettings.defaults());
  }

  /**
   * The calculator called for the steps themselves: {@link #TOOLS_SHARE} of the base's SFT
   * conversations write their integer steps as calls (tool_style calls), the rest work them in
   * the head; then {@link GrpoConfig#defaults()}, as docs/tools.md measured it. GRPO learns to call
   * and drops reflection. Its runs are named {@code tools}.
   */
  public static RunConfig tools() {
    BaseConfig nano = BaseConfig.preset("nano").withSeed(1);
    BaseConfig base = nano.withCorpus(nano.corpus().withToolShare(TOOLS_SHARE).withToolStyle(ToolTraces.Style.CALLS));
    return new RunConfig(DEFAULT_CURRICULUM, base, GrpoConfig.defaults(), RunSettings.defaults().withName("tools"));
  }

  /**
   * No calculator, the lab's default job before it (docs/grpo.md's "100 steps" rows): the nano base
   * model, every step and every check worked in the head, then {@link GrpoConfig#defaults()}. Its
   * runs are named {@code no-tools}.
   */
  public static RunConfig noTools() {
    return new RunConfig(
        DEFAULT_CURRICULUM, BaseConfig.preset("nano").withSeed(1), GrpoConfig.defaults(), RunSettings.defaults().withName("no-tools"));
  }

  /**
   * The whole pipeline as fast as it goes, to test the plumbing rather than to learn: the tiny
   * base model (pretraining 30 and SFT 20 steps, 8 held-out problems), then 4 GRPO steps of 2
   * problems × 4 completions of at most 48 tokens without dynamic sampling (so no step resamples),
   * an evaluation of 4 problems before, halfway and after, checkpoints every 2 steps, on the CPU
   * and without the dashboard (tests need no port).
   */
  public static RunConfig smoke() {
    GrpoConfig d = GrpoConfig.defaults();
    GrpoConfig grpo =
        d.withSteps(4)
            .withRollout(new GrpoConfig.Rollout(2, 4, 48, 1.0, 0, 1.0, false, 1, 0, 256))
            .withLoss(new PolicyLossConfig(LossType.GRPO, 0.2, 0.28, 0.0))
            .withSchedule(new GrpoConfig.Schedule(5e-4, 1, 0.1))
            .withOptimizer(new GrpoConfig.Optimizer(0.9, 0.99, 0.0, 1.0, 1, 8))
            .withEval(new GrpoConfig.Eval(2, 4, 2, 48))
            .withLogSamples(2);
    RunSettings run = new RunSettings("smoke", "out/runs", 2, 2, false, "127.0.0.1", 8088, "cpu", RunSettings.NO_CLUSTER);
    return new RunConfig(DEFAULT_CURRICULUM, BaseConfig.preset("tiny").withSeed(1), grpo, run);
  }

  /**
   * The curriculum this config names, read from its file when it is not the built-in one.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file and field when its content is invalid
   */
  public CurriculumSpec curriculumSpec() throws IOException {
    return curriculum.equals(DEFAULT_CURRICULUM)
        ? CurriculumSpec.defaultSpec()
        : CurriculumSpec.load(Path.of(curriculum));
  }
}
