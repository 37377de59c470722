package aha.runs.cli;

import aha.grpo.bench.TrainBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha bench train}: one training step's time beside a Python eager peer's. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Time of one training step, beside a PyTorch peer.",
    description = {
      "Time of one training step (the Trainer's: forward over whole sequences, masked",
      "next-token cross-entropy, backward, global-norm clipping, AdamW) for a preset",
      "model with seeded random weights on one batch of random tokens. With the peer,",
      "the same step of the same shapes also runs in eager Python PyTorch",
      "(bench/peer_train.py under /usr/bin/python3, same threads, the JVM's",
      "LD_PRELOAD or else tcmalloc where installed) and the ratio of the median step",
      "times is printed; each side's thread count and peak RSS are printed beside",
      "its figures.",
      "Target: at most 0.9x the peer's time. Run it through ./aha, which preloads",
      "tcmalloc, on an otherwise idle machine.",
      "Defaults: the preset's base recipe (vocabulary and pretraining batch:",
      "nano 16 x 128 over 1024 tokens, micro 32 x 256 over 2048).",
    },
    footer = {
      "",
      "Examples:",
      "  aha bench train --preset nano",
      "  aha bench train --preset micro --batch 8 --seq-len 256 --steps 3 --json",
      "  aha bench train --preset tiny --no-peer",
    })
final class BenchTrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PeerBenchmarkOptions peerOptions;

  @Option(
      names = "--preset",
      defaultValue = "nano",
      paramLabel = "NAME",
      description = "Model preset: tiny, nano, micro or small (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--batch",
      paramLabel = "B",
      description = "Rows per step (default: the preset's pretraining batch).")
  Integer batch;

  @Option(
      names = "--seq-len",
      paramLabel = "T",
      description = "Tokens per row (default: the preset's pretraining length).")
  Integer seqLen;

  @Option(
      names = "--vocab",
      paramLabel = "V",
      description = "Vocabulary size (default: the preset's base recipe).")
  Integer vocab;

  @Option(
      names = "--steps",
      defaultValue = "5",
      paramLabel = "N",
      description = "Timed steps; the median is reported (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      paramLabel = "W",
      description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Seeds weights and tokens (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    TrainBenchmark.Settings settings;
    try {
      settings =
          TrainBenchmark.Settings.forPreset(preset, steps, warmup, peerOptions.threadCount(), seed);
      if (vocab != null) {
        settings = settings.withVocabSize(vocab);
      }
      if (batch != null || seqLen != null) {
        settings =
            settings.withBatch(
                batch == null ? settings.batch() : batch,
                seqLen == null ? settings.seqLen() : seqLen);
      }
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }

    PeerBenchmarkOptions.Choice peer = peerOptions.choosePeer(TrainBenchmark.SCRIPT);
    TrainBenchmark.Result result = new TrainBenchmark(settings).run(peer.peer(), peer.note());
    peerOptions.print(spec.commandLine().getOut(), result.format(), result.toJson());
    return 0;
  }
}
