package aha.sampler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.sampler.generate.FinishReason;
import aha.sampler.generate.SamplingParams;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
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

  private static final Verifier VERIFIER = new Verifier(VerifierConfig.defaults());
  private static final SamplingParams PARAMS = SamplingParams.sampled(1.0, 32, 42);

  /** "What is i + i?", answer 2i, id "p" + i. */
  private static Problem problem(int i) {
    return new Problem(
        "p" + i,
        "What is " + i + " + " + i + "?",
        String.valueOf(2 * i),
        AnswerKind.NUMERIC,
        null,
        null);
  }

  private static List<Problem> problems(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(SamplingServiceTest::problem).toList();
  }

  /** Starts a service whose replicas are fakes with {@code script}, collected into {@code made}. */
  private static SamplingService<FakeSampler> start(
      Vertx vertx,
      SamplingServiceConfig config,
      CharCodec codec,
      FakeSampler.Script script,
      List<FakeSampler> made) {
    return await(
        SamplingService.start(
            vertx,
            config,
            codec,
            VERIFIER,
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
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withMaxBatchRows(5),
            new CharCodec(),
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
                              groups.stream().map(g -> g.problem().id()).toList());
                          assertEquals(
                              List.of(1, 2, 3),
                              groups.stream().map(ScoredGroup::passCount).toList());
                          for (ScoredGroup group : groups) {
                            assertEquals(4, group.size());
                            assertEquals(
                                "What is "
                                    + group.problem().id().substring(1)
                                    + " + "
                                    + group.problem().id().substring(1)
                                    + "?",
                                new String(group.promptTokens(), 0, group.promptTokens().length));
                            for (int j = 0; j < 4; j++) {
                              ScoredCompletion c = group.completions().get(j);
                              assertEquals(j, c.index());
                              assertEquals(group.problem().id(), c.problemId());
                              assertEquals(0, c.policyVersion());
                              assertEquals(FinishReason.STOP, c.finishReason());
                              assertEquals(c.text().length(), c.tokens().length);
                              assertEquals(c.tokens().length, c.logprobs().length);
                              assertTrue(c.verdict().formatOk(), c.verdict().toString());
                              boolean right = j < group.passCount();
                              assertEquals(right, c.correct(), c.verdict().toString());
                              assertEquals(right ? 1.1 : 0.1, c.reward(), 1e-9);
                              assertTrue(c.sampleMillis() >= 0 && c.verifyMillis() >= 0);
                            }
                          }
                          // 12 rows in batches of at most 5; a group may span two batches
                          FakeSampler sampler = made.get(0);
                          assertEquals(List.of(5, 5, 2), sampler.batchSizes);
                          // the first batch uses the request's seed, the others their own
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
  void replicasShareARequestByProblemAndGroupsStayInOrder(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withReplicas(2),
            new CharCodec(),
            FakeSampler.ALWAYS_RIGHT,
            made);

    List<ScoredGroup> groups = await(service.sample(problems(5), 2, PARAMS));

    assertEquals(
        List.of("p1", "p2", "p3", "p4", "p5"), groups.stream().map(g -> g.problem().id()).toList());
    assertTrue(groups.stream().allMatch(g -> g.passCount() == 2));
    FakeSampler first = made.stream().filter(s -> s.replica == 0).findFirst().orElseThrow();
    FakeSampler second = made.stream().filter(s -> s.replica == 1).findFirst().orElseThrow();
    assertEquals(List.of(6), first.batchSizes); // p1..p3
    assertEquals(List.of(4), second.batchSizes); // p4, p5
    assertNotEquals(first.threads.get(0), second.threads.get(0));
    // the shares start at different rows, so they sample with different seeds
    assertNotEquals(first.seeds.get(0), second.seeds.get(0));
    await(service.close());
  }

  @Test
  void publishedWeightsAndVersionApplyToLaterRequests(Vertx vertx) {
    // "bad" weights answer one too many; publishing "good" ones fixes that
    FakeSampler.Script script =
        (weights, question, j) ->
            FakeSampler.answer(
                String.valueOf(FakeSampler.sum(question) + (weights.equals("good") ? 0 : 1)));
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withInitialPolicyVersion(3),
            new CharCodec(),
            script,
            made);

    List<ScoredGroup> before = await(service.sample(problems(2), 2, PARAMS));
    assertEquals(7L, await(service.publishWeights(7, sampler -> sampler.weights = "good")));
    List<ScoredGroup> after = await(service.sample(problems(2), 2, PARAMS));

    assertTrue(before.stream().allMatch(g -> g.policyVersion() == 3 && g.passCount() == 0));
    assertTrue(after.stream().allMatch(g -> g.policyVersion() == 7 && g.passCount() == 2));
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
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withMaxBatchRows(2),
            new CharCodec(),
            script,
            made);
    CountDownLatch gate = gateFirstCall(made.get(0));

    // A has two batches; the update arrives while A's first batch is being sampled
    Future<List<ScoredGroup>> a = service.sample(problems(2), 2, PARAMS);
    Future<Long> published = service.publishWeights(1, sampler -> sampler.weights = "v1");
    Future<List<ScoredGroup>> b = service.sample(problems(1), 2, PARAMS);
    gate.countDown();

    List<String> textsOfA =
        await(a).stream()
            .flatMap(g -> g.completions().stream())
            .map(c -> c.verdict().extracted() + "@" + c.policyVersion())
            .toList();
    assertEquals(List.of("v0@0", "v0@0", "v0@0", "v0@0"), textsOfA);
    assertEquals(1L, await(published));
    assertTrue(
        await(b).get(0).completions().stream()
            .allMatch(c -> c.verdict().extracted().equals("v1") && c.policyVersion() == 1));
    await(service.close());
  }

  @Test
  void inFlightRequestsNeverExceedTheLimit(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withLimits(2, 10),
            new CharCodec(),
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

    List<Future<List<ScoredGroup>>> requests = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      requests.add(service.sample(List.of(problem(i)), 2, PARAMS));
    }
    assertEquals(2, service.inFlight());
    assertEquals(4, service.waiting());
    gate.countDown();

    for (int i = 0; i < 6; i++) {
      List<ScoredGroup> groups = await(requests.get(i));
      assertEquals("p" + (i + 1), groups.get(0).problem().id());
      assertEquals(2, groups.get(0).passCount());
    }
    assertEquals(2, most.get());
    assertEquals(0, open.get());
    assertEquals(0, service.inFlight());
    await(service.close());
  }

  @Test
  void requestsBeyondTheQueueFailFast(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withLimits(1, 1),
            new CharCodec(),
            FakeSampler.ALWAYS_RIGHT,
            made);
    CountDownLatch gate = gateFirstCall(made.get(0));

    Future<List<ScoredGroup>> first = service.sample(problems(1), 1, PARAMS);
    Future<List<ScoredGroup>> second = service.sample(problems(1), 1, PARAMS);
    Future<List<ScoredGroup>> third = service.sample(problems(1), 1, PARAMS);

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
    assertEquals(1, await(first).get(0).passCount());
    assertEquals(1, await(second).get(0).passCount());
    await(service.close());
  }

  @Test
  void verificationOverlapsSampling(Vertx vertx) {
    CharCodec codec = new CharCodec();
    CountDownLatch firstDecode = new CountDownLatch(1);
    codec.onDecode = firstDecode::countDown;
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withMaxBatchRows(2),
            codec,
            FakeSampler.ALWAYS_RIGHT,
            made);
    // The last of three batches waits, inside the sampler, for a completion to be verified.
    List<Boolean> verifiedDuringLastBatch = new CopyOnWriteArrayList<>();
    made.get(0).beforeCall =
        call -> {
          if (call == 2) {
            try {
              verifiedDuringLastBatch.add(firstDecode.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };

    List<ScoredGroup> groups = await(service.sample(problems(1), 6, PARAMS));

    assertEquals(6, groups.get(0).passCount());
    assertEquals(List.of(true), verifiedDuringLastBatch);
    await(service.close());
  }

  @Test
  void closeDrainsInFlightFailsWaitingAndLeavesNoThreads(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withName("closing").withLimits(1, 4),
            new CharCodec(),
            FakeSampler.ALWAYS_RIGHT,
            made);
    CountDownLatch gate = gateFirstCall(made.get(0));
    assertFalse(liveThreads("aha-sampler-closing-").isEmpty());

    Future<List<ScoredGroup>> inFlight = service.sample(problems(2), 2, PARAMS);
    Future<List<ScoredGroup>> waiting = service.sample(problems(1), 2, PARAMS);
    Future<Void> closed = service.close();

    Throwable dropped = failure(waiting);
    assertInstanceOf(IllegalStateException.class, dropped);
    assertTrue(
        dropped.getMessage().contains("closed before this request started"), dropped.getMessage());
    assertFalse(closed.isComplete(), "close must wait for the request in flight");
    gate.countDown();

    assertEquals(List.of(2, 2), await(inFlight).stream().map(ScoredGroup::passCount).toList());
    await(closed);
    assertSame(closed, service.close());

    Throwable later = failure(service.sample(problems(1), 1, PARAMS));
    assertInstanceOf(IllegalStateException.class, later);
    assertEquals("sampling service 'closing' is closed", later.getMessage());
    assertInstanceOf(IllegalStateException.class, failure(service.publishWeights(9, s -> {})));
    // the sampler was closed on its own thread
    assertEquals(made.get(0).threads.get(0), made.get(0).closedOn);
    assertNoThreadsLeft("aha-sampler-closing-", "aha-verifier-closing");
  }

  @Test
  void closeWaitsForAWeightsUpdateUnderWay(Vertx vertx) throws InterruptedException {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults(),
            new CharCodec(),
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
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults().withMaxPromptTokens(15),
            new CharCodec(),
            FakeSampler.ALWAYS_RIGHT,
            made);

    // "What is 1 + 1?" is 14 characters, "What is 10 + 10?" is 16
    Throwable tooLong = failure(service.sample(List.of(problem(1), problem(10)), 2, PARAMS));

    assertInstanceOf(IllegalArgumentException.class, tooLong);
    assertTrue(
        tooLong.getMessage().contains("problem p10: its prompt is 16 tokens; the limit is 1 to 15"),
        tooLong.getMessage());
    assertEquals(List.of(), made.get(0).batchSizes, "nothing is sampled for a refused request");
    assertEquals(2, await(service.sample(List.of(problem(1)), 2, PARAMS)).get(0).passCount());
    await(service.close());
  }

  @Test
  void aSamplerErrorFailsItsRequestAndTheServiceGoesOn(Vertx vertx) {
    List<FakeSampler> made = new CopyOnWriteArrayList<>();
    SamplingService<FakeSampler> service =
        start(
            vertx,
            SamplingServiceConfig.defaults(),
            new CharCodec(),
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
    assertEquals(2, await(service.sample(problems(1), 2, PARAMS)).get(0).passCount());
    await(service.close());
  }

  @Test
  void anUndecodableCompletionIsScoredWrong(Vertx vertx) {
    // sample 0 holds a token id no vocabulary has; sample 1 is right
    FakeSampler.Script script =
        (weights, question, j) -> j == 0 ? "\u0000" : FakeSampler.answer("2");
    CharCodec chars = new CharCodec();
    PromptCodec codec =
        new PromptCodec() {
          @Override
          public int[] encodePrompt(Problem problem) {
            return chars.encodePrompt(problem);
          }

          @Override
          public String decodeCompletion(int[] completion) {
            return chars.decodeCompletion(completion[0] == 0 ? new int[] {-1} : completion);
          }
        };
    SamplingService<FakeSampler> service =
        await(
            SamplingService.start(
                vertx,
                SamplingServiceConfig.defaults(),
                codec,
                VERIFIER,
                replica -> new FakeSampler(replica, script)));

    ScoredGroup group = await(service.sample(problems(1), 2, PARAMS)).get(0);

    assertFalse(group.completions().get(0).correct());
    assertEquals(
        "undecodable: token id -1 is outside the vocabulary",
        group.completions().get(0).verdict().reason());
    assertTrue(group.completions().get(1).correct());
    await(service.close());
  }

  @Test
  void aFailingFactoryFailsTheStartAndLeavesNoThreads(Vertx vertx) {
    Throwable error =
        failure(
            SamplingService.start(
                vertx,
                SamplingServiceConfig.defaults().withName("nofactory").withReplicas(2),
                new CharCodec(),
                VERIFIER,
                replica -> {
                  if (replica == 1) {
                    throw new java.io.IOException("no model.safetensors in /nowhere");
                  }
                  return new FakeSampler(replica, FakeSampler.ALWAYS_RIGHT);
                }));

    assertEquals("no model.safetensors in /nowhere", error.getMessage());
    assertNoThreadsLeft("aha-sampler-nofactory-", "aha-verifier-nofactory");
  }

  @Test
  void batchSeedsAreTheRequestSeedFirstThenDistinct() {
    assertEquals(42, SamplerVerticle.batchSeed(42, 0));
    Set<Long> seeds =
        IntStream.range(0, 100)
            .mapToObj(i -> SamplerVerticle.batchSeed(42, i * 8L))
            .collect(Collectors.toSet());
    assertEquals(100, seeds.size());
  }
}
