package aha.sampler.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.sampler.settings.InvalidFieldException;
import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelConfigTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "nano, 600000, 800000",
    "micro, 4500000, 5500000",
    "small, 22000000, 28000000",
  })
  void presetsHaveTheAdvertisedSize(String name, long min, long max) {
    long count = ModelConfig.preset(name).parameterCount();
    assertTrue(count >= min && count <= max, name + " has " + count + " parameters");
  }

  @Test
  void tinyIsTwoLayersOfWidth16WithGroupedHeads() {
    ModelConfig tiny = ModelConfig.tiny();
    assertEquals(2, tiny.numLayers());
    assertEquals(16, tiny.hiddenSize());
    assertEquals(2, tiny.groupSize());
  }

  @Test
  void countsParametersByHand() {
    // vocab 10, C 4, I 6, 1 layer, 2 heads of 2, 1 kv head, untied, biased
    ModelConfig c = new ModelConfig(10, 4, 6, 1, 2, 1, 8, 10000, 1e-5, false, true);
    long attention = 4 * 4 + 2 * 4 * 2 + 4 * 4 + (4 + 2 * 2);
    long mlp = 3 * 4 * 6;
    long norms = 2 * 4 + 4;
    assertEquals(2 * 10 * 4 + attention + mlp + norms, c.parameterCount());
    // forward FLOPs: 2 per weight of the matmuls (LM head included) + 4 C per attended token per
    // layer
    long matmuls = (4 * 4 + 2 * 4 * 2 + 4 * 4) + mlp + 10 * 4;
    assertEquals(2 * matmuls + 4 * 4 * 100, c.forwardFlopsPerToken(100));
    assertEquals(3 * c.forwardFlopsPerToken(100), c.trainingFlopsPerToken(100));
  }

  @Test
  void withVocabSizeChangesOnlyTheVocabulary() {
    ModelConfig micro = ModelConfig.micro();
    ModelConfig resized = micro.withVocabSize(1000);
    assertEquals(1000, resized.vocabSize());
    assertEquals(micro, resized.withVocabSize(micro.vocabSize()));
  }

  @ParameterizedTest(name = "{6}")
  @CsvSource({
    "30, 4, 1, 8, 0.00001, 10000, hidden_size: 30 is not divisible by num_heads 4",
    "32, 4, 3, 8, 0.00001, 10000, num_heads: 4 is not divisible by num_kv_heads 3",
    "12, 4, 2, 8, 0.00001, 10000, hidden_size: the head size hidden_size/num_heads = 3 is odd",
    "32, 4, 2, 0, 0.00001, 10000, max_positions: must be >= 1",
    "32, 4, 2, 8, 0, 10000, rms_norm_eps: must be in (0, 1)",
    "32, 4, 2, 8, 0.00001, -1, rope_theta: must be positive",
  })
  void badShapesFailWithAClearMessage(
      int hidden,
      int heads,
      int kvHeads,
      int maxPositions,
      double eps,
      double theta,
      String message) {
    InvalidFieldException e =
        assertThrows(
            InvalidFieldException.class,
            () ->
                new ModelConfig(
                    100, hidden, 64, 2, heads, kvHeads, maxPositions, theta, eps, true, false));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void unknownPresetNamesTheChoices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.preset("huge"));
    assertTrue(e.getMessage().contains("tiny, nano, micro, small"), e.getMessage());
  }

  @Test
  void devicesResolveFromTheConfigSetting() {
    assertEquals(Device.cpu(), Devices.resolve("cpu"));
    Device auto = Devices.resolve("auto");
    assertTrue(auto.equals(Device.cpu()) || auto.isGpu());
    assertThrows(IllegalArgumentException.class, () -> Devices.resolve("tpu"));
  }
}
