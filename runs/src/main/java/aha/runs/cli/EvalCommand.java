package aha.runs.cli;

import aha.grpo.eval.EvalConfig;
import aha.grpo.eval.EvalReport;
import aha.grpo.eval.Evaluator;
import aha.problems.AtomicFiles;
import aha.problems.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aha eval}: the accuracy figures of a checkpoint on a held-out problem file, from the
 * {@link Evaluator} as {@link CheckpointOptions#withEvaluator} runs it.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    header = "Evaluate a checkpoint on held-out problems: pass@1, pass@k, maj@k.",
    description = {
      "Evaluate a checkpoint on a problem file: one greedy completion per problem (pass@1",
      "greedy) and n sampled ones (pass@1 as the mean share of correct samples, unbiased pass@k,",
      "and maj@k, the majority vote of the first k samples), plus the share of completions cut",
      "at --max-new-tokens and the mean completion length. Prints a table, overall and per",
      "problem family, and with -o writes the same figures as a JSON report (written to a",
      "temporary file, then moved into place). A progress bar goes to stderr.",
      "",
      "Prompts are the lab's chat template (default system prompt, then the question); answers",
      "are judged by the verifier against each problem's gold answer. The same checkpoint,",
      "problems, options and seed give the same report.",
    },
    footer = {
      "",
      "Examples:",
      "  aha eval --model out/base --problems out/test.jsonl",
      "  aha eval --model out/base --problems out/test.jsonl -n 16 -k 1,4,16 --limit 100 -o out/eval.json",
      "  aha eval --model out/base --problems out/test.jsonl -n 0 --json",
    })
final class EvalCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin CheckpointSamplingOptions sampling;

  @Option(
      names = {"-n", "--samples"},
      defaultValue = "8",
      paramLabel = "N",
      description = "Sampled completions per problem; 0 runs only the greedy pass (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = {"-k", "--k"},
      split = ",",
      paramLabel = "K",
      description = "The k of pass@k and maj@k, each at most n (default: 1 and n).")
  List<Integer> ks;

  @Option(
      names = "--no-greedy",
      description = "Skip the greedy pass (pass@1 greedy).")
  boolean noGreedy;

  @Option(
      names = "--temperature",
      defaultValue = "0.8",
      description =
          "Temperature of the sampled completions; the lab's protocol samples at the training"
              + " temperature, 0.8 by default (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Also write the JSON report to FILE.")
  Path output;

  @Option(names = "--json", description = "Print the JSON report instead of the table.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    EvalConfig config = evalConfig();
    OutputFiles.refuseInput("-o", output, "the --problems file", sampling.problems);
    List<Problem> all = sampling.readProblems();

    long started = System.nanoTime();
    long completions = (long) all.size() * ((config.greedy() ? 1 : 0) + config.samples());
    EvalReport report =
        sampling.withEvaluator(evaluator -> {
          try (ProgressBar bar = CheckpointOptions.progressBar("eval", completions)) {
            return evaluator.evaluate(all, config, bar::stepBy);
          }
        });
    double seconds = (System.nanoTime() - started) / 1e9;

    String reportJson = JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json(report, config, seconds));
    if (output != null) {
      AtomicFiles.writeString(output, reportJson + "\n");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(reportJson);
    } else {
      out.printf(Locale.ROOT, "%s on %s%n", sampling.model, sampling.problems);
      out.print(report.format());
      out.printf(Locale.ROOT, "%.1f s", seconds);
      out.println(output == null ? "" : "; report written to " + output);
    }
    out.flush();
    return 0;
  }

  /** The options as an {@link EvalConfig}, with each bad value named by its option. */
  private EvalConfig evalConfig() {
    if (samples < 0) {
      throw new UserInputException("-n must be 0 or more, got " + samples);
    }
    if (samples == 0 && noGreedy) {
      throw new UserInputException("nothing to evaluate: -n 0 with --no-greedy");
    }
    sampling.checkSampling(temperature);
    List<Integer> chosen = ks;
    if (chosen == null) {
      chosen = EvalConfig.defaultKs(samples);
    }
    for (int k : chosen) {
      if (k < 1 || k > samples) {
        throw new UserInputException("-k " + k + " must be in 1.." + samples + " (-n, the samples per problem)");
      }
    }
    return new EvalConfig(
        samples,
        new ArrayList<>(new TreeSet<>(chosen)),
        !noGreedy,
        temperature,
        sampling.topP,
        sampling.maxNewTokens,
        sampling.batchRows,
        sampling.seed);
  }

  /** The evaluator's figures, with what was evaluated and how, for a report that stands alone. */
  private ObjectNode json(EvalReport report, EvalConfig config, double seconds) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("model", sampling.model.toString());
    node.put("problems_file", sampling.problems.toString());
    ObjectNode settings = node.putObject("config");
    settings.put("samples", config.samples());
    settings.set("k", JSON.valueToTree(config.ks()));
    settings.put("greedy", config.greedy());
    settings.put("temperature", config.temperature());
    settings.put("top_p", config.topP());
    settings.put("max_new_tokens", config.maxNewTokens());
    settings.put("limit", sampling.limit);
    settings.put("seed", config.seed());
    ObjectNode figures = (ObjectNode) JSON.readTree(report.toJson(0));
    figures.remove("step"); // a training step; this report belongs to no run
    node.setAll(figures);
    node.put("seconds", seconds);
    return node;
  }
}
