package aha.runs.cli;

import aha.grpo.rl.LabChat;
import aha.runs.cluster.ClusterFile;
import aha.runs.cluster.ClusterSettings;
import aha.runs.cluster.ClusterVertx;
import aha.sampler.cluster.SamplerNode;
import aha.sampler.model.Devices;
import aha.sampler.service.VertxFutures;
import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha sampler serve}: one sampler node, serving until it is stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Start a sampler node that samples for a training run in its cluster.",
    description = {
      "Joins the cluster the file describes (TCP/IP join with the listed members; no multicast),",
      "bound to 127.0.0.1 unless the file or --host says otherwise, and announces itself to the",
      "trainer: its id, its capacity in rows and its device. It starts with no model: the trainer",
      "of a run with run.cluster set sends the model's config and tokenizer, and the weights of",
      "each policy version (an F32 safetensors file it fetches over HTTP from the trainer) before",
      "the node samples with them. The trainer deals each sampling request out as items of whole groups",
      "(grpo.rollout.batch_rows rows); an item's seed follows from where it starts, so a run gives",
      "the same completions on one node or many (same hardware and threads). A node that dies or",
      "stalls past the cluster file's item_timeout_s loses its items to the others; one that joins",
      "mid-run fetches the current weights and takes work. Serves until stopped (Ctrl-C).",
      "",
      "The cluster's password only keeps strangers from joining: Hazelcast's open-source edition",
      "does not encrypt. Across machines, run the cluster inside a VPN or SSH tunnels.",
    },
    footer = {
      "",
      "Examples:",
      "  aha sampler serve --cluster node.yaml",
      "  aha sampler serve --cluster lab.yaml --host 10.0.0.2 --port 5702 --join 10.0.0.1:5701",
      "See docs/scale-out.md for a trainer and two nodes on two machines."
    })
final class SamplerServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--cluster",
      paramLabel = "FILE",
      required = true,
      description = "The cluster file: name, password, host, port, members (docs/scale-out.md).")
  Path clusterFile;

  @Option(names = "--host", paramLabel = "ADDR", description = "This node's address (overrides the file's host).")
  String host;

  @Option(names = "--port", paramLabel = "N", description = "This node's Hazelcast port (overrides the file's port).")
  Integer port;

  @Option(
      names = "--join",
      paramLabel = "HOST:PORT",
      description = "A member to join, such as the trainer (repeatable; overrides the file's members).")
  List<String> join;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description = "This node's name in the trainer's books and the dashboard (default: node-HOST-PORT).")
  String nodeId;

  @Option(
      names = "--capacity-rows",
      paramLabel = "N",
      defaultValue = "256",
      description = "Rows this node decodes well in one batch; the trainer keeps N / batch_rows items on it (default: ${DEFAULT-VALUE}).")
  int capacityRows;

  @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Mixin ThreadsOption threads;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the received model is kept (default: a temporary folder).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ClusterFile file = ClusterFile.read(clusterFile);
    ClusterSettings from = file.settings();
    ClusterSettings settings;
    try {
      settings =
          new ClusterSettings(
              from.name(), from.password(), host != null ? host : from.host(), port != null ? port : from.port(),
              from.busPort(), join != null ? join : from.members());
    } catch (IllegalArgumentException e) {
      throw new UserInputException("--host, --port or --join: " + e.getMessage());
    }
    if (capacityRows < 1) {
      throw new UserInputException("--capacity-rows must be positive, got " + capacityRows);
    }
    threads.apply();
    Device on = Devices.resolve(device);
    String id = nodeId != null ? nodeId : "node-" + settings.host().replace(':', '_') + "-" + settings.port();
    if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new UserInputException("--node-id: use letters, digits, '.', '_' and '-', got '" + id + "'");
    }
    Path dir = workDir != null ? workDir : Files.createTempDirectory("aha-node-");

    awaitAMember(settings, out);
    ClusterVertx member = VertxFutures.await(ClusterVertx.start(settings));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread shutdown =
        new Thread(
            () -> {
              VertxFutures.await(member.close());
              stopped.countDown();
            },
            "aha-node-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    SamplerNode.Options options =
        new SamplerNode.Options(id, member::nodeId, capacityRows, on, dir, LabChat::template, Duration.ofSeconds(2));
    VertxFutures.await(member.vertx().deployVerticle(new SamplerNode(options)));
    out.printf(
        "sampler node %s joined cluster '%s' at %s:%d (%d members); %d rows, %s; waiting for a trainer. Ctrl-C stops it.%n",
        id, settings.name(), settings.host(), settings.port(), member.members().size(), capacityRows, on);
    out.flush();
    stopped.await();
    return 0;
  }

  /**
   * Waits until one of the members to join accepts a connection: a node started before its trainer
   * would otherwise form a cluster of its own, which Hazelcast merges only after a while.
   */
  private static void awaitAMember(ClusterSettings settings, PrintWriter out) throws InterruptedException {
    if (settings.members().isEmpty()) {
      return;
    }
    boolean told = false;
    while (true) {
      for (String member : settings.members()) {
        int colon = member.lastIndexOf(':');
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(member.substring(0, colon), Integer.parseInt(member.substring(colon + 1))), 1000);
          return;
        } catch (IOException unreachable) {
          // not up yet
        }
      }
      if (!told) {
        out.println("waiting for a member to answer at " + String.join(", ", settings.members()) + " ...");
        out.flush();
        told = true;
      }
      Thread.sleep(1000);
    }
  }

}
