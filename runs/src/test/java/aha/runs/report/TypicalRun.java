package aha.runs.report;

import aha.runs.dashboard.FakeRun;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The run the report tests look at: every kind of content a report shows, and what it must survive. */
public final class TypicalRun {

  /** A question whose HTML must come out as text. */
  public static final String SCRIPT_QUESTION = "<script>alert(1)</script> What is 2 + 2?";

  /** A reflecting completion whose recorded markers are empty, so that only a detector finds "Hmm". */
  public static final String HMM = "<think>2 + 2 = 5. Hmm, no: 2 + 2 = 4.\u0007</think><answer>4</answer>";

  private TypicalRun() {}

  /**
   * A finished run as {@code aha train} leaves one: 20 pretraining steps, then GRPO steps 21–30
   * (GRPO steps 1–10) of which step 24 has a null accuracy and no aha figures, a malformed metrics
   * line, eval reports at steps 20, 22 and 30 and a broken one at 27, and samples of steps 29 and
   * 30.
   */
  public static FakeRun create(Path root) throws IOException {
    FakeRun run = FakeRun.create(root, "20261128-183000-typical", "finished");
    for (long step = 1; step <= 20; step++) {
      run.pretrainMetric(step);
    }
    for (long step = 21; step <= 30; step++) {
      if (step == 24) {
        run.rawMetrics("{\"step\":24,\"stage\":\"grpo\",\"accuracy\":null,\"completions/mean_length\":55.5}\n");
        run.rawMetrics("{not json\n");
      } else {
        run.metric(step); // steps 25 and 30 carry eval/ figures too
      }
    }
    run.evalReport(20, report(20, 0.25, 0.1875, 0.5, 0.125, 0.25, 0.0625, 60.5));
    run.evalReport(22, report(22, 0.3, 0.2, 0.55, 0.15, 0.3, 0.05, 58.0));
    run.evalReport(30, report(30, 0.375, 0.3125, 0.625, 0.25, 0.375, 0.0, 48.25));
    run.evalReport(27, "{\"step\": 27, \"pass@1\"");

    run.samples(29, "linear-1", true, false);
    run.samples(30, "p<b>&\"1\"", false, true, false);
    ObjectNode record = FakeRun.JSON.createObjectNode();
    record.put("step", 30).put("problem_id", "word-7").put("question", SCRIPT_QUESTION);
    record.put("gold", "4").put("kind", "numeric");
    ArrayNode completions = record.putArray("completions");
    completions.addObject()
        .put("text", HMM).put("reward", 1.1).put("correct", true).put("format_ok", true)
        .put("extracted", "4").put("reason", "equal").put("finish", "stop").put("length", 20)
        .put("transition", "wrong_to_right")
        .putArray("markers");
    run.rawSamples(FakeRun.JSON.writeValueAsString(record) + "\n");
    return run;
  }

  private static String report(
      long step, double greedy, double sampled, double pass4, double maj1, double maj4, double truncated, double length) {
    return String.format(
        Locale.ROOT,
        "{\"step\": %d, \"problems\": 8, \"samples\": 4, \"pass@1_greedy\": %s, \"pass@1\": %s, \"pass@4\": %s,"
            + " \"maj@1\": %s, \"maj@4\": %s, \"truncated\": %s, \"mean_length\": %s, \"by_family\": {"
            + "\"addition\": {\"problems\": 4, \"pass@1_greedy\": %s, \"pass@1\": %s},"
            + "\"linear\": {\"problems\": 4, \"pass@1_greedy\": 0.0, \"pass@1\": null}}}",
        step, greedy, sampled, pass4, maj1, maj4, truncated, length, 2 * greedy, 2 * sampled);
  }
}
