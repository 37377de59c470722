package aha.sampler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.sampler.generate.Completion;
import aha.sampler.generate.FinishReason;
import aha.sampler.generate.SamplingParams;
import aha.sampler.model.TestModels;
import aha.sampler.model.Transformer;
import aha.sampler.service.CompletionScorer;
import aha.sampler.service.PolicyReplica;
import aha.sampler.service.Prompt;
import aha.sampler.service.SampledCompletion;
import aha.sampler.service.SampledGroup;
import aha.sampler.service.SamplingService;
import aha.sampler.service.SamplingServiceConfig;
import aha.sampler.service.VertxFutures;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.MathCorpus;
import aha.sampler.tokenizer.Tokenizer;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's dispatcher over real sampler nodes on one (non-clustered) Vert.x: the event bus is
 * the same API whether its consumers are in this process or another, so what is tested here is
 * what crosses machines, less the network (the multi-process test in the runs module covers that).
 */
class ClusterDispatcherTest {

  @TempDir static Path dir;

  private static Tokenizer tokenizer;
  private static NDManager manager;
  private static Transformer policy;
  private static Transformer laterPolicy;
  private static Vertx vertx;

  private static final int G = 4;
  private static final int BATCH_ROWS = 8; // two groups an item: six prompts make three items
  private static final SamplingParams PARAMS = SamplingParams.sampled(1.0, 12, 7);
  private static final CompletionScorer<Integer, String> SCORER =
      (key, completion) -> key + ":" + completion.length();

  @BeforeAll
  static void setUp() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    BpeTrainer.withChatTokens(300, true).train(MathCorpus.lines(500, 1)).save(file);
    tokenizer = Tokenizer.load(file);
    manager = NDManager.newBaseManager();
    policy = TestModels.randomized(TestModels.tiny(false, false).withVocabSize(tokenizer.vocabSize()), manager, 5);
    laterPolicy = TestModels.randomized(policy.config(), manager, 6);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() {
    VertxFutures.await(vertx.close());
    manager.close();
    tokenizer.close();
  }

  @Test
  void theCompletionsDoNotDependOnHowManyNodesSampleThem() throws Exception {
    List<SampledGroup<Integer, String>> reference = plainService(policy);
    ClusterDispatcher<Integer, String> alone = dispatcher("alone", Set.of(), Duration.ofSeconds(60));
    assertSameGroups(reference, VertxFutures.await(alone.sample(prompts(), G, PARAMS)));
    VertxFutures.await(alone.close());

    ClusterDispatcher<Integer, String> three = dispatcher("three", Set.of("m-a", "m-b"), Duration.ofSeconds(60));
    List<String> nodes = List.of(deployNode("a", "m-a", 8), deployNode("b", "m-b", 8));
    waitUntil(() -> three.liveNodes() == 3);
    assertSameGroups(reference, VertxFutures.await(three.sample(prompts(), G, PARAMS)));
    assertEquals(3, three.nodes().stream().filter(node -> node.items() == 1).count(), three.nodes().toString());
    assertEquals(0, three.redispatched());
    VertxFutures.await(three.close());
    undeploy(nodes);
  }

  @Test
  void aNodeThatStallsPastTheTimeoutHasItsItemsSampledElsewhereAndItsLateRepliesDropped() throws Exception {
    List<SampledGroup<Integer, String>> reference = plainService(policy);
    ClusterDispatcher<Integer, String> dispatcher =
        dispatcher("stall", Set.of("m-stall"), Duration.ofMillis(700));
    List<Message<Object>> held = new CopyOnWriteArrayList<>();
    MessageConsumer<Object> stalled = vertx.eventBus().consumer(Wire.node("stall"), held::add);
    VertxFutures.await(stalled.completion());
    announce("stall", "m-stall", 64); // eight slots: it is the freest and takes every item

    List<SampledGroup<Integer, String>> groups = VertxFutures.await(dispatcher.sample(prompts(), G, PARAMS));

    assertSameGroups(reference, groups);
    assertEquals(3, held.size());
    assertEquals(3, dispatcher.redispatched());
    assertFalse(dispatcher.nodes().get(1).live());
    for (Message<Object> message : held) { // the node wakes up and answers: nobody listens any more
      message.reply(junk(message).toBuffer());
    }
    Thread.sleep(200);
    assertEquals(0, dispatcher.lateReplies());
    VertxFutures.await(stalled.unregister());
    VertxFutures.await(dispatcher.close());
  }

  @Test
  void aNodeWhoseMemberLeavesIsDroppedAtOnceAndWhatItSendsAfterIsNotCounted() throws Exception {
    List<SampledGroup<Integer, String>> reference = plainService(policy);
    Set<String> members = ConcurrentHashMap.newKeySet();
    members.add("m-gone");
    ClusterDispatcher<Integer, String> dispatcher = dispatcher("gone", members, Duration.ofSeconds(60));
    List<Message<Object>> held = new CopyOnWriteArrayList<>();
    MessageConsumer<Object> consumer =
        vertx.eventBus().consumer(Wire.node("gone"), message -> {
          held.add(message);
          if (held.size() == 3) {
            members.remove("m-gone"); // it has every item: now its machine goes away
          }
        });
    VertxFutures.await(consumer.completion());
    announce("gone", "m-gone", 64);

    List<SampledGroup<Integer, String>> groups = VertxFutures.await(dispatcher.sample(prompts(), G, PARAMS));

    assertSameGroups(reference, groups);
    assertEquals(3, dispatcher.redispatched());
    for (Message<Object> message : held) { // replies still reach the dispatcher, which drops them
      message.reply(junk(message).toBuffer());
    }
    waitUntil(() -> dispatcher.lateReplies() == 3);
    assertSameGroups(reference, groups);
    VertxFutures.await(consumer.unregister());
    VertxFutures.await(dispatcher.close());
  }

  @Test
  void nodesSampleWithTheWeightsLastPublishedAndOneJoiningLaterFetchesThem() throws Exception {
    ClusterDispatcher<Integer, String> dispatcher =
        dispatcher("weights", Set.of("m-c", "m-d"), Duration.ofSeconds(60));
    List<String> nodes = new ArrayList<>(List.of(deployNode("c", "m-c", 8)));
    waitUntil(() -> dispatcher.liveNodes() == 2);

    assertEquals(1L, VertxFutures.await(dispatcher.publishWeights(1, laterPolicy)));
    assertTrue(dispatcher.lastSyncMillis() > 0);
    nodes.add(deployNode("d", "m-d", 16)); // two slots: the freest, so it takes work at once
    waitUntil(() -> dispatcher.liveNodes() == 3);

    List<SampledGroup<Integer, String>> groups = VertxFutures.await(dispatcher.sample(prompts(), G, PARAMS));
    assertSameGroups(plainService(laterPolicy), groups);
    for (SampledGroup<Integer, String> group : groups) {
      assertEquals(1, group.policyVersion());
    }
    assertTrue(dispatcher.nodes().get(2).items() > 0, dispatcher.nodes().toString());
    assertEquals(1, dispatcher.nodes().get(1).version());
    assertTrue(dispatcher.nodes().get(2).loadMillis() > 0);
    VertxFutures.await(dispatcher.close());
    undeploy(nodes);
  }

  @Test
  void itemsAndCompletionsCrossTheWireUnchanged() {
    Wire.Item item = new Wire.Item(3, List.of(new int[] {1, 2, 3}, new int[] {4}), 2, PARAMS.forBatchAt(8));
    Wire.Item back = Wire.Item.fromJson(new JsonObject(item.toJson().encode()));
    assertEquals(item.params(), back.params());
    assertEquals(4, back.rows().size());
    assertEquals(List.of(1, 2, 3), toList(back.rows().get(1)));
    Completion completion =
        new Completion(new int[] {5, 6}, new float[] {-0.1f, Float.MIN_VALUE}, FinishReason.LENGTH, new boolean[] {false, true});
    Wire.Sampled sampled = Wire.Sampled.fromBuffer(new Wire.Sampled(3, 1.5, 2.5, List.of(completion)).toBuffer());
    assertEquals(List.of(completion), sampled.completions());
    assertEquals(3, sampled.version());
  }

  /** What one local service with the same batch rows samples: the reference every test compares to. */
  private static List<SampledGroup<Integer, String>> plainService(Transformer weights) {
    SamplingService<PolicyReplica, Integer, String> service =
        VertxFutures.await(SamplingService.start(vertx, serviceConfig("plain"), SCORER,
            replica -> PolicyReplica.copyOf(weights, new ChatTemplate(tokenizer))));
    try {
      return VertxFutures.await(service.sample(prompts(), G, PARAMS));
    } finally {
      VertxFutures.await(service.close());
    }
  }

  private static ClusterDispatcher<Integer, String> dispatcher(String name, Set<String> members, Duration timeout)
      throws IOException {
    SamplingService<PolicyReplica, Integer, String> local =
        VertxFutures.await(SamplingService.start(vertx, serviceConfig(name), SCORER,
            replica -> PolicyReplica.copyOf(policy, new ChatTemplate(tokenizer))));
    ClusterDispatcher.Options options = new ClusterDispatcher.Options(timeout, Duration.ofMillis(100), "127.0.0.1", 0);
    return VertxFutures.await(ClusterDispatcher.start(vertx, local, SCORER, policy, tokenizer.file(), () -> members, options));
  }

  private static SamplingServiceConfig serviceConfig(String name) {
    return SamplingServiceConfig.defaults().withName(name).withMaxBatchRows(BATCH_ROWS).withMaxPromptTokens(64);
  }

  private static String deployNode(String id, String member, int capacityRows) {
    SamplerNode.Options options =
        new SamplerNode.Options(id, () -> member, capacityRows, Device.cpu(), dir.resolve("node-" + id),
            ChatTemplate::new, Duration.ofMillis(200));
    return VertxFutures.await(vertx.deployVerticle(new SamplerNode(options)));
  }

  private static void undeploy(List<String> deployments) {
    for (String id : deployments) {
      VertxFutures.await(vertx.undeploy(id));
    }
  }

  /** Announces a node that a test plays by hand. */
  private static void announce(String node, String member, int capacityRows) {
    JsonObject hello =
        new JsonObject().put("node", node).put("member", member).put("capacity_rows", capacityRows).put("device", "test");
    VertxFutures.await(vertx.eventBus().request(Wire.ANNOUNCE, hello));
  }

  /** A well-formed answer to an item, of one-token completions. */
  private static Wire.Sampled junk(Message<Object> message) {
    Wire.Item item = Wire.Item.fromJson((JsonObject) message.body());
    List<Completion> completions = new ArrayList<>();
    for (int row = 0; row < item.rows().size(); row++) {
      completions.add(new Completion(new int[] {1}, new float[] {0f}, FinishReason.STOP));
    }
    return new Wire.Sampled(item.version(), 1, 0, completions);
  }

  private static List<Prompt<Integer>> prompts() {
    List<Prompt<Integer>> prompts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      prompts.add(new Prompt<>(i, TestModels.tokens(3 + i, tokenizer.vocabSize(), 10 + i)));
    }
    return prompts;
  }

  private static void assertSameGroups(List<SampledGroup<Integer, String>> expected, List<SampledGroup<Integer, String>> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).key(), actual.get(i).key());
      List<SampledCompletion<String>> want = expected.get(i).completions();
      List<SampledCompletion<String>> got = actual.get(i).completions();
      assertEquals(want.size(), got.size());
      for (int k = 0; k < want.size(); k++) {
        assertEquals(want.get(k).index(), got.get(k).index());
        assertEquals(want.get(k).completion(), got.get(k).completion(), "group " + i + " completion " + k);
        assertEquals(want.get(k).score(), got.get(k).score());
      }
    }
  }

  private static List<Integer> toList(int[] values) {
    List<Integer> list = new ArrayList<>();
    for (int value : values) {
      list.add(value);
    }
    return list;
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(20);
    }
  }
}
