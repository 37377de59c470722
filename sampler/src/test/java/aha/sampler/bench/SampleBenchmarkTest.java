package aha.sampler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import aha.sampler.model.ModelConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SampleBenchmarkTest {

  private static SampleBenchmark.Settings tiny(int threads) {
    return new SampleBenchmark.Settings("tiny", ModelConfig.tiny(), 2, 3, 4, threads, 1, 7);
  }

  @Test
  void aTinyRunReportsRatesTheRooflineAndItsFraction() throws Exception {
    SampleBenchmark.Result result = new SampleBenchmark(tiny(1)).run(null, "--no-peer");

    assertTrue(result.tokensPerSecond() > 0, "tokens/s " + result.tokensPerSecond());
    assertTrue(result.modelTokensPerSecond() > 0, "model tokens/s");
    assertEquals(1, result.threads());
    assertEquals(5, result.matmuls().size());
    assertTrue(result.rooflineGflops() > 0, "roofline " + result.rooflineGflops());
    double expected = result.achievedGflops() / result.rooflineGflops();
    assertEquals(expected, result.rooflineFraction(), 1e-12);
    assertTrue(Double.isNaN(result.peerRatio()));

    String[] lines = result.format().strip().split("\\R");
    assertTrue(lines[lines.length - 1].contains("not run: --no-peer"), result.format());
    JsonNode json = new ObjectMapper().readTree(result.toJson());
    for (String key : new String[] {"tokens_per_s", "roofline_gflops", "roofline_fraction"}) {
      assertTrue(json.path(key).isNumber(), key + " in " + json);
    }
    assertEquals(1, json.path("aha_threads").asInt());
    assertFalse(json.has("peer_tokens_per_s"));
    assertEquals("--no-peer", json.path("peer_note").asText());
  }

  @Test
  void thePeerTargetIsJudgedOnMediansWithTheBestBeside() throws Exception {
    // aha's best run is lucky: 1.6x the peer's best, but its median is only 1.2x the peer's
    PythonPeer.Result peer = new PythonPeer.Result(1000, 1000, 5000, "1.13", "prealloc", 2, "none");
    SampleBenchmark.Result result =
        new SampleBenchmark.Result(
            tiny(2), "Generator.sample, greedy", "none", 2, 1600, 1200,
            new double[] {1600, 1200, 1100}, 9000, 1700, List.of(), peer, null);

    assertEquals(1.2, result.peerRatio(), 1e-12);
    assertEquals(1.6, result.bestPeerRatio(), 1e-12);
    assertTrue(
        result.format().contains("1.20x the peer (median against median; best against best 1.60x)"),
        result.format());
    assertTrue(result.format().contains("target 1.5x: MISSED"), result.format());
    JsonNode json = new ObjectMapper().readTree(result.toJson());
    assertEquals(1.2, json.path("ratio").asDouble(), 1e-12);
    assertEquals(1.6, json.path("ratio_best").asDouble(), 1e-12);
    assertEquals("Parallel", json.path("collector").asText());
  }

  @Test
  void thePeersRunsMadeInTurnCombineToTheirBestAndMedian() {
    PythonPeer.Result combined =
        PythonPeer.combine(
            List.of(
                new PythonPeer.Result(900, 900, 4000, "1.13", "prealloc", 2, "tcmalloc"),
                new PythonPeer.Result(1200, 1200, 5000, "1.13", "prealloc", 2, "tcmalloc"),
                new PythonPeer.Result(1000, 1000, 4500, "1.13", "prealloc", 2, "tcmalloc")));
    assertEquals(1200, combined.tokensPerSecond());
    assertEquals(1000, combined.tokensPerSecondMedian());
    assertEquals(5000, combined.prefillTokensPerSecond());
    assertEquals("tcmalloc", combined.preload());
    assertThrows(IllegalArgumentException.class, () -> PythonPeer.combine(List.of()));
    assertEquals(1, tiny(2).oneRepeat().repeats());
    assertEquals(tiny(2).batch(), tiny(2).oneRepeat().batch());
  }

  @Test
  void warmsUpForAThousandDecodeStepsInWholeRunsWithinBounds() {
    SampleBenchmark.Settings micro =
        new SampleBenchmark.Settings("micro", ModelConfig.micro(), 16, 32, 128, 2, 3, 42);
    assertEquals(8, micro.warmupRuns()); // 8 x 127 steps >= 1,000
    SampleBenchmark.Settings oneStep =
        new SampleBenchmark.Settings("tiny", ModelConfig.tiny(), 2, 3, 2, 1, 1, 7);
    assertEquals(SampleBenchmark.MOST_WARMUP_RUNS, oneStep.warmupRuns());
    SampleBenchmark.Settings thousandSteps =
        new SampleBenchmark.Settings("micro", ModelConfig.micro(), 2, 3, 1001, 1, 1, 7);
    assertEquals(1, thousandSteps.warmupRuns());
  }

  @Test
  void flopsPerDecodedTokenIsTheMeanOverTheSteps() {
    // steps feed slots P..P+N-2, attending to P+1..P+N-1 keys: N/2 past the prompt on average
    SampleBenchmark.Settings settings = tiny(1);
    assertEquals(
        ModelConfig.tiny().forwardFlopsPerToken(3 + 2), settings.flopsPerDecodedToken(), 1e-6);
    assertEquals(3, settings.decodeSteps());
  }

  @ParameterizedTest(name = "batch={0} prompt={1} new={2} threads={3} repeats={4}")
  @CsvSource({
    "0, 3, 4, 1, 1",
    "2, 0, 4, 1, 1",
    "2, 3, 1, 1, 1",
    "2, 3, 4, -1, 1",
    "2, 3, 4, 1, 0",
    "2, 60, 5, 1, 1"
  })
  void settingsRefuseWhatCannotRun(int batch, int prompt, int newTokens, int threads, int repeats) {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SampleBenchmark.Settings(
                "tiny", ModelConfig.tiny(), batch, prompt, newTokens, threads, repeats, 1));
  }

  @Test
  void thePythonPeerDecodesTheSameShapes() {
    Optional<Path> script = PythonPeer.findScript(PythonPeer.SCRIPT);
    assumeTrue(script.isPresent(), "bench/peer_decode.py not found");
    Optional<String> unavailable = PythonPeer.unavailableReason();
    assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));

    PythonPeer.Result peer = new PythonPeer(script.get()).run(tiny(1));

    assertTrue(peer.tokensPerSecond() > 0, "peer tokens/s " + peer.tokensPerSecond());
    assertEquals("prealloc", peer.kvCache());
    assertEquals(1, peer.threads());
    // the child reports its own LD_PRELOAD: tcmalloc where installed, even if this JVM has none
    assertEquals(PythonPeer.preload(), peer.preload());
    if (Files.isRegularFile(PythonPeer.TCMALLOC)) {
      assertNotEquals("none", peer.preload());
    }
  }

  @Test
  void theShapesJsonUsesTheConfigFieldNames() {
    JsonNode json = PythonPeer.shapesJson(ModelConfig.micro());
    assertEquals(256, json.path("hiddenSize").asInt());
    assertEquals(4, json.path("numKvHeads").asInt());
    assertTrue(json.path("tieEmbeddings").asBoolean());
    assertEquals(11, json.size());
  }
}
