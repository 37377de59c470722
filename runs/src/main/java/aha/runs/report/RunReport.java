package aha.runs.report;

import aha.grpo.eval.EvalReport;
import aha.grpo.reflection.AhaDetector;
import aha.grpo.reflection.ReflectionMarkers;
import aha.grpo.rl.GrpoConfig;
import aha.grpo.rl.ToolMetrics;
import aha.problems.AnswerKind;
import aha.runs.config.ConfigLoader;
import aha.runs.store.EvalReports;
import aha.runs.store.JsonLines;
import aha.runs.store.RunDirectory;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the report of one run shows, read from its directory: the GRPO metrics and the
 * pretraining and SFT losses as chart lines, the eval reports, and a few completions of the last
 * logged step with the reflection markers the run's own detector finds in them.
 *
 * <p>GRPO charts count GRPO steps (1, 2, …), not the global steps of {@code metrics.jsonl}, which
 * go on from the last pretraining and SFT step: the evaluation before the first GRPO step is then
 * step 0, as the README's tables call it. Files are read leniently, as the dashboard reads them: a
 * malformed line or report, or a missing or {@code null} figure, is skipped (with a warning for
 * the first two), never fatal.
 */
public final class RunReport {

  /** A chart drawn: its stable name (the --png file is NAME.png), title, caption and PNG bytes. */
  public record Chart(String name, String title, String caption, int width, int height, byte[] png) {}

  /**
   * A completion shown on the page.
   *
   * @param problem the sample record it belongs to (question, gold, kind)
   * @param completion its entry in the record's {@code completions} (text, verdict, …)
   * @param hits the reflection markers in its text, in order
   * @param transition the recorded {@code transition}, or the detector's when none was recorded
   * @param candidate the answer stated before the reflection that changed it, or null
   */
  record Shown(
      JsonNode problem, JsonNode completion, List<ReflectionMarkers.Hit> hits, String transition, String candidate) {}

  /**
   * A training figure at the start and at the end of GRPO: the means over the first and the last
   * {@code window} steps.
   */
  record Trend(String key, String label, double first, double last, boolean rate) {
    /** A value of this figure as people read it: a percentage for a rate, else one decimal. */
    String shown(double value) {
      return rate ? EvalReport.percent(value) : ReportPage.decimal(value);
    }
  }

  private static final String GRPO = "grpo";
  private static final List<String> LOSS_STAGES = List.of("pretrain", "sft");

  /** Steps averaged at each end for the trends (fewer when the run is short). */
  static final int TREND_WINDOW = 10;

  /** The held-out figures of an eval report; in metrics lines they carry an "eval/" prefix. */
  private static final Pattern EVAL_FIGURE =
      Pattern.compile("pass@1_greedy|(pass|maj)@(\\d+)|truncated|mean_length");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunDirectory run;
  private final JsonNode manifest;
  private final List<JsonNode> grpo;
  private final List<JsonNode> losses;
  private final long stepOffset;
  private final List<ObjectNode> evals;
  private final long samplesStep;
  private final List<Shown> shown;
  private final List<String> markers;
  private final List<String> warnings;

  private RunReport(
      RunDirectory run,
      JsonNode manifest,
      List<JsonNode> grpo,
      List<JsonNode> losses,
      List<ObjectNode> evals,
      long samplesStep,
      List<Shown> shown,
      List<String> markers,
      List<String> warnings) {
    this.run = run;
    this.manifest = manifest;
    this.grpo = grpo;
    this.losses = losses;
    // GRPO step k is global step offset + k, the offset being the steps of the stages before
    this.stepOffset = losses.stream().mapToLong(line -> line.path("step").asLong()).max().orElse(0);
    this.evals = evals;
    this.samplesStep = samplesStep;
    this.shown = shown;
    this.markers = markers;
    this.warnings = warnings;
  }

  /**
   * Reads what the report of {@code run} shows.
   *
   * @param sampleLimit at most this many completions of the last logged step are shown
   * @param warn receives each problem found on the way (skipped lines, an unreadable file); the
   *     page lists them too
   */
  public static RunReport read(RunDirectory run, int sampleLimit, Consumer<String> warn) throws IOException {
    List<String> warnings = new ArrayList<>();
    Consumer<String> both =
        warning -> {
          warnings.add(warning);
          warn.accept(warning);
        };
    JsonNode manifest = manifest(run, both);
    List<JsonNode> grpo = new ArrayList<>();
    List<JsonNode> losses = new ArrayList<>();
    for (JsonNode line : JsonLines.read(run.metrics(), both)) {
      String stage = line.path("stage").asText();
      if (!line.path("step").canConvertToLong()) {
        continue; // a hand-edited line; there is no step to draw it at
      }
      if (stage.equals(GRPO)) {
        grpo.add(line);
      } else if (LOSS_STAGES.contains(stage)) {
        losses.add(line);
      }
    }
    List<ObjectNode> evals = EvalReports.read(run, both);

    AhaDetector detector = detector(run, both);
    List<JsonNode> records = JsonLines.read(run.samples(), both);
    long lastStep = records.stream().mapToLong(r -> r.path("step").asLong(Long.MIN_VALUE)).max().orElse(Long.MIN_VALUE);
    List<Shown> candidates = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode record : records) {
      if (record.path("step").asLong(Long.MIN_VALUE) == lastStep) {
        for (JsonNode completion : record.path("completions")) {
          // a group often holds the same completion several times; one of them says it all
          if (seen.add(record.path("problem_id").asText() + "\u0000" + completion.path("text").asText())) {
            candidates.add(analyzed(record, completion, detector));
          }
        }
      }
    }
    List<Shown> shown = pick(candidates, sampleLimit);

    return new RunReport(
        run, manifest, grpo, losses, evals, lastStep, shown, detector.markers().markers(), warnings);
  }

  /** The run's manifest, or an empty object (with a warning) when it cannot be read. */
  private static JsonNode manifest(RunDirectory run, Consumer<String> warn) {
    try {
      JsonNode node = JSON.readTree(Files.readString(run.manifest(), StandardCharsets.UTF_8));
      if (node != null && node.isObject()) {
        return node;
      }
      warn.accept(run.manifest() + ": not a JSON object");
    } catch (IOException e) {
      warn.accept(run.manifest() + ": unreadable: " + e.getMessage());
    }
    return JSON.createObjectNode();
  }

  /**
   * The detector the run itself used: its configured markers and verifier weights, read from its
   * config.yaml; the defaults when there is none or it cannot be read (with a warning).
   */
  private static AhaDetector detector(RunDirectory run, Consumer<String> warn) {
    if (Files.isRegularFile(run.config())) {
      try {
        GrpoConfig config = ConfigLoader.read(run.config()).grpo();
        return new AhaDetector(new ReflectionMarkers(config.markers()), new Verifier(config.reward().verifier()));
      } catch (IllegalArgumentException | UncheckedIOException e) {
        warn.accept(e.getMessage() + "; highlighting the default reflection markers");
      }
    }
    return new AhaDetector(ReflectionMarkers.defaults(), new Verifier(VerifierConfig.defaults()));
  }

  /** A completion with the reflection markers and the answer change the detector finds in it. */
  private static Shown analyzed(JsonNode record, JsonNode completion, AhaDetector detector) {
    String text = completion.path("text").asText("");
    String recorded = completion.path("transition").isTextual() ? completion.get("transition").asText() : null;
    AnswerKind kind = kind(record.path("kind").asText(null));
    String gold = record.path("gold").asText(null);
    if (kind == null || gold == null) {
      // nothing to judge a candidate answer against: markers only
      return new Shown(record, completion, detector.markers().find(text), recorded, null);
    }
    AhaDetector.Analysis analysis = detector.analyze(text, gold, kind, null);
    return new Shown(
        record,
        completion,
        analysis.hits(),
        recorded != null ? recorded : analysis.transition().wireName(),
        analysis.candidate());
  }

  private static AnswerKind kind(String wire) {
    try {
      return wire == null ? null : AnswerKind.fromWire(wire);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  /**
   * The {@code limit} most telling completions: aha moments first, then other answer changes, then
   * other reflections, then the rest; within each kind one per problem before a second of any, so
   * that one problem's group does not fill the page.
   */
  private static List<Shown> pick(List<Shown> candidates, int limit) {
    record Ranked(Shown shown, int kind, int round, int order) {}
    Map<String, Integer> perProblemAndKind = new HashMap<>();
    List<Ranked> ranked = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      Shown shown = candidates.get(i);
      int kind = kind(shown);
      String key = shown.problem().path("problem_id").asText() + "\u0000" + kind;
      int round = perProblemAndKind.merge(key, 1, Integer::sum) - 1;
      ranked.add(new Ranked(shown, kind, round, i));
    }
    ranked.sort(Comparator.comparingInt(Ranked::kind).thenComparingInt(Ranked::round).thenComparingInt(Ranked::order));
    return ranked.stream().limit(limit).map(Ranked::shown).toList();
  }

  /** 0: wrong → right, 1: another answer change, 2: a reflection without one, 3: the rest. */
  private static int kind(Shown shown) {
    String transition = shown.transition() == null ? "none" : shown.transition();
    if (transition.equals("wrong_to_right")) {
      return 0;
    }
    if (!transition.equals("none")) {
      return 1;
    }
    return shown.hits().isEmpty() ? 3 : 2;
  }

  /** Draws the charts that have data, each {@code width} × {@code height} pixels. */
  public List<Chart> drawCharts(int width, int height) throws IOException {
    List<Chart> drawn = new ArrayList<>();
    for (ChartSpec spec : charts()) {
      byte[] png = ChartPainter.png(spec, width, height);
      drawn.add(new Chart(spec.name(), spec.title(), spec.caption(), width, height, png));
    }
    return drawn;
  }

  /** The page: one HTML file with {@code charts} embedded as data URIs. */
  public String html(List<Chart> charts) {
    return ReportPage.html(this, charts);
  }

  // ---- what the page reads

  RunDirectory run() {
    return run;
  }

  JsonNode manifest() {
    return manifest;
  }

  /** How many GRPO steps have a metrics line. */
  int grpoSteps() {
    return grpo.size();
  }

  /** Global steps before GRPO's first (those of pretraining and SFT). */
  long stepOffset() {
    return stepOffset;
  }

  /** Eval reports by step. */
  List<ObjectNode> evals() {
    return evals;
  }

  /** The GRPO step of a global one. */
  long grpoStep(long globalStep) {
    return globalStep - stepOffset;
  }

  /** The step whose completions are shown, or {@link Long#MIN_VALUE} when there are none. */
  long samplesStep() {
    return samplesStep;
  }

  List<Shown> shown() {
    return shown;
  }

  /** The reflection markers highlighted. */
  List<String> markers() {
    return markers;
  }

  List<String> warnings() {
    return warnings;
  }

  /**
   * The training figures at the start and the end of GRPO: means of the first and last {@link
   * #trendWindow()} steps, for the figures the run has.
   */
  List<Trend> trends() {
    List<Trend> trends = new ArrayList<>();
    int window = trendWindow();
    if (window == 0) {
      return trends;
    }
    trend(trends, "training accuracy (sampled)", "accuracy", window, true);
    trend(trends, "mean completion length (tokens)", "completions/mean_length", window, false);
    trend(trends, "responses with a reflection marker", "aha/response_share", window, true);
    trend(trends, "calculator calls per response", ToolMetrics.CALLS_PER_RESPONSE, window, false);
    trend(trends, "responses with a calculator call", ToolMetrics.RESPONSES_WITH_CALL, window, true);
    trend(trends, "wrong → right per step", "aha/transitions", window, false);
    trend(trends, "right → wrong per step", "aha/right_to_wrong", window, false);
    return trends;
  }

  /** Whether the run called the calculator: its GRPO lines carry the tools/ metrics. */
  boolean hasTools() {
    return grpo.stream().anyMatch(line -> !Double.isNaN(number(line, ToolMetrics.RESPONSES_WITH_CALL)));
  }

  /**
   * The first GRPO step at which most of the step's responses called the calculator ({@code
   * tools/responses_with_call} over a half); empty when no step did (or the run has no tools).
   */
  OptionalLong callsMajorityStep() {
    for (JsonNode line : grpo) {
      if (number(line, ToolMetrics.RESPONSES_WITH_CALL) > 0.5) {
        return OptionalLong.of(grpoStep(line.path("step").asLong()));
      }
    }
    return OptionalLong.empty();
  }

  /** The sum of {@code key} over the last {@link #trendWindow()} GRPO steps (NaN-free values). */
  double lastWindowSum(String key) {
    int window = trendWindow();
    return grpo.subList(grpo.size() - window, grpo.size()).stream()
        .mapToDouble(line -> number(line, key)).filter(v -> !Double.isNaN(v)).sum();
  }

  /**
   * Seconds each stage took, in run order, from the {@code elapsed_s} of its last metrics line
   * (seconds since the run started) less the stage's before; what precedes the first step
   * (problems, tokenizer, corpus) counts with the first stage.
   */
  Map<String, Double> stageSeconds() {
    Map<String, Double> lastElapsed = new java.util.LinkedHashMap<>();
    List<JsonNode> lines = new ArrayList<>(losses);
    lines.addAll(grpo);
    for (JsonNode line : lines) {
      double elapsed = number(line, "elapsed_s");
      if (!Double.isNaN(elapsed)) {
        lastElapsed.put(line.path("stage").asText(), elapsed);
      }
    }
    Map<String, Double> seconds = new java.util.LinkedHashMap<>();
    double before = 0;
    for (Map.Entry<String, Double> stage : lastElapsed.entrySet()) {
      seconds.put(stage.getKey(), stage.getValue() - before);
      before = stage.getValue();
    }
    return seconds;
  }

  /** Steps averaged at each end: {@link #TREND_WINDOW}, or half the steps of a shorter run. */
  int trendWindow() {
    return grpo.isEmpty() ? 0 : Math.max(1, Math.min(TREND_WINDOW, grpo.size() / 2));
  }

  private void trend(List<Trend> into, String label, String key, int window, boolean rate) {
    double first = mean(grpo.subList(0, window), key);
    double last = mean(grpo.subList(grpo.size() - window, grpo.size()), key);
    if (!Double.isNaN(first) || !Double.isNaN(last)) {
      into.add(new Trend(key, label, first, last, rate));
    }
  }

  /** The mean of the finite values of {@code key}; NaN when there are none. */
  private static double mean(List<JsonNode> lines, String key) {
    return lines.stream().mapToDouble(line -> number(line, key)).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }

  /** The charts that have something to draw, in page order. */
  List<ChartSpec> charts() {
    Map<String, NavigableMap<Double, Double>> heldOut = heldOutFigures();
    List<ChartSpec> charts = new ArrayList<>();
    List<Series> accuracy = new ArrayList<>();
    accuracy.add(grpoSeries("training accuracy (sampled)", "accuracy"));
    // maj@1 is the first sample's correctness: a noisier pass@1, left to the tables
    accuracy.addAll(heldOutSeries(heldOut, key -> !key.equals("truncated") && !key.equals("mean_length") && !key.equals("maj@1")));
    add(charts, new ChartSpec(
        "accuracy", "Accuracy",
        "Share of correct answers: the completions sampled for training at each GRPO step, and the held-out"
            + " evaluations (eval/ reports) where they were run.",
        "GRPO step", "correct", ChartSpec.Axis.RATE, accuracy));

    List<Series> length = new ArrayList<>();
    length.add(grpoSeries("training completions", "completions/mean_length"));
    length.addAll(heldOutSeries(heldOut, key -> key.equals("mean_length")));
    add(charts, new ChartSpec(
        "length", "Mean completion length",
        "Mean length in tokens of the completions sampled at each step (and of the held-out evaluations').",
        "GRPO step", "tokens", ChartSpec.Axis.PLAIN, length));

    add(charts, new ChartSpec(
        "reflection", "Reflection share",
        "Share of the step's completions with at least one reflection marker (aha/response_share).",
        "GRPO step", "completions", ChartSpec.Axis.RATE,
        List.of(grpoSeries("responses with a reflection marker", "aha/response_share"))));

    add(charts, new ChartSpec(
        "transitions", "Answer changes after a reflection",
        "Completions per step whose answer stated before a reflection marker differs from the final one:"
            + " wrong → right (the aha moments) and right → wrong.",
        "GRPO step", "completions", ChartSpec.Axis.COUNT,
        List.of(
            grpoSeries("wrong → right (aha)", "aha/transitions"),
            grpoSeries("right → wrong", "aha/right_to_wrong"))));

    OptionalLong majority = callsMajorityStep();
    add(charts, new ChartSpec(
        "tools", "Calculator calls",
        "Calls to the calculator per response, the share of responses with a call, and the accuracy of"
            + " responses with and without one (tools/ metrics; docs/tools.md). "
            + (majority.isPresent()
                ? "Calls were first in most responses at GRPO step " + majority.getAsLong() + "."
                : "Calls were in most responses at no step."),
        "GRPO step", "calls per response, share", ChartSpec.Axis.PLAIN,
        List.of(
            grpoSeries("calls per response", ToolMetrics.CALLS_PER_RESPONSE),
            grpoSeries("responses with a call", ToolMetrics.RESPONSES_WITH_CALL),
            grpoSeries("accuracy with a call", ToolMetrics.ACCURACY_WITH_CALL),
            grpoSeries("accuracy without a call", ToolMetrics.ACCURACY_WITHOUT_CALL))));

    List<Series> loss = new ArrayList<>();
    for (String stage : LOSS_STAGES) {
      String name = stage.equals("sft") ? "SFT" : stage;
      loss.add(lossSeries(name + " loss", stage, "loss", false));
      loss.add(lossSeries(name + " held-out loss", stage, "held_out_loss", true));
    }
    boolean positive = loss.stream().flatMap(s -> s.points().values().stream()).allMatch(v -> Double.isNaN(v) || v > 0);
    add(charts, new ChartSpec(
        "loss", "Pretraining and SFT loss",
        "Cross-entropy of the base model's training batches per step (global steps), and on held-out text"
            + " where it was measured.",
        "step", "loss", positive ? ChartSpec.Axis.LOG : ChartSpec.Axis.PLAIN, loss));
    return charts;
  }

  /** Adds {@code spec} with its series that have data, when any has. */
  private static void add(List<ChartSpec> charts, ChartSpec spec) {
    List<Series> drawn = spec.series().stream().filter(Series::hasData).toList();
    if (!drawn.isEmpty()) {
      charts.add(new ChartSpec(spec.name(), spec.title(), spec.caption(), spec.xLabel(), spec.yLabel(), spec.axis(), drawn));
    }
  }

  /** {@code key} at every GRPO step; NaN (a gap) where a line lacks it. */
  private Series grpoSeries(String label, String key) {
    NavigableMap<Double, Double> points = new TreeMap<>();
    for (JsonNode line : grpo) {
      points.put((double) grpoStep(line.path("step").asLong()), number(line, key));
    }
    return new Series(label, points, false);
  }

  private Series lossSeries(String label, String stage, String key, boolean sparse) {
    NavigableMap<Double, Double> points = new TreeMap<>();
    for (JsonNode line : losses) {
      if (line.path("stage").asText().equals(stage) && (!sparse || line.has(key))) {
        points.put(line.path("step").asDouble(), number(line, key));
      }
    }
    return new Series(label, points, sparse);
  }

  private static List<Series> heldOutSeries(
      Map<String, NavigableMap<Double, Double>> heldOut, Predicate<String> keep) {
    List<Series> series = new ArrayList<>();
    heldOut.forEach(
        (key, points) -> {
          if (keep.test(key)) {
            series.add(new Series("held-out " + figureLabel(key), points, true));
          }
        });
    return series;
  }

  /**
   * Each held-out figure by GRPO step, from the {@code eval/} keys of metrics lines and from the
   * eval reports (which hold the same figures, and the evaluation before the first step too), in
   * {@link #FIGURE_ORDER}.
   */
  Map<String, NavigableMap<Double, Double>> heldOutFigures() {
    Map<String, NavigableMap<Double, Double>> figures = new TreeMap<>(FIGURE_ORDER);
    for (JsonNode line : grpo) {
      double x = grpoStep(line.path("step").asLong());
      for (Iterator<String> keys = line.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (key.startsWith("eval/") && EVAL_FIGURE.matcher(key.substring(5)).matches()) {
          figures.computeIfAbsent(key.substring(5), k -> new TreeMap<>()).put(x, number(line, key));
        }
      }
    }
    for (ObjectNode report : evals) {
      double x = grpoStep(report.path("step").asLong());
      for (String key : figureKeys(report)) {
        figures.computeIfAbsent(key, k -> new TreeMap<>()).put(x, number(report, key));
      }
    }
    return figures;
  }

  /** The held-out figures {@code report} has, in {@link #FIGURE_ORDER}. */
  static List<String> figureKeys(JsonNode report) {
    List<String> keys = new ArrayList<>();
    report.fieldNames().forEachRemaining(key -> {
      if (EVAL_FIGURE.matcher(key).matches()) {
        keys.add(key);
      }
    });
    keys.sort(FIGURE_ORDER);
    return keys;
  }

  /** As {@code aha eval} prints them: pass@1 greedy and sampled, pass@k, maj@k, truncated, length. */
  static final Comparator<String> FIGURE_ORDER =
      Comparator.comparingInt(RunReport::figureRank).thenComparingInt(RunReport::figureK).thenComparing(key -> key);

  private static int figureRank(String key) {
    return switch (key) {
      case "pass@1_greedy" -> 0;
      case "pass@1" -> 1;
      case "truncated" -> 4;
      case "mean_length" -> 5;
      default -> key.startsWith("pass@") ? 2 : 3;
    };
  }

  private static int figureK(String key) {
    Matcher matcher = EVAL_FIGURE.matcher(key);
    return matcher.matches() && matcher.group(2) != null ? Integer.parseInt(matcher.group(2)) : 0;
  }

  /** A held-out figure's name for people, as {@code aha eval} prints it. */
  static String figureLabel(String key) {
    return switch (key) {
      case "pass@1_greedy" -> "pass@1 (greedy)";
      case "pass@1" -> "pass@1 (sampled)";
      case "mean_length" -> "mean length";
      default -> key;
    };
  }

  /** Whether a held-out figure is a fraction (all are but the mean length). */
  static boolean isRate(String key) {
    return !key.equals("mean_length");
  }

  /** A figure of a line or report; NaN when it is missing, null (not finite when written) or not a number. */
  static double number(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value != null && value.isNumber() ? value.asDouble() : Double.NaN;
  }
}
