package aha.runs.cli;

import aha.grpo.corpus.ToolTraces;
import aha.grpo.train.BaseConfig;
import aha.grpo.train.BasePipeline;
import aha.problems.gen.CurriculumSpec;
import aha.sampler.model.Devices;
import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha base}: tokenizer, pretraining and SFT of the lab's own base model, in one go. */
@Command(
    name = "base",
    mixinStandardHelpOptions = true,
    header = "Make the base model: corpus, tokenizer, pretraining, SFT, held-out pass@1.",
    description = {
      "Make the lab's base model from scratch: generate problems from a curriculum, write the",
      "corpus (worked solutions as plain text with arithmetic drill sheets, and chat",
      "conversations whose assistant thinks in <think></think> and answers in <answer></answer>,",
      "one terse line per step, 30%% of the steps checked, half of the checks catching a slip; by",
      "default each check calls the calculator, as in 'aha train'), train a byte-level BPE",
      "tokenizer on it, pretrain, then SFT, and finally measure greedy pass@1 on held-out",
      "problems (the curriculum at seed + 1, no training question among them). See",
      "docs/base-model.md and docs/tools.md.",
      "",
      "Writes a checkpoint directory that 'aha sample --model DIR' loads: config.json,",
      "model.safetensors, tokenizer.json, base.json with the recipe and the measured losses",
      "and pass@1, and held-out.jsonl with the held-out problems (for 'aha eval'); the",
      "pretrained model goes to DIR/pretrain. The same options give the same model. The nano",
      "preset takes about 5 minutes on two idle cores (570 s of CPU; docs/base-model.md); on a",
      "machine other jobs share, --threads 1 is much faster than two threads.",
    },
    footer = {
      "",
      "Examples:",
      "  aha base",
      "  aha base --preset tiny -o out/tiny --eval 16",
      "  aha base --preset nano --curriculum my-mix.yaml --pretrain-steps 800 --sft-steps 600 -o out/nano",
    })
final class BaseCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin Common common;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "out/base",
      paramLabel = "DIR",
      description = "Checkpoint directory to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--pretrain-steps", paramLabel = "N", description = "Pretraining steps (default: the preset's).")
  Integer pretrainSteps;

  @Option(names = "--sft-steps", paramLabel = "N", description = "SFT steps (default: the preset's).")
  Integer sftSteps;

  @Override
  public Integer call() throws IOException {
    BaseConfig config = common.config();
    if (pretrainSteps != null) {
      config = config.withPretrain(config.pretrain().withSteps(positive("--pretrain-steps", pretrainSteps)));
    }
    if (sftSteps != null) {
      config = config.withSft(config.sft().withSteps(positive("--sft-steps", sftSteps)));
    }
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    try (StageBars progress = new StageBars(out)) {
      new BasePipeline(config, common.curriculum(), common.device(), progress).run(output);
    }
    out.printf(Locale.ROOT, "base model written to %s in %.0f s%n", output, (System.nanoTime() - start) / 1e9);
    return 0;
  }

  static int positive(String option, int value) {
    if (value < 1) {
      throw new UserInputException(option + " must be positive, got " + value);
    }
    return value;
  }

  /** The options every training command shares: preset, curriculum, seed, device, eval. */
  static final class Common {
    @Option(
        names = "--preset",
        defaultValue = "nano",
        description = "Model and recipe preset: tiny, nano, micro or small (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(
        names = "--curriculum",
        defaultValue = "default",
        paramLabel = "FILE",
        description = "Curriculum YAML of the training problems, or 'default' (default: ${DEFAULT-VALUE}).")
    String curriculum;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description = "Seed of the model's initialization, the phrasing and the batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--tool-share",
        defaultValue = "1",
        paramLabel = "X",
        description =
            "Share of the SFT conversations that use the calculator, 0 to 1; 0: none, and the"
                + " tokenizer has no tool tags (default: ${DEFAULT-VALUE}, as in 'aha train').")
    double toolShare;

    @Option(
        names = "--tool-style",
        defaultValue = "checks",
        paramLabel = "STYLE",
        description =
            "How those conversations use it: checks (steps in the head, each check a call) or"
                + " calls (each integer step a call) (default: ${DEFAULT-VALUE}; docs/tools.md).")
    String toolStyle;

    @Option(
        names = "--eval",
        paramLabel = "N",
        description = "Held-out problems for the closing greedy pass@1; 0 skips it (default: the preset's).")
    Integer eval;

    @Option(
        names = "--device",
        defaultValue = "cpu",
        description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Mixin ThreadsOption threads;

    BaseConfig config() {
      BaseConfig config;
      try {
        config = BaseConfig.preset(preset).withSeed(seed);
      } catch (IllegalArgumentException e) {
        throw new UserInputException("--preset: " + e.getMessage());
      }
      ToolTraces.Style style =
          switch (toolStyle) {
            case "checks" -> ToolTraces.Style.CHECKS;
            case "calls" -> ToolTraces.Style.CALLS;
            default -> throw new UserInputException("--tool-style must be checks or calls, got '" + toolStyle + "'");
          };
      try {
        config = config.withCorpus(config.corpus().withToolShare(toolShare).withToolStyle(style));
      } catch (IllegalArgumentException e) {
        throw new UserInputException("--tool-share: " + e.getMessage());
      }
      if (eval != null) {
        if (eval < 0) {
          throw new UserInputException("--eval must be 0 or more, got " + eval);
        }
        config = config.withEvalProblems(eval);
      }
      return config;
    }

    CurriculumSpec curriculum() throws IOException {
      return curriculum.equals("default") ? CurriculumSpec.defaultSpec() : CurriculumSpec.load(Path.of(curriculum));
    }

    Device device() {
      threads.apply();
      return Devices.resolve(device);
    }
  }
}
