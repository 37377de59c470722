package aha.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FormatRewardTest {

  static Stream<Arguments> responses() {
    return Stream.of(
        // well formed
        Arguments.of("<think>a</think><answer>b</answer>", true),
        Arguments.of("<think>\nlet me see\n</think>\n<answer>\n42\n</answer>", true),
        Arguments.of("  \n<think>a</think>  <answer>b</answer>\n\n", true),
        Arguments.of("<think>x < y and y > z</think><answer>\\boxed{5}</answer>", true),
        Arguments.of("<think>a</think>\t\r\n<answer>b</answer>", true),
        Arguments.of("<think>I write </answer> later</think><answer>b</answer>", false),
        Arguments.of("<think>a</answer without a bracket</think><answer>b</answer>", true),
        // empty parts
        Arguments.of("<think></think><answer>b</answer>", false),
        Arguments.of("<think>  \n </think><answer>b</answer>", false),
        Arguments.of("<think>a</think><answer></answer>", false),
        Arguments.of("<think>a</think><answer>\n\t</answer>", false),
        // missing tags
        Arguments.of("<think>a</think>", false),
        Arguments.of("<answer>b</answer>", false),
        Arguments.of("<think>a<answer>b</answer>", false),
        Arguments.of("<think>a</think><answer>b", false),
        Arguments.of("a</think><answer>b</answer>", false),
        Arguments.of("just text", false),
        Arguments.of("", false),
        // order
        Arguments.of("<answer>b</answer><think>a</think>", false),
        Arguments.of("</think>a<think><answer>b</answer>", false),
        Arguments.of("<think>a</think></answer>b<answer>", false),
        Arguments.of("<think>a<answer>b</answer></think>", false),
        // duplicates and nesting
        Arguments.of("<think>a</think><think>a</think><answer>b</answer>", false),
        Arguments.of("<think>a</think><answer>b</answer><answer>c</answer>", false),
        Arguments.of("<think><think>a</think></think><answer>b</answer>", false),
        Arguments.of("<think>a</think><answer><answer>b</answer></answer>", false),
        Arguments.of("<think>a <think> b</think><answer>c</answer>", false),
        // text outside the blocks
        Arguments.of("Sure! <think>a</think><answer>b</answer>", false),
        Arguments.of("<think>a</think>so<answer>b</answer>", false),
        Arguments.of("<think>a</think><answer>b</answer> Hope this helps", false),
        // near-miss tags
        Arguments.of("<Think>a</Think><answer>b</answer>", false),
        Arguments.of("<think >a</think><answer>b</answer>", false),
        Arguments.of("<think>a</think ><answer>b</answer>", false));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("responses")
  void judgesTheFormat(String response, boolean wellFormed) {
    assertEquals(wellFormed, FormatReward.isWellFormed(response));
  }

  @Test
  void nullIsNotWellFormed() {
    assertFalse(FormatReward.isWellFormed(null));
  }

  @Test
  void largeResponsesAreJudgedToo() {
    String thinking = "step ".repeat(100_000);
    assertTrue(FormatReward.isWellFormed("<think>" + thinking + "</think><answer>1</answer>"));
  }
}
