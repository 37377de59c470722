package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.problems.ProblemMeta;
import aha.sampler.generate.Completion;
import aha.sampler.generate.FinishReason;
import aha.verifier.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolMetricsTest {

  private static final Problem PROBLEM =
      new Problem("p", "What is 37 * 6?", "222", AnswerKind.NUMERIC, null, new ProblemMeta("multiplication", 1, 1L, "test"));

  private static ScoredCompletion completion(int index, String text, boolean correct) {
    Completion tokens = new Completion(new int[] {1}, new float[] {0f}, FinishReason.STOP);
    Verdict verdict = new Verdict(correct, correct ? 1.0 : 0.0, true, correct ? "222" : "0", correct ? "correct" : "wrong");
    return new ScoredCompletion(PROBLEM.id(), index, text, tokens, verdict, 1, 1, 0.1);
  }

  @Test
  void callsTheirAnswersAndAccuracyWithAndWithoutACall() {
    ScoredGroup group =
        new ScoredGroup(
            PROBLEM,
            new int[] {1},
            List.of(
                completion(0, "<think><calc>37 * 6</calc><result>222</result></think><answer>222</answer>", true),
                completion(1, "<think><calc>37 *</calc><result>error</result><calc>37 * 6</calc><result>222</result></think><answer>222</answer>", true),
                completion(2, "<think><calc>37 * 6</calc><result>222</result></think><answer>22</answer>", false),
                completion(3, "<think>37 * 6 = 212</think><answer>212</answer>", false)));
    Map<String, Double> metrics = new LinkedHashMap<>();
    ToolMetrics.put(metrics, List.of(group));

    assertEquals(1.0, metrics.get("tools/calls_per_response")); // 4 calls, 4 responses
    assertEquals(0.75, metrics.get("tools/responses_with_call"));
    assertEquals(0.75, metrics.get("tools/calls_parsed")); // one of 4 answered error
    assertEquals(2.0 / 3, metrics.get("tools/accuracy_with_call"), 1e-12);
    assertEquals(0.0, metrics.get("tools/accuracy_without_call"));
  }

  @Test
  void noCallsAreNoErrors() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    ToolMetrics.put(metrics, List.of(new ScoredGroup(PROBLEM, new int[] {1}, List.of(completion(0, "<answer>222</answer>", true)))));
    assertEquals(0.0, metrics.get("tools/calls_per_response"));
    assertEquals(1.0, metrics.get("tools/calls_parsed"));
    assertEquals(1.0, metrics.get("tools/accuracy_without_call"));
    assertTrue(metrics.keySet().stream().allMatch(key -> key.startsWith("tools/")));
  }
}
