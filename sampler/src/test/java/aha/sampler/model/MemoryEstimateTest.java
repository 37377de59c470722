package aha.sampler.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

  /** The micro step at 32 x 256 peaked at 2.47 GB RSS, about 0.4 GB of it the JVM and libtorch. */
  @Test
  void theMicroTrainingStepEstimatesNearWhatItWasMeasuredToTake() {
    double gb = MemoryEstimate.trainingBytes(ModelConfig.micro(), 32, 256) / 1e9;
    assertTrue(gb > 1.7 && gb < 2.4, gb + " GB");
  }

  /** `aha sample -g 100000 --batch-rows 100000` reached 24 GB before the kernel killed it. */
  @Test
  void aHundredThousandRowsOfNanoNeedMoreThanThisMachineHas() {
    double gb = MemoryEstimate.generationBytes(ModelConfig.nano(), 100_000, 60, 60 + 255) / 1e9;
    assertTrue(gb > 40, gb + " GB");
    double usual = MemoryEstimate.generationBytes(ModelConfig.nano(), 256, 60, 60 + 255) / 1e9;
    assertTrue(usual < 0.5, "the default GRPO batch: " + usual + " GB");
  }

  @Test
  void aRequestOverWhatIsAvailableIsRefusedWithBothFiguresAndTheLever() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MemoryEstimate.requireFits("a batch", 30_000_000_000L, 20_000_000_000L, "--batch-rows"));
    assertEquals(
        "a batch needs about 30.0 GB of memory and 20.0 GB is available; lower --batch-rows",
        e.getMessage());
    assertDoesNotThrow(() -> MemoryEstimate.requireFits("a batch", 10, 20, "--batch-rows"));
    assertDoesNotThrow(() -> MemoryEstimate.requireFits("a batch", 10, -1, "x"), "unknown: not refused");
    assertTrue(MemoryEstimate.availableBytes() != 0);
  }
}
