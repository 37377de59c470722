package aha.runs.cli;

import aha.sampler.bench.PythonPeer;
import aha.sampler.bench.SampleBenchmark;
import aha.sampler.model.ModelConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha bench sample}: decode tokens/s against the matmul roofline and a Python peer. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    header = "Decode speed of the sampler, beside the roofline and a PyTorch peer.",
    description = {
      "Decode speed of the sampler. A preset model with seeded random weights",
      "prefills a batch of random prompts, then decodes greedily with a KV cache",
      "(Generator.sample). Prints decode tokens/s, the GFLOP/s that makes, the fp32",
      "matmul GFLOP/s this process reaches at the decode step's shapes (the",
      "roofline) and the fraction of it reached. With the peer, the same shapes",
      "also run in eager Python PyTorch (bench/peer_decode.py under /usr/bin/python3,",
      "same threads, the JVM's LD_PRELOAD or else tcmalloc where installed), one",
      "run of it after each of aha's timed runs so that pairs see the same machine,",
      "and the ratio of the medians is printed (the bests' beside it); each side's",
      "thread count is printed beside its figures. Targets: 1.5x the peer, 50%% of",
      "the roofline. Run it through ./aha (tcmalloc, MKL's fast path, the parallel",
      "collector) on an otherwise idle machine.",
    },
    footer = {
      "",
      "Examples:",
      "  aha bench sample --preset micro --batch 64",
      "  aha bench sample --preset nano --batch 64 --new-tokens 256 --no-peer --json",
    })
final class BenchSampleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PeerBenchmarkOptions peerOptions;

  @Option(
      names = "--preset",
      defaultValue = "micro",
      paramLabel = "NAME",
      description = "Model preset: tiny, nano, micro or small (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--batch",
      defaultValue = "64",
      paramLabel = "B",
      description = "Sequences decoded together (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--new-tokens",
      defaultValue = "128",
      paramLabel = "N",
      description =
          "Tokens generated per sequence, the first by the prefill (default: ${DEFAULT-VALUE}).")
  int newTokens;

  @Option(
      names = "--prompt-tokens",
      defaultValue = "32",
      paramLabel = "P",
      description = "Length of every prompt (default: ${DEFAULT-VALUE}).")
  int promptTokens;

  @Option(
      names = "--repeats",
      defaultValue = "3",
      paramLabel = "R",
      description =
          "Timed runs after the warm-up (runs of at least 1,000 decode steps in all, while the JVM"
              + " compiles the hot Java code); the best and the median are reported (default:"
              + " ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Seeds weights and prompts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    ModelConfig config;
    try {
      config = ModelConfig.preset(preset);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    SampleBenchmark.Settings settings;
    try {
      settings =
          new SampleBenchmark.Settings(
              preset,
              config,
              batch,
              promptTokens,
              newTokens,
              peerOptions.threadCount(),
              repeats,
              seed);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }

    PeerBenchmarkOptions.Choice peer = peerOptions.choosePeer(PythonPeer.SCRIPT);
    SampleBenchmark.Result result = new SampleBenchmark(settings).run(peer.peer(), peer.note());
    peerOptions.print(spec.commandLine().getOut(), result.format(), result.toJson());
    return 0;
  }
}
