package aha.grpo.reflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import aha.problems.AnswerKind;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AhaDetectorTest {
  private final AhaDetector detector =
      new AhaDetector(ReflectionMarkers.defaults(), new Verifier(VerifierConfig.defaults()));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // a slip caught: stated 38, reflected, final 36 (gold 36)
        "WRONG_TO_RIGHT|<think>12 * 3 = 38. Wait, let me check: 12 * 3 = 36.</think><answer>36</answer>|36",
        // an answer statement before the marker
        "WRONG_TO_RIGHT|<think>So the answer is 7/2. Hmm, 7/2 is not simplified right; 14/4 = 7/2 but the sum is 15/4.</think><answer>15/4</answer>|15/4",
        // talked out of a right answer
        "RIGHT_TO_WRONG|<think>5 + 8 = 13. Wait, 5 + 8 = 14.</think><answer>14</answer>|13",
        // wrong, then wrong again
        "WRONG_TO_WRONG|<think>6 * 7 = 40. Actually, 6 * 7 = 41.</think><answer>41</answer>|42",
        // a check that confirms: same value, no transition
        "NONE|<think>6 * 7 = 42. Let me check: 7 * 6 = 42.</think><answer>42</answer>|42",
        // equivalent forms are not a change of answer
        "NONE|<think>The answer is 0.5. Wait, write it as a fraction.</think><answer>1/2</answer>|1/2",
        // no marker at all
        "NONE|<think>2 + 2 = 4.</think><answer>4</answer>|4",
        // intermediate working in an earlier sentence is not a candidate
        "NONE|<think>3 * 4 = 12. Then 12 + 1 = 13. Let me check the sum once more, it holds.</think><answer>13</answer>|13",
      })
  void classifiesTransitions(Transition expected, String response, String gold) {
    AhaDetector.Analysis analysis = detector.analyze(response, gold, AnswerKind.NUMERIC, null);
    assertEquals(expected, analysis.transition(), "candidate " + analysis.candidate());
  }

  @Test
  void countdownCandidatesAreExpressions() {
    String response =
        "<think>(7 + 7) * 4 = 56. Wait, that misses by 2. 7 * 9 - 9 = 54.</think><answer>7 * 9 - 9</answer>";
    AhaDetector.Analysis analysis =
        detector.analyze(response, "54 from [7, 7, 9, 9, 4]", AnswerKind.COUNTDOWN, null);
    assertEquals(Transition.WRONG_TO_RIGHT, analysis.transition());
    assertEquals("(7 + 7) * 4", analysis.candidate());
  }

  @Test
  void markerOnANewLineAfterWorkingLooksOnlyAtTheLineBefore() {
    String response =
        "<think>3 * 4 = 12.\nThen 12 + 1 = 13.\nWait, let me check: 12 + 1 = 13.</think><answer>13</answer>";
    assertEquals(
        Transition.NONE, detector.analyze(response, "13", AnswerKind.NUMERIC, null).transition());
  }

  @Test
  void noFinalAnswerMeansNoTransition() {
    AhaDetector.Analysis analysis =
        detector.analyze("<think>3 = 4. Wait</think>", "4", AnswerKind.NUMERIC, null);
    assertEquals(Transition.NONE, analysis.transition());
    assertNull(analysis.finalAnswer());
    assertEquals(1, analysis.markerCount());
  }

  @Test
  void trackerAggregatesAStepAndRemembersFirstSteps() {
    AhaTracker tracker = new AhaTracker();
    List<AhaDetector.Analysis> step1 =
        List.of(
            detector.analyze("<think>12 * 3 = 38. Wait, 12 * 3 = 36.</think><answer>36</answer>", "36", AnswerKind.NUMERIC, null),
            detector.analyze("<think>2 + 2 = 4.</think><answer>4</answer>", "4", AnswerKind.NUMERIC, null),
            detector.analyze("<think>hmm, hmm. 1 + 1 = 2.</think><answer>2</answer>", "2", AnswerKind.NUMERIC, null),
            detector.analyze("<think>5 + 8 = 13. Wait, 5 + 8 = 14.</think><answer>14</answer>", "13", AnswerKind.NUMERIC, null));
    AhaTracker.StepMetrics metrics = tracker.record(1, step1);
    assertEquals(4.0 / 4, metrics.keywordRate(), 1e-12); // wait, hmm twice, wait
    assertEquals(3.0 / 4, metrics.responseShare(), 1e-12);
    assertEquals(1, metrics.wrongToRight());
    assertEquals(1, metrics.transitions().get(Transition.RIGHT_TO_WRONG));
    assertEquals(0, metrics.transitions().get(Transition.WRONG_TO_WRONG));
    assertEquals(List.of("wait", "hmm"), metrics.newMarkers());

    AhaTracker.StepMetrics later =
        tracker.record(
            7,
            List.of(detector.analyze("<think>Actually 3.</think><answer>3</answer>", "3", AnswerKind.NUMERIC, null)));
    assertEquals(List.of("actually"), later.newMarkers());
    assertEquals(1L, tracker.firstStepOfMarker().get("wait"));
    assertEquals(7L, tracker.firstStepOfMarker().get("actually"));
  }
}
