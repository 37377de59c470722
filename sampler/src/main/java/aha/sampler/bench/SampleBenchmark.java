package aha.sampler.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import aha.sampler.generate.Completion;
import aha.sampler.generate.Generator;
import aha.sampler.generate.SamplingParams;
import aha.sampler.model.InferenceWeights;
import aha.sampler.model.KvCache;
import aha.sampler.model.IntraOpThreads;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Decode speed of the sampler, for {@code aha bench sample}: greedy batched decoding of a preset
 * model with seeded random weights, in tokens per second, set against two yardsticks measured in
 * the same process.
 *
 * <ul>
 *   <li>The roofline: fp32 matmul GFLOP/s of this engine at the shapes a decode step multiplies —
 *       (B, C) by the fused q/k/v, o, gate/up, down and LM-head weights — the best shape's best of
 *       several runs, measured after every repeat (a shared machine can spoil one burst). A
 *       decode step is mostly those matmuls, so the decode rate times {@link
 *       ModelConfig#forwardFlopsPerToken} over that figure says how much of the step is useful
 *       arithmetic and how much is overhead (native calls, allocation, attention's small ops).
 *       The figure is measured with one weight hot in cache, as a roofline is; inside a step the
 *       other layers' weights and the KV cache pass through the cache in between, so even the
 *       step's matmuls run below it.
 *   <li>The peer: the same shapes in eager Python PyTorch ({@link PythonPeer}), when asked: one
 *       run of it (its own process: a warm-up, then one timed run) after each of aha's timed
 *       repeats, so that each pair sees the machine as it was that minute.
 * </ul>
 *
 * <p>One run prefills B random prompts of P tokens and then decodes N - 1 more tokens one step at
 * a time, the first new token coming from the prefill; decode tokens/s is B (N - 1) over the decode
 * time. Warm-up runs come first, a thousand decode steps of them (the JVM compiles the Java side
 * of a step as it gets hot, see {@link #WARMUP_DECODE_STEPS}); the peer, which has no compiler to
 * wait for, gets one. The best of the repeats is reported, with the median beside it, as the
 * machine may be shared. The ratio to the peer that the target is judged on is median over median
 * (the best over the best is printed beside it): on a shared machine either side's best can be one
 * lucky run.
 *
 * <p>The path timed is the one users get: {@link Generator#sample} with greedy {@link
 * SamplingParams} and no stop tokens, so every row runs to N, its decode steps scripted unless
 * {@code -Daha.decode=eager} (the report names which, {@link Transformer#decodeStepPath}). The
 * generator times its own prefill and decode steps ({@link Generator#decodeNanos}); subtracting a
 * separate prefill-only call, as this did first, gave negative rates for tiny runs on a busy
 * machine. Beside it the model alone is
 * timed: a loop of {@link Transformer#forwardLast} and an on-device argmax, which tells the model's
 * share of a step from the token picker's (the generator also computes each pick's
 * log-probability).
 */
public final class SampleBenchmark {

  /** The decode rate aimed for, as a multiple of the Python eager peer's. */
  public static final double TARGET_PEER_RATIO = 1.5;

  /** The fraction of the matmul roofline aimed for. */
  public static final double TARGET_ROOFLINE_FRACTION = 0.5;

  /**
   * Decode steps run before the timed repeats, in whole runs. The JVM compiles the Java side of a
   * step (DJL's array handles, the generator, the picker) as it gets hot, and a micro decode at
   * batch 16 sped up over its first five runs of 127 steps (2,088, 2,636, 3,487, 4,515 and 5,895
   * tokens/s, then level): a single warm-up run left the first timed repeats on that ramp.
   */
  static final int WARMUP_DECODE_STEPS = 1000;

  /** At most this many warm-up runs, for runs of very few steps. */
  static final int MOST_WARMUP_RUNS = 30;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MATMUL_TRIALS = 7;
  private static final double MATMUL_TRIAL_SECONDS = 0.05;

  /**
   * What to run.
   *
   * @param preset the preset's name, for the report
   * @param config the model shape
   * @param batch B, sequences decoded together
   * @param promptTokens P, the length of every prompt
   * @param newTokens N, tokens generated per sequence (the first by the prefill)
   * @param threads libtorch intra-op threads, or 0 to fit them to the load ({@link
   *     IntraOpThreads}); the peer gets the most this allows
   * @param repeats timed runs after the warm-up
   * @param seed seeds the weights and the prompts
   */
  public record Settings(
      String preset,
      ModelConfig config,
      int batch,
      int promptTokens,
      int newTokens,
      int threads,
      int repeats,
      long seed) {

    /** These settings with one timed repeat: how the peer runs, once after each of aha's. */
    public Settings oneRepeat() {
      return new Settings(preset, config, batch, promptTokens, newTokens, threads, 1, seed);
    }

    public Settings {
      if (batch < 1) {
        throw new IllegalArgumentException("batch must be at least 1, got " + batch);
      }
      if (promptTokens < 1) {
        throw new IllegalArgumentException("prompt tokens must be at least 1, got " + promptTokens);
      }
      if (newTokens < 2) {
        throw new IllegalArgumentException(
            "new tokens must be at least 2 (one from the prefill, one decoded), got " + newTokens);
      }
      if (promptTokens + newTokens > config.maxPositions()) {
        throw new IllegalArgumentException(
            "prompt + new tokens = "
                + (promptTokens + newTokens)
                + " exceed the model's "
                + config.maxPositions()
                + " positions");
      }
      if (threads < 0) {
        throw new IllegalArgumentException(
            "threads must be 0 (fitted to the load) or more, got " + threads);
      }
      if (repeats < 1) {
        throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
      }
    }

    /** Decode steps per run: every new token but the prefill's. */
    public int decodeSteps() {
      return newTokens - 1;
    }

    /** Untimed runs first: enough for {@link #WARMUP_DECODE_STEPS} decode steps, at least one. */
    public int warmupRuns() {
      int runs = (WARMUP_DECODE_STEPS + decodeSteps() - 1) / decodeSteps(); // at least 1 step
      return Math.max(1, Math.min(MOST_WARMUP_RUNS, runs));
    }

    /**
     * Forward FLOPs per decoded token, averaged over the run's steps: step i (1..N-1) feeds the
     * token at slot P + i - 1, which attends to P + i keys.
     */
    public double flopsPerDecodedToken() {
      double sum = 0;
      for (int i = 1; i < newTokens; i++) {
        sum += config.forwardFlopsPerToken(promptTokens + i);
      }
      return sum / decodeSteps();
    }
  }

  /**
   * One matmul shape and the rate it ran at.
   *
   * @param name which weight of the decode step it stands for
   * @param m rows of the input (B)
   * @param k the shared dimension
   * @param n columns of the output
   * @param gflops best rate over the trials, in GFLOP/s
   */
  public record MatmulRate(String name, long m, long k, long n, double gflops) {}

  /**
   * What was measured.
   *
   * @param settings what ran
   * @param path the decode path timed
   * @param preloaded the LD_PRELOAD the JVM ran under, or "glibc malloc"
   * @param threads libtorch's intra-op threads as it reported them after the run
   * @param tokensPerSecond best decode rate over the repeats
   * @param tokensPerSecondMedian median decode rate
   * @param rates every repeat's decode rate
   * @param prefillTokensPerSecond prompt tokens per second in the prefill of the best run
   * @param modelTokensPerSecond best decode rate of the model alone (forwardLast + argmax loop)
   * @param matmuls the matmul rates behind the roofline
   * @param peer the Python peer's figures, or null when it did not run
   * @param peerNote why the peer did not run, or null
   */
  public record Result(
      Settings settings,
      String path,
      String preloaded,
      int threads,
      double tokensPerSecond,
      double tokensPerSecondMedian,
      double[] rates,
      double prefillTokensPerSecond,
      double modelTokensPerSecond,
      List<MatmulRate> matmuls,
      PythonPeer.Result peer,
      String peerNote) {

    /** Arithmetic rate of the decode: tokens/s times FLOPs per token, in GFLOP/s. */
    public double achievedGflops() {
      return tokensPerSecond * settings.flopsPerDecodedToken() / 1e9;
    }

    /** The best matmul rate at a decode shape, in GFLOP/s. */
    public double rooflineGflops() {
      return matmuls.stream().mapToDouble(MatmulRate::gflops).max().orElse(Double.NaN);
    }

    /** Achieved over roofline. */
    public double rooflineFraction() {
      return achievedGflops() / rooflineGflops();
    }

    /** aha's median decode rate over the peer's median, the target's measure; NaN without peer. */
    public double peerRatio() {
      return peer == null ? Double.NaN : tokensPerSecondMedian / peer.tokensPerSecondMedian();
    }

    /**
     * aha's best decode rate over the peer's best, printed beside {@link #peerRatio}: on a shared
     * machine one side's best can be a lucky run, so the target is judged on the medians.
     */
    public double bestPeerRatio() {
      return peer == null ? Double.NaN : tokensPerSecond / peer.tokensPerSecond();
    }

    /** True when every target that could be checked was met. */
    public boolean targetsMet() {
      return rooflineFraction() >= TARGET_ROOFLINE_FRACTION
          && (peer == null || peerRatio() >= TARGET_PEER_RATIO);
    }

    /** A report for people. */
    public String format() {
      Settings s = settings;
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT,
              "sample benchmark: preset %s, batch %d, %d-token prompts, %d new tokens, %s,"
                  + " preloaded %s, collector %s%n",
              s.preset(),
              s.batch(),
              s.promptTokens(),
              s.newTokens(),
              IntraOpThreads.describe(s.threads()),
              preloaded,
              BenchReport.collector()));
      out.append(String.format(Locale.ROOT, "  decode path     %s%n", path));
      out.append(
          String.format(
              Locale.ROOT,
              "  aha decode      %,.0f tokens/s (best of %d after %d warm-up runs; median %,.0f;"
                  + " all %s; %d threads)%n",
              tokensPerSecond,
              rates.length,
              s.warmupRuns(),
              tokensPerSecondMedian,
              BenchReport.joined(rates, "%,.0f"),
              threads));
      out.append(
          String.format(
              Locale.ROOT, "  aha prefill     %,.0f tokens/s%n", prefillTokensPerSecond));
      out.append(
          String.format(
              Locale.ROOT,
              "  model alone     %,.0f tokens/s (forwardLast + argmax loop, best)%n",
              modelTokensPerSecond));
      out.append(
          String.format(
              Locale.ROOT,
              "  achieved        %.1f GFLOP/s (%.2f MFLOP per token at mean context %d)%n",
              achievedGflops(),
              s.flopsPerDecodedToken() / 1e6,
              s.promptTokens() + s.newTokens() / 2));
      for (MatmulRate m : matmuls) {
        out.append(
            String.format(
                Locale.ROOT,
                "  matmul %-8s (%d x %d) x (%d x %d): %.1f GFLOP/s%n",
                m.name(),
                m.m(),
                m.k(),
                m.k(),
                m.n(),
                m.gflops()));
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  roofline        %.1f GFLOP/s (best fp32 matmul at a decode shape):"
                  + " %.0f%% reached, target %.0f%%: %s%n",
              rooflineGflops(),
              100 * rooflineFraction(),
              100 * TARGET_ROOFLINE_FRACTION,
              BenchReport.verdict(rooflineFraction() >= TARGET_ROOFLINE_FRACTION)));
      if (peer != null) {
        out.append(
            String.format(
                Locale.ROOT,
                "  python peer     %,.0f tokens/s (best; median %,.0f; torch %s eager, kv cache"
                    + " %s, %d threads, LD_PRELOAD %s)%n",
                peer.tokensPerSecond(),
                peer.tokensPerSecondMedian(),
                peer.torchVersion(),
                peer.kvCache(),
                peer.threads(),
                peer.preload()));
        out.append(
            String.format(
                Locale.ROOT,
                "  ratio           %.2fx the peer (median against median; best against best"
                    + " %.2fx), target %.1fx: %s%n",
                peerRatio(),
                bestPeerRatio(),
                TARGET_PEER_RATIO,
                BenchReport.verdict(peerRatio() >= TARGET_PEER_RATIO)));
      } else {
        out.append(BenchReport.peerNotRun(peerNote));
      }
      return out.toString();
    }

    /** The figures as one JSON object on one line. */
    public String toJson() {
      Settings s = settings;
      ObjectNode node = JSON.createObjectNode();
      node.put("preset", s.preset());
      node.put("batch", s.batch());
      node.put("prompt_tokens", s.promptTokens());
      node.put("new_tokens", s.newTokens());
      node.put("warmup_runs", s.warmupRuns());
      node.put("threads", IntraOpThreads.most(s.threads()));
      node.put("threads_fitted", s.threads() == 0);
      node.put("aha_threads", threads); // what libtorch reported after the run
      node.put("preloaded", preloaded);
      node.put("collector", BenchReport.collector());
      node.put("path", path);
      node.put("tokens_per_s", tokensPerSecond);
      node.put("tokens_per_s_median", tokensPerSecondMedian);
      ArrayNode all = node.putArray("tokens_per_s_all");
      Arrays.stream(rates).forEach(all::add);
      node.put("prefill_tokens_per_s", prefillTokensPerSecond);
      node.put("model_tokens_per_s", modelTokensPerSecond);
      node.put("flops_per_token", s.flopsPerDecodedToken());
      node.put("achieved_gflops", achievedGflops());
      node.put("roofline_gflops", rooflineGflops());
      node.put("roofline_fraction", rooflineFraction());
      node.put("target_roofline_fraction", TARGET_ROOFLINE_FRACTION);
      ObjectNode shapes = node.putObject("matmul_gflops");
      for (MatmulRate m : matmuls) {
        shapes.put(m.name() + " " + m.m() + "x" + m.k() + "x" + m.n(), m.gflops());
      }
      if (peer != null) {
        node.put("peer_tokens_per_s", peer.tokensPerSecond());
        node.put("peer_tokens_per_s_median", peer.tokensPerSecondMedian());
        node.put("peer_kv_cache", peer.kvCache());
        node.put("ratio_best", bestPeerRatio());
      }
      return BenchReport.endJson(
          node, peer, peerRatio(), TARGET_PEER_RATIO, peerNote, targetsMet());
    }
  }

  private final Settings settings;

  /** A benchmark of {@code settings}. */
  public SampleBenchmark(Settings settings) {
    this.settings = settings;
  }

  /**
   * Applies a benchmark's thread setting ({@link IntraOpThreads#use}) to this process and the
   * calling thread. Call it before {@link #run}; it is global to the engine.
   */
  public static void setThreads(int threads) {
    IntraOpThreads.use(threads);
    IntraOpThreads.fit();
  }

  /** The threads libtorch uses now. */
  public static int threads() {
    return "PyTorch".equals(Engine.getInstance().getEngineName())
        ? JniUtils.getNumThreads()
        : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Times aha's decode and the matmul roofline, then runs {@code peer} when given.
   *
   * @param peer the Python peer to run after aha, or null
   * @param peerNote why there is no peer, when {@code peer} is null
   */
  public Result run(PythonPeer peer, String peerNote) {
    setThreads(settings.threads());
    int b = settings.batch();
    double decodedTokens = (double) b * settings.decodeSteps();
    double[] rates = new double[settings.repeats()];
    double[] modelRates = new double[settings.repeats()];
    double bestPrefill = 0;
    List<MatmulRate> matmuls = null;
    List<PythonPeer.Result> peerRuns = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = new Transformer(settings.config());
      model.initialize(manager, settings.seed());
      List<int[]> prompts = prompts();
      try (Generator generator = new Generator(model, new int[0])) {
        for (int w = 0; w < settings.warmupRuns(); w++) {
          timeGenerator(generator, prompts);
        }
        timeModel(model, manager, prompts);
        for (int r = 0; r < settings.repeats(); r++) {
          double[] seconds = timeGenerator(generator, prompts);
          rates[r] = decodedTokens / seconds[1];
          if (rates[r] == Arrays.stream(rates, 0, r + 1).max().orElseThrow()) {
            bestPrefill = (double) b * settings.promptTokens() / seconds[0];
          }
          modelRates[r] = decodedTokens / timeModel(model, manager, prompts);
          // the roofline between repeats too: one burst of matmuls can land in another process's
          // busy second and come out far too low, which would flatter the fraction
          matmuls = faster(matmuls, matmulRates(manager));
          if (peer != null) {
            // the peer's repeat right after aha's, each in its own process with its own warm-up:
            // this machine's speed drifts from minute to minute, and pairs made in turn see the
            // same drift where all of aha's repeats and then all of the peer's would not
            peerRuns.add(peer.run(settings.oneRepeat()));
            // the load fitting would count the peer's run, now over, as competition and start
            // aha's next repeat on fewer threads
            IntraOpThreads.restartLoadWindow();
          }
        }
      }
    }
    PythonPeer.Result peerResult = peer == null ? null : PythonPeer.combine(peerRuns);
    return new Result(
        settings,
        "Generator.sample, greedy, " + Transformer.decodeStepPath(),
        BenchReport.preloaded(),
        threads(),
        Arrays.stream(rates).max().orElseThrow(),
        BenchReport.median(rates),
        rates,
        bestPrefill,
        Arrays.stream(modelRates).max().orElseThrow(),
        matmuls,
        peerResult,
        peer == null ? peerNote : null);
  }

  /**
   * One full call; returns {prefill seconds, decode seconds} as the generator timed its steps, so
   * that the decode time is measured, not the difference of two noisy calls.
   */
  private double[] timeGenerator(Generator generator, List<int[]> prompts) {
    long prefill = generator.prefillNanos();
    long decode = generator.decodeNanos();
    int n = settings.newTokens();
    check(generator.sample(prompts, SamplingParams.greedy(n)), n);
    return new double[] {
      (generator.prefillNanos() - prefill) / 1e9, (generator.decodeNanos() - decode) / 1e9
    };
  }

  private void check(List<Completion> completions, int length) {
    for (Completion c : completions) {
      if (c.length() != length) {
        throw new IllegalStateException(
            "a completion has " + c.length() + " tokens, expected " + length + " (no stop tokens)");
      }
    }
  }

  /** The model alone: a prefill, then N - 1 forwardLast + argmax steps; returns decode seconds. */
  private double timeModel(Transformer model, NDManager manager, List<int[]> prompts) {
    int b = settings.batch();
    int p = settings.promptTokens();
    try (KvCache cache = new KvCache(model.config(), manager, new int[b], p + settings.newTokens());
        InferenceWeights weights = model.inferenceWeights(); // as the generator samples
        NDScope ignored = new NDScope()) {
      NDArray next;
      try (NDScope step = new NDScope()) {
        int[] flat = prompts.stream().flatMapToInt(Arrays::stream).toArray();
        NDArray tokens = manager.create(flat, new Shape(b, p)); // (B, P)
        next = model.forwardLast(tokens, cache, weights).argMax(-1); // (B)
        NDScope.unregister(next);
      }
      long began = System.nanoTime();
      for (int i = 1; i < settings.newTokens(); i++) {
        try (NDScope step = new NDScope()) {
          NDArray logits = model.forwardLast(next.reshape(b, 1), cache, weights); // (B, V)
          next.close();
          next = logits.argMax(-1); // (B)
          next.toLongArray(); // to the host, as a generator must to look for stop tokens
          NDScope.unregister(next);
        }
      }
      long finished = System.nanoTime();
      next.close();
      return (finished - began) / 1e9;
    }
  }

  private List<int[]> prompts() {
    Random random = new Random(settings.seed());
    List<int[]> prompts = new ArrayList<>();
    for (int r = 0; r < settings.batch(); r++) {
      prompts.add(random.ints(settings.promptTokens(), 0, settings.config().vocabSize()).toArray());
    }
    return prompts;
  }

  /** Shape by shape, the faster of two measurements of the same shapes ({@code a} may be null). */
  private static List<MatmulRate> faster(List<MatmulRate> a, List<MatmulRate> b) {
    if (a == null) {
      return b;
    }
    List<MatmulRate> best = new ArrayList<>(b.size());
    for (int i = 0; i < b.size(); i++) {
      best.add(a.get(i).gflops() >= b.get(i).gflops() ? a.get(i) : b.get(i));
    }
    return best;
  }

  /** fp32 matmul rates at the shapes of a decode step's weights, as Linear runs them. */
  private List<MatmulRate> matmulRates(NDManager manager) {
    ModelConfig c = settings.config();
    long b = settings.batch();
    long width = c.hiddenSize();
    List<MatmulRate> rates = new ArrayList<>();
    rates.add(matmul(manager, "qkv", b, width, width + 2L * c.kvSize()));
    rates.add(matmul(manager, "o", b, width, width));
    rates.add(matmul(manager, "gate_up", b, width, 2L * c.intermediateSize()));
    rates.add(matmul(manager, "down", b, c.intermediateSize(), width));
    rates.add(matmul(manager, "lm_head", b, width, c.vocabSize()));
    return rates;
  }

  private static MatmulRate matmul(NDManager manager, String name, long m, long k, long n) {
    try (NDManager scratch = manager.newSubManager()) {
      NDArray x = scratch.randomNormal(new Shape(m, k)); // (m, k)
      NDArray w = scratch.randomNormal(new Shape(n, k)); // (n, k), as Linear stores weights
      double flops = 2.0 * m * k * n;
      // size a trial to last about MATMUL_TRIAL_SECONDS
      int iterations = 1;
      while (true) {
        double seconds = timeMatmuls(x, w, iterations);
        if (seconds >= MATMUL_TRIAL_SECONDS / 4 || iterations >= 1 << 20) {
          iterations = Math.max(1, (int) (iterations * MATMUL_TRIAL_SECONDS / seconds));
          break;
        }
        iterations *= 4;
      }
      double best = 0;
      for (int t = 0; t < MATMUL_TRIALS; t++) {
        best = Math.max(best, flops * iterations / timeMatmuls(x, w, iterations) / 1e9);
      }
      return new MatmulRate(name, m, k, n, best);
    }
  }

  private static double timeMatmuls(NDArray x, NDArray w, int iterations) {
    long began = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      try (NDArray y = Linear.linear(x, w).singletonOrThrow()) {
        if (y.getDataType() != DataType.FLOAT32) {
          throw new IllegalStateException("matmul gave " + y.getDataType());
        }
      }
    }
    return (System.nanoTime() - began) / 1e9;
  }
}
