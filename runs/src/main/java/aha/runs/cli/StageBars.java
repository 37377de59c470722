package aha.runs.cli;

import aha.grpo.eval.EvalReport;
import aha.grpo.train.StageListener;
import aha.runs.train.GrpoStage;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * What every training command shows: one progress bar per stage on stderr (loss and tokens per
 * second for pretraining and SFT; accuracy, length and the reflecting share for GRPO), and the
 * stages' messages and each held-out evaluation's headline as lines on {@code out}.
 */
final class StageBars implements StageListener, AutoCloseable {
  private final PrintWriter out;
  private ProgressBar bar;

  StageBars(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onMessage(String line) {
    out.println(line);
    out.flush();
  }

  @Override
  public void onStageStart(String stage, long stepsDone, long steps) {
    close();
    if (steps > 0) {
      bar = ProgressBars.create(stage, steps, null);
      bar.stepTo(stepsDone);
    } else {
      onMessage(stage + " ...");
    }
  }

  @Override
  public void onStep(String stage, long step, Map<String, Double> figures) {
    if (bar == null) {
      return;
    }
    bar.stepTo(step);
    if (GrpoStage.STAGE.equals(stage)) {
      bar.setExtraMessage(
          String.format(Locale.ROOT, "acc %.2f len %.0f aha %.2f", figures.get("accuracy"),
              figures.get("completions/mean_length"), figures.get("aha/response_share")));
    } else if (figures.get("loss") != null && !figures.get("loss").isNaN()) {
      bar.setExtraMessage(
          String.format(Locale.ROOT, "loss %.3f  %.1fk tok/s", figures.get("loss"),
              figures.getOrDefault("tokens_per_s", 0.0) / 1000));
    }
  }

  @Override
  public void onEval(String stage, long step, EvalReport report) {
    if (bar != null) {
      bar.setExtraMessage(String.format(Locale.ROOT, "eval pass@1 %.3f", report.passAt1Greedy()));
    }
    out.printf(Locale.ROOT, "%neval at GRPO step %d: %s%n", step, report.headline());
    out.flush();
  }

  @Override
  public void onStageEnd(String stage) {
    close();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
