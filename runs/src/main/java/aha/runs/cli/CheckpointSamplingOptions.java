package aha.runs.cli;

import aha.grpo.train.BasePipeline;
import aha.problems.Problem;
import aha.problems.ProblemSets;
import aha.sampler.checkpoint.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of a command that samples completions from a checkpoint for the problems of a
 * problem file: which checkpoint, which problems, and the settings of generation that mean the
 * same in every such command. A picocli mixin ({@code @Mixin CheckpointSamplingOptions sampling;})
 * so that {@code aha sample} and {@code aha eval} take them, and check the checkpoint and read the
 * problems, the same way.
 *
 * <p>The temperature is not here: {@code aha sample} takes 0 as greedy, while {@code aha eval} runs
 * its greedy pass apart and needs a positive temperature for the sampled completions.
 */
final class CheckpointSamplingOptions {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "Checkpoint directory: config.json, model.safetensors, tokenizer.json.")
  Path model;

  @Option(
      names = "--problems",
      required = true,
      paramLabel = "FILE",
      description = "Problem set (JSONL).")
  Path problems;

  @Option(names = "--limit", paramLabel = "N", description = "Use only the first N problems.")
  Integer limit;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "256",
      paramLabel = "N",
      description = "Most tokens per completion (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(
      names = "--top-p",
      defaultValue = "1",
      description = "Nucleus: keep tokens up to this probability mass (default: ${DEFAULT-VALUE}).")
  double topP;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the sampled completions (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--batch-rows",
      defaultValue = "64",
      paramLabel = "N",
      description = "Most completions generated together (default: ${DEFAULT-VALUE}).")
  int batchRows;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  /**
   * The first {@code --limit} problems of the problem file, after checking {@code --limit} and that
   * the checkpoint directory holds what loading it needs, so that a wrong path fails before any
   * model is built.
   *
   * @throws UserInputException naming the option or file that is wrong, or a file with no problems
   * @throws IOException when the problem file cannot be read or parsed
   */
  List<Problem> readProblems() throws IOException {
    if (limit != null && limit <= 0) {
      throw new UserInputException("--limit must be positive, got " + limit);
    }
    checkCheckpoint();
    List<Problem> all = ProblemSets.read(problems);
    if (limit != null && limit < all.size()) {
      all = all.subList(0, limit);
    }
    if (all.isEmpty()) {
      throw new UserInputException(problems + ": no problems");
    }
    return all;
  }

  private void checkCheckpoint() {
    if (!Files.isDirectory(model)) {
      throw new UserInputException(model + ": not a checkpoint directory");
    }
    for (String file : List.of(Checkpoints.CONFIG, BasePipeline.TOKENIZER)) {
      if (!Files.isRegularFile(model.resolve(file))) {
        throw new UserInputException(model.resolve(file) + ": no such file");
      }
    }
  }
}
