package aha.runs.cli;

import aha.sampler.model.IntraOpThreads;
import picocli.CommandLine.Option;

/** {@code --threads}: libtorch's intra-op threads, fixed, for the commands that compute. */
final class ThreadsOption {

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = {
        "libtorch's intra-op threads, fixed whatever the load (default: fitted to the cores",
        "other processes leave free, at most one per core; see docs/compute.md). Fix it for a",
        "run that must repeat bit for bit while other jobs come and go, and to the same count",
        "on a trainer and its sampler nodes (docs/scale-out.md)."
      })
  Integer threads;

  /** Fixes the threads when {@code --threads} was given; they are fitted to the load otherwise. */
  void apply() {
    if (threads != null) {
      if (threads < 1) {
        throw new UserInputException("--threads must be positive, got " + threads);
      }
      IntraOpThreads.fix(threads);
    }
  }
}
