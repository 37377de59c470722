package aha.runs.train;

import aha.grpo.rl.GrpoConfig;
import aha.grpo.train.BaseConfig;
import aha.grpo.train.BasePipeline;
import aha.grpo.train.StageListener;
import aha.problems.gen.CurriculumSpec;
import aha.runs.store.CheckpointStore;
import aha.runs.store.JsonLines;
import aha.runs.store.RunDirectory;
import ai.djl.Device;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole experiment in one run directory: problems → tokenizer → pretraining → SFT ({@link
 * BasePipeline}, into {@code RUN/base}) → GRPO ({@link GrpoStage}) with held-out evaluations.
 *
 * <p>Resuming: the base stage is whole or absent. It is built in {@code RUN/base.partial} and
 * renamed to {@code RUN/base} when done; a run killed before that starts it again from scratch
 * (it is deterministic, so the result is the same) after dropping its metric lines. A run killed
 * during GRPO continues from the newest GRPO checkpoint.
 *
 * <p>Metric lines count steps globally: pretraining steps 1..P, SFT steps P+1..P+S, GRPO steps
 * after them.
 */
public final class TrainPipeline {

  /** The base model's folder in a run. */
  public static final String BASE = "base";

  private static final String BASE_PARTIAL = "base.partial";

  /**
   * What a run is made of.
   *
   * @param base the base model's recipe
   * @param curriculum the problems' curriculum
   * @param grpo the RL stage
   * @param checkpointEvery GRPO steps between checkpoints
   * @param keepCheckpoints how many checkpoints to keep
   * @param device where the models live
   */
  public record Plan(
      BaseConfig base, CurriculumSpec curriculum, GrpoConfig grpo, int checkpointEvery, int keepCheckpoints,
      Device device) {}

  private TrainPipeline() {}

  /**
   * Runs the plan into {@code run}, continuing wherever an earlier attempt stopped; the GRPO
   * stage's sampling service runs on {@code vertx}, and over {@code cluster}'s nodes unless it is
   * null.
   */
  public static GrpoStage.Result run(
      Plan plan, RunDirectory run, Vertx vertx, GrpoStage.Cluster cluster, StageListener listener)
      throws IOException {
    Path base = run.dir().resolve(BASE);
    long baseSteps = (long) plan.base().pretrain().steps() + plan.base().sft().steps();
    boolean baseDone = Files.exists(base.resolve(BasePipeline.REPORT));
    if (!baseDone) {
      // nothing of an unfinished base stage is kept: its lines go, and it runs again
      JsonLines.keepThroughStep(run.metrics(), 0);
      CheckpointStore.deleteTree(run.dir().resolve(BASE_PARTIAL));
    }
    // a base stage that runs here starts the run's clock; otherwise GRPO goes on from its last line
    RunClock clock = baseDone ? null : RunClock.startingNow();
    BasePipeline.Data data;
    try (MetricsLog metrics = new MetricsLog(run.metrics(), clock)) {
      StageListener lines = new BaseLines(metrics, plan.base().pretrain().steps()).andThen(listener);
      BasePipeline pipeline = new BasePipeline(plan.base(), plan.curriculum(), plan.device(), lines);
      if (!baseDone) {
        Path partial = run.dir().resolve(BASE_PARTIAL);
        pipeline.run(partial);
        Files.move(partial, base);
      }
      data = pipeline.data();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    GrpoStage.Settings settings =
        new GrpoStage.Settings(run, base, baseSteps, plan.checkpointEvery(), plan.keepCheckpoints(), plan.device(), vertx, clock,
            cluster);
    return GrpoStage.run(plan.grpo(), settings, data.train(), data.heldOut(), listener);
  }

  /**
   * Writes a metrics line for each pretraining and SFT step, numbered globally (SFT after
   * pretraining). The trainer calls it between steps, where an I/O error can only travel unchecked;
   * {@link #run} unwraps it.
   */
  private record BaseLines(MetricsLog metrics, int pretrainSteps) implements StageListener {
    @Override
    public void onStep(String stage, long step, Map<String, Double> figures) {
      if (!"pretrain".equals(stage) && !"sft".equals(stage)) {
        return; // the closing evaluation's progress: not a training step
      }
      try {
        metrics.append(stage, step + ("sft".equals(stage) ? pretrainSteps : 0), figures);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
