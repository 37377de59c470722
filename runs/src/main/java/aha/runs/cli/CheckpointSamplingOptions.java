package aha.runs.cli;

import aha.problems.Problem;
import aha.problems.ProblemSets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of a command that samples completions from a checkpoint for the problems of a
 * problem file: the checkpoint and generation settings of {@link CheckpointOptions}, plus {@code
 * --problems} and {@code --limit}. A picocli mixin ({@code @Mixin CheckpointSamplingOptions
 * sampling;}) so that {@code aha sample} and {@code aha eval} take them, and check the checkpoint
 * and read the problems, the same way.
 */
final class CheckpointSamplingOptions extends CheckpointOptions {

  @Option(
      names = "--problems",
      required = true,
      paramLabel = "FILE",
      description = "Problem set (JSONL).")
  Path problems;

  @Option(names = "--limit", paramLabel = "N", description = "Use only the first N problems.")
  Integer limit;

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
}
