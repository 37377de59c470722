package aha.runs.dashboard;

import aha.runs.store.JsonLinesWriter;
import aha.runs.store.Manifest;
import aha.runs.store.RunDirectory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * A run directory written the way training writes one (manifest, metrics.jsonl, samples.jsonl),
 * with made-up but plausible numbers: what the dashboard tests look at, since there is no trainer
 * to run. {@link #live} appends a step every few milliseconds, as a training run does. Public for
 * the tests of other readers of run directories (aha report).
 */
public final class FakeRun implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** A right completion that reflects: "wait" is its marker, inside the think part. */
  public static final String REFLECTING =
      "<think>3x = 19 - 4 = 14, wait, 19 - 4 is 15, so x = 5.</think><answer>5</answer>";

  /** The right completion of a run with tools: two calls to the calculator, then the marker. */
  public static final String CALLING =
      "<think>3x = <calc>19 - 4</calc><result>15</result>, wait, x = <calc>15 / 3</calc><result>5</result>."
          + "</think><answer>5</answer>";

  public static final String WRONG = "<think>3x = 19 + 4 = 23, so x = 23/3.</think><answer>23/3</answer>";

  private final RunDirectory run;
  private final JsonLinesWriter metrics;
  private final JsonLinesWriter samples;
  private boolean tools; // whether GRPO lines carry the calculator's metrics
  private final Instant started = Instant.parse("2026-11-28T18:30:00Z");
  private Thread writer;
  private volatile boolean stopping;

  private FakeRun(RunDirectory run) throws IOException {
    this.run = run;
    this.metrics = new JsonLinesWriter(run.metrics());
    this.samples = new JsonLinesWriter(run.samples());
  }

  /** A run folder {@code root/name} whose manifest says {@code status}. */
  public static FakeRun create(Path root, String name, String status) throws IOException {
    Path dir = Files.createDirectories(root.resolve(name));
    new Manifest(
            "dev", null, null, "test-host", "17", "Linux amd64", 2, "glibc malloc", "Parallel",
            List.of("train", "--preset", "smoke"), "2026-11-28T18:30:00Z",
            status.equals("running") ? null : "2026-11-28T19:30:00Z", status, 0)
        .write(dir.resolve(RunDirectory.MANIFEST));
    return new FakeRun(RunDirectory.open(dir));
  }

  public RunDirectory dir() {
    return run;
  }

  String name() {
    return run.name();
  }

  /** From now on, GRPO lines carry the calculator's metrics ({@code tools/}), as a run with tools does. */
  public synchronized FakeRun withTools() {
    tools = true;
    return this;
  }

  /** Appends GRPO metrics for {@code step}; every fifth step also has eval results. */
  public synchronized FakeRun metric(long step) {
    double progress = 1 - Math.exp(-step / 20.0);
    ObjectNode line = base(step, "grpo");
    line.put("reward/mean", 0.2 + 0.8 * progress);
    line.put("reward/std", 0.4 - 0.2 * progress);
    line.put("accuracy", 0.15 + 0.7 * progress);
    line.put("frac_reward_zero_std", 0.5 - 0.3 * progress);
    line.put("completions/mean_length", 40 + 1.5 * step);
    line.put("completions/min_length", 12);
    line.put("completions/max_length", 80 + 3 * step);
    line.put("completions/p90_length", 60 + 2.0 * step);
    line.put("completions/clipped_ratio", 0.02 + 0.001 * step);
    line.put("kl", 0.001 * step);
    line.put("entropy", 1.5 - 0.005 * step);
    line.put("clip_ratio/low_mean", 0.01);
    line.put("clip_ratio/high_mean", 0.02);
    line.put("clip_ratio/region_mean", 0.03);
    line.put("grad_norm", 1.0 / Math.sqrt(step));
    line.put("lr", 1e-6);
    line.put("policy_version", step);
    line.put("tokens_per_s", 1200 + 10 * (step % 7));
    line.put("time/sample", 1.2);
    line.put("time/verify", 0.05);
    line.put("time/learn", 0.8);
    line.put("aha/keyword_rate", 0.01 * Math.min(step, 50));
    line.put("aha/response_share", 0.008 * Math.min(step, 50));
    line.put("aha/transitions", step % 3);
    line.put("aha/right_to_wrong", step % 2);
    line.put("aha/wrong_to_wrong", 1);
    if (tools) {
      line.put("tools/calls_per_response", Math.min(1.5, 0.02 * step));
      line.put("tools/responses_with_call", Math.min(0.9, 0.01 * step));
      line.put("tools/calls_parsed", 0.95);
      line.put("tools/accuracy_with_call", 0.6);
      line.put("tools/accuracy_without_call", 0.1);
    }
    if (step % 5 == 0) {
      line.put("eval/pass@1", 0.1 + 0.6 * progress);
      line.put("eval/pass@1_greedy", 0.12 + 0.6 * progress);
      line.put("eval/pass@k", 0.3 + 0.6 * progress);
      line.put("eval/maj@k", 0.2 + 0.6 * progress);
      line.put("eval/truncated", 0.03);
      line.put("eval/mean_length", 50 + step);
    }
    return append(metrics, line);
  }

  /** Appends pretraining metrics for {@code step}. */
  public synchronized FakeRun pretrainMetric(long step) {
    ObjectNode line = base(step, "pretrain");
    line.put("loss", 4.0 / Math.sqrt(step));
    line.put("lr", 3e-4);
    line.put("grad_norm", 2.0);
    line.put("tokens_per_s", 9000);
    if (step % 10 == 0) {
      line.put("held_out_loss", 4.2 / Math.sqrt(step));
    }
    return append(metrics, line);
  }

  /**
   * Appends the sample record of {@code problem} at {@code step} with one completion per entry of
   * {@code correct}: a right one reflects ({@link #REFLECTING}, or {@link #CALLING} in a run with
   * tools), a wrong one does not.
   */
  public synchronized FakeRun samples(long step, String problem, boolean... correct) {
    ObjectNode record = JSON.createObjectNode();
    record.put("step", step);
    record.put("problem_id", problem);
    record.put("question", "Solve 3x + 4 = 19.");
    record.put("gold", "5");
    record.put("kind", "numeric");
    ArrayNode completions = record.putArray("completions");
    for (boolean right : correct) {
      ObjectNode c = completions.addObject();
      String text = right ? (tools ? CALLING : REFLECTING) : WRONG;
      c.put("text", text);
      c.put("reward", right ? 1.1 : 0.1);
      c.put("correct", right);
      c.put("format_ok", true);
      c.put("extracted", right ? "5" : "23/3");
      c.put("reason", right ? "equal" : "not_equal");
      c.put("finish", "stop");
      c.put("length", right ? 30 : 21);
      c.put("policy_version", step);
      ArrayNode markers = c.putArray("markers");
      if (right) {
        int start = text.indexOf("wait");
        markers.addObject().put("marker", "wait").put("start", start).put("end", start + 4);
      }
      c.put("transition", right ? "wrong_to_right" : "none");
    }
    return append(samples, record);
  }

  /** Appends {@code text} to metrics.jsonl as is (a torn or hand-edited line). */
  public synchronized FakeRun rawMetrics(String text) {
    return appendRaw(run.metrics(), text);
  }

  /** Appends {@code text} to samples.jsonl as is. */
  public synchronized FakeRun rawSamples(String text) {
    return appendRaw(run.samples(), text);
  }

  /** Writes {@code json} as the eval report {@code eval/step-N.json}. */
  public FakeRun evalReport(long step, String json) {
    try {
      Files.createDirectories(run.evalDir());
      Files.writeString(run.evalDir().resolve("step-" + step + ".json"), json, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FakeRun appendRaw(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts appending a GRPO step (metrics and two problems' samples) every {@code millis}, from
   * step {@code from} on, until {@link #close}.
   */
  FakeRun live(long from, long millis) {
    writer =
        new Thread(
            () -> {
              for (long step = from; !stopping; step++) {
                metric(step);
                samples(step, "linear-" + (step % 3), true, false);
                try {
                  Thread.sleep(millis);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "fake-training-" + name());
    writer.setDaemon(true);
    writer.start();
    return this;
  }

  @Override
  public void close() throws IOException {
    stopping = true;
    if (writer != null) {
      // not interrupted: that would close the writers' channels mid-write
      try {
        writer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    metrics.close();
    samples.close();
  }

  private ObjectNode base(long step, String stage) {
    ObjectNode line = JSON.createObjectNode();
    line.put("step", step);
    line.put("stage", stage);
    line.put("time", started.plusSeconds(3 * step).toString());
    line.put("elapsed_s", 3.0 * step);
    return line;
  }

  private FakeRun append(JsonLinesWriter writer, ObjectNode node) {
    try {
      writer.append(node);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
