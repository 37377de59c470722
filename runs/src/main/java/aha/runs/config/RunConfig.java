package aha.runs.config;

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
  public static final List<String> PRESETS = List.of("default", "tools", "smoke");

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
   * A named starting point: {@code default} (the nano base model and {@link
   * GrpoConfig#defaults()}), {@code tools} (the same with the calculator) or {@code smoke} (the
   * whole pipeline in seconds, for tests).
   *
   * @throws IllegalArgumentException naming the presets when {@code name} is none of them
   */
  public static RunConfig preset(String name) {
    return switch (name) {
      case "default" -> defaults();
      case "tools" -> tools();
      case "smoke" -> smoke();
      default -> throw new IllegalArgumentException(
          "unknown preset '" + name + "'; expected one of " + String.join(", ", PRESETS));
    };
  }

  /** The default experiment: the nano base model (seed 1), then the default GRPO recipe. */
  public static RunConfig defaults() {
    return new RunConfig(
        DEFAULT_CURRICULUM, BaseConfig.preset("nano").withSeed(1), GrpoConfig.defaults(), RunSettings.defaults());
  }

  /**
   * The default experiment with the calculator: {@link #TOOLS_SHARE} of the base's SFT
   * conversations write their integer steps as calls, so the tokenizer carries the tool tags and
   * every stage samples with the calculator; GRPO is the default recipe. Its runs are named
   * {@code tools}.
   */
  public static RunConfig tools() {
    RunConfig d = defaults();
    BaseConfig base = d.base().withCorpus(d.base().corpus().withToolShare(TOOLS_SHARE));
    return new RunConfig(d.curriculum(), base, d.grpo(), d.run().withName("tools"));
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
            .withRollout(new GrpoConfig.Rollout(2, 4, 48, 1.0, 0, 1.0, false, 1, 0))
            .withLoss(new PolicyLossConfig(LossType.GRPO, 0.2, 0.28, 0.0))
            .withSchedule(new GrpoConfig.Schedule(5e-4, 1, 0.1))
            .withOptimizer(new GrpoConfig.Optimizer(0.9, 0.99, 0.0, 1.0, 1, 8))
            .withEval(new GrpoConfig.Eval(2, 4, 2, 48))
            .withLogSamples(2);
    RunSettings run = new RunSettings("smoke", "out/runs", 2, 2, false, "127.0.0.1", 8088, "cpu");
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
