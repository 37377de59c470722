package aha.sampler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.sampler.generate.FinishReason;
import aha.sampler.service.CharScorer.Question;
import aha.sampler.service.CharScorer.Score;
import aha.sampler.generate.SamplingParams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SamplingServiceTest {

  private static final SamplingParams PARAMS = SamplingParams.sampled(1.0, 32, 42);

  /** "What is i + i?", answer 2i, id "p" + i. */
  private static Prompt<Question> problem(int i) {
    return new Question("p" + i, "What is " + i + " + " + i + "?", String.valueOf(2 * i)).prompt();
  }

  private static List<Prompt<Question>> problems(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(SamplingServiceTest::problem).toList();
  }

  /** How many of a group's completions are right. */
  private static int passCount(SampledGroup<Question, Score> group) {
    return (int) group.completions().stream().filter(c -> c.score().correct()).count();
  }

  /** Starts a service whose replicas are fakes with {@code script}, collected into {@code made}. */
  private static SamplingService<FakeSampler, Question, Score> start(
      Vertx vertx,
      SamplingServiceConfig config,
      CharScorer scorer,
      FakeSampler.Script script,
      List<FakeSampler> made) {
    return await(
        SamplingService.start(
            vertx,
            config,
            scorer,
            replica -> {
              FakeSampler sampler = new FakeSampler(replica, script);
              made.add(sampler);
              return sampler;
            }));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + future.result());
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** A gate the sampler waits at on its first call, until the test opens it. */
  private static CountDownLatch gateFirstCall(FakeSampler sampler) {
    CountDownLatch gate = new CountDownLatch(1);
    sampler.beforeCall =
        call -> {
          if (call == 0) {
            try {
              assertTrue(gate.await(20, TimeUnit.SECONDS), "gate never opened");
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    return gate;
  }

  private static Set<String> liveThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(prefix))
        .collect(Collectors.toSet());
  }

  @Test
  void groupsComeBackCompleteInOrderWithVerdicts(Vertx vertx, VertxTestContext ctx) {
    // Problem k's sample j is right when j < k: pass counts 1, 2, 3 of 4.
    FakeSampler.Script script =
        (weights, question, j) -> {
          int answer = FakeSampler.sum(question);
          return FakeSampler.answer(String.valueOf(j < answer / 2 ? answer : answer + 1));
        };
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withMaxBatchRows(5),
            new CharScorer(),
            script,
            made);

    service
        .sample(problems(3), 4, PARAMS)
        .onComplete(
            ctx.succeeding(
                groups ->
                    ctx.verify(
                        () -> {
                          assertEquals(
                              List.of("p1", "p2", "p3"),
                              groups.stream().map(g -> g.key().id()).toList());
                          assertEquals(
                              List.of(1, 2, 3),
                              groups.stream().map(SamplingServiceTest::passCount).toList());
                          for (SampledGroup<Question, Score> group : groups) {
                            assertEquals(4, group.size());
                            assertEquals(
                                "What is "
                                    + group.key().id().substring(1)
                                    + " + "
                                    + group.key().id().substring(1)
                                    + "?",
                                new String(group.promptTokens(), 0, group.promptTokens().length));
                            for (int j = 0; j < 4; j++) {
                              SampledCompletion<Score> c = group.completions().get(j);
                              assertEquals(j, c.index());
                              assertEquals(0, c.policyVersion());
                              assertEquals(FinishReason.STOP, c.finishReason());
                              assertEquals(c.score().text().length(), c.tokens().length);
                              assertEquals(c.tokens().length, c.completion().logprobs().length);
                              assertTrue(c.score().extracted() != null, c.score().toString());
                              boolean right = j < passCount(group);
                              assertEquals(right, c.score().correct(), c.score().toString());
                              assertEquals(right ? 1.1 : 0.1, c.score().reward(), 1e-9);
                              assertTrue(c.sampleMillis() >= 0 && c.scoreMillis() >= 0);
                            }
                          }
                          // 12 rows, at most 5 a batch: items of whole groups, one group each
                          FakeSampler sampler = made.get(0);
                          assertEquals(List.of(4, 4, 4), sampler.batchSizes);
                          // the first item uses the request's seed, the others their own
                          assertEquals(42L, sampler.seeds.get(0));
                          assertEquals(3, Set.copyOf(sampler.seeds).size());
                          // made and called on one thread of its own, never an event loop
                          assertEquals(
                              1, Set.copyOf(sampler.threads).size(), sampler.threads.toString());
                          assertTrue(
                              sampler.threads.get(0).startsWith("aha-sampler-policy-0"),
                              sampler.threads.get(0));
                          ctx.completeNow();
                        })));
  }

  @Test
  void replicasTakeItemsOfWholeGroupsInTurnAndSampleAsOneReplicaWould(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingServiceConfig config = SamplingServiceConfig.defaults().withMaxBatchRows(5);
    SamplingService<FakeSampler, Question, Score> service =
        start(vertx, config.withReplicas(2), new CharScorer(), FakeSampler.ALWAYS_RIGHT, made);

    List<SampledGroup<Question, Score>> groups = await(service.sample(problems(5), 2, PARAMS));

    assertEquals(
        List.of("p1", "p2", "p3", "p4", "p5"), groups.stream().map(g -> g.key().id()).toList());
    assertTrue(groups.stream().allMatch(g -> passCount(g) == 2));
    FakeSampler first = made.stream().filter(s -> s.replica == 0).findFirst().orElseThrow();
    FakeSampler second = made.stream().filter(s -> s.replica == 1).findFirst().orElseThrow();
    // items of two groups (4 rows of at most 5): p1 p2, p3 p4, p5, dealt in turn
    assertEquals(List.of(4, 2), first.batchSizes);
    assertEquals(List.of(4), second.batchSizes);
    assertNotEquals(first.threads.get(0), second.threads.get(0));
    await(service.close());

    // one replica decodes the same items with the same seeds: the completions cannot depend on
    // how many replicas there are
    List<FakeSampler> alone = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> single =
        start(vertx, config, new CharScorer(), FakeSampler.ALWAYS_RIGHT, alone);
    await(single.sample(problems(5), 2, PARAMS));
    assertEquals(List.of(4, 4, 2), alone.get(0).batchSizes);
    assertEquals(
        List.of(first.seeds.get(0), second.seeds.get(0), first.seeds.get(1)), alone.get(0).seeds);
    await(single.close());
  }

  @Test
  void publishedWeightsAndVersionApplyToLaterRequests(Vertx vertx) {
    // "bad" weights answer one too many; publishing "good" ones fixes that
    FakeSampler.Script script =
        (weights, question, j) ->
            FakeSampler.answer(
                String.valueOf(FakeSampler.sum(question) + (weights.equals("good") ? 0 : 1)));
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withInitialPolicyVersion(3),
            new CharScorer(),
            script,
            made);

    List<SampledGroup<Question, Score>> before = await(service.sample(problems(2), 2, PARAMS));
    assertEquals(7L, await(service.publishWeights(7, sampler -> sampler.weights = "good")));
    List<SampledGroup<Question, Score>> after = await(service.sample(problems(2), 2, PARAMS));

    assertTrue(before.stream().allMatch(g -> g.policyVersion() == 3 && passCount(g) == 0));
    assertTrue(after.stream().allMatch(g -> g.policyVersion() == 7 && passCount(g) == 2));
    assertEquals(7, service.policyVersion());
    // the update ran on the sampler's own thread
    assertEquals(1, Set.copyOf(made.get(0).threads).size());

    Throwable stale = failure(service.publishWeights(7, sampler -> {}));
    assertInstanceOf(IllegalArgumentException.class, stale);
    assertTrue(stale.getMessage().contains("7 after 7"), stale.getMessage());
    await(service.close());
  }

  @Test
  void weightsPublishedDuringARequestWaitUntilItIsSampled(Vertx vertx) {
    FakeSampler.Script script = (weights, question, j) -> FakeSampler.answer(weights);
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withMaxBatchRows(2),
            new CharScorer(),
            script,
            made);
    CountDownLatch gate = gateFirstCall(made.get(0));

    // A has two batches; the update arrives while A's first batch is being sampled
    Future<List<SampledGroup<Question, Score>>> a = service.sample(problems(2), 2, PARAMS);
    Future<Long> published = service.publishWeights(1, sampler -> sampler.weights = "v1");
    Future<List<SampledGroup<Question, Score>>> b = service.sample(problems(1), 2, PARAMS);
    gate.countDown();

    List<String> textsOfA =
        await(a).stream()
            .flatMap(g -> g.completions().stream())
            .map(c -> c.score().extracted() + "@" + c.policyVersion())
            .toList();
    assertEquals(List.of("v0@0", "v0@0", "v0@0", "v0@0"), textsOfA);
    assertEquals(1L, await(published));
    assertTrue(
        await(b).get(0).completions().stream()
            .allMatch(c -> c.score().extracted().equals("v1") && c.policyVersion() == 1));
    await(service.close());
  }

  @Test
  void inFlightRequestsNeverExceedTheLimit(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withLimits(2, 10),
            new CharScorer(),
            FakeSampler.ALWAYS_RIGHT,
            made);
    // Count requests between their dispatch to a replica and the replica's answer.
    AtomicInteger open = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    vertx
        .eventBus()
        .addOutboundInterceptor(
            delivery -> {
              Object body = delivery.message().body();
              if (body instanceof SamplerVerticle.Sample) {
                most.accumulateAndGet(open.incrementAndGet(), Math::max);
              } else if (body instanceof SamplerVerticle.Scored) {
                open.decrementAndGet();
              }
              delivery.next();
            });
    CountDownLatch gate = gateFirstCall(made.get(0));

    List<Future<List<SampledGroup<Question, Score>>>> requests = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      requests.add(service.sample(List.of(problem(i)), 2, PARAMS));
    }
    assertEquals(2, service.inFlight());
    assertEquals(4, service.waiting());
    gate.countDown();

    for (int i = 0; i < 6; i++) {
      List<SampledGroup<Question, Score>> groups = await(requests.get(i));
      assertEquals("p" + (i + 1), groups.get(0).key().id());
      assertEquals(2, passCount(groups.get(0)));
    }
    assertEquals(2, most.get());
    assertEquals(0, open.get());
    assertEquals(0, service.inFlight());
    await(service.close());
  }

  @Test
  void requestsBeyondTheQueueFailFast(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withLimits(1, 1),
            new CharScorer(),
            FakeSampler.ALWAYS_RIGHT,
            made);
    CountDownLatch gate = gateFirstCall(made.get(0));

    Future<List<SampledGroup<Question, Score>>> first = service.sample(problems(1), 1, PARAMS);
    Future<List<SampledGroup<Question, Score>>> second = service.sample(problems(1), 1, PARAMS);
    Future<List<SampledGroup<Question, Score>>> third = service.sample(problems(1), 1, PARAMS);

    assertTrue(third.failed());
    assertInstanceOf(RejectedExecutionException.class, third.cause());
    assertTrue(
        third
            .cause()
            .getMessage()
            .contains(
                "busy: 1 requests in flight (maxInFlight 1)" + " and 1 waiting (maxQueued 1)"),
        third.cause().getMessage());
    gate.countDown();
    assertEquals(1, passCount(await(first).get(0)));
    assertEquals(1, passCount(await(second).get(0)));
    await(service.close());
  }

  @Test
  void scoringOverlapsSampling(Vertx vertx) {
    CharScorer scorer = new CharScorer();
    CountDownLatch firstScore = new CountDownLatch(1);
    scorer.onScore = firstScore::countDown;
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withMaxBatchRows(2),
            scorer,
            FakeSampler.ALWAYS_RIGHT,
            made);
    // The last of three batches waits, inside the sampler, for a completion to be scored.
    List<Boolean> scoredDuringLastBatch = new CopyOnWriteArrayList<>();
    made.get(0).beforeCall =
        call -> {
          if (call == 2) {
            try {
              scoredDuringLastBatch.add(firstScore.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };

    List<SampledGroup<Question, Score>> groups = await(service.sample(problems(1), 6, PARAMS));

    assertEquals(6, passCount(groups.get(0)));
    assertEquals(List.of(true), scoredDuringLastBatch);
    await(service.close());
  }

  @Test
  void closeDrainsInFlightFailsWaitingAndLeavesNoThreads(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withName("closing").withLimits(1, 4),
            new CharScorer(),
            FakeSampler.ALWAYS_RIGHT,
            made);
    CountDownLatch gate = gateFirstCall(made.get(0));
    assertFalse(liveThreads("aha-sampler-closing-").isEmpty());

    Future<List<SampledGroup<Question, Score>>> inFlight = service.sample(problems(2), 2, PARAMS);
    Future<List<SampledGroup<Question, Score>>> waiting = service.sample(problems(1), 2, PARAMS);
    Future<Void> closed = service.close();

    Throwable dropped = failure(waiting);
    assertInstanceOf(IllegalStateException.class, dropped);
    assertTrue(
        dropped.getMessage().contains("closed before this request started"), dropped.getMessage());
    assertFalse(closed.isComplete(), "close must wait for the request in flight");
    gate.countDown();

    assertEquals(List.of(2, 2), await(inFlight).stream().map(SamplingServiceTest::passCount).toList());
    await(closed);
    assertSame(closed, service.close());

    Throwable later = failure(service.sample(problems(1), 1, PARAMS));
    assertInstanceOf(IllegalStateException.class, later);
    assertEquals("sampling service 'closing' is closed", later.getMessage());
    assertInstanceOf(IllegalStateException.class, failure(service.publishWeights(9, s -> {})));
    // the sampler was closed on its own thread
    assertEquals(made.get(0).threads.get(0), made.get(0).closedOn);
    assertNoThreadsLeft("aha-sampler-closing-", "aha-scorer-closing");
  }

  @Test
  void closeWaitsForAWeightsUpdateUnderWay(Vertx vertx) throws InterruptedException {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults(),
            new CharScorer(),
            FakeSampler.ALWAYS_RIGHT,
            made);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);

    Future<Long> published =
        service.publishWeights(
            1,
            sampler -> {
              entered.countDown();
              try {
                gate.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              sampler.weights = "v1";
            });
    assertTrue(entered.await(20, TimeUnit.SECONDS));
    Future<Void> closed = service.close();
    assertFalse(closed.isComplete(), "close must wait for the update under way");
    gate.countDown();

    assertEquals(1L, await(published));
    await(closed);
    assertEquals("v1", made.get(0).weights);
  }

  private static void assertNoThreadsLeft(String... prefixes) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<String> left = List.of();
    while (System.nanoTime() < deadline) {
      left = Arrays.stream(prefixes).flatMap(p -> liveThreads(p).stream()).toList();
      if (left.isEmpty()) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("threads still alive after close: " + left);
  }

  @Test
  void aTooLongPromptFailsItsRequestAndTheServiceGoesOn(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withMaxPromptTokens(15),
            new CharScorer(),
            FakeSampler.ALWAYS_RIGHT,
            made);

    // "What is 1 + 1?" is 14 characters, "What is 10 + 10?" is 16
    Throwable tooLong = failure(service.sample(List.of(problem(1), problem(10)), 2, PARAMS));

    assertInstanceOf(IllegalArgumentException.class, tooLong);
    assertTrue(
        tooLong.getMessage().contains("prompt 1 (question p10): it is 16 tokens; the limit is 1 to 15"),
        tooLong.getMessage());
    assertEquals(List.of(), made.get(0).batchSizes, "nothing is sampled for a refused request");
    assertEquals(2, passCount(await(service.sample(List.of(problem(1)), 2, PARAMS)).get(0)));
    await(service.close());
  }

  @Test
  void aSamplerErrorFailsItsRequestAndTheServiceGoesOn(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler, Question, Score> service =
        start(
            vertx,
            SamplingServiceConfig.defaults(),
            new CharScorer(),
            FakeSampler.ALWAYS_RIGHT,
            made);
    made.get(0).beforeCall =
        call -> {
          if (call == 0) {
            throw new IllegalStateException("out of memory on the device");
          }
        };

    Throwable error = failure(service.sample(problems(1), 2, PARAMS));

    assertInstanceOf(SamplingException.class, error);
    assertEquals("sampler replica 0: out of memory on the device", error.getMessage());
    assertEquals(2, passCount(await(service.sample(problems(1), 2, PARAMS)).get(0)));
    await(service.close());
  }

  @Test
  void aScorerErrorFailsItsRequestAndTheServiceGoesOn(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    CharScorer scorer = new CharScorer();
    SamplingService<FakeSampler, Question, Score> service =
        start(vertx, SamplingServiceConfig.defaults(), scorer, FakeSampler.ALWAYS_RIGHT, made);
    scorer.onScore =
        () -> {
          throw new IllegalStateException("the scorer broke");
        };

    Throwable error = failure(service.sample(problems(1), 2, PARAMS));

    assertInstanceOf(SamplingException.class, error);
    assertEquals("sampler replica 0: the scorer broke", error.getMessage());
    scorer.onScore = () -> {};
    assertEquals(2, passCount(await(service.sample(problems(1), 2, PARAMS)).get(0)));
    await(service.close());
  }

  @Test
  void aFailingFactoryFailsTheStartAndLeavesNoThreads(Vertx vertx) {
    Throwable error =
        failure(
            SamplingService.start(
                vertx,
                SamplingServiceConfig.defaults().withName("nofactory").withReplicas(2),
                new CharScorer(),
                replica -> {
                  if (replica == 1) {
                    throw new java.io.IOException("no model.safetensors in /nowhere");
                  }
                  return new FakeSampler(replica, FakeSampler.ALWAYS_RIGHT);
                }));

    assertEquals("no model.safetensors in /nowhere", error.getMessage());
    assertNoThreadsLeft("aha-sampler-nofactory-", "aha-scorer-nofactory");
  }

  @Test
  void batchSeedsAreTheRequestSeedFirstThenDistinct() {
    assertEquals(42, SamplingParams.sampled(1, 8, 42).forBatchAt(0).seed());
    Set<Long> seeds =
        IntStream.range(0, 100)
            .mapToObj(i -> SamplingParams.sampled(1, 8, 42).forBatchAt(i * 8L).seed())
            .collect(Collectors.toSet());
    assertEquals(100, seeds.size());
  }
}
