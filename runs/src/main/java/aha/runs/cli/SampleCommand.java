package aha.runs.cli;

import aha.problems.Problem;
import aha.grpo.rl.LabChat;
import aha.grpo.rl.ProblemSampler;
import aha.grpo.rl.ScoredCompletion;
import aha.grpo.rl.ScoredGroup;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.generate.SamplingParams;
import aha.sampler.model.Devices;
import aha.sampler.model.ModelConfig;
import aha.sampler.service.PolicyReplica;
import aha.sampler.service.SamplingServiceConfig;
import aha.sampler.service.VertxFutures;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha sample}: G completions per problem from a checkpoint, scored by the verifier. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    header = "Sample G completions per problem from a checkpoint and score them.",
    description = {
      "Sample G completions for each problem of a problem set from a checkpoint, score them with",
      "the verifier, and print each problem's question and pass count k/G, every completion's",
      "extracted answer, finish reason and text (--no-text leaves the text out), then the overall",
      "pass rate.",
      "",
      "The checkpoint directory holds config.json, the safetensors weights and the tokenizer.json",
      "of the model. Prompts are the lab's chat template: the default system prompt, then the",
      "question. The same checkpoint, problems, options and seed give the same completions.",
      "With --json, one JSON object per problem (type \"group\", completions with their text)",
      "and a last one of type \"summary\".",
    },
    footer = {
      "",
      "Examples:",
      "  aha sample --model out/base --problems out/base/held-out.jsonl -g 8 --limit 20",
      "  aha sample --model out/base --problems out/base/held-out.jsonl -g 4 --temperature 0"
          + " --json > samples.jsonl",
    })
final class SampleCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin CheckpointSamplingOptions sampling;

  @Option(
      names = {"-g", "--group-size"},
      defaultValue = "4",
      paramLabel = "G",
      description = "Completions per problem (default: ${DEFAULT-VALUE}).")
  int g;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(
      names = "--top-k",
      defaultValue = "0",
      description = "Keep the k most likely tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--workers",
      defaultValue = "2",
      paramLabel = "N",
      description = "Verifier threads (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--json", description = "Print JSON lines instead of text.")
  boolean json;

  @Option(names = "--no-text", description = "In the text output, list each completion's verdict without its text.")
  boolean noText;

  @Override
  public Integer call() throws IOException {
    SamplingParams params = samplingParams();
    if (g <= 0) {
      throw new UserInputException("-g must be positive, got " + g);
    }
    if (workers <= 0 || sampling.batchRows <= 0) {
      throw new UserInputException("--workers and --batch-rows must be positive");
    }
    List<Problem> all = sampling.readProblems();
    Path model = sampling.model;
    ModelConfig modelConfig = Checkpoints.readConfig(model);
    Device resolved = Devices.resolve(sampling.device);

    try (Tokenizer tokenizer = Tokenizer.load(model)) {
      ChatTemplate template = LabChat.template(tokenizer);
      SamplingServiceConfig config =
          SamplingServiceConfig.defaults()
              .withName("cli")
              .withMaxBatchRows(sampling.batchRows)
              .withMaxPromptTokens(modelConfig.maxPositions())
              .withScoringWorkers(workers);
      Vertx vertx = Vertx.vertx();
      try {
        ProblemSampler sampler =
            await(
                ProblemSampler.start(
                    vertx,
                    config,
                    template,
                    new Verifier(VerifierConfig.defaults()),
                    replica -> PolicyReplica.load(model, resolved, template)));
        try {
          report(sampler, all, params);
        } finally {
          await(sampler.close());
        }
      } finally {
        await(vertx.close());
      }
    }
    return 0;
  }

  private SamplingParams samplingParams() {
    try {
      return new SamplingParams(
          temperature, topK, sampling.topP, sampling.maxNewTokens, sampling.seed);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
  }

  /**
   * Samples in requests of about one batch each, keeping two in flight so that the model never
   * waits for the verifier or the printing, and prints each request's groups as it completes, in
   * problem order. Request c samples with the seed mixed with c.
   */
  private void report(ProblemSampler service, List<Problem> all, SamplingParams params)
      throws IOException {
    long seed = params.seed();
    int perRequest = Math.max(1, sampling.batchRows / g);
    List<List<Problem>> shares = new ArrayList<>();
    for (int from = 0; from < all.size(); from += perRequest) {
      shares.add(all.subList(from, Math.min(all.size(), from + perRequest)));
    }
    PrintWriter out = spec.commandLine().getOut();
    Totals totals = new Totals();
    long started = System.nanoTime();
    ArrayDeque<Future<List<ScoredGroup>>> window = new ArrayDeque<>();
    int next = 0;
    while (next < shares.size() && window.size() < service.config().maxInFlight()) {
      window.add(service.sample(shares.get(next), g, params.withSeed(requestSeed(seed, next))));
      next++;
    }
    while (!window.isEmpty()) {
      List<ScoredGroup> groups = await(window.poll());
      if (next < shares.size()) {
        window.add(service.sample(shares.get(next), g, params.withSeed(requestSeed(seed, next))));
        next++;
      }
      for (ScoredGroup group : groups) {
        totals.add(group);
        out.println(json ? JSON.writeValueAsString(groupJson(group)) : groupText(group));
      }
      out.flush();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.println(json ? JSON.writeValueAsString(totals.json(seconds)) : totals.text(seconds));
    out.flush();
  }

  private static long requestSeed(long seed, int request) {
    return request == 0 ? seed : seed ^ (0x9E3779B97F4A7C15L * request);
  }

  private String groupText(ScoredGroup group) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%s  %d/%d  gold %s%n",
            group.problem().id(),
            group.passCount(),
            group.size(),
            group.problem().answer()));
    if (!noText) {
      text.append("  ").append(group.problem().question().replace("\n", "\n  ")).append('\n');
    }
    for (ScoredCompletion c : group.completions()) {
      text.append(
          String.format(
              Locale.ROOT,
              "  [%d] %-16s %-6s %4d tokens  %s%n",
              c.index(),
              abbreviate(c.verdict().extracted() == null ? "-" : c.verdict().extracted(), 16),
              c.finishReason().wireName(),
              c.tokens().length,
              c.correct() ? "correct" : "wrong (" + c.verdict().reason() + ")"));
      if (!noText) {
        // the completion as the model wrote it, indented under its verdict
        text.append("      ").append(c.text().strip().replace("\n", "\n      ")).append('\n');
      }
    }
    return text.toString().stripTrailing();
  }

  private static ObjectNode groupJson(ScoredGroup group) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "group");
    node.put("id", group.problem().id());
    node.put("gold", group.problem().answer());
    node.put("pass", group.passCount());
    node.put("g", group.size());
    node.put("policy_version", group.policyVersion());
    ArrayNode completions = node.putArray("completions");
    for (ScoredCompletion c : group.completions()) {
      ObjectNode item = completions.addObject();
      item.put("index", c.index());
      item.put("extracted", c.verdict().extracted());
      item.put("correct", c.correct());
      item.put("reward", c.reward());
      item.put("format_ok", c.verdict().formatOk());
      item.put("reason", c.verdict().reason());
      item.put("finish", c.finishReason().wireName());
      item.put("tokens", c.tokens().length);
      item.put("sample_ms", c.sampleMillis());
      item.put("verify_ms", c.verifyMillis());
      item.put("text", c.text());
    }
    return node;
  }

  private static String abbreviate(String text, int width) {
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() <= width ? oneLine : oneLine.substring(0, width - 1) + "…";
  }

  /** Counts over every group printed. */
  private static final class Totals {
    int problems;
    int solved;
    int completions;
    int correct;
    int truncated;
    long tokens;

    void add(ScoredGroup group) {
      problems++;
      solved += group.passCount() > 0 ? 1 : 0;
      correct += group.passCount();
      for (ScoredCompletion c : group.completions()) {
        completions++;
        truncated += c.completion().truncated() ? 1 : 0;
        tokens += c.tokens().length;
      }
    }

    double passRate() {
      return completions == 0 ? 0 : (double) correct / completions;
    }

    String text(double seconds) {
      return String.format(
          Locale.ROOT,
          "pass rate %.1f%% (%d/%d completions); %d/%d problems solved at least once;"
              + " mean length %.1f tokens, %d truncated; %.1f s",
          100 * passRate(),
          correct,
          completions,
          solved,
          problems,
          completions == 0 ? 0.0 : (double) tokens / completions,
          truncated,
          seconds);
    }

    ObjectNode json(double seconds) {
      ObjectNode node = JSON.createObjectNode();
      node.put("type", "summary");
      node.put("problems", problems);
      node.put("completions", completions);
      node.put("correct", correct);
      node.put("pass_rate", passRate());
      node.put("solved", solved);
      node.put("truncated", truncated);
      node.put("mean_tokens", completions == 0 ? 0.0 : (double) tokens / completions);
      node.put("seconds", seconds);
      return node;
    }
  }

  /**
   * Waits for {@code future} on this (non-Vert.x) thread; its failure is rethrown as is, so that
   * input problems (IOException, IllegalArgumentException) exit 2 and others exit 1.
   */
  private static <T> T await(Future<T> future) throws IOException {
    try {
      return VertxFutures.await(future);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
