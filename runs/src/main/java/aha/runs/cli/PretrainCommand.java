package aha.runs.cli;

import aha.grpo.train.BaseConfig;
import aha.grpo.train.BasePipeline;
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

/** {@code aha pretrain}: a tokenizer and next-token pretraining on the plain-text corpus. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    header = "Pretrain a fresh model on worked solutions in plain text.",
    description = {
      "Pretrain a fresh model on the lab's 'internet': worked solutions of curriculum problems in",
      "plain text, packed into sequences, next-token loss on every token. AdamW, warmup then",
      "cosine learning rate, gradients clipped by their global norm; held-out loss on problems",
      "of the curriculum at seed + 1. Trains a byte-level BPE tokenizer on the corpus first unless",
      "--tokenizer names one. Writes config.json, model.safetensors, tokenizer.json and base.json.",
    },
    footer = {
      "",
      "Examples:",
      "  aha pretrain -o out/pretrain",
      "  aha pretrain --preset tiny --steps 50 -o out/tiny-pretrain",
      "  aha pretrain --tokenizer out/base/tokenizer.json --steps 1000 --lr 2e-3",
    })
final class PretrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin BaseCommand.Common common;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "out/pretrain",
      paramLabel = "DIR",
      description = "Checkpoint directory to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "Use this tokenizer.json instead of training one.")
  Path tokenizer;

  @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: the preset's).")
  Integer steps;

  @Option(names = "--lr", description = "Peak learning rate (default: the preset's).")
  Double lr;

  @Option(names = "--batch", paramLabel = "B", description = "Sequences per step (default: the preset's).")
  Integer batch;

  @Option(names = "--seq-len", paramLabel = "T", description = "Tokens per sequence (default: the preset's).")
  Integer seqLen;

  @Override
  public Integer call() throws IOException {
    if (tokenizer != null && !Files.exists(tokenizer)) {
      throw new UserInputException(tokenizer + ": no such tokenizer file");
    }
    BaseConfig config = common.config();
    var stage = config.pretrain();
    if (steps != null) {
      stage = stage.withSteps(BaseCommand.positive("--steps", steps));
    }
    if (lr != null) {
      stage = stage.withLr(lr);
    }
    if (batch != null || seqLen != null) {
      stage = stage.withBatch(
          batch == null ? stage.batchSize() : BaseCommand.positive("--batch", batch),
          seqLen == null ? stage.seqLen() : BaseCommand.positive("--seq-len", seqLen));
    }
    config = config.withPretrain(stage);
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    try (StageBars progress = new StageBars(out)) {
      new BasePipeline(config, common.curriculum(), common.device(), progress).pretrain(output, tokenizer);
    }
    out.printf(Locale.ROOT, "pretrained model written to %s in %.0f s%n", output, (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
