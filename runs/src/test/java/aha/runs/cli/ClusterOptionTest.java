package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run.cluster} on the commands that train: a bad cluster is a one-line error, exit 2. */
class ClusterOptionTest {

  @TempDir Path dir;

  @Test
  void aMissingOrWrongClusterFileFailsBeforeARunIsMade() throws IOException {
    Path checkpoint = TinyCheckpoint.write(dir.resolve("checkpoint"));
    Path runs = dir.resolve("runs");

    Result missing = aha("grpo", "--model", checkpoint.toString(), "--set", "run.root=" + runs,
        "--set", "run.cluster=" + dir.resolve("nowhere.yaml"));
    assertEquals(2, missing.code());
    assertEquals("aha: error: " + dir.resolve("nowhere.yaml") + ": no such file", missing.err().strip());

    Path weak = Files.writeString(dir.resolve("weak.yaml"), "name: lab\npassword: short\n");
    Result refused = aha("train", "--preset", "smoke", "--no-dashboard", "--set", "run.root=" + runs,
        "--set", "run.cluster=" + weak);
    assertEquals(2, refused.code());
    assertEquals("aha: error: " + weak + ": password: must be at least 8 characters", refused.err().strip());
    assertFalse(Files.exists(runs), "no run directory for a run that could not start");
  }

  @Test
  void aClusterPortInUseIsNamedAndTheRunMarkedFailed() throws IOException {
    Path checkpoint = TinyCheckpoint.write(dir.resolve("checkpoint"));
    Path runs = dir.resolve("runs");
    try (ServerSocket taken = new ServerSocket(0)) {
      Path file = Files.writeString(dir.resolve("cluster.yaml"),
          "name: lab\npassword: correct-horse\nport: " + taken.getLocalPort() + "\n");
      Result result = aha("grpo", "--model", checkpoint.toString(), "--set", "run.root=" + runs,
          "--set", "run.cluster=" + file);
      assertEquals(2, result.code());
      assertTrue(result.err().strip().endsWith(file + ": could not join cluster 'lab' as 127.0.0.1:"
          + taken.getLocalPort() + ": Address already in use"), result.err());
    }
    try (var made = Files.list(runs)) {
      Path run = made.findFirst().orElseThrow();
      assertTrue(Files.readString(run.resolve("manifest.json")).contains("\"failed\""));
    }
  }

  private record Result(int code, String err) {}

  private static Result aha(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = AhaCli.commandLine();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    return new Result(cli.execute(args), err.toString());
  }
}
