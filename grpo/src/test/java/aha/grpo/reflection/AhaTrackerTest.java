package aha.grpo.reflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AhaTrackerTest {

  private static AhaDetector.Analysis reflecting(boolean correct) {
    return new AhaDetector.Analysis(
        List.of(new ReflectionMarkers.Hit("wait", 0, 4)), Transition.NONE, null, "1", correct);
  }

  private static AhaDetector.Analysis plain(boolean correct) {
    return new AhaDetector.Analysis(List.of(), Transition.NONE, null, "1", correct);
  }

  @Test
  void theContrastComparesReflectingAndPlainCompletionsOfTheSameProblem() {
    AhaTracker.Contrast contrast =
        AhaTracker.contrast(
            List.of(
                // mixed: reflecting 2 of 2 right, plain 1 of 2
                List.of(reflecting(true), reflecting(true), plain(true), plain(false)),
                // all reflecting, all right: a problem where reflection is not a choice, left out
                List.of(reflecting(true), reflecting(true)),
                // all plain, all wrong: left out too, though it would make reflecting look better
                List.of(plain(false), plain(false)),
                // mixed: reflecting 0 of 1, plain 1 of 1
                List.of(reflecting(false), plain(true))));
    assertEquals(2, contrast.mixedGroups());
    assertEquals(2.0 / 3, contrast.reflectingAccuracy(), 1e-12);
    assertEquals(2.0 / 3, contrast.plainAccuracy(), 1e-12);
  }

  @Test
  void withoutAMixedGroupThereIsNoContrast() {
    AhaTracker.Contrast contrast = AhaTracker.contrast(List.of(List.of(plain(true), plain(false))));
    assertEquals(0, contrast.mixedGroups());
    assertTrue(Double.isNaN(contrast.reflectingAccuracy()));
    assertTrue(Double.isNaN(contrast.plainAccuracy()));
  }
}
