package aha.runs.store;

import aha.problems.AtomicFiles;
import aha.sampler.bench.BenchReport;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Who ran what, where and when: written when a run starts ({@code status} "running") and rewritten
 * atomically when it ends ("finished" or "failed"). A run whose manifest still says "running" but
 * whose process is gone was killed; {@code aha train --resume} continues it.
 *
 * @param ahaVersion the jar's version
 * @param gitCommit the commit of the working tree the jar was run from, or null when unknown
 * @param dirty whether that tree had uncommitted changes (null when unknown)
 * @param host the machine's name
 * @param java the JVM version
 * @param os operating system and architecture
 * @param cpus processors available to the JVM
 * @param preloaded the LD_PRELOAD the JVM ran under, or "glibc malloc": the allocator and MKL's
 *     code path ({@code ./aha} preloads both) change speed, and MKL's path changes rounding
 * @param collector the JVM's garbage collector ({@link BenchReport#collector}): the fixed cost of
 *     each tensor operation moves with it
 * @param command the command line's arguments
 * @param startedAt when the run (or its latest resumption) started, ISO-8601
 * @param endedAt when it ended, or null while running
 * @param status running, finished or failed
 * @param resumes how many times the run was resumed
 */
public record Manifest(
    @JsonProperty("aha_version") String ahaVersion,
    @JsonProperty("git_commit") String gitCommit,
    @JsonProperty("git_dirty") Boolean dirty,
    @JsonProperty("host") String host,
    @JsonProperty("java") String java,
    @JsonProperty("os") String os,
    @JsonProperty("cpus") int cpus,
    @JsonProperty("preloaded") String preloaded,
    @JsonProperty("collector") String collector,
    @JsonProperty("command") List<String> command,
    @JsonProperty("started_at") String startedAt,
    @JsonProperty("ended_at") String endedAt,
    @JsonProperty("status") String status,
    @JsonProperty("resumes") int resumes) {

  /** The manifest of a run starting now in this process. */
  public static Manifest startingNow(List<String> command) {
    String version = Manifest.class.getPackage().getImplementationVersion();
    String commit = git("rev-parse", "HEAD");
    String porcelain = commit == null ? null : git("status", "--porcelain", "--untracked-files=no");
    return new Manifest(
        version == null ? "dev" : version,
        commit,
        porcelain == null ? null : !porcelain.isEmpty(),
        hostName(),
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        BenchReport.preloaded(),
        BenchReport.collector(),
        List.copyOf(command),
        Instant.now().toString(),
        null,
        "running",
        0);
  }

  /** This manifest for a resumption starting now: a new start time, one more resume. */
  public Manifest resumedNow() {
    return new Manifest(
        ahaVersion, gitCommit, dirty, hostName(), java, os, cpus, BenchReport.preloaded(),
        BenchReport.collector(), command,
        Instant.now().toString(), null, "running", resumes + 1);
  }

  /** This manifest ended now with {@code finalStatus}. */
  public Manifest endedNow(String finalStatus) {
    return new Manifest(
        ahaVersion, gitCommit, dirty, host, java, os, cpus, preloaded, collector, command, startedAt,
        Instant.now().toString(), finalStatus, resumes);
  }

  /** Writes it atomically as pretty JSON. */
  public void write(Path file) throws IOException {
    AtomicFiles.writeString(
        file,
        JsonLines.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this) + "\n");
  }

  /** Reads one, naming the file when it is not a manifest. */
  public static Manifest read(Path file) throws IOException {
    try {
      return JsonLines.JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Manifest.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + ": not a run manifest: " + e.getOriginalMessage(), e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Output of a quick git command in the working directory, or null when git is not there. */
  private static String git(String... args) {
    try {
      String[] command = new String[args.length + 1];
      command[0] = "git";
      System.arraycopy(args, 0, command, 1, args.length);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return null;
      }
      return new String(output, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
