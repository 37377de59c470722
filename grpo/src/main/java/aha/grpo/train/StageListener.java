package aha.grpo.train;

import aha.grpo.eval.EvalReport;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one progress interface of a run's stages (tokenizer, pretrain, sft, the base's eval, grpo):
 * what progress bars, logs and the metrics file are told. Every method has a default, so a
 * listener implements only what it shows; {@link #andThen} tells two.
 */
public interface StageListener {

  /** A listener that ignores everything. */
  StageListener NONE = new StageListener() {};

  /** A line for the user (what a stage made, how long it took). */
  default void onMessage(String line) {}

  /** {@code stage} starts, or continues after {@code stepsDone} of its {@code steps} steps (0: no steps). */
  default void onStageStart(String stage, long stepsDone, long steps) {}

  /**
   * Step {@code step} (1-based, counted within its stage) has finished.
   *
   * @param figures the step's metrics, keys as in docs/run-format.md ({@code loss}, {@code
   *     accuracy}, ...), in a stable order; empty for a stage that only counts its progress
   */
  default void onStep(String stage, long step, Map<String, Double> figures) {}

  /** A held-out evaluation after step {@code step} of {@code stage} (0: before its first). */
  default void onEval(String stage, long step, EvalReport report) {}

  /** A checkpoint of {@code stage} was written, named by the run's global step. */
  default void onCheckpoint(String stage, long globalStep, Path dir) {}

  /** {@code stage} has ended. */
  default void onStageEnd(String stage) {}

  /** This listener, then {@code next}, for every event. */
  default StageListener andThen(StageListener next) {
    StageListener first = this;
    return new StageListener() {
      @Override
      public void onMessage(String line) {
        first.onMessage(line);
        next.onMessage(line);
      }

      @Override
      public void onStageStart(String stage, long stepsDone, long steps) {
        first.onStageStart(stage, stepsDone, steps);
        next.onStageStart(stage, stepsDone, steps);
      }

      @Override
      public void onStep(String stage, long step, Map<String, Double> figures) {
        first.onStep(stage, step, figures);
        next.onStep(stage, step, figures);
      }

      @Override
      public void onEval(String stage, long step, EvalReport report) {
        first.onEval(stage, step, report);
        next.onEval(stage, step, report);
      }

      @Override
      public void onCheckpoint(String stage, long globalStep, Path dir) {
        first.onCheckpoint(stage, globalStep, dir);
        next.onCheckpoint(stage, globalStep, dir);
      }

      @Override
      public void onStageEnd(String stage) {
        first.onStageEnd(stage);
        next.onStageEnd(stage);
      }
    };
  }
}
