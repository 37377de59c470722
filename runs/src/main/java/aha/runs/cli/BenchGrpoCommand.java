package aha.runs.cli;

import aha.grpo.rl.GrpoConfig;
import aha.grpo.rl.GrpoTrainer;
import aha.grpo.rl.LabChat;
import aha.grpo.rl.ProblemSampler;
import aha.grpo.train.BasePipeline;
import aha.problems.Problem;
import aha.runs.config.ConfigLoader;
import aha.runs.config.RunConfig;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.model.Transformer;
import aha.sampler.service.VertxFutures;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aha bench grpo}: the wall time of real GRPO steps, split into sampling, verification and
 * learning. Verification runs on its own threads while the sampler decodes the next batch, so the
 * verifier's summed thread time is an upper bound on the wall time it adds; its share of the step
 * is the figure the target (at most 5%) is about.
 */
@Command(
    name = "grpo",
    mixinStandardHelpOptions = true,
    header = "Time GRPO steps from a checkpoint: sample, verify, learn.",
    description = {
      "Time GRPO steps from a checkpoint: sample (P problems x G completions, verification",
      "overlapped), verify (the verifier threads' summed time: an upper bound on what it adds to",
      "the step), learn (forward, backward and AdamW), and the whole step. The first step is a",
      "warm-up and is not counted; the medians of the rest are printed. Target: verification at",
      "most 5%% of the step's wall time.",
    },
    footer = {"", "Example:", "  aha bench grpo --model out/base --steps 4 --json"})
final class BenchGrpoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", description = "Checkpoint with tokenizer.json (default: ${DEFAULT-VALUE}).")
  Path model = Path.of("out", "base");

  @Option(names = "--steps", paramLabel = "N", description = "Timed steps after the warm-up (default: ${DEFAULT-VALUE}).")
  int steps = 3;

  @Option(
      names = "--batch-rows",
      paramLabel = "N",
      description = {
        "Most completions decoded together in one sampler call (default: ${DEFAULT-VALUE}, the",
        "run's). Fewer split a step's request into batches, each verified while the next decodes."
      })
  int batchRows = ProblemSampler.MAX_TRAINING_BATCH_ROWS;

  @Option(names = "--json", description = "Print one JSON object as the last line.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (steps < 1) {
      throw new UserInputException("--steps must be positive, got " + steps);
    }
    if (batchRows < 1) {
      throw new UserInputException("--batch-rows must be positive, got " + batchRows);
    }
    if (!Files.isDirectory(model)) {
      throw new UserInputException(model + ": not a checkpoint directory (run 'aha base' first, or pass --model)");
    }
    PrintWriter out = spec.commandLine().getOut();
    // the default experiment's GRPO settings and training problems, with one step more for the warm-up
    RunConfig defaults = ConfigLoader.load("default", null, List.of("grpo.steps=" + (steps + 1)));
    GrpoConfig config = defaults.grpo();
    BasePipeline.Data data = new BasePipeline(defaults.base(), defaults.curriculumSpec(), null, null).data();
    List<Problem> train = data.train();

    List<Map<String, Double>> timed = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager();
        Tokenizer tokenizer = Tokenizer.load(model)) {
      Transformer policy = Checkpoints.load(model, manager);
      ChatTemplate template = LabChat.template(tokenizer);
      Vertx vertx = Vertx.vertx();
      ProblemSampler sampler = null;
      try {
        sampler = VertxFutures.await(ProblemSampler.startForTraining(vertx, config, policy, template, 0, batchRows));
        try (GrpoTrainer trainer =
            new GrpoTrainer(config, policy, null, template, train, List.of(), null, sampler)) {
          for (int i = 0; i <= steps; i++) {
            Map<String, Double> m = trainer.step().metrics();
            out.printf(Locale.ROOT, "%s step %d: %.2f s (sample %.2f, verify %.4f, learn %.2f), %.0f tokens/s%n",
                i == 0 ? "warm-up" : "timed  ", i, m.get("time/step"), m.get("time/sample"), m.get("time/verify"),
                m.get("time/learn"), m.get("tokens_per_s"));
            out.flush();
            if (i > 0) {
              timed.add(m);
            }
          }
        }
      } finally {
        if (sampler != null) {
          VertxFutures.await(sampler.close());
        }
        VertxFutures.await(vertx.close());
      }
    }
    double step = median(timed, "time/step");
    double sample = median(timed, "time/sample");
    double verify = median(timed, "time/verify");
    double learn = median(timed, "time/learn");
    double share = verify / step;
    out.printf(Locale.ROOT, "%nGRPO step, P=%d G=%d, up to %d new tokens, median of %d:%n",
        config.rollout().problemsPerStep(), config.rollout().groupSize(), config.rollout().maxNewTokens(), timed.size());
    out.printf(Locale.ROOT, "  step     %8.3f s%n", step);
    out.printf(Locale.ROOT, "  sample   %8.3f s  %5.1f%%  (verification overlapped)%n", sample, 100 * sample / step);
    out.printf(Locale.ROOT, "  verify   %8.4f s  %5.2f%%  target <= 5%%: %s%n", verify, 100 * share,
        share <= 0.05 ? "met" : "MISSED");
    out.printf(Locale.ROOT, "  learn    %8.3f s  %5.1f%%%n", learn, 100 * learn / step);
    if (json) {
      ObjectNode node = new ObjectMapper().createObjectNode();
      node.put("step_s", step);
      node.put("sample_s", sample);
      node.put("verify_s", verify);
      node.put("learn_s", learn);
      node.put("verify_share", share);
      node.put("tokens_per_s", median(timed, "tokens_per_s"));
      node.put("problems_per_step", config.rollout().problemsPerStep());
      node.put("group_size", config.rollout().groupSize());
      node.put("batch_rows", batchRows);
      out.println(node);
    }
    return 0;
  }

  private static double median(List<Map<String, Double>> steps, String key) {
    return new Median().evaluate(steps.stream().mapToDouble(m -> m.get(key)).toArray());
  }
}
