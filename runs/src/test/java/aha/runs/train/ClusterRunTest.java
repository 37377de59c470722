package aha.runs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer and sampler nodes as separate JVMs on 127.0.0.1, clustered by Hazelcast: the run they
 * make is the run one process makes, bit for bit, through a node that stalls past the item timeout
 * and comes back, a node that is killed mid-step, and a stranger with the wrong password.
 */
@Tag("slow")
class ClusterRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STEPS = 150; // enough for the stall, the rejoin and the kill to land mid-run

  @TempDir Path dir;

  private final List<Process> children = new ArrayList<>();

  @Test
  void aTrainerAndTwoNodesSampleWhatOneProcessSamplesThroughAStallAKillAndAStranger() throws Exception {
    try {
      int trainerPort = freePort();
      Path trainerFile = write("trainer.yaml", "name: lab\npassword: correct-horse\nport: " + trainerPort + "\nitem_timeout_s: 4\n");
      String joinTrainer = "members: [127.0.0.1:" + trainerPort + "]\n";
      Path nodeFile = write("node.yaml", "name: lab\npassword: correct-horse\n" + joinTrainer);
      Path strangerFile = write("stranger.yaml", "name: lab\npassword: wrong-horse\n" + joinTrainer);

      Process plain = aha("plain", "train", "--preset", "smoke", "--no-dashboard", "--set", "run.root=" + dir.resolve("plain"),
          "--set", "grpo.steps=" + STEPS, "--set", "grpo.rollout.batch_rows=4");
      assertEquals(0, ChildAha.finish(plain), "the run in one process");

      // two slots each (8 rows over items of 4) and the trainer's one: a request's two items go one to each node
      Process a = aha("node-a", "sampler", "serve", "--cluster", nodeFile.toString(), "--port", Integer.toString(freePort()),
          "--node-id", "a", "--capacity-rows", "8");
      Process b = aha("node-b", "sampler", "serve", "--cluster", nodeFile.toString(), "--port", Integer.toString(freePort()),
          "--node-id", "b", "--capacity-rows", "8");
      aha("stranger", "sampler", "serve", "--cluster", strangerFile.toString(), "--port", Integer.toString(freePort()),
          "--node-id", "stranger");
      Process trainer = aha("trainer", "train", "--preset", "smoke", "--no-dashboard", "--set", "run.root=" + dir.resolve("cluster"),
          "--set", "grpo.steps=" + STEPS, "--set", "grpo.rollout.batch_rows=4", "--set", "run.cluster=" + trainerFile);

      waitForNodes(node -> node.path("node").asText().equals("b") && node.path("items").asInt() > 0);
      signal(a, "STOP"); // it holds an item: the trainer waits out the timeout, then gives it to others
      Thread.sleep(6_000);
      signal(a, "CONT"); // its late answer must not land in a later step
      waitForNodes(node -> node.path("node").asText().equals("a") && node.path("live").asBoolean()
          && node.path("failures").asInt() == 1);
      signal(b, "STOP");
      Thread.sleep(1_000);
      b.destroyForcibly(); // SIGKILL, holding an item
      assertEquals(0, ChildAha.finish(trainer), "the clustered run");

      Path plainRun = RunFiles.onlyRun(dir.resolve("plain"));
      Path clusterRun = RunFiles.onlyRun(dir.resolve("cluster"));
      assertEquals(lines(plainRun.resolve("samples.jsonl")), lines(clusterRun.resolve("samples.jsonl")));
      assertEquals(lines(plainRun.resolve("metrics.jsonl")), lines(clusterRun.resolve("metrics.jsonl")));

      Set<String> samplers = new TreeSet<>();
      for (String line : Files.readAllLines(clusterRun.resolve("samples.jsonl"))) {
        JSON.readTree(line).path("completions").forEach(c -> samplers.add(c.path("node").asText()));
      }
      assertEquals(Set.of("local", "a", "b"), samplers, "each completion names the node that sampled it");

      List<JsonNode> grpo = grpoLines(clusterRun);
      assertEquals(STEPS, grpo.size());
      double redispatched = grpo.stream().mapToDouble(line -> line.path("rollout/redispatched").asDouble()).sum();
      assertTrue(redispatched >= 2, "the stalled node's item and the killed node's: " + redispatched);
      // the trainer does not wait for nodes, so the first steps may run before both have joined
      assertEquals(3, grpo.stream().mapToInt(line -> line.path("rollout/nodes").asInt()).max().orElse(0),
          "the trainer's replica and both nodes, at some step");
      assertEquals(2, grpo.get(grpo.size() - 1).path("rollout/nodes").asInt(), "the trainer's replica and node a");
      Map<String, JsonNode> nodes = new TreeMap<>();
      JSON.readTree(clusterRun.resolve("nodes.json").toFile()).path("nodes").forEach(node -> nodes.put(node.path("node").asText(), node));
      assertEquals(Set.of("local", "a", "b"), nodes.keySet(), "no stranger among the nodes");
      assertTrue(nodes.get("a").path("live").asBoolean());
      assertFalse(nodes.get("b").path("live").asBoolean());
      assertTrue(Files.readString(dir.resolve("logs/stranger.log")).contains("(1 members)"), "the stranger is alone");
    } finally {
      for (Process child : children) {
        child.destroyForcibly();
      }
      // -Daha.keepClusterLogs=DIR keeps the processes' logs and runs, to see why it failed
      if (System.getProperty("aha.keepClusterLogs") != null) {
        copyTree(dir, Path.of(System.getProperty("aha.keepClusterLogs")));
      }
    }
  }

  /** Waits (at most 3 minutes) until the clustered run's nodes.json has a node that passes. */
  private void waitForNodes(Predicate<JsonNode> wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      Path root = dir.resolve("cluster");
      Path run = Files.isDirectory(root) ? RunFiles.onlyRunOrNull(root) : null;
      Path nodes = run == null ? null : run.resolve(GrpoStage.NODES);
      if (nodes != null && Files.exists(nodes)) {
        for (JsonNode node : JSON.readTree(Files.readString(nodes)).path("nodes")) {
          if (wanted.test(node)) {
            return;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no such node in time; see " + dir.resolve("logs"));
  }

  private static List<JsonNode> grpoLines(Path run) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode node = JSON.readTree(line);
      if (node.path("stage").asText().equals("grpo")) {
        out.add(node);
      }
    }
    return out;
  }

  /** The lines two runs must agree on, less what only a cluster records: its metrics and each completion's node. */
  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = RunFiles.withoutWallClock(file);
    for (JsonNode line : out) {
      ((ObjectNode) line).properties().removeIf(entry -> entry.getKey().startsWith("rollout/"));
      for (JsonNode completion : line.path("completions")) {
        ((ObjectNode) completion).remove("node");
      }
    }
    return out;
  }

  private Process aha(String name, String... args) throws IOException {
    Process child = ChildAha.start(List.of(), dir.resolve("logs").resolve(name + ".log"), List.of(args));
    children.add(child);
    return child;
  }

  private static void signal(Process process, String signal) throws Exception {
    // bash's own kill: /bin/kill comes with procps, which a bare machine may lack
    Process kill =
        new ProcessBuilder("bash", "-c", "kill -" + signal + " " + process.pid()).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
