package aha.runs.cli;

import aha.sampler.bench.PythonPeer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of a benchmark that times aha beside a Python eager peer ({@code aha bench sample},
 * {@code aha bench train}): the threads both sides get, whether the peer runs and which script it
 * is, and whether the figures are also printed as JSON. A picocli mixin ({@code @Mixin
 * PeerBenchmarkOptions peerOptions;}) so that both commands choose the peer, and say why it did not
 * run, the same way.
 */
final class PeerBenchmarkOptions {

  /**
   * The peer to run, or none and why not, as a benchmark's {@code run(peer, peerNote)} takes them.
   *
   * @param peer the peer, or null when it does not run
   * @param note why it does not run ({@code --no-peer}, no script, no torch), or null when it does
   */
  record Choice(PythonPeer peer, String note) {}

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = {
        "libtorch intra-op threads, fixed, and the peer's (default: fitted to the cores other",
        "processes leave free, at most the CPU count, which the peer gets)."
      })
  Integer threads;

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
      description = "The peer script (default: the one named above, in the repository).")
  Path peerScript;

  @Option(names = "--json", description = "Also print the figures as one JSON object, last line.")
  boolean json;

  /**
   * The benchmark's thread setting: {@code --threads}, or 0 to fit aha's threads to the load (the
   * peer then gets the CPU count).
   */
  int threadCount() {
    if (threads != null && threads < 1) {
      throw new UserInputException("--threads must be positive, got " + threads);
    }
    return threads == null ? 0 : threads;
  }

  /**
   * The peer to run: none with {@code --no-peer}; else {@code --peer-script}, or {@code
   * defaultScript} found in the repository, when that file is there and {@link PythonPeer#PYTHON}
   * imports torch; else none, with the reason.
   *
   * @param defaultScript the command's peer script, relative to the repository root
   * @throws UserInputException when {@code --peer} asked for the peer and it cannot run
   */
  Choice choosePeer(Path defaultScript) {
    if (Boolean.FALSE.equals(peer)) {
      return new Choice(null, "--no-peer");
    }
    Optional<Path> script =
        peerScript != null ? Optional.of(peerScript) : PythonPeer.findScript(defaultScript);
    String note;
    if (script.isEmpty() || !Files.isRegularFile(script.get())) {
      note =
          peerScript != null
              ? peerScript + " is not a file"
              : defaultScript + " not found here or above the aha jar; use --peer-script";
    } else {
      Optional<String> unavailable = PythonPeer.unavailableReason();
      if (unavailable.isEmpty()) {
        return new Choice(new PythonPeer(script.get()), null);
      }
      note = unavailable.get();
    }
    if (Boolean.TRUE.equals(peer)) {
      throw new UserInputException("--peer: " + note);
    }
    return new Choice(null, note);
  }

  /** Prints the benchmark's report, then, with {@code --json}, its figures as one JSON line. */
  void print(PrintWriter out, String report, String figuresJson) {
    out.print(report);
    if (json) {
      out.println(figuresJson);
    }
    out.flush();
  }
}
