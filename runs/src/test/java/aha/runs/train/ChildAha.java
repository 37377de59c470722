package aha.runs.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code aha} in a child JVM with the test's class path, for the tests that need a real process:
 * a kill is then a real kill, and a system property or a crash stays in the child.
 */
final class ChildAha {

  private ChildAha() {}

  /** Starts {@code aha ARGS} with {@code jvmOptions}, output appended to {@code log}. */
  static Process start(List<String> jvmOptions, Path log, List<String> args) throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "aha.runs.cli.AhaCli"));
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** The exit code of {@code process}, waiting at most 10 minutes before killing it and failing. */
  static int finish(Process process) throws InterruptedException {
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("aha did not finish in 10 minutes");
    }
    return process.exitValue();
  }
}
