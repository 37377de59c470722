package aha.grpo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import aha.sampler.bench.PythonPeer;
import aha.sampler.model.ModelConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainBenchmarkTest {

  private static TrainBenchmark.Settings tiny() {
    return new TrainBenchmark.Settings("tiny", ModelConfig.tiny(), 2, 8, 3, 1, 1, 7);
  }

  @Test
  void aTinyRunReportsItsStepTimesAndTrains() throws Exception {
    TrainBenchmark.Result result = new TrainBenchmark(tiny()).run(null, "--no-peer");

    assertEquals(3, result.stepMillis().length);
    for (double ms : result.stepMillis()) {
      assertTrue(ms > 0, "step ms " + ms);
    }
    assertTrue(result.bestMsPerStep() <= result.msPerStep());
    assertEquals(1, result.threads());
    assertEquals(2 * 8 / (result.msPerStep() / 1000), result.tokensPerSecond(), 1e-6);
    // four AdamW steps on one batch bring its loss down from about ln(V)
    assertEquals(Math.log(ModelConfig.tiny().vocabSize()), result.firstLoss(), 0.5);
    assertTrue(result.lastLoss() < result.firstLoss(), result.format());
    assertTrue(Double.isNaN(result.peerRatio()));
    assertFalse(result.targetMet());

    String[] lines = result.format().strip().split("\\R");
    assertTrue(lines[lines.length - 1].contains("not run: --no-peer"), result.format());
    JsonNode json = new ObjectMapper().readTree(result.toJson());
    assertTrue(json.path("ms_per_step").asDouble() > 0, json.toString());
    assertEquals(3, json.path("ms_per_step_all").size());
    assertEquals("--no-peer", json.path("peer_note").asText());
    assertFalse(json.has("ratio"));
  }

  @Test
  void theMedianIsTheMiddleStep() {
    TrainBenchmark.Result result =
        new TrainBenchmark.Result(
            tiny(), "none", 1, new double[] {30, 10, 20}, 1, 1, Double.NaN, null, "x");
    assertEquals(20, result.msPerStep());
    assertEquals(10, result.bestMsPerStep());
    TrainBenchmark.Result even =
        new TrainBenchmark.Result(
            tiny(), "none", 1, new double[] {40, 10, 20, 30}, 1, 1, Double.NaN, null, "x");
    assertEquals(25, even.msPerStep());
  }

  @Test
  void theRatioIsAhasTimeOverThePeersAndLowerIsBetter() throws Exception {
    TrainBenchmark.PeerResult peer =
        new TrainBenchmark.PeerResult(100, 90, 4, 3, 400, "1.13", 1, "none");
    TrainBenchmark.Result faster =
        new TrainBenchmark.Result(tiny(), "none", 2, new double[] {80}, 4, 3, 900, peer, null);
    assertEquals(0.8, faster.peerRatio(), 1e-12);
    assertTrue(faster.targetMet());
    assertTrue(faster.format().contains("0.80x the peer's time"), faster.format());
    // both sides' threads and peak memory beside their figures, in the text and the JSON
    String[] lines = faster.format().split("\\R");
    assertTrue(lines[1].contains("2 threads") && lines[1].contains("peak RSS 900 MB"), lines[1]);
    assertTrue(lines[2].contains("1 threads") && lines[2].contains("peak RSS 400 MB"), lines[2]);
    JsonNode json = new ObjectMapper().readTree(faster.toJson());
    assertEquals(2, json.path("aha_threads").asInt());
    assertEquals(1, json.path("peer_threads").asInt());
    assertEquals(400, json.path("peer_peak_rss_mb").asDouble());
    TrainBenchmark.Result slower =
        new TrainBenchmark.Result(tiny(), "none", 2, new double[] {95}, 4, 3, 900, peer, null);
    assertFalse(slower.targetMet());
    assertTrue(slower.format().contains("MISSED"), slower.format());
  }

  @Test
  void presetsTrainWithTheirRecipesBatchAndVocabulary() {
    TrainBenchmark.Settings nano = TrainBenchmark.Settings.forPreset("nano", 5, 2, 2, 42);
    assertEquals(16, nano.batch());
    assertEquals(128, nano.seqLen());
    assertEquals(1024, nano.config().vocabSize());
    assertEquals(128, nano.config().hiddenSize());
    TrainBenchmark.Settings micro = TrainBenchmark.Settings.forPreset("micro", 5, 2, 2, 42);
    assertEquals(32, micro.batch());
    assertEquals(256, micro.seqLen());
    assertEquals(2048, micro.config().vocabSize());
    assertThrows(
        IllegalArgumentException.class,
        () -> TrainBenchmark.Settings.forPreset("huge", 5, 2, 2, 42));
  }

  @ParameterizedTest(name = "batch={0} seqLen={1} steps={2} warmup={3} threads={4}")
  @CsvSource({"0, 8, 3, 1, 1", "2, 1, 3, 1, 1", "2, 65, 3, 1, 1", "2, 8, 0, 1, 1",
      "2, 8, 3, -1, 1", "2, 8, 3, 1, -1"})
  void settingsRefuseWhatCannotRun(int batch, int seqLen, int steps, int warmup, int threads) {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TrainBenchmark.Settings(
                "tiny", ModelConfig.tiny(), batch, seqLen, steps, warmup, threads, 1));
  }

  @Test
  void thePythonPeerTrainsTheSameShapes() {
    Optional<Path> script = PythonPeer.findScript(TrainBenchmark.SCRIPT);
    assumeTrue(script.isPresent(), "bench/peer_train.py not found");
    Optional<String> unavailable = PythonPeer.unavailableReason();
    assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));

    TrainBenchmark.Result result =
        new TrainBenchmark(tiny()).run(new PythonPeer(script.get()), null);

    TrainBenchmark.PeerResult peer = result.peer();
    assertTrue(peer.msPerStep() > 0, "peer ms " + peer.msPerStep());
    assertEquals(1, peer.threads());
    assertEquals(PythonPeer.preload(), peer.preload());
    assertTrue(peer.peakRssMb() > 0, "peer peak RSS " + peer.peakRssMb());
    // the same shapes from random weights start near ln(V) on both sides
    assertEquals(result.firstLoss(), peer.firstLoss(), 0.5);
    assertTrue(peer.lastLoss() < peer.firstLoss(), result.format());
    assertEquals(result.msPerStep() / peer.msPerStep(), result.peerRatio(), 1e-12);
    assertTrue(result.format().contains("x the peer's time"), result.format());
  }
}
