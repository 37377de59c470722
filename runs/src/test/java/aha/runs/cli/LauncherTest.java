package aha.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.sampler.bench.BenchReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./aha} launcher's JVM options, run on a copy of the script whose jar is a placeholder
 * newer than any source (so it builds nothing) and whose {@code java} is a stand-in on PATH that
 * prints the arguments it was given.
 */
class LauncherTest {

  private static final Path LAUNCHER = Path.of("..", "aha");

  @TempDir Path dir;

  @BeforeEach
  void copyTheLauncher() throws IOException {
    Files.copy(LAUNCHER, dir.resolve("aha"));
    Path jar = Files.createDirectories(dir.resolve("runs/target")).resolve("aha.jar");
    Files.writeString(jar, "placeholder");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(3600)));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    assertTrue(java.toFile().setExecutable(true));
  }

  @Test
  void picksTheParallelCollector() throws Exception {
    List<String> args = javaArguments("");
    assertEquals(List.of("-XX:+UseParallelGC", "-jar"), args.subList(0, 2));
    assertEquals(List.of("--version"), args.subList(args.size() - 1, args.size()));
  }

  @Test
  void leavesTheCollectorToAhaJavaOptsWhenTheyNameOne() throws Exception {
    List<String> args = javaArguments("-Xmx2g -XX:+UseG1GC");
    assertFalse(args.contains("-XX:+UseParallelGC"), args.toString());
    assertTrue(args.containsAll(List.of("-Xmx2g", "-XX:+UseG1GC")), args.toString());
  }

  @Test
  void addsItsCollectorToOtherOptions() throws Exception {
    List<String> args = javaArguments("-Xmx2g");
    assertEquals(List.of("-XX:+UseParallelGC", "-Xmx2g", "-jar"), args.subList(0, 3));
  }

  /** The suite runs under the collector ./aha picks (the surefire argLine), so reports name it. */
  @Test
  void benchmarksNameTheCollectorTheyRanUnder() {
    assertEquals("Parallel", BenchReport.collector());
  }

  private List<String> javaArguments(String javaOpts) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", dir.resolve("aha").toString(), "--version");
    builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    builder.environment().put("AHA_JAVA_OPTS", javaOpts);
    builder.environment().put("LD_PRELOAD", " "); // no preload lookup: native/ is not copied
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), out);
    return out.lines().toList();
  }
}
