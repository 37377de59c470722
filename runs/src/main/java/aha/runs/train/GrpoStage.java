package aha.runs.train;

import aha.grpo.eval.EvalReport;
import aha.grpo.rl.GrpoConfig;
import aha.grpo.rl.GrpoTrainer;
import aha.grpo.rl.LabChat;
import aha.grpo.rl.ProblemSampler;
import aha.grpo.train.AdamW;
import aha.grpo.train.BasePipeline;
import aha.grpo.train.StageListener;
import aha.problems.AtomicFiles;
import aha.problems.Problem;
import aha.runs.store.CheckpointStore;
import aha.runs.store.JsonLines;
import aha.runs.store.JsonLinesWriter;
import aha.runs.store.RunDirectory;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.cluster.ClusterDispatcher;
import aha.sampler.checkpoint.DType;
import aha.sampler.checkpoint.SafeTensors;
import aha.sampler.model.Transformer;
import aha.sampler.service.VertxFutures;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The GRPO stage of a run: trains a policy from a base checkpoint with {@link GrpoTrainer}, its
 * rollouts from a {@link ProblemSampler} on the caller's Vert.x, and writes what the run directory
 * holds (docs/run-format.md): one metrics line and the logged
 * samples per step, an eval report per evaluation, and a checkpoint every {@code checkpointEvery}
 * steps and after the last. A stage that finds a GRPO checkpoint in the run continues from the
 * newest one, after dropping the metric and sample lines of the steps it will run again, so the
 * files read as if it had never stopped.
 *
 * <p>Metric lines count steps globally across a run's stages: GRPO step k is line {@code stepOffset
 * + k}; checkpoints are named by the global step.
 */
public final class GrpoStage {

  /** The policy's checkpoint inside a GRPO checkpoint folder: an HF directory {@code aha sample} reads. */
  public static final String MODEL = "model";

  static final String OPTIMIZER = "optimizer.safetensors";
  static final String PROGRESS = "trainer.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where and how the stage runs.
   *
   * @param run the run directory
   * @param base the starting checkpoint (with its tokenizer.json); also the KL reference
   * @param stepOffset global steps of the stages before this one
   * @param checkpointEvery GRPO steps between checkpoints (the last step always gets one)
   * @param keepCheckpoints how many checkpoints to keep
   * @param device where the policy lives
   * @param vertx runs the sampling service (and, in {@code aha train}, the dashboard)
   * @param clock the run's clock when the stages before ran in this process; null to go on from
   *     the {@code elapsed_s} of the last metrics line the stage keeps
   * @param cluster the cluster {@code vertx} is a member of, whose sampler nodes share the sampling;
   *     null to sample in this process alone
   */
  public record Settings(
      RunDirectory run, Path base, long stepOffset, int checkpointEvery, int keepCheckpoints, Device device,
      Vertx vertx, RunClock clock, Cluster cluster) {}

  /**
   * The cluster a stage samples over.
   *
   * @param members the ids of the cluster's members now (a node whose member is gone is dropped)
   * @param itemTimeout how long a node may take over one item before it is given to others
   * @param host this member's cluster address, where the nodes fetch the weights from
   * @param weightsPort the port of the weights server (0: any free port)
   */
  public record Cluster(
      Supplier<? extends Collection<String>> members, Duration itemTimeout, String host, int weightsPort) {}

  /** What the stage ends with: the final policy's checkpoint and the last evaluation. */
  public record Result(Path finalModel, EvalReport firstEval, EvalReport lastEval, long steps) {}

  private GrpoStage() {}

  /** The stage's name in metric lines and progress. */
  public static final String STAGE = "grpo";

  /**
   * Runs (or continues) the stage to {@code config.steps()} steps, a plain loop: step, evaluate
   * when due, append the metrics and samples, checkpoint when due, tell {@code listener}.
   */
  public static Result run(
      GrpoConfig config, Settings settings, List<Problem> train, List<Problem> heldOut, StageListener listener)
      throws IOException {
    RunDirectory run = settings.run();
    CheckpointStore checkpoints = run.checkpoints(settings.keepCheckpoints());
    Optional<Path> latest = latestGrpoCheckpoint(checkpoints, settings.stepOffset());
    Path policyDir = latest.map(dir -> dir.resolve(MODEL)).orElse(settings.base());
    GrpoTrainer.Resume resume = latest.isPresent() ? readResume(latest.get()) : null;
    long globalDone = settings.stepOffset() + (resume == null ? 0 : resume.progress().step());
    // lines of steps that will run again are dropped (a killed run may have written past its checkpoint)
    JsonLines.keepThroughStep(run.metrics(), globalDone);
    JsonLines.keepThroughStep(run.samples(), globalDone);
    RunClock clock = settings.clock() != null ? settings.clock() : RunClock.continuing(run.metrics());

    EvalReport firstEval = null;
    EvalReport lastEval = null;
    try (NDManager manager = NDManager.newBaseManager(settings.device());
        Tokenizer tokenizer = Tokenizer.load(settings.base());
        MetricsLog metrics = new MetricsLog(run.metrics(), clock);
        JsonLinesWriter samples = new JsonLinesWriter(run.samples())) {
      ChatTemplate template = LabChat.template(tokenizer);
      Transformer policy = Checkpoints.load(policyDir, manager);
      Transformer reference = config.loss().beta() > 0 ? Checkpoints.load(settings.base(), manager) : null;
      long stepsDone = resume == null ? 0 : resume.progress().step();
      ProblemSampler sampler = VertxFutures.await(startSampler(config, settings, policy, template, tokenizer, stepsDone));
      try (GrpoTrainer trainer =
          new GrpoTrainer(config, policy, reference, template, train, heldOut, resume, sampler)) {
        listener.onStageStart(STAGE, trainer.steps(), config.steps());
        if (trainer.steps() == 0) {
          firstEval = trainer.evaluate(true);
          if (firstEval != null) {
            writeEval(run, settings.stepOffset(), firstEval);
            listener.onEval(STAGE, 0, firstEval);
          }
        }
        while (trainer.steps() < config.steps()) {
          GrpoTrainer.StepResult result = trainer.step();
          long global = settings.stepOffset() + result.step();
          EvalReport eval = trainer.evaluateIfDue(result);
          if (eval != null) {
            writeEval(run, global, eval);
            firstEval = firstEval == null ? eval : firstEval;
            lastEval = eval;
            listener.onEval(STAGE, result.step(), eval);
          }
          metrics.append(STAGE, global, result.metrics());
          if (settings.cluster() != null) {
            writeNodes(run, global, sampler.nodes());
          }
          for (ObjectNode sample : result.samples()) {
            sample.put("step", global);
            samples.append(sample);
          }
          listener.onStep(STAGE, result.step(), result.metrics());
          if (result.step() == config.steps() || result.step() % settings.checkpointEvery() == 0) {
            Path dir = checkpoints.write(global, into -> writeCheckpoint(into, trainer, settings.base()));
            listener.onCheckpoint(STAGE, global, dir);
          }
        }
        listener.onStageEnd(STAGE);
      } finally {
        VertxFutures.await(sampler.close());
      }
    }
    Path finalDir = checkpoints.latest().orElseThrow().resolve(MODEL);
    return new Result(finalDir, firstEval, lastEval == null ? firstEval : lastEval, config.steps());
  }

  private static Future<ProblemSampler> startSampler(
      GrpoConfig config, Settings settings, Transformer policy, ChatTemplate template, Tokenizer tokenizer,
      long stepsDone) {
    if (settings.cluster() == null) {
      return ProblemSampler.startForTraining(settings.vertx(), config, policy, template, stepsDone);
    }
    ClusterDispatcher.Options options =
        ClusterDispatcher.Options.defaults()
            .withItemTimeout(settings.cluster().itemTimeout())
            .withWeightsServer(settings.cluster().host(), settings.cluster().weightsPort());
    return ProblemSampler.startClustered(
        settings.vertx(), config, policy, template, stepsDone, tokenizer.file(), settings.cluster().members(), options);
  }

  /** The cluster's nodes after global step {@code globalStep}, as {@code nodes.json} (the dashboard's table). */
  private static void writeNodes(RunDirectory run, long globalStep, List<ClusterDispatcher.NodeStatus> nodes)
      throws IOException {
    ObjectNode root = JSON.createObjectNode().put("step", globalStep);
    ArrayNode list = root.putArray("nodes");
    for (ClusterDispatcher.NodeStatus node : nodes) {
      list.addObject()
          .put("node", node.node())
          .put("device", node.device())
          .put("capacity_rows", node.capacityRows())
          .put("version", node.version())
          .put("in_flight", node.inFlight())
          .put("items", node.items())
          .put("rows", node.rows())
          .put("rows_per_s", node.rowsPerSecond())
          .put("failures", node.failures())
          .put("load_ms", node.loadMillis())
          .put("live", node.live());
    }
    AtomicFiles.writeString(run.dir().resolve(NODES), JSON.writeValueAsString(root));
  }

  /** The file of a clustered run that lists its sampler nodes after the last step. */
  public static final String NODES = "nodes.json";

  /** The eval report of global step {@code globalStep}, as {@code eval/step-N.json}. */
  private static void writeEval(RunDirectory run, long globalStep, EvalReport report) throws IOException {
    AtomicFiles.writeString(run.evalDir().resolve("step-" + globalStep + ".json"), report.toJson(globalStep));
  }

  /** The newest checkpoint of this stage (global step past {@code stepOffset}), if any. */
  static Optional<Path> latestGrpoCheckpoint(CheckpointStore checkpoints, long stepOffset) throws IOException {
    Optional<Path> latest = checkpoints.latest();
    if (latest.isEmpty() || !Files.exists(latest.get().resolve(PROGRESS))) {
      return Optional.empty();
    }
    List<Long> steps = checkpoints.steps();
    return steps.get(steps.size() - 1) > stepOffset ? latest : Optional.empty();
  }

  /** Model (with tokenizer), optimizer moments and progress into {@code dir}. */
  static void writeCheckpoint(Path dir, GrpoTrainer trainer, Path base) throws IOException {
    Path model = dir.resolve(MODEL);
    Checkpoints.save(trainer.policy(), model);
    Files.copy(
        base.resolve(BasePipeline.TOKENIZER),
        model.resolve(BasePipeline.TOKENIZER),
        StandardCopyOption.REPLACE_EXISTING);
    AdamW.State optimizer = trainer.optimizerState();
    List<SafeTensors.Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < optimizer.firstMoments().size(); i++) {
      float[] m = optimizer.firstMoments().get(i);
      float[] v = optimizer.secondMoments().get(i);
      tensors.add(SafeTensors.Tensor.floats("m." + i, DType.F32, new long[] {m.length}, () -> m));
      tensors.add(SafeTensors.Tensor.floats("v." + i, DType.F32, new long[] {v.length}, () -> v));
    }
    SafeTensors.write(dir.resolve(OPTIMIZER), tensors, Map.of("steps", Integer.toString(optimizer.steps())));
    GrpoTrainer.Progress progress = trainer.progress();
    ObjectNode node = JSON.createObjectNode();
    node.put("step", progress.step());
    node.put("policy_version", progress.step());
    node.put("problem_cursor", progress.problemCursor());
    ObjectNode markers = node.putObject("first_step_of_marker");
    progress.firstStepOfMarker().forEach(markers::put);
    node.put("rng", "none: sampling seeds derive from the run seed and the step");
    Files.writeString(dir.resolve(PROGRESS), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
  }

  /** Reads what {@link #writeCheckpoint} wrote, besides the model. */
  static GrpoTrainer.Resume readResume(Path dir) throws IOException {
    JsonNode node = JSON.readTree(Files.readString(dir.resolve(PROGRESS), StandardCharsets.UTF_8));
    Map<String, Long> markers = new LinkedHashMap<>();
    node.path("first_step_of_marker").fields().forEachRemaining(e -> markers.put(e.getKey(), e.getValue().asLong()));
    GrpoTrainer.Progress progress =
        new GrpoTrainer.Progress(node.path("step").asLong(), node.path("problem_cursor").asLong(), markers);
    List<float[]> first = new ArrayList<>();
    List<float[]> second = new ArrayList<>();
    int steps;
    try (SafeTensors file = SafeTensors.open(dir.resolve(OPTIMIZER))) {
      steps = Integer.parseInt(file.metadata().getOrDefault("steps", "0"));
      for (int i = 0; file.names().contains("m." + i); i++) {
        first.add(file.readFloats("m." + i));
        second.add(file.readFloats("v." + i));
      }
    }
    return new GrpoTrainer.Resume(progress, new AdamW.State(steps, first, second));
  }
}
