package aha.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.verifier.AnswerExtractor.Extraction;
import aha.verifier.AnswerExtractor.Source;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Extraction rules, one row per rule or trap; no comparator involved. */
class AnswerExtractorTest {

  /** A row: the response, the candidates expected in order (none: nothing found), the source. */
  private static Arguments row(String response, Source source, String... candidates) {
    return Arguments.of(response, source, List.of(candidates));
  }

  static Stream<Arguments> extractions() {
    return Stream.of(
        // boxes
        row("The answer is \\boxed{1234}.", Source.BOXED, "1234"),
        row("\\boxed{\\frac{1}{2}}", Source.BOXED, "\\frac{1}{2}"),
        row("so \\boxed{\\frac{a}{b^{2}}} is it", Source.BOXED, "\\frac{a}{b^{2}}"),
        row("\\boxed{\\boxed{5}}", Source.BOXED, "5"),
        row("\\boxed{\\fbox{\\boxed{8}}}", Source.BOXED, "8"),
        row("\\fbox{7}", Source.BOXED, "7"),
        row("so we get \\boxed 5", Source.BOXED, "5"),
        row("hence $\\boxed 12$.", Source.BOXED, "12"),
        row("hence \\boxed -3 and done", Source.BOXED, "-3"),
        row("The choice is \\boxed A", Source.BOXED, "A"),
        row("$\\boxed{5}$", Source.BOXED, "5"),
        row("\\boxed{$5$}", Source.BOXED, "5"),
        row("\\boxed{ 5 }", Source.BOXED, "5"),
        row("\\boxed{5.}", Source.BOXED, "5"),
        row("\\boxed{\\text{B}}", Source.BOXED, "\\text{B}"),
        row("\\boxed{\\{1, 2\\}}", Source.BOXED, "\\{1, 2\\}"),
        row("\\boxed{\\}}", Source.BOXED, "\\}"),
        row(
            "\\boxed{\\begin{pmatrix}1\\\\2\\end{pmatrix}}",
            Source.BOXED,
            "\\begin{pmatrix}1\\\\2\\end{pmatrix}"),
        row("\\boxed{x\n= 2}", Source.BOXED, "x\n= 2"),
        row("The answer is \\boxed{5}, the answer is 6.", Source.BOXED, "6", "5"),
        row("I'll put it in \\boxed{} at the end. So \\boxed{9}", Source.BOXED, "9"),
        // one final answer: every box, #### line and phrase of the region is a candidate, the
        // chosen answer last; the same statement twice is one candidate
        row("\\boxed{2} or \\boxed{3}", Source.BOXED, "2", "3"),
        row("I get \\boxed{3}. Wait, no: \\boxed{4}", Source.BOXED, "3", "4"),
        row("First guess \\boxed{3}.\n\nWait, recheck: \\boxed{4}", Source.BOXED, "3", "4"),
        row("\\boxed{1}\r\n\r\n\\boxed{2}", Source.BOXED, "1", "2"),
        row("\\boxed{1}\n  \t\n\\boxed{2} and \\boxed{2}", Source.BOXED, "1", "2"),
        row("\\boxed{1}\nnext line \\boxed{2}", Source.BOXED, "1", "2"),
        row("\\boxed{0,1,2,3,4,5,6,7,8,9}", Source.BOXED, "0,1,2,3,4,5,6,7,8,9"),
        // unclosed and malformed boxes extract nothing, with no fallback
        row("\\boxed{5", Source.NONE),
        row("\\boxed{4} and then \\boxed{5", Source.NONE),
        row("so it is \\boxed{{5}", Source.NONE),
        row("the result is 42 \\boxed", Source.NONE),
        row("the result is 42 \\boxed   ", Source.NONE),
        row("\\\\boxed{5}", Source.NONE),
        row("\\boxedx{5}", Source.NONE),
        row("we use \\boxed to mark it", Source.NONE),
        row("no answer here 1 2 3", Source.NONE),
        row("", Source.NONE),
        row("   \n  ", Source.NONE),
        // answer blocks
        row("<think>x</think><answer>42</answer>", Source.ANSWER_BLOCK, "42"),
        row("<think>x</think>\n<answer>\n  $42$ \n</answer>", Source.ANSWER_BLOCK, "42"),
        row("<answer>So \\boxed{42}</answer>", Source.BOXED, "42"),
        row("<answer>\\boxed{1}\n\n\\boxed{2}</answer>", Source.BOXED, "1", "2"),
        row("#### 5\n<answer>6</answer>", Source.ANSWER_BLOCK, "6"),
        row("<answer>6</answer>\n#### 5", Source.ANSWER_BLOCK, "6"),
        row("<think>\\boxed{1}</think><answer>2</answer>", Source.ANSWER_BLOCK, "2"),
        row("<think>it is \\boxed{</think><answer>7</answer>", Source.ANSWER_BLOCK, "7"),
        row("<answer>1</answer> then <answer>2</answer>", Source.ANSWER_BLOCK, "1", "2"),
        row("<answer>2</answer> then <answer>2</answer>", Source.ANSWER_BLOCK, "2"),
        row("<answer>\\boxed{7}</answer><answer>#### 8</answer>", Source.HASH_MARK, "7", "8"),
        row("<answer>The answer is 12.</answer>", Source.PHRASE, "12"),
        row("<answer>steps\n#### 12</answer>", Source.HASH_MARK, "12"),
        row("<answer>(25+3)*4</answer>", Source.ANSWER_BLOCK, "(25+3)*4"),
        row("<answer>5", Source.NONE),
        row("<think>\\boxed{5}</think><answer>", Source.NONE),
        row("<answer>   </answer>", Source.NONE),
        // after the thinking
        row("<think>maybe \\boxed{3}</think> so \\boxed{4}", Source.BOXED, "4"),
        row("<think>maybe \\boxed{3}</think>\n  ", Source.BOXED, "3"),
        row("<think>the answer is 3</think>The answer is 4.", Source.PHRASE, "4"),
        row("<think>\\boxed{3}</think> \\boxed{5", Source.NONE),
        row("<think>\\boxed{3", Source.NONE),
        // GSM8K marker
        row("Natalia sold 48/2 = <<48/2=24>>24 clips.\n#### 72", Source.HASH_MARK, "72"),
        row("#### 72\nThanks for asking", Source.HASH_MARK, "72"),
        row("#### 1,234", Source.HASH_MARK, "1,234"),
        row("#### 2, 3", Source.HASH_MARK, "2, 3"),
        row("#####7", Source.HASH_MARK, "7"),
        row("\\boxed{3}\n#### 4", Source.HASH_MARK, "3", "4"),
        row("#### 7 #### 8", Source.HASH_MARK, "7", "8"),
        row("#### 7\n#### 7", Source.HASH_MARK, "7"),
        row("#### 4\n\n\\boxed{3}", Source.BOXED, "4", "3"),
        row("#### \nnothing", Source.NONE),
        row("#### .", Source.NONE),
        row("\\boxed{#### 5}", Source.BOXED, "#### 5"),
        row("\\boxed{$ $}", Source.NONE),
        row("\\boxed{3} \\boxed{.}", Source.BOXED, "3"),
        // phrases
        row("The answer is 5.", Source.PHRASE, "5"),
        row("So the final answer is $\\frac{1}{2}$.", Source.PHRASE, "\\frac{1}{2}"),
        row("Therefore, the answer is: 3.5. Done", Source.PHRASE, "3.5"),
        row("The answer is \\(x = 2\\).", Source.PHRASE, "x = 2"),
        row("The answer is \\[ 7 \\]", Source.PHRASE, "7"),
        row("THE ANSWER IS 8", Source.PHRASE, "8"),
        row("The answer is $3.$\nNext", Source.PHRASE, "3"),
        row("The answer is $3.5$ by the way", Source.PHRASE, "$3.5$ by the way"),
        row("The answer is \\frac{1.5}{2}. More text.", Source.PHRASE, "\\frac{1.5}{2}"),
        row("The answer is 5, since 2+3 = 5.", Source.PHRASE, "5"),
        row("The answer is 18, because 3 × 6 = 18.", Source.PHRASE, "18"),
        row("The answer is \\{1, 2\\}, as both solve it", Source.PHRASE, "\\{1, 2\\}"),
        row("I think the answer is 4.\nActually the answer is 5.", Source.PHRASE, "4", "5"),
        row("The answer is 4. The answer is 5.", Source.PHRASE, "4", "5"),
        row("The answer is 4. So the answer is 4.", Source.PHRASE, "4"),
        row("The answer is 4, the final answer is 4", Source.PHRASE, "4"),
        row("the answer isn't obvious", Source.NONE),
        row("Another answer is 5.", Source.NONE),
        row("The answer is .", Source.NONE));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("extractions")
  void extractsTheFinalAnswer(String response, Source source, List<String> candidates) {
    Extraction extraction = AnswerExtractor.extract(response);

    assertEquals(candidates, extraction.candidates(), "candidates");
    assertEquals(source, extraction.source(), "source");
    if (candidates.isEmpty()) {
      assertNull(extraction.answer());
      assertFalse(extraction.found());
      assertTrue(extraction.problem().startsWith("no answer found"), extraction.problem());
    } else {
      assertEquals(candidates.get(candidates.size() - 1), extraction.answer(), "chosen = last");
      assertNull(extraction.problem());
    }
  }

  @Test
  void nullIsNoAnswer() {
    assertEquals("no answer found", AnswerExtractor.extract(null).problem());
  }

  @Test
  void unclosedBoxSaysSo() {
    assertEquals(
        "no answer found (unclosed \\boxed)", AnswerExtractor.extract("\\boxed{5").problem());
  }

  @Test
  void longResponsesAreCutFromTheFront() {
    String longTail = "x".repeat(300_000) + "\\boxed{1}";
    assertEquals("1", AnswerExtractor.extract(longTail).answer());

    // the box falls in the dropped head, so it is not seen
    String longHead = "\\boxed{1}" + "x".repeat(300_000);
    assertNull(AnswerExtractor.extract(longHead).answer());
  }

  @Test
  void tooManyBoxesAreCappedAndTheLastIsKept() {
    StringBuilder response = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      response.append("\\boxed{").append(i).append("} ");
    }
    Extraction extraction = AnswerExtractor.extract(response.toString());

    assertTrue(extraction.tooManyCandidates());
    assertEquals(AnswerExtractor.MAX_CANDIDATES, extraction.candidates().size());
    assertEquals("40", extraction.answer());
  }

  @Test
  void hostileInputsAreLinear() {
    // each would be quadratic or worse for a naive backtracking or re-scanning extractor
    List<String> hostile =
        List.of(
            "\\boxed{".repeat(100_000),
            "\\boxed{" + "{".repeat(150_000) + "}".repeat(40_000),
            "\\boxed{\\boxed{".repeat(20_000) + "}".repeat(40_000),
            "the answer is ".repeat(15_000),
            "#### \n".repeat(40_000),
            "\\\\".repeat(100_000),
            "\\boxed{1}\n".repeat(20_000),
            "<answer>".repeat(25_000));
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          for (String response : hostile) {
            AnswerExtractor.extract(response);
          }
        });
  }

  @Test
  void deeplyNestedBoxesAreUnwrappedOnlyABoundedNumberOfLayers() {
    String nested = "\\boxed{".repeat(50) + "5" + "}".repeat(50);
    Extraction extraction = AnswerExtractor.extract(nested);

    // the remaining wrappers make it unparseable, which is the right verdict for such spam
    assertTrue(extraction.answer().endsWith("5" + "}".repeat(41)), extraction.answer());
  }
}
