package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.ProblemSets;
import aha.problems.gen.ProblemGenerator;
import aha.sampler.checkpoint.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks of {@link CheckpointSamplingOptions}, through each command that takes them: a wrong
 * checkpoint, problem file or {@code --limit} is one line naming it and exit code 2, before any
 * model is loaded.
 */
class CheckpointSamplingOptionsTest {

  @TempDir static Path dir;

  /**
   * A checkpoint's files, none of them loadable: a check made only after loading would fail with
   * another message.
   */
  private static Path unloadable;

  private static Path problems;

  @BeforeAll
  static void writeFiles() throws IOException {
    unloadable = Files.createDirectories(dir.resolve("unloadable"));
    Files.writeString(unloadable.resolve(Checkpoints.CONFIG), "not JSON");
    Files.writeString(unloadable.resolve("tokenizer.json"), "not JSON");
    problems = dir.resolve("problems.jsonl");
    ProblemSets.write(problems, ProblemGenerator.generate("addition", 1, 2, 7));
  }

  private static CliRun run(String command, Path model, Path problemFile, String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = command;
    args[1] = "--model=" + model;
    args[2] = "--problems=" + problemFile;
    args[3] = "--device=cpu";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return CliRun.of(args);
  }

  private static void assertUserError(String expected, CliRun run) {
    assertEquals(CliErrors.USER_ERROR, run.exitCode(), run.err());
    assertEquals("aha: error: " + expected, run.err().strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {"eval", "sample"})
  void aMissingCheckpointOrProblemFileIsNamed(String command) throws IOException {
    Path missing = dir.resolve("nowhere");
    assertUserError(missing + ": not a checkpoint directory", run(command, missing, problems));

    Path bare = dir.resolve("bare-" + command);
    Files.createDirectories(bare);
    Files.copy(unloadable.resolve(Checkpoints.CONFIG), bare.resolve(Checkpoints.CONFIG));
    CliRun noTokenizer = run(command, bare, problems);
    assertUserError(bare.resolve("tokenizer.json") + ": no such file", noTokenizer);

    Path noFile = dir.resolve("none.jsonl");
    assertUserError(noFile + ": no such file", run(command, unloadable, noFile));
  }

  @ParameterizedTest
  @ValueSource(strings = {"eval", "sample"})
  void aBadProblemLineIsNamedInOneLine(String command) throws IOException {
    Path bad = dir.resolve("bad-" + command + ".jsonl");
    Files.writeString(bad, Files.readAllLines(problems).get(0) + "\n{\"id\": \"p1\"}\n");
    CliRun run = run(command, unloadable, bad);
    assertEquals(CliErrors.USER_ERROR, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("aha: error: " + bad), run.err());
    assertTrue(run.err().contains("2"), "names the line: " + run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"eval", "sample"})
  void aLimitBelowOneIsNamed(String command) {
    CliRun run = run(command, unloadable, problems, "--limit=0");
    assertUserError("--limit must be positive, got 0", run);
  }

  @ParameterizedTest
  @ValueSource(strings = {"eval", "sample"})
  void aFileWithoutProblemsIsNamed(String command) throws IOException {
    Path empty = dir.resolve("empty-" + command + ".jsonl");
    Files.writeString(empty, "");
    assertUserError(empty + ": no problems", run(command, unloadable, empty));
  }
}
