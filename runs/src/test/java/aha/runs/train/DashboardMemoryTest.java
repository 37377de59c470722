package aha.runs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.runs.dashboard.FakeRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard serves a run of a million metrics lines (about 450 MB) from a 256 MiB heap: three
 * requests at once for its metrics are answered, with a chart's worth of evenly spaced lines, and
 * the server still answers afterwards. Before the metrics were read in chunks and thinned, such a
 * file was read whole and every line kept parsed, and three requests ran the server out of memory.
 */
@Tag("slow")
class DashboardMemoryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern URL = Pattern.compile("aha dashboard: (http://127\\.0\\.0\\.1:\\d+)/?");
  private static final int LINES = 1_000_000;

  @TempDir Path dir;

  @Test
  void aMillionLineRunIsServedFromASmallHeap() throws Exception {
    Path root = dir.resolve("runs");
    try (FakeRun run = FakeRun.create(root, "long", "running")) {
      run.metric(1);
    }
    writeMetrics(root.resolve("long").resolve("metrics.jsonl"));
    Path log = dir.resolve("dashboard.log");
    Process dashboard =
        ChildAha.start(
            List.of("-Xmx256m"), log, List.of("dashboard", "--runs", root.toString(), "--port", "0"));
    try {
      String base = awaitUrl(log, dashboard);
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        replies.add(client.sendAsync(get(base + "/api/runs/long/metrics"), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> reply : replies) {
        HttpResponse<String> response = reply.get();
        assertEquals(200, response.statusCode(), response.body().substring(0, Math.min(300, response.body().length())));
        JsonNode metrics = JSON.readTree(response.body()).get("metrics");
        assertTrue(metrics.size() > 2000 && metrics.size() <= 4096, metrics.size() + " lines");
        long gap = metrics.get(1).get("step").asLong() - metrics.get(0).get("step").asLong();
        assertEquals(256, gap, "evenly spaced");
      }
      HttpResponse<String> runs = client.send(get(base + "/api/runs"), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, runs.statusCode());
      assertTrue(runs.body().contains("\"step\":" + LINES), "the last step is kept apart: " + runs.body());
      assertTrue(dashboard.isAlive(), Files.readString(log));
      assertFalse(Files.readString(log).contains("OutOfMemoryError"), Files.readString(log));
    } finally {
      dashboard.destroy();
      dashboard.waitFor();
    }
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(3)).GET().build();
  }

  /** A million GRPO-like lines, about 450 bytes each. */
  private static void writeMetrics(Path file) throws IOException {
    try (BufferedWriter out =
        Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int step = 1; step <= LINES; step++) {
        out.write("{\"step\":" + step + ",\"stage\":\"grpo\",\"time\":\"2026-12-03T00:00:00Z\",\"elapsed_s\":" + step
            + ".5,\"reward/mean\":0.41,\"reward/std\":0.32,\"accuracy\":0.37,\"frac_reward_zero_std\":0.25,"
            + "\"completions/mean_length\":98.5,\"completions/min_length\":12,\"completions/max_length\":240,"
            + "\"completions/p90_length\":180,\"completions/clipped_ratio\":0.02,\"kl\":0.0012,\"entropy\":1.21,"
            + "\"grad_norm\":0.35,\"lr\":2.0E-4,\"policy_version\":" + step + ",\"tokens_per_s\":10132.4,"
            + "\"time/sample\":2.1,\"time/verify\":0.01,\"time/learn\":2.0}\n");
      }
    }
  }

  /** The dashboard's address, once its log prints it. */
  private static String awaitUrl(Path log, Process process) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        Matcher m = URL.matcher(Files.readString(log));
        if (m.find()) {
          return m.group(1);
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError("the dashboard ended: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no address in the dashboard's log: " + Files.readString(log));
  }
}
