package aha.runs.config;

import aha.grpo.reflection.ReflectionMarkers;
import aha.grpo.rl.GrpoConfig;
import aha.grpo.rl.LossType;
import aha.grpo.rl.ScaleRewards;
import aha.grpo.train.BaseConfig;
import aha.problems.gen.CurriculumSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one {@code aha train} run does, from problems to the last GRPO step: the resolved
 * config a run directory stores as {@code config.yaml}. Config files name each component in
 * snake_case ({@code base.pretrain.seq_len}, {@code grpo.group_size}); {@link ConfigLoader} reads
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
  public static final List<String> PRESETS = List.of("default", "smoke");

  public RunConfig {
    if (curriculum == null || curriculum.isBlank()) {
      throw new IllegalArgumentException(
          "curriculum: expected 'default' or a curriculum YAML file, got '" + curriculum + "'");
    }
    if (base == null) {
      throw new IllegalArgumentException("base: missing");
    }
    if (grpo == null) {
      throw new IllegalArgumentException("grpo: missing");
    }
    if (run == null) {
      throw new IllegalArgumentException("run: missing");
    }
    // the prompt needs positions too, so a completion cannot take all of them
    if (grpo.maxNewTokens() >= base.model().maxPositions()) {
      throw new IllegalArgumentException(
          "grpo.max_new_tokens: must be less than base.model.max_positions ("
              + base.model().maxPositions() + "), got " + grpo.maxNewTokens());
    }
  }

  /**
   * A named starting point: {@code default} (the nano base model and {@link
   * GrpoConfig#defaults()}) or {@code smoke} (the whole pipeline in seconds, for tests).
   *
   * @throws IllegalArgumentException naming the presets when {@code name} is none of them
   */
  public static RunConfig preset(String name) {
    return switch (name) {
      case "default" -> defaults();
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
   * The whole pipeline as fast as it goes, to test the plumbing rather than to learn: the tiny
   * base model (pretraining 30 and SFT 20 steps, 8 held-out problems), then 4 GRPO steps of 2
   * problems × 4 completions of at most 48 tokens without dynamic sampling (so no step resamples),
   * an evaluation of 4 problems before, halfway and after, checkpoints every 2 steps, on the CPU
   * and without the dashboard (tests need no port).
   */
  public static RunConfig smoke() {
    GrpoConfig grpo =
        new GrpoConfig(
            4, // steps
            2, // problems_per_step
            4, // group_size
            48, // max_new_tokens
            1.0, // temperature
            0, // top_k
            1.0, // top_p
            LossType.GRPO,
            0.2, // epsilon_low
            0.28, // epsilon_high
            0.0, // beta
            1, // num_iterations
            ScaleRewards.GROUP,
            5e-4, // lr
            1, // warmup_steps
            0.1, // min_lr_ratio
            0.0, // weight_decay
            0.9, // beta1
            0.99, // beta2
            1.0, // clip_norm
            8, // micro_batch
            false, // dynamic_sampling
            1, // max_sampling_rounds
            0, // problems_per_round
            true, // mask_truncated
            0, // overlong_buffer
            1.0, // overlong_penalty
            1.0, // accuracy_weight
            0.1, // format_weight
            2, // eval_every
            4, // eval_problems
            2, // eval_samples
            48, // eval_max_new_tokens
            2, // log_samples
            ReflectionMarkers.DEFAULT_MARKERS,
            1); // seed
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
