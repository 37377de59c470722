package aha.runs.cli;

import aha.grpo.train.BaseConfig;
import aha.grpo.train.BasePipeline;
import aha.sampler.checkpoint.Checkpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha sft}: supervised fine-tuning of a checkpoint on chat conversations. */
@Command(
    name = "sft",
    mixinStandardHelpOptions = true,
    header = "Fine-tune a checkpoint on chat conversations (loss on assistant tokens).",
    description = {
      "Fine-tune a checkpoint on conversations in the chat template, where the assistant writes",
      "<think>step-by-step reasoning</think><answer>...</answer>. The loss is on the assistant's",
      "tokens only (and not on the wrong values of the traces that catch a slip). Conversations",
      "are packed into sequences whole. Then greedy pass@1 on held-out problems.",
      "The checkpoint directory must hold config.json, model.safetensors and tokenizer.json, as",
      "'aha pretrain' writes them. Writes the same files, and base.json, to the output directory.",
    },
    footer = {
      "",
      "Examples:",
      "  aha sft --model out/pretrain -o out/sft",
      "  aha sft --model out/pretrain --steps 300 --lr 1e-3 --eval 100 -o out/sft",
    })
final class SftCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin BaseCommand.Common common;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "The checkpoint to fine-tune: config.json, model.safetensors, tokenizer.json.")
  Path model;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "out/sft",
      paramLabel = "DIR",
      description = "Checkpoint directory to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: the preset's).")
  Integer steps;

  @Option(names = "--lr", description = "Peak learning rate (default: the preset's).")
  Double lr;

  @Override
  public Integer call() throws IOException {
    for (String file : new String[] {Checkpoints.CONFIG, BasePipeline.TOKENIZER}) {
      if (!Files.isRegularFile(model.resolve(file))) {
        throw new UserInputException(model + ": no " + file + "; is it a checkpoint directory?");
      }
    }
    BaseConfig config = common.config();
    var stage = config.sft();
    if (steps != null) {
      stage = stage.withSteps(BaseCommand.positive("--steps", steps));
    }
    if (lr != null) {
      stage = stage.withLr(lr);
    }
    config = config.withSft(stage);
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    try (StageBars progress = new StageBars(out)) {
      new BasePipeline(config, common.curriculum(), common.device(), progress).sft(model, output);
    }
    out.printf(Locale.ROOT, "fine-tuned model written to %s in %.0f s%n", output, (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
