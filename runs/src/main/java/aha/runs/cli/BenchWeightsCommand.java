package aha.runs.cli;

import aha.runs.cluster.ClusterSettings;
import aha.runs.cluster.ClusterVertx;
import aha.sampler.checkpoint.Checkpoints;
import aha.sampler.cluster.WeightTransfer;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import aha.sampler.service.VertxFutures;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha bench weights}: how fast a policy version reaches a sampler node, two ways. */
@Command(
    name = "weights",
    mixinStandardHelpOptions = true,
    header = "How fast a policy version's weights reach a sampler node: event bus against HTTP.",
    description = {
      "The weight sync of a clustered run (docs/scale-out.md), taken apart. A preset model with",
      "seeded random weights is encoded as the trainer encodes each version (an F32 safetensors",
      "file's bytes, in memory), then moved between two cluster members on 127.0.0.1 (two Vert.x instances clustered",
      "by Hazelcast, each with its own event-bus connection) in two ways: pulled in chunks over",
      "the event bus, as sampler nodes pull it, and fetched with one HTTP GET from the trainer.",
      "Runs fetch over HTTP, faster in every idle sitting so far. Last, a node's load of the",
      "received file into its replica. Medians of the repeats.",
    },
    footer = {"", "Examples:", "  aha bench weights --preset micro", "  aha bench weights --preset nano --json"})
final class BenchWeightsCommand implements Callable<Integer> {

  private static final String ADDRESS = "aha.bench.weights";

  @Spec CommandSpec spec;

  @Option(names = "--preset", defaultValue = "nano", paramLabel = "NAME",
      description = "Model preset: tiny, nano, micro or small (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--repeats", defaultValue = "7", paramLabel = "R",
      description = "Timed transfers each way after a warm-up; the median is reported (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--chunk-kib", defaultValue = "1024", paramLabel = "K",
      description = "Event-bus chunk size in KiB, as a trainer serves them (default: ${DEFAULT-VALUE}).")
  int chunkKib;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ModelConfig config;
    try {
      config = ModelConfig.preset(preset);
    } catch (IllegalArgumentException e) {
      throw new UserInputException("--preset: " + e.getMessage());
    }
    if (repeats < 1 || chunkKib < 1) {
      throw new UserInputException("--repeats and --chunk-kib must be positive");
    }
    Path dir = Files.createTempDirectory("aha-bench-weights");
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = new Transformer(config);
      model.initialize(manager, 42);
      double[] write = new double[repeats];
      byte[] bytes = null;
      for (int i = 0; i < repeats; i++) {
        long start = System.nanoTime();
        bytes = Checkpoints.weightsBytes(model); // what a trainer serves for each version
        write[i] = millisSince(start);
      }
      Checkpoints.save(model, dir); // the file a node receives, for its load below
      Measured transfer = transfers(bytes);
      double[] load = new double[repeats];
      Transformer target = new Transformer(config);
      target.initializeEmpty(manager);
      for (int i = 0; i < repeats; i++) {
        long start = System.nanoTime();
        Checkpoints.loadInto(dir, target); // what PolicyReplica.loadWeights does
        load[i] = millisSince(start);
      }
      print(config, bytes.length, median(write), transfer, median(load));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(dir);
    }
    return 0;
  }

  /** Medians of the two transports, each between two clustered members on loopback. */
  private record Measured(double eventBus, double http) {}

  private Measured transfers(byte[] bytes) throws IOException {
    String password = UUID.randomUUID().toString();
    int portA = freePort();
    int portB = freePort();
    ClusterVertx trainer =
        VertxFutures.await(ClusterVertx.start(new ClusterSettings("bench", password, "127.0.0.1", portA, 0, List.of())));
    ClusterVertx node = null;
    try {
      node = VertxFutures.await(ClusterVertx.start(
          new ClusterSettings("bench", password, "127.0.0.1", portB, 0, List.of("127.0.0.1:" + portA))));
      WeightTransfer.Version version = new WeightTransfer.Version(1, bytes);
      Supplier<WeightTransfer.Version> current = () -> version;
      MessageConsumer<JsonObject> served = WeightTransfer.serveOverBus(trainer.vertx(), ADDRESS, "bench", current, chunkKib * 1024);
      VertxFutures.await(served.completion());
      HttpServer http = VertxFutures.await(WeightTransfer.serveOverHttp(trainer.vertx(), "127.0.0.1", 0, "bench", current));
      HttpClient client = node.vertx().createHttpClient();
      ClusterVertx puller = node;
      Supplier<Future<Buffer>> overBus =
          () -> WeightTransfer.pullOverBus(puller.vertx(), ADDRESS, "bench", 1, new DeliveryOptions().setSendTimeout(60_000));
      String base = WeightTransfer.httpBase("127.0.0.1", http.actualPort(), "bench");
      Supplier<Future<Buffer>> overHttp = () -> WeightTransfer.fetchOverHttp(client, base, 1);
      double bus = median(timed(overBus, bytes.length));
      double get = median(timed(overHttp, bytes.length));
      VertxFutures.await(client.close());
      VertxFutures.await(http.close());
      return new Measured(bus, get);
    } finally {
      // both at once, so that neither logs the other's going as a lost connection
      VertxFutures.await(Future.join(trainer.close(), node == null ? Future.succeededFuture() : node.close()));
    }
  }

  /** A warm-up, then {@code repeats} timed transfers, each checked for its length. */
  private double[] timed(Supplier<Future<Buffer>> transfer, int length) {
    VertxFutures.await(transfer.get());
    double[] millis = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      Buffer got = VertxFutures.await(transfer.get());
      millis[i] = millisSince(start);
      if (got.length() != length) {
        throw new IllegalStateException("received " + got.length() + " bytes of " + length);
      }
    }
    return millis;
  }

  private void print(ModelConfig config, int bytes, double write, Measured transfer, double load) {
    PrintWriter out = spec.commandLine().getOut();
    double megabytes = bytes / 1e6;
    if (json) {
      ObjectNode node = new ObjectMapper().createObjectNode();
      node.put("preset", preset).put("parameters", config.parameterCount()).put("bytes", bytes)
          .put("repeats", repeats).put("chunk_kib", chunkKib)
          .put("encode_ms", write).put("event_bus_ms", transfer.eventBus()).put("http_ms", transfer.http())
          .put("load_ms", load);
      out.println(node);
    } else {
      out.printf(Locale.ROOT, "weights of %s: %,d parameters, %.2f MB as F32 safetensors; medians of %d%n",
          preset, config.parameterCount(), megabytes, repeats);
      out.printf(Locale.ROOT, "  trainer encodes the version          %8.1f ms%n", write);
      out.printf(Locale.ROOT, "  event bus, %4d KiB chunks           %8.1f ms  %7.0f MB/s%n",
          chunkKib, transfer.eventBus(), megabytes / (transfer.eventBus() / 1000));
      out.printf(Locale.ROOT, "  HTTP GET of the file                 %8.1f ms  %7.0f MB/s%n",
          transfer.http(), megabytes / (transfer.http() / 1000));
      out.printf(Locale.ROOT, "  node loads it into its replica       %8.1f ms%n", load);
    }
    out.flush();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
