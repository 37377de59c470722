package aha.grpo.bench;

import ai.djl.ndarray.NDManager;
import aha.grpo.train.BaseConfig;
import aha.grpo.train.Batch;
import aha.grpo.train.StageListener;
import aha.grpo.train.TrainConfig;
import aha.grpo.train.Trainer;
import aha.sampler.bench.BenchReport;
import aha.sampler.bench.PythonPeer;
import aha.sampler.bench.SampleBenchmark;
import aha.sampler.model.IntraOpThreads;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Speed of one training step, for {@code aha bench train}: the step pretraining and SFT take
 * ({@link Trainer}: forward over whole sequences, masked mean next-token cross-entropy, backward,
 * global-norm clipping and an AdamW step), timed beside the same step of the same shapes in eager
 * Python PyTorch ({@code bench/peer_train.py}) in the same run, so that both see the same machine.
 *
 * <p>One fixed batch of seeded random tokens (every position counted) is fed to {@link
 * Trainer#train} for the warm-up steps and then the timed ones at a constant learning rate; a
 * step's time is the wall time between two of its step reports, which covers the whole step and
 * nothing else (no held-out loss is asked for). The median of the timed steps is reported, with
 * the best beside it, as the machine may be shared. The peer does the same: warm-up, then the
 * median of its timed steps. The weights are random on both sides but not the same (two random
 * generators), which does not change the arithmetic; each side's first and last losses are printed
 * to show that both trained.
 *
 * <p>Beside each side's step time the report prints the intra-op threads its torch ran with and its
 * process's peak resident set: aha's is the whole JVM's ({@code VmHWM}, read before the peer
 * starts), the peer's its Python process's (also {@code VmHWM}: {@code ru_maxrss} would carry the
 * JVM's peak over the exec), so each includes its runtime.
 *
 * <p>Dimensions: B rows, T tokens per row, V vocabulary.
 */
public final class TrainBenchmark {

  /** aha's step time aimed for, as a fraction of the Python eager peer's. */
  public static final double TARGET_PEER_RATIO = 0.9;

  /** The peer script, relative to the repository root. */
  public static final Path SCRIPT = Path.of("bench", "peer_train.py");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double LEARNING_RATE = 1e-3;

  /**
   * What to run.
   *
   * @param preset the preset's name, for the report
   * @param config the model shape
   * @param batch B, rows per step
   * @param seqLen T, tokens per row
   * @param steps timed steps
   * @param warmup untimed steps before them
   * @param threads libtorch intra-op threads, or 0 to fit them to the load ({@link
   *     IntraOpThreads}); the peer gets the most this allows
   * @param seed seeds the weights and the tokens
   */
  public record Settings(
      String preset,
      ModelConfig config,
      int batch,
      int seqLen,
      int steps,
      int warmup,
      int threads,
      long seed) {

    public Settings {
      if (batch < 1) {
        throw new IllegalArgumentException("batch must be at least 1, got " + batch);
      }
      if (seqLen < 2) {
        throw new IllegalArgumentException("sequence length must be at least 2, got " + seqLen);
      }
      if (seqLen > config.maxPositions()) {
        throw new IllegalArgumentException(
            "sequence length "
                + seqLen
                + " exceeds the model's "
                + config.maxPositions()
                + " positions");
      }
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be at least 1, got " + steps);
      }
      if (warmup < 0) {
        throw new IllegalArgumentException("warm-up steps must be at least 0, got " + warmup);
      }
      if (threads < 0) {
        throw new IllegalArgumentException(
            "threads must be 0 (fitted to the load) or more, got " + threads);
      }
    }

    /**
     * The settings a preset trains with: its base recipe's vocabulary and pretraining batch (nano
     * 16 x 128 over 1024 tokens, micro 32 x 256 over 2048).
     */
    public static Settings forPreset(String preset, int steps, int warmup, int threads, long seed) {
      BaseConfig recipe = BaseConfig.preset(preset);
      TrainConfig pretrain = recipe.pretrain();
      return new Settings(
          preset,
          recipe.model().withVocabSize(recipe.vocabSize()),
          pretrain.batchSize(),
          pretrain.seqLen(),
          steps,
          warmup,
          threads,
          seed);
    }

    /** This run with another batch shape. */
    public Settings withBatch(int newBatch, int newSeqLen) {
      return new Settings(preset, config, newBatch, newSeqLen, steps, warmup, threads, seed);
    }

    /** This run with another vocabulary. */
    public Settings withVocabSize(int vocabSize) {
      return new Settings(
          preset, config.withVocabSize(vocabSize), batch, seqLen, steps, warmup, threads, seed);
    }

    /** Tokens read per step, B T. */
    public long tokensPerStep() {
      return (long) batch * seqLen;
    }
  }

  /**
   * What the peer measured.
   *
   * @param msPerStep median step time
   * @param bestMsPerStep fastest step
   * @param firstLoss loss of its first step
   * @param lastLoss loss of its last step
   * @param peakRssMb its process's peak resident set in MB, or NaN when it did not say
   * @param torchVersion the torch it ran on
   * @param threads torch's intra-op threads as it reported them
   * @param preload the LD_PRELOAD it ran under, or "none"
   */
  public record PeerResult(
      double msPerStep,
      double bestMsPerStep,
      double firstLoss,
      double lastLoss,
      double peakRssMb,
      String torchVersion,
      int threads,
      String preload)
      implements PythonPeer.Conditions {}

  /**
   * What was measured.
   *
   * @param settings what ran
   * @param preloaded the LD_PRELOAD the JVM ran under, or "glibc malloc"
   * @param threads libtorch's intra-op threads as it reported them after the steps
   * @param stepMillis every timed step's wall time, in order
   * @param firstLoss loss of the first step (warm-up included)
   * @param lastLoss loss of the last step
   * @param peakRssMb this process's peak resident set in MB after the steps (JVM included), or NaN
   * @param peer the Python peer's figures, or null when it did not run
   * @param peerNote why the peer did not run, or null
   */
  public record Result(
      Settings settings,
      String preloaded,
      int threads,
      double[] stepMillis,
      double firstLoss,
      double lastLoss,
      double peakRssMb,
      PeerResult peer,
      String peerNote) {

    /** The median timed step, in ms. */
    public double msPerStep() {
      return BenchReport.median(stepMillis);
    }

    /** The fastest timed step, in ms. */
    public double bestMsPerStep() {
      return Arrays.stream(stepMillis).min().orElseThrow();
    }

    /** Tokens per second at the median step. */
    public double tokensPerSecond() {
      return settings.tokensPerStep() / (msPerStep() / 1000);
    }

    /** aha's median step time over the peer's (lower is better), or NaN without a peer. */
    public double peerRatio() {
      return peer == null ? Double.NaN : msPerStep() / peer.msPerStep();
    }

    /** Whether the peer ran and aha's step took at most {@link #TARGET_PEER_RATIO} of its time. */
    public boolean targetMet() {
      return peer != null && peerRatio() <= TARGET_PEER_RATIO;
    }

    /** The human-readable report, several lines. */
    public String format() {
      Settings s = settings;
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT,
              "train benchmark: preset %s (vocabulary %d), batch %d x %d tokens, %d timed steps"
                  + " after %d warm-up, %s, preloaded %s, collector %s%n",
              s.preset(),
              s.config().vocabSize(),
              s.batch(),
              s.seqLen(),
              s.steps(),
              s.warmup(),
              IntraOpThreads.describe(s.threads()),
              preloaded,
              BenchReport.collector()));
      out.append(
          String.format(
              Locale.ROOT,
              "  aha step        %,.1f ms (median; best %,.1f; all %s; %d threads), %,.0f tokens/s,"
                  + " peak RSS %s, loss %.3f -> %.3f%n",
              msPerStep(),
              bestMsPerStep(),
              BenchReport.joined(stepMillis, "%.1f"),
              threads,
              tokensPerSecond(),
              BenchReport.megabytes(peakRssMb),
              firstLoss,
              lastLoss));
      if (peer != null) {
        out.append(
            String.format(
                Locale.ROOT,
                "  python peer     %,.1f ms (median; best %,.1f; torch %s eager, %d threads,"
                    + " LD_PRELOAD %s), peak RSS %s, loss %.3f -> %.3f%n",
                peer.msPerStep(),
                peer.bestMsPerStep(),
                peer.torchVersion(),
                peer.threads(),
                peer.preload(),
                BenchReport.megabytes(peer.peakRssMb()),
                peer.firstLoss(),
                peer.lastLoss()));
        out.append(
            String.format(
                Locale.ROOT,
                "  ratio           %.2fx the peer's time, target at most %.2fx: %s%n",
                peerRatio(),
                TARGET_PEER_RATIO,
                BenchReport.verdict(targetMet())));
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
      node.put("vocab_size", s.config().vocabSize());
      node.put("batch", s.batch());
      node.put("seq_len", s.seqLen());
      node.put("steps", s.steps());
      node.put("warmup", s.warmup());
      node.put("threads", IntraOpThreads.most(s.threads()));
      node.put("threads_fitted", s.threads() == 0);
      node.put("aha_threads", threads); // what libtorch reported after the run
      node.put("preloaded", preloaded);
      node.put("collector", BenchReport.collector());
      node.put("ms_per_step", msPerStep());
      node.put("ms_per_step_best", bestMsPerStep());
      ArrayNode all = node.putArray("ms_per_step_all");
      Arrays.stream(stepMillis).forEach(all::add);
      node.put("tokens_per_s", tokensPerSecond());
      node.put("loss_first", firstLoss);
      node.put("loss_last", lastLoss);
      BenchReport.putMegabytes(node, "peak_rss_mb", peakRssMb);
      if (peer != null) {
        node.put("peer_ms_per_step", peer.msPerStep());
        node.put("peer_ms_per_step_best", peer.bestMsPerStep());
        node.put("peer_loss_first", peer.firstLoss());
        node.put("peer_loss_last", peer.lastLoss());
        BenchReport.putMegabytes(node, "peer_peak_rss_mb", peer.peakRssMb());
      }
      return BenchReport.endJson(node, peer, peerRatio(), TARGET_PEER_RATIO, peerNote, targetMet());
    }
  }

  private final Settings settings;

  /** A benchmark of {@code settings}. */
  public TrainBenchmark(Settings settings) {
    this.settings = settings;
  }

  /**
   * Times aha's training step, then runs {@code peer} (a {@link PythonPeer} over {@link #SCRIPT})
   * when given. Trains on the calling thread, which must not hold a gradient collector.
   *
   * @param peer the Python peer to run after aha, or null
   * @param peerNote why there is no peer, when {@code peer} is null
   */
  public Result run(PythonPeer peer, String peerNote) {
    SampleBenchmark.setThreads(settings.threads());
    int total = settings.warmup() + settings.steps();
    double[] reportSeconds = new double[total];
    double[] losses = new double[total];
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = new Transformer(settings.config());
      model.initialize(manager, settings.seed());
      Batch batch = randomBatch();
      try (Trainer trainer = new Trainer(model, trainConfig(total))) {
        long start = System.nanoTime();
        trainer.train(
            () -> batch,
            List.of(),
            "bench",
            new StageListener() {
              @Override
              public void onStep(String stage, long step, Map<String, Double> figures) {
                // seconds since the first step started, when step ended
                reportSeconds[(int) step - 1] = (System.nanoTime() - start) / 1e9;
                losses[(int) step - 1] = figures.get("loss");
              }
            });
      }
    }
    // read before the peer runs; the peer is another process, whose memory does not count here
    int threads = SampleBenchmark.threads();
    double peakRssMb = BenchReport.peakRssMegabytes();
    double[] stepMillis = new double[settings.steps()];
    for (int i = settings.warmup(); i < total; i++) {
      double previous = i == 0 ? 0 : reportSeconds[i - 1];
      stepMillis[i - settings.warmup()] = 1000 * (reportSeconds[i] - previous);
    }
    PeerResult peerResult = peer == null ? null : runPeer(peer);
    return new Result(
        settings,
        BenchReport.preloaded(),
        threads,
        stepMillis,
        losses[0],
        losses[total - 1],
        peakRssMb,
        peerResult,
        peer == null ? peerNote : null);
  }

  /** The optimizer settings of the presets' recipes at a constant learning rate, no evaluation. */
  private TrainConfig trainConfig(int steps) {
    return new TrainConfig(
        steps,
        settings.batch(),
        settings.seqLen(),
        LEARNING_RATE,
        0, // warm-up steps of the schedule
        1.0, // min lr ratio: constant
        0.1, // weight decay
        0.9, // beta1
        0.95, // beta2
        1.0, // clip norm
        0, // eval every: never
        0, // eval batches
        settings.seed());
  }

  /** B rows of T + 1 seeded random tokens: inputs are the first T, targets the last T. */
  private Batch randomBatch() {
    int b = settings.batch();
    int t = settings.seqLen();
    Random random = new Random(settings.seed());
    long[] inputs = new long[b * t];
    long[] targets = new long[b * t];
    float[] mask = new float[b * t];
    for (int r = 0; r < b; r++) {
      long[] row = random.longs(t + 1, 0, settings.config().vocabSize()).toArray();
      System.arraycopy(row, 0, inputs, r * t, t);
      System.arraycopy(row, 1, targets, r * t, t);
    }
    Arrays.fill(mask, 1f);
    return new Batch(b, t, inputs, targets, mask);
  }

  private PeerResult runPeer(PythonPeer peer) {
    List<String> arguments = new ArrayList<>();
    arguments.addAll(
        List.of(
            "--batch",
            Integer.toString(settings.batch()),
            "--seq-len",
            Integer.toString(settings.seqLen()),
            "--steps",
            Integer.toString(settings.steps()),
            "--warmup",
            Integer.toString(settings.warmup()),
            "--lr",
            Double.toString(LEARNING_RATE),
            "--seed",
            Long.toString(settings.seed())));
    JsonNode result =
        peer.runScript(settings.config(), IntraOpThreads.most(settings.threads()), arguments);
    if (!result.path("ms_per_step_median").isNumber()) {
      throw new IllegalStateException(
          "the Python peer " + peer.script() + " reported no ms_per_step_median: " + result);
    }
    return new PeerResult(
        result.path("ms_per_step_median").asDouble(),
        result.path("ms_per_step_best").asDouble(),
        result.path("loss_first").asDouble(),
        result.path("loss_last").asDouble(),
        result.path("peak_rss_mb").asDouble(Double.NaN),
        result.path("torch_version").asText(),
        result.path("threads").asInt(),
        PythonPeer.preloadOf(result));
  }
}
