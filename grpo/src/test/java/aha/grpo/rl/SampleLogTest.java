package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import aha.grpo.reflection.AhaDetector;
import aha.grpo.reflection.Transition;
import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.problems.ProblemMeta;
import aha.sampler.generate.Completion;
import aha.sampler.generate.FinishReason;
import aha.verifier.Verdict;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleLogTest {

  private static final Problem PROBLEM =
      new Problem("p", "What is 37 * 6?", "222", AnswerKind.NUMERIC, null, new ProblemMeta("multiplication", 1, 1L, "test"));

  private static final AhaDetector.Analysis NOTHING =
      new AhaDetector.Analysis(List.of(), Transition.NONE, null, "222", true);

  private static ScoredCompletion completion(String text, boolean[] injected) {
    Completion tokens =
        new Completion(new int[injected.length], new float[injected.length], FinishReason.STOP, injected);
    return new ScoredCompletion(PROBLEM.id(), 0, text, tokens, new Verdict(true, 1.0, true, "222", "equal"), 3, 1, 0.1);
  }

  @Test
  void theLengthIsThePolicysTokensAndTheToolsAnswersAreCountedApart() {
    // 7 tokens: <think> <calc> 37*6 </calc> | <result> 222 </result> written by the environment
    boolean[] injected = {false, false, false, false, true, true, true};
    ScoredGroup group =
        new ScoredGroup(
            PROBLEM,
            new int[] {1},
            List.of(
                completion("<think><calc>37 * 6</calc><result>222</result>", injected),
                completion("<answer>222</answer>", new boolean[3])));
    List<ObjectNode> records = SampleLog.records(3, List.of(group), List.of(List.of(NOTHING, NOTHING)), 1);

    ObjectNode withCall = (ObjectNode) records.get(0).get("completions").get(0);
    assertEquals(4, withCall.get("length").asInt());
    assertEquals(3, withCall.get("tool_tokens").asInt());
    assertEquals("<think><calc>37 * 6</calc><result>222</result>", withCall.get("text").asText());
    ObjectNode without = (ObjectNode) records.get(0).get("completions").get(1);
    assertEquals(3, without.get("length").asInt());
    assertFalse(without.has("tool_tokens"), "a completion without a call has no tool_tokens");
  }
}
