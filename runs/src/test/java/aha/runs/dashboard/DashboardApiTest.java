package aha.runs.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class DashboardApiTest {

  private static final String SMOKE = "20261128-183000-smoke";
  private static final String BASE = "20261128-170000-base";

  @TempDir Path tmp;
  private Path root;
  private FakeRun smoke;
  private FakeRun base;
  private Dashboard dashboard;
  private HttpClient client;
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  /** A GRPO run of 3 steps with samples, a pretraining run, and a secret next to the root. */
  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) throws IOException {
    root = tmp.resolve("runs");
    smoke = FakeRun.create(root, SMOKE, "running").metric(1).metric(2).metric(3);
    smoke.samples(1, "p-hard", false, false).samples(1, "p-mixed", true, false);
    smoke.samples(2, "p-easy", true, true).samples(2, "p-mixed", false, false);
    smoke.samples(3, "p-hard", false, false).samples(3, "p-easy", true, true);
    base = FakeRun.create(root, BASE, "finished").pretrainMetric(1).pretrainMetric(2);
    Files.createDirectories(root.resolve("not-a-run")); // no manifest: not listed
    Path secret = Files.createDirectories(tmp.resolve("secret"));
    Files.writeString(secret.resolve("manifest.json"), "{\"status\": \"SECRET\"}");
    Files.writeString(secret.resolve("metrics.jsonl"), "{\"step\": 1, \"SECRET\": 1}\n");
    DashboardOptions options =
        DashboardOptions.of(root, "127.0.0.1", 0).withPollMillis(50).withWarn(warnings::add);
    client = vertx.createHttpClient();
    Dashboard.start(vertx, options)
        .onComplete(
            context.succeeding(
                started -> {
                  dashboard = started;
                  context.completeNow();
                }));
  }

  @AfterEach
  void stop(VertxTestContext context) throws IOException {
    smoke.close();
    base.close();
    dashboard.stop().onComplete(context.succeedingThenComplete());
  }

  @Test
  void listsTheRunsWithTheirStatusAndLastStep(VertxTestContext context) {
    get("/api/runs")
        .onComplete(
            context.succeeding(
                reply ->
                    context.verify(
                        () -> {
                          assertEquals(200, reply.status);
                          JsonNode runs = reply.json().get("runs");
                          assertEquals(2, runs.size(), runs.toString());
                          assertEquals(BASE, runs.get(0).get("name").asText());
                          assertEquals("finished", runs.get(0).get("status").asText());
                          assertEquals("pretrain", runs.get(0).get("stage").asText());
                          JsonNode smokeRun = runs.get(1);
                          assertEquals(SMOKE, smokeRun.get("name").asText());
                          assertEquals("running", smokeRun.get("status").asText());
                          assertEquals(3, smokeRun.get("step").asInt());
                          assertEquals("grpo", smokeRun.get("stage").asText());
                          assertEquals(List.of("train", "--preset", "smoke"), texts(smokeRun.get("command")));
                          context.completeNow();
                        })));
  }

  @Test
  void metricsSkipAMalformedLineWithAWarning(VertxTestContext context) {
    smoke.rawMetrics("{\"step\": 4, \"stage\": \"grpo\", \"reward/me\n").metric(5);
    get("/api/runs/" + SMOKE + "/metrics")
        .onComplete(
            context.succeeding(
                reply ->
                    context.verify(
                        () -> {
                          assertEquals(200, reply.status);
                          JsonNode body = reply.json();
                          assertEquals(List.of(1, 2, 3, 5), steps(body.get("metrics")));
                          assertEquals(1, body.get("skipped").asInt());
                          String warning = body.get("warnings").get(0).asText();
                          assertTrue(warning.contains("metrics.jsonl:4"), warning);
                          assertEquals(1, warnings.size(), warnings.toString());
                          context.completeNow();
                        })));
  }

  @Test
  void eventsStreamTheWholeFileThenEachAppendedLine(Vertx vertx, VertxTestContext context) {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    AtomicBoolean appended = new AtomicBoolean();
    AtomicBoolean closing = new AtomicBoolean();
    StringBuilder received = new StringBuilder();
    client
        .request(HttpMethod.GET, dashboard.port(), "127.0.0.1", "/api/runs/" + SMOKE + "/events")
        .compose(request -> request.send())
        .onComplete(
            context.succeeding(
                response -> {
                  context.verify(
                      () -> {
                        assertEquals(200, response.statusCode());
                        assertTrue(response.getHeader("Content-Type").startsWith("text/event-stream"));
                      });
                  response.handler(
                      chunk -> {
                        received.append(chunk.toString(StandardCharsets.UTF_8));
                        events.addAll(takeEvents(received));
                        context.verify(
                            () -> {
                              if (!events.isEmpty() && appended.compareAndSet(false, true)) {
                                JsonNode first = events.get(0);
                                assertTrue(first.get("reset").asBoolean());
                                assertEquals(List.of(1, 2, 3), steps(first.get("metrics")));
                                vertx.executeBlocking(() -> smoke.metric(4));
                              }
                              if (events.size() >= 2 && closing.compareAndSet(false, true)) {
                                JsonNode second = events.get(1);
                                assertFalse(second.get("reset").asBoolean());
                                assertEquals(List.of(4), steps(second.get("metrics")));
                                assertEquals(1, dashboard.openStreams());
                                response.request().connection().close();
                                // the stream's close handler unregisters its poll timer
                                vertx.setPeriodic(
                                    20,
                                    timer -> {
                                      if (dashboard.openStreams() == 0) {
                                        vertx.cancelTimer(timer);
                                        context.completeNow();
                                      }
                                    });
                              }
                            });
                      });
                }));
  }

  @Test
  void aRewrittenFileStartsTheStreamOver(Vertx vertx, VertxTestContext context) {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    StringBuilder received = new StringBuilder();
    client
        .request(HttpMethod.GET, dashboard.port(), "127.0.0.1", "/api/runs/" + SMOKE + "/events")
        .compose(request -> request.send())
        .onComplete(
            context.succeeding(
                response ->
                    response.handler(
                        chunk -> {
                          received.append(chunk.toString(StandardCharsets.UTF_8));
                          List<JsonNode> fresh = takeEvents(received);
                          events.addAll(fresh);
                          if (events.size() == 1 && !fresh.isEmpty()) {
                            // a resume drops the steps after its checkpoint: the file is replaced
                            vertx.executeBlocking(
                                () -> {
                                  aha.runs.store.JsonLines.keepThroughStep(smoke.dir().metrics(), 1);
                                  return null;
                                });
                          }
                          context.verify(
                              () -> {
                                if (events.size() >= 2) {
                                  JsonNode reset = events.get(1);
                                  assertTrue(reset.get("reset").asBoolean(), reset.toString());
                                  assertEquals(List.of(1), steps(reset.get("metrics")));
                                  response.request().connection().close();
                                  context.completeNow();
                                }
                              });
                        })));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/runs/..%2fsecret/metrics",
        "/api/runs/%2e%2e%2fsecret/metrics",
        "/api/runs/%2e%2e%2F%2e%2e%2Fsecret/metrics",
        "/api/runs/..%5csecret/metrics",
        "/api/runs/%2e%2e/secret/metrics",
        "/api/runs/../secret/metrics",
        "/api/runs/..%252fsecret/metrics",
        "/api/runs/secret/metrics",
        "/api/runs/.hidden/metrics",
        "/api/runs/not-a-run/metrics",
        "/api/runs/%2e%2e%2fsecret/events",
        "/api/runs/%2e%2e%2fsecret",
        "/%2e%2e%2fsecret%2fmanifest.json",
        "/..%2f..%2fsecret/manifest.json",
        "/vendor/uplot/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret/manifest.json",
      })
  void pathTraversalIsRejected(String uri, VertxTestContext context) {
    get(uri)
        .onComplete(
            context.succeeding(
                reply ->
                    context.verify(
                        () -> {
                          assertTrue(reply.status == 400 || reply.status == 404, uri + " -> " + reply);
                          assertFalse(reply.body.contains("SECRET"), reply.body);
                          context.completeNow();
                        })));
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
  void onlyGetIsServed(String method, VertxTestContext context) {
    request(HttpMethod.valueOf(method), "/api/runs/" + SMOKE + "/metrics", null)
        .compose(
            first ->
                request(HttpMethod.valueOf(method), "/", null)
                    .map(second -> List.of(first, second)))
        .onComplete(
            context.succeeding(
                replies ->
                    context.verify(
                        () -> {
                          for (Reply reply : replies) {
                            assertEquals(405, reply.status, reply.toString());
                            assertEquals("GET, HEAD", reply.headers.get("Allow"));
                          }
                          context.completeNow();
                        })));
  }

  @Test
  void headGetsAGetsHeadersWithoutItsBody(VertxTestContext context) {
    String metrics = "/api/runs/" + SMOKE + "/metrics";
    Future.all(
            List.of(
                request(HttpMethod.HEAD, metrics, null),
                get(metrics),
                request(HttpMethod.HEAD, "/", null),
                request(HttpMethod.HEAD, "/api/runs/" + SMOKE + "/events", null),
                request(HttpMethod.HEAD, "/api/runs/no-such-run", null)))
        .onComplete(
            context.succeeding(
                all ->
                    context.verify(
                        () -> {
                          List<Reply> r = all.list();
                          assertEquals(200, r.get(0).status, r.get(0).toString());
                          assertEquals("", r.get(0).body, "no body");
                          assertEquals(r.get(1).headers.get("Content-Type"), r.get(0).headers.get("Content-Type"));
                          assertTrue(!r.get(1).body.isEmpty(), "GET has the body");
                          assertEquals(200, r.get(2).status);
                          assertEquals("", r.get(2).body);
                          assertEquals(200, r.get(3).status, "a stream's head ends at once");
                          assertTrue(r.get(3).headers.get("Content-Type").startsWith("text/event-stream"));
                          assertEquals(404, r.get(4).status);
                          context.completeNow();
                        })));
  }

  /** HTTP/1.1 requires a Host header (RFC 9112): refused without one; HTTP/1.0 predates it. */
  @Test
  void aRequestWithoutAHostHeaderIsRefusedUnlessItIsHttp10() throws IOException {
    assertTrue(rawStatusLine("GET /api/runs HTTP/1.1\r\nConnection: close\r\n\r\n").contains(" 400 "));
    assertTrue(rawStatusLine("GET /api/runs HTTP/1.0\r\n\r\n").contains(" 200 "));
    assertTrue(
        rawStatusLine("GET /api/runs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").contains(" 200 "));
  }

  /** Sends {@code request} bytes as they are over a plain socket; returns the status line. */
  private String rawStatusLine(String request) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", dashboard.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.BufferedReader reader =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      return String.valueOf(reader.readLine());
    }
  }

  /** Links out of the runs root are not followed, and no error quotes a file's content. */
  @Test
  void linksOutOfTheRootAreNotFollowedAndErrorsQuoteNoContent(VertxTestContext context)
      throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(outside.resolve("passwd"), "root:x:0:0:SECRET-PASSWD\n");
    Files.writeString(outside.resolve("manifest.json"), "SECRET-MANIFEST\n");
    Files.createSymbolicLink(root.resolve("linked-run"), tmp.resolve("secret")); // a whole run folder
    FakeRun leaky = FakeRun.create(root, "leaky", "running").metric(1);
    Path runDir = root.resolve("leaky");
    Files.delete(runDir.resolve("metrics.jsonl"));
    Files.createSymbolicLink(runDir.resolve("metrics.jsonl"), outside.resolve("passwd"));
    Files.delete(runDir.resolve("manifest.json"));
    Files.createSymbolicLink(runDir.resolve("manifest.json"), outside.resolve("manifest.json"));
    // a real file, malformed: its warning must not quote it either
    Files.writeString(root.resolve(BASE).resolve("metrics.jsonl"), "hunter2-SECRET-TOKEN\n", java.nio.file.StandardOpenOption.APPEND);
    Future.all(
            List.of(
                get("/api/runs"),
                get("/api/runs/linked-run/metrics"),
                get("/api/runs/leaky/metrics"),
                get("/api/runs/leaky"),
                get("/api/runs/" + BASE + "/metrics")))
        .onComplete(
            context.succeeding(
                all ->
                    context.verify(
                        () -> {
                          leaky.close();
                          List<Reply> r = all.list();
                          assertFalse(r.get(0).body.contains("linked-run"), r.get(0).body);
                          assertEquals(404, r.get(1).status, "a linked run folder is not a run");
                          assertEquals(200, r.get(2).status);
                          assertEquals(0, r.get(2).json().get("metrics").size(), r.get(2).body);
                          assertTrue(r.get(2).body.contains("a link out of the runs root"), r.get(2).body);
                          assertTrue(r.get(3).body.contains("a link out of the runs root"), r.get(3).body);
                          assertTrue(r.get(4).body.contains("malformed JSON at line 1"), r.get(4).body);
                          for (Reply reply : r) {
                            assertFalse(reply.body.contains("SECRET"), reply.body);
                          }
                          for (String warning : warnings) {
                            assertFalse(warning.contains("SECRET"), warning);
                          }
                          context.completeNow();
                        })));
  }

  @Test
  void aRequestNamingAnotherHostIsRefused(VertxTestContext context) {
    request(HttpMethod.GET, "/api/runs", "rebound.example.com")
        .compose(refused -> request(HttpMethod.GET, "/api/runs", "localhost").map(ok -> List.of(refused, ok)))
        .onComplete(
            context.succeeding(
                replies ->
                    context.verify(
                        () -> {
                          assertEquals(403, replies.get(0).status);
                          assertEquals(200, replies.get(1).status);
                          context.completeNow();
                        })));
  }

  @Test
  void samplesFilterByCorrectnessProblemAndStepAndPage(VertxTestContext context) {
    String samples = "/api/runs/" + SMOKE + "/samples";
    Future.all(
            List.of(
                get(samples),
                get(samples + "?correct=true"),
                get(samples + "?correct=false&problem=p-mixed"),
                get(samples + "?step=2"),
                get(samples + "?offset=1&limit=2"),
                get(samples + "?correct=maybe"),
                get(samples + "?limit=0")))
        .onComplete(
            context.succeeding(
                all ->
                    context.verify(
                        () -> {
                          List<Reply> r = all.list();
                          JsonNode every = r.get(0).json();
                          assertEquals(6, every.get("total").asInt());
                          // newest step first
                          assertEquals(3, every.get("items").get(0).get("step").asInt());

                          JsonNode right = r.get(1).json();
                          assertEquals(3, right.get("total").asInt()); // p-mixed@1, p-easy@2, p-easy@3
                          for (JsonNode item : right.get("items")) {
                            for (JsonNode c : item.get("completions")) {
                              assertTrue(c.get("correct").asBoolean(), item.toString());
                            }
                          }
                          JsonNode mixedAt1 = right.get("items").get(2);
                          assertEquals("p-mixed", mixedAt1.get("problem_id").asText());
                          assertEquals(1, mixedAt1.get("completions").size());
                          assertEquals(0, mixedAt1.get("completions").get(0).get("index").asInt());
                          assertEquals(1, mixedAt1.get("right").asInt());
                          assertEquals(2, mixedAt1.get("size").asInt());

                          JsonNode wrongMixed = r.get(2).json();
                          assertEquals(2, wrongMixed.get("total").asInt());
                          for (JsonNode item : wrongMixed.get("items")) {
                            assertEquals("p-mixed", item.get("problem_id").asText());
                          }
                          assertEquals(
                              1, wrongMixed.get("items").get(1).get("completions").get(0).get("index").asInt());

                          JsonNode step2 = r.get(3).json();
                          assertEquals(2, step2.get("total").asInt());
                          step2.get("items").forEach(item -> assertEquals(2, item.get("step").asInt()));

                          JsonNode page = r.get(4).json();
                          assertEquals(6, page.get("total").asInt());
                          assertEquals(2, page.get("items").size());
                          assertEquals("p-hard", page.get("items").get(0).get("problem_id").asText());

                          assertEquals(400, r.get(5).status);
                          assertTrue(r.get(5).json().get("error").asText().contains("correct"));
                          assertEquals(400, r.get(6).status);
                          context.completeNow();
                        })));
  }

  @Test
  void samplesFilterByAnswerChangeMarkerAndFamily(VertxTestContext context) {
    String samples = "/api/runs/" + SMOKE + "/samples";
    Future.all(
            List.of(
                get(samples + "?transition=wrong_to_right"),
                get(samples + "?marker=WAIT"),
                get(samples + "?marker=hmm"),
                get(samples + "?family=p"),
                get(samples + "?family=linear"),
                get(samples + "?transition=sideways")))
        .onComplete(
            context.succeeding(
                all ->
                    context.verify(
                        () -> {
                          List<Reply> r = all.list();
                          // FakeRun: every right completion reflects with "wait" and turns wrong to right
                          JsonNode aha = r.get(0).json();
                          assertEquals(3, aha.get("total").asInt());
                          for (JsonNode item : aha.get("items")) {
                            for (JsonNode c : item.get("completions")) {
                              assertEquals("wrong_to_right", c.get("transition").asText());
                            }
                          }
                          assertEquals(3, r.get(1).json().get("total").asInt(), "markers match in any case");
                          assertEquals(0, r.get(2).json().get("total").asInt());
                          // the family of a record written without one: its id's prefix ("p" of "p-hard")
                          JsonNode family = r.get(3).json();
                          assertEquals(6, family.get("total").asInt());
                          assertEquals("p", family.get("items").get(0).get("family").asText());
                          assertEquals(0, r.get(4).json().get("total").asInt());
                          assertEquals(400, r.get(5).status);
                          assertTrue(r.get(5).json().get("error").asText().contains("wrong_to_right"));
                          context.completeNow();
                        })));
  }

  @Test
  void metricsInPrometheusFormatHoldTheProcessAndEachRunsLastFigures(VertxTestContext context) {
    get("/metrics")
        .onComplete(
            context.succeeding(
                reply ->
                    context.verify(
                        () -> {
                          assertEquals(200, reply.status, reply.body);
                          assertTrue(reply.headers.get("content-type").startsWith("text/plain; version=0.0.4"));
                          String text = reply.body;
                          assertTrue(text.contains("jvm_memory_used_bytes"), text);
                          // FakeRun's step 3: accuracy 0.15 + 0.7 (1 - e^(-3/20)), step 3, 9 s
                          double accuracy = 0.15 + 0.7 * (1 - Math.exp(-3 / 20.0));
                          java.util.regex.Matcher line = java.util.regex.Pattern
                              .compile("aha_accuracy\\{run=\"" + SMOKE + "\"} (\\S+)").matcher(text);
                          assertTrue(line.find(), text);
                          assertEquals(accuracy, Double.parseDouble(line.group(1)), 1e-9);
                          assertTrue(text.contains("aha_step{run=\"" + SMOKE + "\"} 3.0"), text);
                          assertTrue(text.contains("aha_loss{run=\"" + BASE + "\"}"), text);
                          assertTrue(text.contains("# TYPE aha_reward_mean gauge"), text);
                          context.completeNow();
                        })));
  }

  @Test
  void passRatesFlagAlwaysZeroAndAlwaysOneProblems(VertxTestContext context) {
    get("/api/runs/" + SMOKE + "/problems")
        .onComplete(
            context.succeeding(
                reply ->
                    context.verify(
                        () -> {
                          JsonNode body = reply.json();
                          assertEquals(3, body.get("counts").get("problems").asInt());
                          assertEquals(1, body.get("counts").get("always_0").asInt());
                          assertEquals(1, body.get("counts").get("always_1").asInt());
                          JsonNode problems = body.get("problems");
                          // lowest pass rate first
                          assertEquals("p-hard", problems.get(0).get("problem_id").asText());
                          assertEquals("always_0", problems.get(0).get("flag").asText());
                          assertEquals("p", problems.get(0).get("family").asText(), "its id's prefix");
                          assertTrue(problems.get(0).hasNonNull("question"), problems.get(0).toString());
                          assertEquals(4, problems.get(0).get("attempts").asInt());
                          assertEquals(2, problems.get(0).get("steps").asInt());
                          assertEquals("p-mixed", problems.get(1).get("problem_id").asText());
                          assertTrue(problems.get(1).get("flag").isNull());
                          assertEquals(0.25, problems.get(1).get("pass_rate").asDouble(), 1e-9);
                          assertEquals("p-easy", problems.get(2).get("problem_id").asText());
                          assertEquals("always_1", problems.get(2).get("flag").asText());
                          assertEquals(3, problems.get(2).get("last_step").asInt());
                          context.completeNow();
                        })));
  }

  @Test
  void aClusteredRunListsItsNodesAndAnotherRunNone(VertxTestContext context) throws IOException {
    Files.writeString(smoke.dir().dir().resolve("nodes.json"),
        "{\"step\": 12, \"nodes\": [{\"node\": \"local\", \"live\": true, \"rows_per_s\": 40.5},"
            + " {\"node\": \"a\", \"live\": false, \"failures\": 1}]}");
    get("/api/runs/" + SMOKE + "/nodes")
        .compose(
            reply -> {
              context.verify(() -> {
                JsonNode body = reply.json();
                assertEquals(12, body.get("step").asInt());
                assertEquals("a", body.get("nodes").get(1).get("node").asText());
                assertEquals(1, body.get("nodes").get(1).get("failures").asInt());
              });
              try {
                Files.delete(smoke.dir().dir().resolve("nodes.json"));
              } catch (IOException e) {
                return Future.failedFuture(e);
              }
              return get("/api/runs/" + SMOKE + "/nodes");
            })
        .onComplete(
            context.succeeding(
                reply -> context.verify(() -> {
                  assertEquals(0, reply.json().get("nodes").size());
                  context.completeNow();
                })));
  }

  @Test
  void evalReportsAreListedAndABrokenOneIsSkipped(VertxTestContext context) throws IOException {
    Path eval = Files.createDirectories(smoke.dir().evalDir());
    Files.writeString(eval.resolve("step-20.json"), "{\"step\": 20, \"pass@1\": 0.5");
    Files.writeString(eval.resolve("step-10.json"), "{\"step\": 10, \"pass@1\": 0.41, \"pass@8\": 0.78}");
    Files.writeString(eval.resolve("step-5.json"), "{\"pass@1\": 0.2}");
    get("/api/runs/" + SMOKE + "/eval")
        .onComplete(
            context.succeeding(
                reply ->
                    context.verify(
                        () -> {
                          JsonNode body = reply.json();
                          assertEquals(List.of(5, 10), steps(body.get("reports")));
                          assertEquals(0.78, body.get("reports").get(1).get("pass@8").asDouble());
                          assertEquals(1, body.get("warnings").size());
                          assertTrue(body.get("warnings").get(0).asText().contains("step-20.json"));
                          context.completeNow();
                        })));
  }

  @Test
  void anUnreadableManifestShowsAsUnknown(VertxTestContext context) throws IOException {
    Files.writeString(base.dir().manifest(), "{ not json");
    get("/api/runs/" + BASE)
        .onComplete(
            context.succeeding(
                reply ->
                    context.verify(
                        () -> {
                          assertEquals(200, reply.status);
                          assertEquals("unknown", reply.json().get("status").asText());
                          assertTrue(reply.json().get("manifest_error").asText().contains("manifest.json"));
                          context.completeNow();
                        })));
  }

  @Test
  void servesThePagesAndTheChartLibraryFromTheJar(VertxTestContext context) {
    Future.all(get("/"), get("/run.html"), get("/vendor/uplot/uPlot.iife.min.js"), get("/nope.html"))
        .onComplete(
            context.succeeding(
                all ->
                    context.verify(
                        () -> {
                          List<Reply> r = all.list();
                          assertEquals(200, r.get(0).status);
                          assertTrue(r.get(0).body.contains("<title>aha · runs</title>"));
                          assertTrue(r.get(1).body.contains("/vendor/uplot/uPlot.iife.min.js"));
                          assertFalse(r.get(1).body.contains("http"), "no CDN: " + r.get(1).body);
                          assertEquals(200, r.get(2).status);
                          assertTrue(r.get(2).headers.get("Content-Type").startsWith("text/javascript"));
                          assertTrue(r.get(2).body.contains("uPlot"));
                          assertEquals(404, r.get(3).status);
                          assertEquals("nosniff", r.get(0).headers.get("X-Content-Type-Options"));
                          context.completeNow();
                        })));
  }

  @Test
  void unknownRunIs404(VertxTestContext context) {
    get("/api/runs/20991231-000000-nope/samples")
        .onComplete(
            context.succeeding(
                reply ->
                    context.verify(
                        () -> {
                          assertEquals(404, reply.status);
                          assertTrue(reply.json().get("error").asText().contains("no run named"));
                          context.completeNow();
                        })));
  }

  @Test
  void theUrlNamesTheBoundAddress() {
    assertEquals("http://127.0.0.1:" + dashboard.port() + "/", dashboard.url());
    assertTrue(dashboard.isLoopbackOnly());
  }

  // ---- helpers

  /** A response, read whole. */
  private record Reply(int status, MultiMap headers, String body) {
    JsonNode json() throws IOException {
      return FakeRun.JSON.readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private Future<Reply> get(String uri) {
    return request(HttpMethod.GET, uri, null);
  }

  /** Sends {@code method uri} as is (no normalization), with the Host header {@code host}. */
  private Future<Reply> request(HttpMethod method, String uri, String host) {
    return client
        .request(method, dashboard.port(), "127.0.0.1", uri)
        .compose(
            request -> {
              if (host != null) {
                request.authority(HostAndPort.create(host, dashboard.port()));
              }
              return request.send();
            })
        .compose(
            (HttpClientResponse response) ->
                response
                    .body()
                    .map(
                        body ->
                            new Reply(
                                response.statusCode(),
                                response.headers(),
                                body.toString(StandardCharsets.UTF_8))));
  }

  /** Removes the complete events from the front of {@code text} and returns their data as JSON. */
  private static List<JsonNode> takeEvents(StringBuilder text) {
    List<JsonNode> events = new ArrayList<>();
    int end;
    while ((end = text.indexOf("\n\n")) >= 0) {
      String event = text.substring(0, end);
      text.delete(0, end + 2);
      String type = null;
      String data = null;
      for (String line : event.split("\n")) {
        if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if ("metrics".equals(type) && data != null) {
        try {
          events.add(FakeRun.JSON.readTree(data));
        } catch (IOException e) {
          throw new AssertionError("bad event data: " + data, e);
        }
      }
    }
    return events;
  }

  private static List<Integer> steps(JsonNode lines) {
    List<Integer> steps = new ArrayList<>();
    lines.forEach(line -> steps.add(line.get("step").asInt()));
    return steps;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }
}
