package aha.runs.dashboard;

import aha.runs.store.EvalReports;
import aha.runs.store.JsonLines;
import aha.runs.store.RunDirectory;
import aha.runs.train.GrpoStage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the dashboard shows of one run, as JSON: its summary, metrics, a page of samples, the
 * per-problem pass rates and the eval reports. Metrics and samples are read through one shared
 * {@link JsonTail} each, so a poll reads only what was appended.
 *
 * <p>Blocking (file reads): call from a worker thread.
 */
final class RunView {

  static final ObjectMapper JSON = new ObjectMapper();

  private final RunDirectory run;
  private final JsonTail metrics;
  private final Consumer<String> log;

  /**
   * Metrics lines kept per run: a chart's worth of points. Beyond it the lines are thinned evenly
   * ({@link JsonTail}), so a run of a million steps is served from a few megabytes.
   */
  static final int MAX_METRIC_LINES = 4096;

  RunView(RunDirectory run, Consumer<String> log) {
    this.run = run;
    this.log = log;
    this.metrics = new JsonTail(run.metrics(), run::leadsOutside, log, MAX_METRIC_LINES);
  }

  String name() {
    return run.name();
  }

  /** Name, manifest (status, times, command, host) and where the metrics stand. */
  ObjectNode summary() throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", run.name());
    JsonNode manifest = manifest();
    node.put("status", manifest.path("status").asText("unknown"));
    for (String key : List.of("started_at", "ended_at", "host", "aha_version", "git_commit")) {
      node.set(key, manifest.get(key));
    }
    node.set("command", manifest.path("command").isArray() ? manifest.get("command") : null);
    if (manifest.has("error")) {
      node.set("manifest_error", manifest.get("error"));
    }
    JsonTail.Position position = metrics.refresh();
    JsonNode last = metrics.last();
    node.put("metric_lines", position.lines());
    node.set("step", last == null ? null : last.get("step"));
    node.set("stage", last == null ? null : last.get("stage"));
    node.set("elapsed_s", last == null ? null : last.get("elapsed_s"));
    node.set("updated_at", last == null ? null : last.get("time"));
    node.put("skipped", metrics.skipped());
    node.put("has_samples", Files.isRegularFile(run.samples()));
    return node;
  }

  /** The newest metrics line, or null before the first. */
  JsonNode lastMetrics() throws IOException {
    metrics.refresh();
    return metrics.last();
  }

  /** Every metrics line with the warnings of skipped ones. */
  ObjectNode metrics() throws IOException {
    return metricsEvent(metrics.since(null));
  }

  /** What a live reader at {@code seen} has not seen yet ({@code null}: nothing seen). */
  JsonTail.Delta metricsSince(JsonTail.Position seen) throws IOException {
    return metrics.since(seen);
  }

  /** The JSON of a metrics delta: {@code {run, reset, metrics, warnings, skipped}}. */
  ObjectNode metricsEvent(JsonTail.Delta delta) {
    ObjectNode node = JSON.createObjectNode();
    node.put("run", run.name());
    node.put("reset", delta.reset());
    node.set("metrics", JSON.valueToTree(delta.lines()));
    node.set("warnings", JSON.valueToTree(delta.warnings()));
    node.put("skipped", delta.skipped());
    return node;
  }

  /**
   * A page of problem records, newest step first. Each record keeps its fields; its completions
   * are those that pass the filter, each with its {@code index} in the group, and {@code right}
   * and {@code size} count the whole group.
   */
  ObjectNode samples(SampleQuery query) throws IOException {
    // Two passes over the file, so that memory holds one page however long the run: the first
    // counts the matching records, the second keeps those the page shows (newest first: the page
    // at offset k ends k matches before the last).
    long[] matching = {0};
    scanSamples(record -> matching[0] += matches(record, query) ? 1 : 0);
    long total = matching[0];
    long firstShown = Math.max(0, total - query.offset() - query.limit()); // in file order
    long endShown = Math.max(0, total - query.offset());
    List<ObjectNode> page = new ArrayList<>();
    long[] index = {0};
    SampleScan scan =
        scanSamples(
            record -> {
              if (!matches(record, query)) {
                return;
              }
              if (index[0] >= firstShown && index[0] < endShown) {
                page.add(filtered(record, query));
              }
              index[0]++;
            });
    java.util.Collections.reverse(page);
    ArrayNode items = JSON.createArrayNode();
    page.forEach(items::add);
    ObjectNode node = JSON.createObjectNode();
    node.put("run", run.name());
    node.put("total", total);
    node.put("offset", query.offset());
    node.put("limit", query.limit());
    node.set("items", items);
    node.set("warnings", JSON.valueToTree(scan.warnings));
    node.put("skipped", scan.skipped);
    return node;
  }

  /** Whether {@code query} shows {@code record} (with at least one of its completions). */
  private static boolean matches(JsonNode record, SampleQuery query) {
    if (query.step() != null && record.path("step").asLong(Long.MIN_VALUE) != query.step()) {
      return false;
    }
    if (query.problem() != null && !query.problem().equals(record.path("problem_id").asText())) {
      return false;
    }
    if (query.family() != null && !query.family().equals(family(record))) {
      return false;
    }
    JsonNode completions = record.path("completions");
    for (JsonNode completion : completions) {
      if (query.keeps(completion)) {
        return true;
      }
    }
    return !query.filtersCompletions() && completions.size() == 0;
  }

  /** What a read of the samples file found besides its records: warnings (the first 100) and a count. */
  private static final class SampleScan {
    final List<String> warnings = new ArrayList<>();
    int skipped;

    void warn(String warning) {
      skipped++;
      if (warnings.size() < JsonTail.MAX_WARNINGS) {
        warnings.add(warning);
      }
    }
  }

  /**
   * Reads the samples file from its start, handing each record to {@code each} as it is parsed:
   * samples are paged and aggregated, never kept, so a run of any length is read in bounded
   * memory. A file that links out of the runs root reads as absent.
   */
  private SampleScan scanSamples(Consumer<JsonNode> each) throws IOException {
    SampleScan scan = new SampleScan();
    if (run.leadsOutside(run.samples())) {
      scan.warn(run.samples() + ": not read: a link out of the runs root");
      return scan;
    }
    JsonLines.readFrom(run.samples(), 0, each, scan::warn);
    return scan;
  }

  /** {@code record}, which {@link #matches} {@code query}, with only the completions it keeps. */
  private static ObjectNode filtered(JsonNode record, SampleQuery query) {
    JsonNode completions = record.path("completions");
    ArrayNode kept = JSON.createArrayNode();
    int right = 0;
    for (int i = 0; i < completions.size(); i++) {
      JsonNode completion = completions.get(i);
      right += completion.path("correct").asBoolean(false) ? 1 : 0;
      if (query.keeps(completion)) {
        ObjectNode copy = completion.isObject() ? completion.deepCopy() : JSON.createObjectNode();
        copy.put("index", i);
        kept.add(copy);
      }
    }
    ObjectNode shown = record.deepCopy();
    shown.set("completions", kept);
    shown.put("right", right);
    shown.put("size", completions.size());
    shown.put("family", family(record));
    return shown;
  }

  /**
   * A record's problem family: its {@code family}, or for records written before it was logged the
   * generated id's prefix ("linear" of "linear-d2-s20260101-00805").
   */
  static String family(JsonNode record) {
    String family = record.path("family").asText(null);
    if (family != null) {
      return family;
    }
    String id = record.path("problem_id").asText("");
    int dash = id.indexOf('-');
    return dash > 0 ? id.substring(0, dash) : "(none)";
  }

  /**
   * Pass rates per problem over every sampled completion, lowest first. A problem whose
   * completions were all wrong is flagged {@code always_0}, all right {@code always_1}: it teaches
   * GRPO nothing (every advantage in its groups is zero), which problem-set authors want to know.
   */
  ObjectNode problems() throws IOException {
    Map<String, Tally> tallies = new LinkedHashMap<>();
    java.util.Set<String> markers = new java.util.TreeSet<>();
    SampleScan scan =
        scanSamples(
            record -> {
              for (JsonNode completion : record.path("completions")) {
                completion.path("markers").forEach(hit -> markers.add(hit.path("marker").asText()));
              }
              String id = record.path("problem_id").asText(null);
              if (id != null) {
                tallies.computeIfAbsent(id, key -> new Tally(key, record)).add(record);
              }
            });
    List<Tally> sorted = new ArrayList<>(tallies.values());
    sorted.removeIf(tally -> tally.attempts == 0);
    sorted.sort(Comparator.comparingDouble(Tally::passRate).thenComparing(tally -> tally.id));
    ArrayNode problems = JSON.createArrayNode();
    int always0 = 0;
    int always1 = 0;
    for (Tally tally : sorted) {
      String flag = tally.flag();
      always0 += "always_0".equals(flag) ? 1 : 0;
      always1 += "always_1".equals(flag) ? 1 : 0;
      problems.add(tally.json(flag));
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("run", run.name());
    ObjectNode counts = node.putObject("counts");
    counts.put("problems", sorted.size());
    counts.put("always_0", always0);
    counts.put("always_1", always1);
    node.set("problems", problems);
    node.set("markers", JSON.valueToTree(markers));
    node.put("logged_groups_per_step", loggedGroupsPerStep());
    node.set("warnings", JSON.valueToTree(scan.warnings));
    node.put("skipped", scan.skipped);
    return node;
  }

  /** The run's {@code grpo.log_samples} from its config (how many groups a step logs), or -1 when unknown. */
  private int loggedGroupsPerStep() {
    if (run.leadsOutside(run.config())) {
      return -1;
    }
    try {
      return aha.runs.config.ConfigLoader.read(run.config()).grpo().logSamples();
    } catch (RuntimeException e) { // no config.yaml (a run of an older aha), or one that does not load
      return -1;
    }
  }

  /** The eval reports {@code eval/step-N.json}, by step; an unreadable one is skipped with a warning. */
  ObjectNode evals() throws IOException {
    ArrayNode warnings = JSON.createArrayNode();
    List<ObjectNode> reports =
        EvalReports.read(
            run,
            warning -> {
              warnings.add(warning);
              log.accept(warning);
            });
    ObjectNode node = JSON.createObjectNode();
    node.put("run", run.name());
    node.putArray("reports").addAll(reports);
    node.set("warnings", warnings);
    return node;
  }

  /**
   * The sampler nodes of a clustered run after its last step ({@code nodes.json}: the trainer's
   * replica, then each node with its version, rows per second, items in flight and failures);
   * {@code {"nodes": []}} for a run in one process.
   */
  ObjectNode nodes() throws IOException {
    Path file = run.dir().resolve(GrpoStage.NODES);
    if (!Files.isRegularFile(file) || run.leadsOutside(file)) {
      ObjectNode none = JSON.createObjectNode();
      none.putArray("nodes");
      return none;
    }
    return (ObjectNode) JSON.readTree(Files.readString(file));
  }

  /** The manifest as JSON; an unreadable one reads as {@code {"status": "unknown", "error": ...}}. */
  private JsonNode manifest() {
    if (run.leadsOutside(run.manifest())) {
      return unreadable("a link out of the runs root; not read");
    }
    try {
      JsonNode manifest = JSON.readTree(Files.readString(run.manifest(), StandardCharsets.UTF_8));
      if (manifest != null && manifest.isObject()) {
        return manifest;
      }
      return unreadable("not a JSON object");
    } catch (IOException e) {
      return unreadable(message(e));
    }
  }

  private ObjectNode unreadable(String why) {
    ObjectNode node = JSON.createObjectNode();
    node.put("status", "unknown");
    node.put("error", run.manifest() + ": " + why);
    return node;
  }

  private static String message(IOException e) {
    return e instanceof JsonProcessingException json ? JsonLines.describe(json) : e.toString();
  }

  /** Counts of one problem's completions across steps. */
  /**
   * Steps a problem must have been logged at before it is flagged. One group all wrong says little
   * about a problem the policy solves a fifth of the time (0.8^8 = 17% of its groups of 8).
   */
  static final int FLAG_MIN_STEPS = 2;

  private static final class Tally {
    final String id;
    final JsonNode first;
    int attempts;
    int correct;
    int steps;
    long firstStep = Long.MAX_VALUE;
    long lastStep = Long.MIN_VALUE;

    Tally(String id, JsonNode first) {
      this.id = id;
      // only what the report shows: not the first group's completions, which hold the text
      ObjectNode slim = JSON.createObjectNode();
      slim.set("question", first.get("question"));
      slim.set("gold", first.get("gold"));
      slim.set("kind", first.get("kind"));
      slim.put("family", family(first));
      this.first = slim;
    }

    void add(JsonNode record) {
      steps++;
      long step = record.path("step").asLong();
      firstStep = Math.min(firstStep, step);
      lastStep = Math.max(lastStep, step);
      for (JsonNode completion : record.path("completions")) {
        attempts++;
        correct += completion.path("correct").asBoolean(false) ? 1 : 0;
      }
    }

    double passRate() {
      return attempts == 0 ? 0 : (double) correct / attempts;
    }

    /** always_0 or always_1 once the problem was logged at {@link #FLAG_MIN_STEPS} steps; null before. */
    String flag() {
      if (steps < FLAG_MIN_STEPS) {
        return null;
      }
      return correct == 0 ? "always_0" : correct == attempts ? "always_1" : null;
    }

    ObjectNode json(String flag) {
      ObjectNode node = JSON.createObjectNode();
      node.put("problem_id", id);
      node.set("question", first.get("question"));
      node.set("gold", first.get("gold"));
      node.set("kind", first.get("kind"));
      node.put("family", family(first));
      node.put("attempts", attempts);
      node.put("correct", correct);
      node.put("pass_rate", passRate());
      node.put("steps", steps);
      node.put("first_step", firstStep);
      node.put("last_step", lastStep);
      node.put("flag", flag);
      return node;
    }
  }
}
