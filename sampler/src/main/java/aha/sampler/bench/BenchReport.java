package aha.sampler.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The pieces of a speed benchmark's report that {@link SampleBenchmark} and the training
 * benchmark ({@code aha.grpo.bench.TrainBenchmark}) word the same way, so that their reports read
 * alike and a change of wording is made once: what the timings ran under (allocator, MKL's path,
 * the JVM's collector), a process's peak memory, a list of timings, a target's verdict, and how aha
 * compared with the Python peer, or why the peer did not run, in the text and in the JSON object.
 */
public final class BenchReport {

  private BenchReport() {}

  /**
   * The LD_PRELOAD this JVM runs under, or "glibc malloc": timings of native code move with the
   * allocator and with MKL's code path ({@code ./aha} preloads tcmalloc and, on a non-Intel CPU,
   * the library that lets MKL use the CPU's vector units), so a report names them.
   */
  public static String preloaded() {
    String preload = System.getenv("LD_PRELOAD");
    return preload == null || preload.isBlank() ? "glibc malloc" : preload;
  }

  /**
   * The JVM's garbage collector, as "Parallel", "G1", "Serial" and so on (the names of its
   * collector beans where none of these matches). Each DJL operation makes a few short-lived Java
   * objects, and their cost depends on the collector: under G1 a small operation's fixed cost was
   * twice Parallel's (docs/compute.md), so a report names it. {@code ./aha} picks Parallel.
   */
  public static String collector() {
    List<String> names =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .toList();
    String all = String.join(" ", names);
    if (all.contains("PS Scavenge") || all.contains("PS MarkSweep")) {
      return "Parallel";
    }
    for (String known : new String[] {"G1", "ZGC", "Shenandoah"}) {
      if (all.contains(known)) {
        return known.equals("ZGC") ? "Z" : known;
      }
    }
    if (all.contains("MarkSweepCompact")) {
      return "Serial";
    }
    return names.isEmpty() ? "unknown" : String.join(", ", names);
  }

  /**
   * This process's peak resident set so far ({@code VmHWM} in {@code /proc/self/status}), in MB,
   * or NaN where that file cannot tell (not Linux).
   */
  public static double peakRssMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0; // the line counts kB
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no figure: reported as unknown
    }
    return Double.NaN;
  }

  /** A memory figure in MB for a report, such as "412 MB", or "unknown" for NaN. */
  public static String megabytes(double mb) {
    return Double.isNaN(mb) ? "unknown" : String.format(Locale.ROOT, "%,.0f MB", mb);
  }

  /** Puts {@code mb} under {@code key} when it is known; JSON has no NaN. */
  public static void putMegabytes(ObjectNode node, String key, double mb) {
    if (!Double.isNaN(mb)) {
      node.put(key, mb);
    }
  }

  /** The median of {@code values}, which are left as they are. */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Each of {@code values} in {@code format} (such as "%.1f"), in order, comma-separated. */
  public static String joined(double[] values, String format) {
    StringBuilder out = new StringBuilder();
    for (double value : values) {
      out.append(out.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, format, value));
    }
    return out.toString();
  }

  /** A target's verdict in a report, loud when missed: "met" or "MISSED". */
  public static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  /** The report's line for a peer that did not run, with why ({@code --no-peer}, no torch). */
  public static String peerNotRun(String peerNote) {
    return "  python peer     not run: " + peerNote + System.lineSeparator();
  }

  /**
   * Ends a benchmark's JSON object, after its own figures and the peer's, and returns it on one
   * line: the conditions the peer ran under (torch, threads, preload) and aha's ratio to it against
   * the ratio aimed for, or why the peer did not run, then whether every target that could be
   * checked was met.
   *
   * @param peer what the peer reported, or null when it did not run
   * @param ratio aha's figure over the peer's; read only when the peer ran
   * @param targetRatio the ratio aimed for
   * @param peerNote why the peer did not run; read only when it did not
   * @param targetsMet whether every target that could be checked was met
   */
  public static String endJson(
      ObjectNode node,
      PythonPeer.Conditions peer,
      double ratio,
      double targetRatio,
      String peerNote,
      boolean targetsMet) {
    if (peer != null) {
      node.put("peer_torch_version", peer.torchVersion());
      node.put("peer_threads", peer.threads());
      node.put("peer_preload", peer.preload());
      node.put("ratio", ratio);
      node.put("target_ratio", targetRatio);
    } else {
      node.put("peer_note", peerNote);
    }
    node.put("targets_met", targetsMet);
    return node.toString();
  }
}
