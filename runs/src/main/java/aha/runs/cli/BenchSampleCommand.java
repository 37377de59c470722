package aha.runs.cli;

import aha.sampler.bench.PythonPeer;
import aha.sampler.bench.SampleBenchmark;
import aha.sampler.model.ModelConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha bench sample}: decode tokens/s against the matmul roofline and a Python peer. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = {
      "Decode speed of the sampler. A preset model with seeded random weights",
      "prefills a batch of random prompts, then decodes greedily with a KV cache",
      "(Generator.sample). Prints decode tokens/s, the GFLOP/s that makes, the fp32",
      "matmul GFLOP/s this process reaches at the decode step's shapes (the",
      "roofline) and the fraction of it reached. With the peer, the same shapes",
      "also run in eager Python PyTorch (bench/peer_decode.py under /usr/bin/python3,",
      "same threads, same LD_PRELOAD) and the ratio is printed.",
      "Targets: 1.5x the peer, 50%% of the roofline. Run it through ./aha, which",
      "preloads tcmalloc, on an otherwise idle machine.",
    },
    footer = {
      "",
      "Examples:",
      "  aha bench sample --preset micro --batch 64",
      "  aha bench sample --preset nano --batch 64 --new-tokens 256 --no-peer --json",
    })
final class BenchSampleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

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
      names = "--threads",
      paramLabel = "N",
      description = "libtorch intra-op threads, also given to the peer (default: the CPU count).")
  Integer threads;

  @Option(
      names = "--repeats",
      defaultValue = "3",
      paramLabel = "R",
      description = "Timed runs after a warm-up; the best is reported (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Seeds weights and prompts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--peer",
      negatable = true,
      description =
          "Also run the Python eager peer and print the ratio (default: on when"
              + " /usr/bin/python3 imports torch).")
  Boolean peer;

  @Option(
      names = "--peer-script",
      paramLabel = "FILE",
      description = "The peer script (default: bench/peer_decode.py of the repository).")
  Path peerScript;

  @Option(names = "--json", description = "Also print the figures as one JSON object, last line.")
  boolean json;

  @Override
  public Integer call() {
    ModelConfig config;
    try {
      config = ModelConfig.preset(preset);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    SampleBenchmark.Settings settings;
    try {
      settings =
          new SampleBenchmark.Settings(
              preset, config, batch, promptTokens, newTokens, threadCount, repeats, seed);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }

    PrintWriter out = spec.commandLine().getOut();
    PythonPeer pythonPeer = null;
    String peerNote = null;
    if (Boolean.FALSE.equals(peer)) {
      peerNote = "--no-peer";
    } else {
      Optional<Path> script =
          peerScript != null ? Optional.of(peerScript) : PythonPeer.findScript();
      Optional<String> unavailable = PythonPeer.unavailableReason();
      if (script.isEmpty() || !Files.isRegularFile(script.get())) {
        peerNote =
            peerScript != null
                ? peerScript + " is not a file"
                : PythonPeer.SCRIPT + " not found here or above the aha jar; use --peer-script";
      } else if (unavailable.isPresent()) {
        peerNote = unavailable.get();
      } else {
        pythonPeer = new PythonPeer(script.get());
      }
      if (pythonPeer == null && Boolean.TRUE.equals(peer)) {
        throw new UserInputException("--peer: " + peerNote);
      }
    }

    SampleBenchmark.Result result = new SampleBenchmark(settings).run(pythonPeer, peerNote);
    out.print(result.format());
    if (json) {
      out.println(result.toJson());
    }
    out.flush();
    return 0;
  }
}
