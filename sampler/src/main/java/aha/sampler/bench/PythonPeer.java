package aha.sampler.bench;

import aha.sampler.model.IntraOpThreads;
import aha.sampler.model.ModelConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The speed peer of {@link SampleBenchmark}: {@code bench/peer_decode.py}, the same model shapes
 * decoded greedily in eager Python PyTorch (Debian's python3-torch 1.13.1 over OpenBLAS with
 * OpenMP), run as a subprocess of this JVM.
 *
 * <p>The peer runs under tcmalloc, as a careful PyTorch user runs it: this process's {@code
 * LD_PRELOAD} when it has one ({@code ./aha} preloads tcmalloc), else {@link #TCMALLOC} where it is
 * installed, so that a JVM started without the launcher does not hand the peer glibc malloc. It
 * gets the benchmark's thread count both through {@code OMP_NUM_THREADS} and {@code
 * torch.set_num_threads}, and reports the threads and the preload it ran with.
 */
public final class PythonPeer {

  /** The interpreter that has Debian's python3-torch. */
  public static final Path PYTHON = Path.of("/usr/bin/python3");

  /** Where the peer script lives in the repository. */
  public static final Path SCRIPT = Path.of("bench", "peer_decode.py");

  /** The allocator a peer gets when this process has no {@code LD_PRELOAD}, where installed. */
  public static final Path TCMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PROBE_TIMEOUT_S = 60;

  /**
   * What every peer's result tells beside its timings, which {@link BenchReport#endJson} reports
   * for any peer: the torch it ran on, its threads and its allocator.
   */
  public interface Conditions {
    /** The torch version the peer ran on. */
    String torchVersion();

    /** torch's intra-op threads as the peer reported them. */
    int threads();

    /** The LD_PRELOAD the peer ran under, or "none". */
    String preload();
  }

  /**
   * What the peer measured.
   *
   * @param tokensPerSecond its best decode rate over the repeats
   * @param tokensPerSecondMedian the median decode rate
   * @param prefillTokensPerSecond prompt tokens per second of the prefill, in the best run
   * @param torchVersion the torch it ran on
   * @param kvCache how its cache grows: prealloc (slice assignment) or cat
   * @param threads torch's intra-op threads as it reported them
   * @param preload the LD_PRELOAD it ran under, or "none"
   */
  public record Result(
      double tokensPerSecond,
      double tokensPerSecondMedian,
      double prefillTokensPerSecond,
      String torchVersion,
      String kvCache,
      int threads,
      String preload)
      implements Conditions {}

  private final Path script;

  /** A peer that runs {@code script}. */
  public PythonPeer(Path script) {
    this.script = script;
  }

  /** The script this peer runs. */
  public Path script() {
    return script;
  }

  /**
   * Why the peer cannot run here, or empty when {@link #PYTHON} imports torch. Takes a second or
   * two (the import).
   */
  public static Optional<String> unavailableReason() {
    if (!Files.isExecutable(PYTHON)) {
      return Optional.of(
          PYTHON + " not found; install python3-torch and libopenblas0-openmp to compare");
    }
    try {
      Process probe =
          new ProcessBuilder(PYTHON.toString(), "-c", "import torch")
              .redirectErrorStream(true)
              .start();
      if (!probe.waitFor(PROBE_TIMEOUT_S, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        return Optional.of(PYTHON + " took over " + PROBE_TIMEOUT_S + " s to import torch");
      }
      String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (probe.exitValue() != 0) {
        return Optional.of(
            PYTHON
                + " cannot import torch (install python3-torch and libopenblas0-openmp): "
                + lastLine(output));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot run " + PYTHON + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while probing " + PYTHON);
    }
  }

  /**
   * Finds the repository file {@code relative} (such as {@code bench/peer_train.py}) in the
   * working directory or a folder above it, or in a folder above the code of this class.
   */
  public static Optional<Path> findScript(Path relative) {
    List<Path> roots = new ArrayList<>();
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      roots.add(p);
    }
    try {
      Path code =
          Path.of(PythonPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = code.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
        roots.add(p);
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code location: the working directory is all we can try
    }
    return roots.stream().map(r -> r.resolve(relative)).filter(Files::isRegularFile).findFirst();
  }

  /**
   * The peer's figures over several of its runs, each a {@link #run} of one timed repeat made in
   * turn with aha's: the best rate, the median of the rates, and the rest from the first run.
   *
   * @param runs one or more results
   */
  public static Result combine(List<Result> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no peer runs to combine");
    }
    double[] rates = runs.stream().mapToDouble(Result::tokensPerSecond).toArray();
    Result first = runs.get(0);
    return new Result(
        Arrays.stream(rates).max().orElseThrow(),
        BenchReport.median(rates),
        runs.stream().mapToDouble(Result::prefillTokensPerSecond).max().orElseThrow(),
        first.torchVersion(),
        first.kvCache(),
        first.threads(),
        first.preload());
  }

  /**
   * Runs the peer on {@code config}'s shapes with the benchmark's batch, lengths, threads, repeats
   * and seed; blocks until it ends.
   *
   * @throws IllegalStateException when the script fails or prints no result
   */
  public Result run(SampleBenchmark.Settings settings) {
    JsonNode result =
        runScript(
            settings.config(),
            IntraOpThreads.most(settings.threads()),
            List.of(
                "--batch",
                Integer.toString(settings.batch()),
                "--prompt-tokens",
                Integer.toString(settings.promptTokens()),
                "--new-tokens",
                Integer.toString(settings.newTokens()),
                "--repeats",
                Integer.toString(settings.repeats()),
                "--seed",
                Long.toString(settings.seed())));
    return new Result(
        result.path("tokens_per_s").asDouble(),
        result.path("tokens_per_s_median").asDouble(),
        result.path("prefill_tokens_per_s").asDouble(),
        result.path("torch_version").asText(),
        result.path("kv_cache").asText(),
        result.path("threads").asInt(),
        preloadOf(result));
  }

  /**
   * Runs this peer's script on {@code config}'s shapes (passed as {@code --config FILE}) with
   * {@code threads} threads and the script's own {@code arguments}; blocks until it ends and
   * returns the JSON object it printed last. Other peers (the training one) use this too.
   *
   * @throws IllegalStateException when the script fails or its last line is not JSON
   */
  public JsonNode runScript(ModelConfig config, int threads, List<String> arguments) {
    Path shapes = null;
    try {
      shapes = Files.createTempFile("aha-peer-shapes", ".json");
      Files.writeString(shapes, JSON.writeValueAsString(shapesJson(config)));
      List<String> command = new ArrayList<>();
      command.add(PYTHON.toString());
      command.add(script.toString());
      command.add("--config");
      command.add(shapes.toString());
      command.add("--threads");
      command.add(Integer.toString(threads));
      command.addAll(arguments);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      Map<String, String> env = builder.environment();
      env.put("OMP_NUM_THREADS", Integer.toString(threads));
      env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
      String preload = preload();
      if (!preload.equals("none")) {
        env.put("LD_PRELOAD", preload);
      }
      env.put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the repository
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(
            "the Python peer " + script + " exited with " + exit + ":\n" + output.strip());
      }
      try {
        return JSON.readTree(lastLine(output));
      } catch (IOException e) {
        throw new IllegalStateException(
            "the Python peer " + script + " printed no JSON result:\n" + output.strip(), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("running the Python peer " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the Python peer ran", e);
    } finally {
      if (shapes != null) {
        try {
          Files.deleteIfExists(shapes);
        } catch (IOException e) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /**
   * The LD_PRELOAD a peer runs under: this process's, else {@link #TCMALLOC} where installed, else
   * "none".
   */
  public static String preload() {
    String inherited = System.getenv("LD_PRELOAD");
    if (inherited != null && !inherited.isBlank()) {
      return inherited;
    }
    return Files.isRegularFile(TCMALLOC) ? TCMALLOC.toString() : "none";
  }

  /**
   * The LD_PRELOAD a peer's {@code result} says it ran under, or {@link #preload()} for a script
   * that does not say ({@code --peer-script} may name an older one).
   */
  public static String preloadOf(JsonNode result) {
    JsonNode reported = result.path("preload");
    return reported.isTextual() ? reported.asText() : preload();
  }

  /** The model shape under ModelConfig's field names, which the script reads. */
  static ObjectNode shapesJson(ModelConfig c) {
    ObjectNode node = JSON.createObjectNode();
    node.put("vocabSize", c.vocabSize());
    node.put("hiddenSize", c.hiddenSize());
    node.put("intermediateSize", c.intermediateSize());
    node.put("numLayers", c.numLayers());
    node.put("numHeads", c.numHeads());
    node.put("numKvHeads", c.numKvHeads());
    node.put("maxPositions", c.maxPositions());
    node.put("ropeTheta", c.ropeTheta());
    node.put("rmsNormEps", c.rmsNormEps());
    node.put("tieEmbeddings", c.tieEmbeddings());
    node.put("qkvBias", c.qkvBias());
    return node;
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\\R");
    return lines[lines.length - 1];
  }
}
