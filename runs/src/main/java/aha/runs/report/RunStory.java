package aha.runs.report;

import aha.runs.store.RunDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * A finished run's story in a few lines of text, printed at the end of {@code aha train} and
 * {@code aha grpo}: the held-out figures of the base model beside the final policy's with the
 * protocol they were measured by, what GRPO did to length and reflection (its first steps against
 * its last), the answer changes of the last steps, and where the time went. These are the figures
 * of the README's table, read from the run's own files as {@code aha report} reads them.
 */
public final class RunStory {

  /** Per-step counts that the story gives as totals over the last steps instead. */
  private static final java.util.Set<String> TOTALLED = java.util.Set.of("aha/transitions", "aha/right_to_wrong");

  private RunStory() {}

  /**
   * The story of the run in {@code run}, read leniently as {@code aha report} reads it (a bad line
   * is skipped).
   *
   * @throws IOException when the run's files cannot be read
   */
  public static String of(RunDirectory run) throws IOException {
    return text(RunReport.read(run, 0, warning -> {}));
  }

  /** The story of {@code report}'s run; lines it has no figures for are left out. */
  public static String text(RunReport report) {
    StringBuilder out = new StringBuilder();
    heldOut(out, report);
    training(out, report);
    time(out, report);
    return out.toString();
  }

  private static void heldOut(StringBuilder out, RunReport report) {
    List<ObjectNode> evals = report.evals();
    if (evals.isEmpty()) {
      return;
    }
    ObjectNode first = evals.get(0);
    ObjectNode last = evals.get(evals.size() - 1);
    boolean both = evals.size() > 1;
    out.append(String.format(Locale.ROOT, "held-out, %s problems; %s%n",
        first.path("problems").asText("?"), protocol(first)));
    if (both && !protocol(first).equals(protocol(last))) {
      out.append("  (the final evaluation: ").append(protocol(last)).append(")\n");
    }
    out.append(String.format(Locale.ROOT, "  %-18s %8s %8s %10s%n", "",
        "step " + report.grpoStep(first.path("step").asLong()), both ? "step " + report.grpoStep(last.path("step").asLong()) : "", both ? "change" : ""));
    TreeSet<String> keys = new TreeSet<>(RunReport.FIGURE_ORDER);
    keys.addAll(RunReport.figureKeys(first));
    keys.addAll(RunReport.figureKeys(last));
    for (String key : keys) {
      double a = RunReport.number(first, key);
      double b = RunReport.number(last, key);
      out.append(String.format(Locale.ROOT, "  %-18s %8s %8s %10s%n", RunReport.figureLabel(key),
          ReportPage.figure(key, a), both ? ReportPage.figure(key, b) : "", both ? ReportPage.change(key, a, b) : ""));
    }
  }

  /** How an eval report was measured, from its {@code protocol} (reports before it existed say less). */
  private static String protocol(JsonNode eval) {
    JsonNode text = eval.path("protocol").path("text");
    if (text.isTextual()) {
      return text.asText();
    }
    return eval.path("samples").asInt() + " samples each";
  }

  private static void training(StringBuilder out, RunReport report) {
    List<RunReport.Trend> trends = report.trends();
    if (trends.isEmpty()) {
      return;
    }
    int window = report.trendWindow();
    String steps = window == 1 ? "step" : window + " steps";
    out.append(String.format(Locale.ROOT, "GRPO, %d steps: the first %s against the last%n", report.grpoSteps(), steps));
    for (RunReport.Trend trend : trends) {
      if (TOTALLED.contains(trend.key())) {
        continue; // the answer changes follow as totals
      }
      out.append(String.format(Locale.ROOT, "  %-36s %8s -> %s%n", trend.label(),
          trend.shown(trend.first()), trend.shown(trend.last())));
    }
    out.append(String.format(Locale.ROOT, "  %-36s %.0f / %.0f%n", "wrong → right / right → wrong, last " + steps,
        report.lastWindowSum("aha/transitions"), report.lastWindowSum("aha/right_to_wrong")));
    if (report.hasTools()) {
      OptionalLong majority = report.callsMajorityStep();
      out.append(String.format(Locale.ROOT, "  %-36s %s%n", "calls first in most responses",
          majority.isPresent() ? "at step " + majority.getAsLong() : "at no step"));
    }
  }

  private static void time(StringBuilder out, RunReport report) {
    Map<String, Double> stages = report.stageSeconds();
    if (stages.isEmpty()) {
      return;
    }
    List<String> parts = new ArrayList<>();
    stages.forEach((stage, seconds) -> parts.add(String.format(Locale.ROOT, "%s %.0f s", stage, seconds)));
    Duration wall = wall(report.manifest());
    int resumes = report.manifest().path("resumes").asInt(0);
    String whole = resumes == 0 ? "in all (evaluations included)" : "since the last of " + resumes + " resumptions";
    out.append("time: ")
        .append(wall == null ? "" : String.format(Locale.ROOT, "%d:%02d %s; ", wall.toMinutes(), wall.toSecondsPart(), whole))
        .append(String.join(", ", parts))
        .append('\n');
  }

  /** From the manifest's start to its end, or null when either is missing. */
  private static Duration wall(JsonNode manifest) {
    try {
      String started = manifest.path("started_at").asText(null);
      String ended = manifest.path("ended_at").asText(null);
      return started == null || ended == null ? null : Duration.between(Instant.parse(started), Instant.parse(ended));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
