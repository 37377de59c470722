package aha.runs.report;

import aha.grpo.eval.EvalReport;
import aha.grpo.reflection.ReflectionMarkers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The HTML of a {@link RunReport}: one file with no scripts and nothing fetched, the charts being
 * PNG data URIs, so that it can be mailed or attached and opened anywhere. Everything that comes
 * from the run's files goes through {@link Html#escape}; a Content-Security-Policy forbids scripts
 * and remote content as a second line of defence.
 */
final class ReportPage {

  private static final String STYLE =
      """
      body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430;
             max-width: 1000px; margin: 2em auto; padding: 0 1em; }
      h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
      table { border-collapse: collapse; margin: .8em 0; } th, td { padding: .25em .8em; text-align: right; }
      th:first-child, td:first-child { text-align: left; } thead th { border-bottom: 1px solid #999; }
      tbody tr:nth-child(even) { background: #f5f7fa; } .meta td { text-align: left; }
      figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
      figcaption, .note { color: #5a6473; font-size: .9em; }
      .sample { border: 1px solid #dde2ea; border-radius: 6px; padding: .6em 1em; margin: 1em 0; }
      .sample pre { white-space: pre-wrap; word-break: break-word; background: #f7f7f9; padding: .6em;
                    font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
      .right { color: #1f7a45; font-weight: 600; } .wrong { color: #b3361b; font-weight: 600; }
      .aha { background: #fff3c4; padding: 0 .3em; border-radius: 3px; }
      mark { background: #ffd84d; padding: 0 1px; } code { background: #f1f3f6; padding: 0 .25em; }
      """;

  private ReportPage() {}

  static String html(RunReport report, List<RunReport.Chart> charts) {
    StringBuilder out = new StringBuilder(64 * 1024);
    String name = report.run().name();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        // data: images and the inline style only; no scripts, nothing fetched
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("img-src data:; style-src 'unsafe-inline'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>aha · ").append(Html.escape(name)).append("</title>\n")
        .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
        .append("<h1>aha · ").append(Html.escape(name)).append("</h1>\n");
    header(out, report);
    trends(out, report);
    charts(out, charts);
    evals(out, report);
    samples(out, report);
    footer(out, report);
    out.append("</body>\n</html>\n");
    return out.toString();
  }

  /** Status, times, command and versions from the manifest, and where GRPO's steps start. */
  private static void header(StringBuilder out, RunReport report) {
    JsonNode manifest = report.manifest();
    out.append("<table class=\"meta\">\n");
    metaRow(out, "status", text(manifest, "status"));
    metaRow(out, "started", text(manifest, "started_at"));
    metaRow(out, "ended", text(manifest, "ended_at"));
    List<String> command = new ArrayList<>();
    manifest.path("command").forEach(word -> command.add(word.asText()));
    metaRow(out, "command", command.isEmpty() ? null : "aha " + String.join(" ", command));
    String commit = text(manifest, "git_commit");
    if (commit != null && manifest.path("git_dirty").asBoolean(false)) {
      commit += " (uncommitted changes)";
    }
    metaRow(out, "version", join(text(manifest, "aha_version"), commit));
    String java = text(manifest, "java");
    metaRow(out, "machine", join(text(manifest, "host"), text(manifest, "os"), cpus(manifest), java == null ? null : "Java " + java));
    if (report.grpoSteps() > 0) {
      metaRow(out, "GRPO", String.format(Locale.ROOT, "%d steps; GRPO step k is global step %d + k in metrics.jsonl",
          report.grpoSteps(), report.stepOffset()));
    }
    out.append("</table>\n");
    if (report.grpoSteps() == 0) {
      out.append("<p class=\"note\">No GRPO steps in metrics.jsonl yet.</p>\n");
    }
  }

  private static void metaRow(StringBuilder out, String label, String value) {
    if (value != null && !value.isEmpty()) {
      out.append("<tr><th>").append(label).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }
  }

  private static void trends(StringBuilder out, RunReport report) {
    List<RunReport.Trend> trends = report.trends();
    if (trends.isEmpty()) {
      return;
    }
    int window = report.trendWindow();
    String steps = window == 1 ? "step" : window + " steps";
    out.append("<h2>Training at a glance</h2>\n<table>\n<thead><tr><th></th>")
        .append("<th>first ").append(steps).append("</th><th>last ").append(steps).append("</th></tr></thead>\n<tbody>\n");
    for (RunReport.Trend trend : trends) {
      out.append("<tr><td>").append(Html.escape(trend.label())).append("</td><td>")
          .append(trend.shown(trend.first()))
          .append("</td><td>")
          .append(trend.shown(trend.last()))
          .append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n");
  }

  private static void charts(StringBuilder out, List<RunReport.Chart> charts) {
    out.append("<h2>Charts</h2>\n");
    if (charts.isEmpty()) {
      out.append("<p class=\"note\">No metrics to chart yet.</p>\n");
    }
    for (RunReport.Chart chart : charts) {
      out.append("<figure id=\"").append(Html.escape(chart.name())).append("\">\n")
          .append("<img alt=\"").append(Html.escape(chart.title())).append("\" width=\"").append(chart.width())
          .append("\" height=\"").append(chart.height()).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(chart.png())).append("\">\n")
          .append("<figcaption>").append(Html.escape(chart.caption())).append("</figcaption>\n</figure>\n");
    }
  }

  /**
   * The first evaluation (the base model's, before GRPO) beside the last, then, when there are
   * more, every evaluation one row each.
   */
  private static void evals(StringBuilder out, RunReport report) {
    List<ObjectNode> evals = report.evals();
    out.append("<h2>Held-out evaluation</h2>\n");
    if (evals.isEmpty()) {
      out.append("<p class=\"note\">No eval reports in eval/.</p>\n");
      return;
    }
    ObjectNode first = evals.get(0);
    ObjectNode last = evals.get(evals.size() - 1);
    boolean both = evals.size() > 1;
    TreeSet<String> keys = new TreeSet<>(RunReport.FIGURE_ORDER);
    keys.addAll(RunReport.figureKeys(first));
    keys.addAll(RunReport.figureKeys(last));

    out.append("<table class=\"evals\">\n<thead><tr><th></th><th>")
        .append(both ? "base · " : "").append(stepLabel(report, first)).append("</th>");
    if (both) {
      out.append("<th>final · ").append(stepLabel(report, last)).append("</th><th>change</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (String count : List.of("problems", "samples")) {
      out.append("<tr><td>").append(count.equals("samples") ? "samples per problem" : count).append("</td><td>")
          .append(integer(first, count)).append("</td>");
      if (both) {
        out.append("<td>").append(integer(last, count)).append("</td><td></td>");
      }
      out.append("</tr>\n");
    }
    for (String key : keys) {
      double a = RunReport.number(first, key);
      out.append("<tr><td>").append(Html.escape(RunReport.figureLabel(key))).append("</td><td>")
          .append(figure(key, a)).append("</td>");
      if (both) {
        double b = RunReport.number(last, key);
        out.append("<td>").append(figure(key, b)).append("</td><td>").append(change(key, a, b)).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>\n");
    families(out, report, first, both ? last : null);

    if (evals.size() > 2) {
      TreeSet<String> all = new TreeSet<>(RunReport.FIGURE_ORDER);
      evals.forEach(eval -> all.addAll(RunReport.figureKeys(eval)));
      out.append("<h3>Every evaluation</h3>\n<table class=\"every-eval\">\n<thead><tr><th>GRPO step</th>");
      all.forEach(key -> out.append("<th>").append(Html.escape(RunReport.figureLabel(key))).append("</th>"));
      out.append("</tr></thead>\n<tbody>\n");
      for (ObjectNode eval : evals) {
        out.append("<tr><td>").append(report.grpoStep(eval.path("step").asLong())).append("</td>");
        all.forEach(key -> out.append("<td>").append(figure(key, RunReport.number(eval, key))).append("</td>"));
        out.append("</tr>\n");
      }
      out.append("</tbody>\n</table>\n");
    }
  }

  /** pass@1 per problem family, greedy and sampled, of the first report (and the last). */
  private static void families(StringBuilder out, RunReport report, ObjectNode first, ObjectNode last) {
    JsonNode families = first.path("by_family");
    if (!families.isObject() || families.size() < 2) {
      return; // one family is the overall figure again
    }
    out.append("<table class=\"families\">\n<thead><tr><th>family</th><th>problems</th>");
    for (String figure : List.of("greedy", "sampled")) {
      out.append("<th>pass@1 ").append(figure).append(last == null ? "" : " (base → final)").append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    families.fieldNames().forEachRemaining(family -> {
      JsonNode a = families.get(family);
      JsonNode b = last == null ? null : last.path("by_family").path(family);
      out.append("<tr><td>").append(Html.escape(family)).append("</td><td>").append(integer(a, "problems")).append("</td>");
      for (String key : List.of("pass@1_greedy", "pass@1")) {
        out.append("<td>").append(EvalReport.percent(RunReport.number(a, key)));
        if (b != null) {
          out.append(" → ").append(EvalReport.percent(RunReport.number(b, key)));
        }
        out.append("</td>");
      }
      out.append("</tr>\n");
    });
    out.append("</tbody>\n</table>\n");
  }

  private static String stepLabel(RunReport report, JsonNode eval) {
    return "GRPO step " + report.grpoStep(eval.path("step").asLong());
  }

  /** The shown completions of the last logged step, with their verdicts and marked reflections. */
  private static void samples(StringBuilder out, RunReport report) {
    out.append("<h2>Sample completions</h2>\n");
    List<RunReport.Shown> shown = report.shown();
    if (shown.isEmpty()) {
      out.append("<p class=\"note\">No completions shown (samples.jsonl is empty, missing, or --samples 0).</p>\n");
      return;
    }
    out.append("<p class=\"note\">From GRPO step ").append(report.grpoStep(report.samplesStep()))
        .append(", the last one logged in samples.jsonl: aha moments first, then other answer changes, ")
        .append("other reflections, then one completion per problem. Reflection markers are <mark>marked</mark>.</p>\n");
    for (RunReport.Shown sample : shown) {
      JsonNode problem = sample.problem();
      JsonNode completion = sample.completion();
      boolean right = completion.path("correct").asBoolean(false);
      out.append("<article class=\"sample\">\n<p><code>").append(Html.escape(problem.path("problem_id").asText()))
          .append("</code> ").append(Html.escape(problem.path("question").asText())).append("</p>\n<p>")
          .append(right ? "<span class=\"right\">✓ right</span>" : "<span class=\"wrong\">✗ wrong</span>");
      JsonNode extracted = completion.get("extracted");
      if (extracted != null && !extracted.isNull()) {
        out.append(" · answer <code>").append(Html.escape(extracted.asText())).append("</code>");
      }
      out.append(" · gold <code>").append(Html.escape(problem.path("gold").asText())).append("</code>");
      if (completion.hasNonNull("reason")) {
        out.append(" · ").append(Html.escape(completion.get("reason").asText()));
      }
      if (completion.path("reward").isNumber()) {
        out.append(String.format(Locale.ROOT, " · reward %.2f", completion.get("reward").asDouble()));
      }
      if (completion.path("length").isNumber()) {
        out.append(" · ").append(completion.get("length").asLong()).append(" tokens");
      }
      if (completion.hasNonNull("finish")) {
        out.append(" (").append(Html.escape(completion.get("finish").asText())).append(")");
      }
      String transition = sample.transition();
      if (transition != null && !transition.equals("none")) {
        out.append(" · <span class=\"aha\">").append(Html.escape(transition.replace("_to_", " → ")));
        if (transition.equals("wrong_to_right")) {
          out.append(": an aha moment");
        }
        out.append("</span>");
        if (sample.candidate() != null) {
          out.append(" (answer before the reflection: <code>").append(Html.escape(sample.candidate())).append("</code>)");
        }
      }
      out.append("</p>\n<pre>").append(highlighted(completion.path("text").asText(""), sample.hits())).append("</pre>\n</article>\n");
    }
  }

  /** {@code text} escaped, each reflection marker in a {@code <mark>} naming the marker. */
  static String highlighted(String text, List<ReflectionMarkers.Hit> hits) {
    StringBuilder out = new StringBuilder(text.length() + 32 * hits.size());
    int at = 0;
    for (ReflectionMarkers.Hit hit : hits) {
      if (hit.start() < at || hit.end() > text.length()) {
        continue; // hits come in order and inside the text; anything else is not drawn
      }
      out.append(Html.escape(text.substring(at, hit.start())))
          .append("<mark title=\"reflection marker: ").append(Html.escape(hit.marker())).append("\">")
          .append(Html.escape(text.substring(hit.start(), hit.end())))
          .append("</mark>");
      at = hit.end();
    }
    return out.append(Html.escape(text.substring(at))).toString();
  }

  private static void footer(StringBuilder out, RunReport report) {
    out.append("<h2>Notes</h2>\n<p class=\"note\">Reflection markers: ")
        .append(Html.escape(String.join(", ", report.markers())))
        .append(". Made by <code>aha report</code> from the run's files (docs/run-format.md).</p>\n");
    if (!report.warnings().isEmpty()) {
      out.append("<details><summary>").append(report.warnings().size())
          .append(" problems reading the run</summary>\n<ul>\n");
      report.warnings().forEach(warning -> out.append("<li>").append(Html.escape(warning)).append("</li>\n"));
      out.append("</ul>\n</details>\n");
    }
  }

  // ---- formatting

  static String figure(String key, double value) {
    return RunReport.isRate(key) ? EvalReport.percent(value) : decimal(value);
  }

  /** The last minus the first: points for a rate, tokens for a length; "-" when either is missing. */
  static String change(String key, double first, double last) {
    if (Double.isNaN(first) || Double.isNaN(last)) {
      return "-";
    }
    return RunReport.isRate(key)
        ? String.format(Locale.ROOT, "%+.1f pts", 100 * (last - first))
        : String.format(Locale.ROOT, "%+.1f", last - first);
  }

  static String decimal(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String integer(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value != null && value.canConvertToLong() ? Long.toString(value.asLong()) : "-";
  }

  private static String text(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String cpus(JsonNode manifest) {
    return manifest.path("cpus").canConvertToInt() ? manifest.get("cpus").asInt() + " cpus" : null;
  }

  /** The non-null parts, joined by " · ". */
  private static String join(String... parts) {
    List<String> present = new ArrayList<>();
    for (String part : parts) {
      if (part != null && !part.isEmpty()) {
        present.add(part);
      }
    }
    return String.join(" · ", present);
  }
}
