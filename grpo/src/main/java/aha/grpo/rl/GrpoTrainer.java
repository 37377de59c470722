package aha.grpo.rl;

import aha.grpo.eval.EvalConfig;
import aha.grpo.eval.EvalReport;
import aha.grpo.eval.Evaluator;
import aha.grpo.reflection.AhaDetector;
import aha.grpo.reflection.AhaTracker;
import aha.grpo.reflection.ReflectionMarkers;
import aha.grpo.reflection.Transition;
import aha.grpo.train.AdamW;
import aha.grpo.train.Autograd;
import aha.problems.Problem;
import aha.sampler.generate.Completion;
import aha.sampler.generate.FinishReason;
import aha.sampler.generate.Generator;
import aha.sampler.generate.SamplingParams;
import aha.sampler.model.MemoryEstimate;
import aha.sampler.model.NoGrad;
import aha.sampler.model.Scalars;
import aha.sampler.model.Transformer;
import aha.sampler.service.VertxFutures;
import aha.sampler.tokenizer.ChatTemplate;
import aha.verifier.Verifier;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * GRPO: for each step, sample G completions for each of P problems from a {@link RolloutSource}
 * (the sampling service in a run), scored by the verifier; turn rewards into group-relative advantages, and
 * take μ clipped policy-gradient steps on the batch; then publish the new weights to the sampler.
 * {@link #step()} is the whole algorithm, top to bottom.
 *
 * <p>What it deliberately simplifies:
 *
 * <ul>
 *   <li>Synchronous: a step samples, then learns; the sampler is idle while the policy learns (on
 *       two CPU cores overlapping them would only share the cores). Every completion is therefore
 *       on-policy, and the {@code policy_version} it records is the step's.
 *   <li>π_old is the policy before the step's first update. With μ = 1 the loss uses the same
 *       forward pass's log-probabilities, detached, so the ratio is exactly 1 and its gradient
 *       the plain policy gradient; with μ > 1 one extra no-grad pass computes them first. The
 *       sampler's own log-probabilities are not used (the KV-cache path differs in float rounding).
 *   <li>The reference model for the KL term is the starting policy, frozen; it is only built when
 *       β > 0.
 *   <li>One device, one process: no sequence packing, no tensor or data parallelism.
 * </ul>
 *
 * <p>Threads: the constructing thread owns training (one gradient collector per JVM) and must
 * make every call. The rollout source (and the Vert.x instance it may run on) belongs to the caller,
 * who closes it after this trainer.
 *
 * <p>Dimensions: B completions in a micro-batch, L their longest completion.
 */
public final class GrpoTrainer implements AutoCloseable {

  /**
   * One finished step.
   *
   * @param step 1-based
   * @param metrics the step's metrics, keys as in docs/run-format.md, in a stable order
   * @param samples the sample-log records of the first {@code logSamples} groups
   */
  public record StepResult(long step, Map<String, Double> metrics, List<ObjectNode> samples) {}

  /**
   * Where a run stands between steps, besides the weights and the optimizer: what a checkpoint
   * needs to continue exactly. Sampling seeds derive from the run seed and the step number, so
   * there is no random-generator state to keep.
   *
   * @param step steps taken
   * @param problemCursor training problems handed out so far ({@link ProblemStream#cursor()})
   * @param firstStepOfMarker the step at which each reflection marker first appeared
   */
  public record Progress(long step, long problemCursor, Map<String, Long> firstStepOfMarker) {
    public Progress {
      firstStepOfMarker = Map.copyOf(firstStepOfMarker);
    }
  }

  /** A run to continue: its progress and optimizer state (the policy's weights are loaded already). */
  public record Resume(Progress progress, AdamW.State optimizer) {}

  /** A sampled completion ready for the loss. */
  private record Row(int[] prompt, Completion sampled, double advantage, boolean counted) {

    int[] completion() {
      return sampled.tokens();
    }

    /** The tokens the environment wrote (a tool's answers), which are context, not actions. */
    boolean[] injected() {
      return sampled.injected();
    }

    float[] samplerLogprobs() {
      return sampled.logprobs();
    }

    /** The tokens the policy wrote, which the loss and its normaliser count. */
    long policyTokens() {
      return sampled.policyTokens();
    }
  }

  private final GrpoConfig config;
  private final Transformer policy;
  private final Transformer reference;
  private final ChatTemplate template;
  private final Verifier verifier;
  private final AhaDetector detector;
  private final AhaTracker tracker = new AhaTracker();
  private final ProblemStream problems;
  private final List<Problem> heldOut;
  private final NDManager manager;
  private final AdamW optimizer;
  private final RolloutSource rollouts;
  private Generator evalGenerator;
  private long step;

  /**
   * Readies the optimizer; sampling goes through {@code rollouts}.
   *
   * @param policy the model to train, its parameters attached to gradients
   * @param reference the frozen starting model for the KL term, or null when {@code config.loss().beta()
   *     == 0}
   * @param train training problems
   * @param heldOut problems for the held-out evaluations (may be empty)
   * @param resume where to continue from, or null for a fresh run
   * @param rollouts samples and scores completions of the current policy: its samplers must start
   *     with {@code policy}'s weights as version {@code resume}'s step (0 for a fresh run)
   */
  public GrpoTrainer(
      GrpoConfig config,
      Transformer policy,
      Transformer reference,
      ChatTemplate template,
      List<Problem> train,
      List<Problem> heldOut,
      Resume resume,
      RolloutSource rollouts) {
    if (config.loss().beta() > 0 && reference == null) {
      throw new IllegalArgumentException("beta > 0 needs a reference model");
    }
    this.config = config;
    this.policy = policy;
    this.reference = config.loss().beta() > 0 ? reference : null;
    this.template = template;
    this.verifier = new Verifier(config.reward().verifier());
    this.detector = new AhaDetector(new ReflectionMarkers(config.markers()), verifier);
    this.problems = new ProblemStream(train, config.seed());
    this.heldOut = List.copyOf(heldOut);
    this.manager = NDManager.newBaseManager(policy.device());
    List<Parameter> parameters = new ArrayList<>();
    for (Pair<String, Parameter> pair : policy.getParameters()) {
      parameters.add(pair.getValue());
    }
    this.optimizer = new AdamW(parameters, config.optimizer().adamW(), manager);
    if (resume != null) {
      optimizer.restore(resume.optimizer());
      problems.seek(resume.progress().problemCursor());
      tracker.restore(resume.progress().firstStepOfMarker());
      step = resume.progress().step();
    }
    this.rollouts = rollouts;
  }

  /** Steps taken. */
  public long steps() {
    return step;
  }

  public GrpoConfig config() {
    return config;
  }

  /** The model being trained. */
  public Transformer policy() {
    return policy;
  }

  /** Where the run stands, for a checkpoint. */
  public Progress progress() {
    return new Progress(step, problems.cursor(), tracker.firstStepOfMarker());
  }

  /** A host copy of the optimizer's state, for a checkpoint. */
  public AdamW.State optimizerState() {
    return optimizer.state();
  }

  /**
   * The held-out evaluation due after the step just taken, or null when none is: one after the
   * last step (with samples) and one every {@code eval_every} steps (greedy only). Its figures join
   * {@code result}'s metrics as {@code eval/} keys.
   */
  public EvalReport evaluateIfDue(StepResult result) {
    boolean last = result.step() == config.steps();
    boolean due = config.eval().every() > 0 && result.step() % config.eval().every() == 0;
    if (!last && !due) {
      return null;
    }
    EvalReport report = evaluate(last);
    if (report != null) {
      putEval(result.metrics(), report);
    }
    return report;
  }

  /** One GRPO step: sample, score, compute advantages, learn, publish. */
  public StepResult step() {
    long stepStart = System.nanoTime();
    long number = step + 1;
    Map<String, Double> metrics = new LinkedHashMap<>();

    // 1. sample G completions per problem; the service scores them as batches finish
    List<ScoredGroup> sampled = new ArrayList<>();
    List<ScoredGroup> informative = new ArrayList<>();
    List<double[]> informativeRewards = new ArrayList<>();
    int rounds = 0;
    while (informative.size() < config.rollout().problemsPerStep() && rounds < config.rollout().samplingRounds()) {
      List<Problem> batch = problems.next(config.rollout().problemsSampledPerRound());
      for (ScoredGroup group : VertxFutures.await(rollouts.sample(batch, config.rollout().groupSize(), params(number, rounds)))) {
        sampled.add(group);
        double[] rewards = rewards(group);
        // 2. a group whose rewards are all equal has zero advantages: with dynamic sampling it is
        // dropped and more problems are sampled in its place
        boolean uninformative = Advantages.zeroStd(rewards, 0, rewards.length);
        if (informative.size() < config.rollout().problemsPerStep()
            && !(config.rollout().dynamicSampling() && uninformative)) {
          informative.add(group);
          informativeRewards.add(rewards);
        }
      }
      rounds++;
    }
    double sampleSeconds = seconds(stepStart);

    // 3. group-relative advantages of the groups that are learnt from
    double[] flatRewards = concat(informativeRewards);
    double[] advantages = Advantages.compute(flatRewards, config.rollout().groupSize(), config.reward().scaleRewards());
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < informative.size(); p++) {
      ScoredGroup group = informative.get(p);
      for (int i = 0; i < group.size(); i++) {
        ScoredCompletion c = group.completions().get(i);
        boolean truncated = c.finishReason() == FinishReason.LENGTH;
        boolean counted = !(config.reward().maskTruncated() && truncated) && c.tokens().length > 0;
        rows.add(
            new Row(group.promptTokens(), c.completion(), advantages[p * config.rollout().groupSize() + i], counted));
      }
    }

    // 4. μ optimizer steps on the batch against the sampling policy's log-probs
    long learnStart = System.nanoTime();
    LearnFigures learned = rows.isEmpty() ? LearnFigures.NONE : learn(rows);
    double learnSeconds = seconds(learnStart);

    // 5. hand the new weights to the sampler for the next step
    step = number;
    long syncStart = System.nanoTime();
    VertxFutures.await(rollouts.publishWeights(step, policy));
    double syncSeconds = seconds(syncStart);

    // 6. metrics of everything sampled this step
    putRewards(metrics, sampled);
    putLengths(metrics, sampled);
    if (template.hasTools()) {
      ToolMetrics.put(metrics, sampled);
    }
    metrics.put("kl", learned.kl());
    metrics.put("entropy", learned.entropy());
    metrics.put("logprob_diff/sampler", learned.samplerDiff());
    metrics.put("clip_ratio/low_mean", learned.clipLow());
    metrics.put("clip_ratio/high_mean", learned.clipHigh());
    metrics.put("clip_ratio/region_mean", learned.clipRegion());
    metrics.put("grad_norm", learned.gradNorm());
    metrics.put("lr", learned.lr());
    metrics.put("policy_version", (double) step);
    metrics.put("groups/learnt", (double) informative.size());
    metrics.put("groups/sampled", (double) sampled.size());
    double completionTokens = sampled.stream().flatMap(g -> g.completions().stream()).mapToInt(c -> c.tokens().length).sum();
    metrics.put("tokens_per_s", sampleSeconds > 0 ? completionTokens / sampleSeconds : 0);
    metrics.put("time/sample", sampleSeconds);
    metrics.put("time/verify", verifySeconds(sampled));
    metrics.put("time/learn", learnSeconds);
    metrics.put("time/weight_sync", syncSeconds);
    metrics.put("time/step", seconds(stepStart));
    rollouts.putMetrics(metrics);
    List<List<AhaDetector.Analysis>> analyses = analyse(sampled);
    AhaTracker.StepMetrics aha = tracker.record(step, analyses.stream().flatMap(List::stream).toList());
    metrics.put("aha/keyword_rate", aha.keywordRate());
    metrics.put("aha/response_share", aha.responseShare());
    metrics.put("aha/transitions", (double) aha.wrongToRight());
    metrics.put("aha/right_to_wrong", (double) aha.transitions().getOrDefault(Transition.RIGHT_TO_WRONG, 0));
    metrics.put("aha/wrong_to_wrong", (double) aha.transitions().getOrDefault(Transition.WRONG_TO_WRONG, 0));
    AhaTracker.Contrast contrast = AhaTracker.contrast(analyses);
    metrics.put("aha/mixed_groups", (double) contrast.mixedGroups());
    // NaN, written as null, when no group mixes the two
    metrics.put("aha/within_group/reflecting", contrast.reflectingAccuracy());
    metrics.put("aha/within_group/plain", contrast.plainAccuracy());
    List<ObjectNode> samples = SampleLog.records(step, sampled, analyses, config.logSamples());
    return new StepResult(step, metrics, samples);
  }

  /** What the learning phase reports; means over the first pass, weighted by tokens. */
  private record LearnFigures(
      double kl,
      double entropy,
      double clipLow,
      double clipHigh,
      double clipRegion,
      double gradNorm,
      double lr,
      double samplerDiff) {
    static final LearnFigures NONE = new LearnFigures(0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * μ passes over {@code rows}, each one optimizer step with gradients accumulated over
   * micro-batches. The micro-batches take the rows shortest first: a micro-batch is padded to its
   * longest row, so rows of like length together pad least (GRPO's rows run from a short answer to
   * the token limit). Each loss sums or averages over rows and tokens the same whichever
   * micro-batch a row falls in, except {@code bnpo}'s, whose per-micro-batch normaliser depends on
   * an arbitrary split either way.
   */
  private LearnFigures learn(List<Row> sampledRows) {
    List<Row> rows = new ArrayList<>(sampledRows);
    rows.sort(Comparator.comparingInt(r -> r.prompt().length + r.completion().length)); // stable
    List<List<Row>> micro = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += config.optimizer().microBatch()) {
      micro.add(rows.subList(from, Math.min(rows.size(), from + config.optimizer().microBatch())));
    }
    long stepTokens = rows.stream().filter(Row::counted).mapToLong(Row::policyTokens).sum();
    // a micro-batch too big for the machine is refused before its forward pass allocates (an
    // allocation failure inside libtorch would read as an internal error), with what to lower
    int longestRow = rows.stream().mapToInt(r -> r.prompt().length + r.completion().length).max().orElse(0);
    int microRows = micro.stream().mapToInt(List::size).max().orElse(0);
    MemoryEstimate.requireFits(
        String.format(
            Locale.ROOT, "a GRPO learning micro-batch of %,d rows of up to %,d tokens", microRows, longestRow),
        MemoryEstimate.trainingBytes(policy.config(), microRows, longestRow),
        "grpo.optimizer.micro_batch");
    // frozen log-probs, kept on the host between passes: π_old (only needed when μ > 1) and π_ref
    List<List<float[]>> old = config.optimizer().numIterations() > 1 ? frozenLogprobs(policy, micro) : null;
    List<List<float[]>> ref = reference != null ? frozenLogprobs(reference, micro) : null;

    double kl = 0, entropy = 0, clipLow = 0, clipHigh = 0, clipRegion = 0, gradNorm = 0, lr = 0;
    double samplerDiff = 0;
    for (int pass = 0; pass < config.optimizer().numIterations(); pass++) {
      double tokens = 0;
      for (int m = 0; m < micro.size(); m++) {
        List<Row> batch = micro.get(m);
        try (NDScope ignored = new NDScope();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          TokenLogprobs.Result current =
              TokenLogprobs.compute(
                  policy, manager, prompts(batch), completions(batch), injected(batch), config.rollout().temperature());
          int width = (int) current.logprobs().getShape().get(1);
          NDArray mask = current.mask().mul(countedColumn(batch)); // (B, L)
          NDArray oldLogprobs =
              old == null
                  ? current.logprobs().stopGradient() // (B, L)
                  : TokenLogprobs.rightAligned(manager, old.get(m), width); // (B, L)
          NDArray refLogprobs =
              ref == null ? null : TokenLogprobs.rightAligned(manager, ref.get(m), width); // (B, L)
          NDArray advantages = manager.create(advantages(batch)); // (B)
          PolicyLoss.Result loss =
              PolicyLoss.compute(current.logprobs(), oldLogprobs, refLogprobs, advantages, mask,
                  config.loss(), config.rollout().maxNewTokens(), stepTokens);
          double weight = microBatchWeight(config.loss().type(), batch.size(), rows.size(), micro.size());
          Autograd.backward(collector, Scalars.mul(loss.loss(), weight)); // ()
          if (pass == 0) {
            double counted = batch.stream().filter(Row::counted).mapToLong(Row::policyTokens).sum();
            tokens += counted;
            kl += loss.kl() * counted;
            entropy += current.entropy() * counted;
            clipLow += loss.clipLow() * counted;
            clipHigh += loss.clipHigh() * counted;
            clipRegion += loss.clipRegion() * counted;
            // how far the sampler's log-probs (KV cache, batched decode) are from the trainer's
            NDArray sampler = TokenLogprobs.rightAligned(manager, samplerLogprobs(batch), width); // (B, L)
            samplerDiff += current.logprobs().stopGradient().sub(sampler).abs().mul(mask).sum().getFloat(); // ()
          }
        }
      }
      if (pass == 0 && tokens > 0) {
        kl /= tokens;
        entropy /= tokens;
        clipLow /= tokens;
        clipHigh /= tokens;
        clipRegion /= tokens;
        samplerDiff /= tokens;
      }
      lr = config.lrSchedule().at(optimizer.steps());
      gradNorm = optimizer.step(lr);
    }
    return new LearnFigures(kl, entropy, clipLow, clipHigh, clipRegion, gradNorm, lr, samplerDiff);
  }

  /**
   * What a micro-batch's loss is multiplied by so that the accumulated gradient is that of the
   * whole step's loss: {@code grpo} and {@code dr_grpo} average over sequences, so a micro-batch
   * counts by its share of them; {@code bnpo} normalises each micro-batch by its own tokens (TRL's
   * per-batch normaliser) and averages the micro-batches; {@code dapo} already divides by the
   * whole step's tokens.
   */
  static double microBatchWeight(LossType type, int microRows, int totalRows, int microBatches) {
    return switch (type) {
      case GRPO, DR_GRPO -> (double) microRows / totalRows;
      case BNPO -> 1.0 / microBatches;
      case DAPO -> 1.0;
    };
  }

  /** log π of each completion token under {@code model}, without gradients, per micro-batch. */
  private List<List<float[]>> frozenLogprobs(Transformer model, List<List<Row>> micro) {
    List<List<float[]>> out = new ArrayList<>();
    for (List<Row> batch : micro) {
      try (NDScope ignored = new NDScope()) {
        TokenLogprobs.Result result =
            NoGrad.call(
                () ->
                    TokenLogprobs.compute(
                        model, manager, prompts(batch), completions(batch), injected(batch), config.rollout().temperature()));
        float[] values = result.logprobs().toFloatArray(); // (B, L) row-major
        int width = (int) result.logprobs().getShape().get(1);
        List<float[]> rowsOut = new ArrayList<>();
        for (int b = 0; b < batch.size(); b++) {
          int length = batch.get(b).completion().length;
          float[] row = new float[length];
          System.arraycopy(values, b * width + width - length, row, 0, length);
          rowsOut.add(row);
        }
        out.add(rowsOut);
      }
    }
    return out;
  }

  // ---- sampling

  /** The sampling parameters of one request; the seed differs per step and per round. */
  private SamplingParams params(long stepNumber, int round) {
    long seed = config.seed() * 1_000_003L + stepNumber * 64 + round;
    GrpoConfig.Rollout rollout = config.rollout();
    return new SamplingParams(rollout.temperature(), rollout.topK(), rollout.topP(), rollout.maxNewTokens(), seed);
  }

  /** The verifier's rewards of a group, each with the soft overlong penalty added. */
  private double[] rewards(ScoredGroup group) {
    double[] rewards = new double[group.size()];
    for (int i = 0; i < rewards.length; i++) {
      ScoredCompletion c = group.completions().get(i);
      rewards[i] = c.reward() + config.overlongPenaltyFor(c.tokens().length);
    }
    return rewards;
  }

  private static double[] concat(List<double[]> parts) {
    return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  private static List<int[]> prompts(List<Row> rows) {
    return rows.stream().map(Row::prompt).toList();
  }

  private static List<int[]> completions(List<Row> rows) {
    return rows.stream().map(Row::completion).toList();
  }

  private static List<boolean[]> injected(List<Row> rows) {
    return rows.stream().map(Row::injected).toList();
  }

  private static List<float[]> samplerLogprobs(List<Row> rows) {
    return rows.stream().map(Row::samplerLogprobs).toList();
  }

  private static double[] advantages(List<Row> rows) {
    return rows.stream().mapToDouble(Row::advantage).toArray();
  }

  /** 1 for rows in the loss, 0 for masked ones (truncated), as a (B, 1) column. */
  private NDArray countedColumn(List<Row> rows) {
    float[] column = new float[rows.size()];
    for (int b = 0; b < column.length; b++) {
      column[b] = rows.get(b).counted() ? 1f : 0f;
    }
    return manager.create(column, new Shape(column.length, 1)); // (B, 1)
  }

  // ---- metrics

  private void putRewards(Map<String, Double> metrics, List<ScoredGroup> groups) {
    DescriptiveStatistics rewards = new DescriptiveStatistics();
    int correct = 0;
    int total = 0;
    int zeroStd = 0;
    for (ScoredGroup group : groups) {
      double[] r = rewards(group);
      for (double value : r) {
        rewards.addValue(value);
      }
      if (Advantages.zeroStd(r, 0, r.length)) {
        zeroStd++;
      }
      correct += group.passCount();
      total += group.size();
    }
    metrics.put("reward/mean", rewards.getMean());
    metrics.put("reward/std", rewards.getStandardDeviation());
    metrics.put("accuracy", total == 0 ? 0 : (double) correct / total);
    metrics.put("frac_reward_zero_std", groups.isEmpty() ? 0 : (double) zeroStd / groups.size());
  }

  /** Lengths in the tokens the policy wrote: a tool's answers do not make a response longer. */
  private static void putLengths(Map<String, Double> metrics, List<ScoredGroup> groups) {
    DescriptiveStatistics lengths = new DescriptiveStatistics();
    int clipped = 0;
    for (ScoredGroup group : groups) {
      for (ScoredCompletion c : group.completions()) {
        lengths.addValue(c.completion().policyTokens());
        if (c.finishReason() == FinishReason.LENGTH) {
          clipped++;
        }
      }
    }
    long n = lengths.getN();
    metrics.put("completions/mean_length", n == 0 ? 0 : lengths.getMean());
    metrics.put("completions/min_length", n == 0 ? 0 : lengths.getMin());
    metrics.put("completions/max_length", n == 0 ? 0 : lengths.getMax());
    metrics.put("completions/p90_length", n == 0 ? 0 : lengths.getPercentile(90));
    metrics.put("completions/clipped_ratio", n == 0 ? 0 : (double) clipped / n);
  }

  /** Verifier thread time of the step's completions, seconds (it overlaps sampling). */
  private static double verifySeconds(List<ScoredGroup> groups) {
    double millis = 0;
    for (ScoredGroup group : groups) {
      for (ScoredCompletion c : group.completions()) {
        millis += c.verifyMillis();
      }
    }
    return millis / 1000;
  }

  private List<List<AhaDetector.Analysis>> analyse(List<ScoredGroup> groups) {
    List<List<AhaDetector.Analysis>> out = new ArrayList<>();
    for (ScoredGroup group : groups) {
      Problem problem = group.problem();
      List<AhaDetector.Analysis> analyses = new ArrayList<>();
      for (ScoredCompletion c : group.completions()) {
        analyses.add(detector.analyze(c.text(), problem.answer(), problem.kind(), c.verdict()));
      }
      out.add(analyses);
    }
    return out;
  }

  // ---- evaluation

  /** Evaluates the policy on the held-out problems, or returns null when there is nothing to evaluate. */
  public EvalReport evaluate(boolean withSamples) {
    if (config.eval().problems() == 0 || heldOut.isEmpty()) {
      return null;
    }
    if (evalGenerator == null) {
      evalGenerator = Generator.forChat(policy, template);
    }
    EvalConfig eval = evalProtocol(config, withSamples);
    List<Problem> subset = heldOut.subList(0, Math.min(heldOut.size(), config.eval().problems()));
    return new Evaluator(evalGenerator, template, verifier).evaluate(subset, eval, done -> {});
  }

  /**
   * The lab's evaluation protocol ({@link EvalConfig#protocol}) at this run's settings: {@code
   * eval_samples} samples at the training temperature when {@code withSamples} (before the first
   * step and after the last), greedy only otherwise; {@code eval_max_new_tokens}; the run's seed.
   * {@code aha eval} with the same options gives the same figures for the same checkpoint.
   */
  public static EvalConfig evalProtocol(GrpoConfig config, boolean withSamples) {
    return EvalConfig.protocol(
        withSamples ? config.eval().samples() : 0,
        config.rollout().temperature(),
        config.eval().maxNewTokens(),
        config.seed());
  }

  /** The evaluation's figures as {@code eval/} metrics. */
  public static void putEval(Map<String, Double> metrics, EvalReport report) {
    metrics.put("eval/pass@1_greedy", report.passAt1Greedy());
    metrics.put("eval/pass@1", report.passAt1());
    report.passAtK().forEach((k, v) -> metrics.put("eval/pass@" + k, v));
    report.majAtK().forEach((k, v) -> metrics.put("eval/maj@" + k, v));
    metrics.put("eval/truncated", report.truncated());
    metrics.put("eval/mean_length", report.meanLength());
  }

  // ---- plumbing

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Frees the optimizer's state and the evaluation's generator; the rollout source stays open. */
  @Override
  public void close() {
    if (evalGenerator != null) {
      evalGenerator.close();
    }
    manager.close();
  }
}
