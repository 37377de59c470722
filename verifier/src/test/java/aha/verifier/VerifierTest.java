package aha.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End-to-end verdicts with the real comparator from {@code aha.verifier.math}: whole responses as
 * models write them, golds as problem sets write them.
 */
class VerifierTest {
  private static final Verifier VERIFIER = new Verifier(VerifierConfig.defaults());

  /** Hostile rows must be judged well inside the work budget plus slack for a noisy machine. */
  private static final long MAX_VERDICT_MILLIS = 250;

  private static Arguments right(String response, String gold, AnswerKind kind) {
    return Arguments.of(response, gold, kind, true);
  }

  private static Arguments wrong(String response, String gold, AnswerKind kind) {
    return Arguments.of(response, gold, kind, false);
  }

  static Stream<Arguments> verdicts() {
    return Stream.of(
        // plain numbers
        right("The answer is \\boxed{1234}.", "1234", AnswerKind.NUMERIC),
        right("The answer is \\boxed{1234}.", "1234", null),
        wrong("The answer is \\boxed{1235}.", "1234", AnswerKind.NUMERIC),
        right("<think>2+2</think>\n<answer>4</answer>", "4", AnswerKind.NUMERIC),
        right("He pays 3*4 = <<3*4=12>>12 dollars.\n#### 12", "12", AnswerKind.NUMERIC),
        right("So the final answer is $-7$.", "-7", AnswerKind.NUMERIC),
        right("\\boxed{2.50}", "2.5", AnswerKind.NUMERIC),
        right("\\boxed{0.5}", "\\frac{1}{2}", AnswerKind.NUMERIC),
        right("\\boxed{\\frac12}", "0.5", AnswerKind.NUMERIC),
        right("\\boxed{\\dfrac{6}{8}}", "3/4", AnswerKind.NUMERIC),
        wrong("\\boxed{0.33}", "\\frac{1}{3}", AnswerKind.NUMERIC),
        // expressions and structures
        right("\\boxed{2\\sqrt{3}}", "2\\sqrt{3}", AnswerKind.EXPRESSION),
        right("\\boxed{x^2+2x+1}", "(x+1)^2", AnswerKind.EXPRESSION),
        wrong("\\boxed{x^2+1}", "(x+1)^2", AnswerKind.EXPRESSION),
        right("\\boxed{\\{3, 1, 2\\}}", "\\{1, 2, 3\\}", AnswerKind.SET),
        wrong("\\boxed{\\{1, 2\\}}", "\\{1, 2, 3\\}", AnswerKind.SET),
        right("\\boxed{(1, 2)}", "(1,2)", AnswerKind.TUPLE),
        wrong("\\boxed{(2, 1)}", "(1,2)", AnswerKind.TUPLE),
        right("\\boxed{[0, 1)}", "[0,1)", AnswerKind.INTERVAL),
        wrong("\\boxed{(0, 1)}", "[0,1)", AnswerKind.INTERVAL),
        right("\\boxed{y = 2x + 1}", "y=2x+1", AnswerKind.EQUATION),
        right("\\boxed{B}", "B", AnswerKind.CHOICE),
        wrong("\\boxed{C}", "B", AnswerKind.CHOICE),
        right("\\boxed{x = 2}", "2", AnswerKind.NUMERIC),
        // countdown
        right(
            "<think>28*4</think>\n<answer>(25+3)*4</answer>",
            "112 from [3, 4, 25]",
            AnswerKind.COUNTDOWN),
        wrong(
            "<think>103</think>\n<answer>25*4+3</answer>",
            "112 from [3, 4, 25]",
            AnswerKind.COUNTDOWN),
        wrong(
            "<think>x</think>\n<answer>5*5-1</answer>",
            "24 from [1, 3, 5, 7]",
            AnswerKind.COUNTDOWN),
        // strictness with real equivalence
        wrong("\\boxed{2} or \\boxed{3}", "2", AnswerKind.NUMERIC),
        right("\\boxed{2} or equivalently \\boxed{\\frac{4}{2}}", "2", AnswerKind.NUMERIC),
        wrong("\\boxed{2, 3}", "2", AnswerKind.NUMERIC),
        wrong("#### 2, 3", "2", AnswerKind.NUMERIC),
        wrong("\\boxed{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}", "7", AnswerKind.NUMERIC),
        wrong("\\boxed{0123456789}", "7", AnswerKind.NUMERIC),
        wrong("<answer>2 or 3</answer>", "3", AnswerKind.NUMERIC),
        // two boxes that differ state two final answers, in one paragraph or two
        wrong(
            "I first thought \\boxed{3}.\n\nWait, let me check again. \\boxed{4}",
            "4", AnswerKind.NUMERIC),
        wrong("\\boxed{4}. The answer is 5.", "4", AnswerKind.NUMERIC),
        wrong("<think>x</think><answer>4</answer><answer>5</answer>", "5", AnswerKind.NUMERIC),
        wrong("#### 7 #### 8", "8", AnswerKind.NUMERIC),
        // words in \\text{}: units go, words that change the value void the answer
        right("\\boxed{10\\text{ cm}}", "10", AnswerKind.NUMERIC),
        right("\\boxed{5\\mathrm{~kg}}", "5", AnswerKind.NUMERIC),
        right("\\boxed{3\\text{ m/s}}", "3", AnswerKind.NUMERIC),
        right("\\boxed{12\\text{ apples}}", "12", AnswerKind.NUMERIC),
        right("\\boxed{5\\text{ square meters}}", "5", AnswerKind.NUMERIC),
        right("\\boxed{7\\text{ meters per second}}", "7", AnswerKind.NUMERIC),
        right("\\boxed{5\\text{ percent}}", "5\\%", AnswerKind.NUMERIC),
        wrong("\\boxed{\\text{not } 5}", "5", AnswerKind.NUMERIC),
        wrong("\\boxed{5\\text{ or six}}", "5", AnswerKind.NUMERIC),
        wrong("\\boxed{7\\text{ hundred}}", "7", AnswerKind.NUMERIC),
        wrong("\\boxed{3\\text{ squared}}", "3", AnswerKind.NUMERIC),
        wrong("\\boxed{\\text{at least } 10}", "10", AnswerKind.NUMERIC),
        wrong("The answer is 7 hundred.", "7", AnswerKind.NUMERIC),
        // degrees are converted inside trigonometric functions, dropped elsewhere
        right("\\boxed{\\cos 60^\\circ}", "\\frac{1}{2}", AnswerKind.EXPRESSION),
        right("\\boxed{\\sin(30^{\\circ})}", "0.5", AnswerKind.NUMERIC),
        right("\\boxed{2\\tan 45°}", "2", AnswerKind.NUMERIC),
        wrong("\\boxed{\\cos 60^\\circ}", "\\cos 60", AnswerKind.EXPRESSION),
        right("\\boxed{30^\\circ}", "30", AnswerKind.NUMERIC),
        // intervals keep their brackets; a pair in parentheses is written in parentheses
        wrong("\\boxed{[0, 1]}", "(0, 1)", null),
        wrong("\\boxed{(0, 1]}", "(0, 1)", null),
        wrong("\\boxed{[0, 1)}", "(0, 1)", AnswerKind.TUPLE),
        right("\\boxed{(0, 1)}", "(0, 1)", null),
        wrong("\\boxed{(0, 1)}", "[0, 1]", null),
        right("\\boxed{[1, 2, 3]}", "(1, 2, 3)", AnswerKind.TUPLE),
        // coverage: spacing inside numbers, a function's value, an answer with its reason
        right("\\boxed{1\\!000}", "1000", AnswerKind.NUMERIC),
        right("\\boxed{12\\,345}", "12345", AnswerKind.NUMERIC),
        right("\\boxed{g(2)=7}", "7", AnswerKind.NUMERIC),
        right("\\boxed{f(1, 2) = 3}", "3", AnswerKind.NUMERIC),
        wrong("\\boxed{g(2)=7}", "2", AnswerKind.NUMERIC),
        right("The answer is 18, because 3 \\times 6 = 18.", "18", AnswerKind.NUMERIC),
        // a gold with a plus-minus is the set of its two values
        right("\\boxed{5, -5}", "\\pm 5", null),
        right("\\boxed{-5, 5}", "\\pm 5", null),
        right("\\boxed{\\pm 5}", "\\pm 5", null),
        right("\\boxed{\\pm 3}", "\\mp 3", null),
        right("\\boxed{1+\\sqrt{2}, 1-\\sqrt{2}}", "1 \\pm \\sqrt{2}", null),
        wrong("\\boxed{5}", "\\pm 5", null),
        // logarithms, inverse and reciprocal trigonometry, floor and ceiling, max, min, gcd, lcm
        right("\\boxed{\\log_2 8}", "3", AnswerKind.NUMERIC),
        right("\\boxed{\\log_{3} 81}", "4", AnswerKind.NUMERIC),
        right("\\boxed{\\log 1000}", "3", AnswerKind.NUMERIC),
        right("\\boxed{\\ln e^2}", "2", AnswerKind.NUMERIC),
        right("\\boxed{\\arctan 1}", "\\frac{\\pi}{4}", AnswerKind.EXPRESSION),
        right("\\boxed{\\arcsin(1/2)}", "\\frac{\\pi}{6}", AnswerKind.EXPRESSION),
        right("\\boxed{\\arccos 0}", "\\frac{\\pi}{2}", AnswerKind.EXPRESSION),
        right("\\boxed{\\arctan(-3)}", "-\\arctan 3", AnswerKind.EXPRESSION),
        right("\\boxed{\\sec 0}", "1", AnswerKind.NUMERIC),
        right("\\boxed{\\cot(\\pi/4)}", "1", AnswerKind.NUMERIC),
        right("\\boxed{\\csc(\\pi/6)}", "2", AnswerKind.NUMERIC),
        right("\\boxed{\\lfloor 3.7 \\rfloor}", "3", AnswerKind.NUMERIC),
        right("\\boxed{\\lceil 3.2 \\rceil}", "4", AnswerKind.NUMERIC),
        right("\\boxed{\\max(1, 5, 3)}", "5", AnswerKind.NUMERIC),
        right("\\boxed{\\min(2, 7)}", "2", AnswerKind.NUMERIC),
        right("\\boxed{\\gcd(12, 18)}", "6", AnswerKind.NUMERIC),
        right("\\boxed{\\operatorname{lcm}(4, 6)}", "12", AnswerKind.NUMERIC),
        wrong("\\boxed{\\log_2 8}", "4", AnswerKind.NUMERIC),
        wrong("\\boxed{\\arcsin 2}", "1", AnswerKind.NUMERIC),
        // repeating decimals are exact fractions
        right("\\boxed{0.\\overline{27}}", "\\frac{3}{11}", AnswerKind.NUMERIC),
        right("\\boxed{1.2\\overline{3}}", "\\frac{37}{30}", AnswerKind.NUMERIC),
        right("\\boxed{0.\\overline{9}}", "1", AnswerKind.NUMERIC),
        wrong("\\boxed{0.\\overline{27}}", "0.27", AnswerKind.NUMERIC),
        // inequalities and set differences where an interval is asked for
        right("\\boxed{x \\ge -1}", "[-1, \\infty)", null),
        right("\\boxed{[-1, \\infty)}", "x \\geq -1", null),
        wrong("\\boxed{x > -1}", "[-1, \\infty)", null),
        right("\\boxed{0 < x \\le 1}", "(0, 1]", AnswerKind.INTERVAL),
        right("\\boxed{x < 0 \\text{ or } x > 1}", "(-\\infty, 0) \\cup (1, \\infty)", null),
        right("\\boxed{\\mathbb{R}\\setminus\\{0\\}}", "(-\\infty, 0) \\cup (0, \\infty)", null),
        right("\\boxed{-2 \\le x}", "[-2, \\infty)", null),
        wrong("\\boxed{x \\le 1}", "(0, 1]", AnswerKind.INTERVAL),
        // matrices and vectors are tuples of rows
        right("\\boxed{\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", null),
        right("\\boxed{\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", null),
        wrong("\\boxed{\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", null),
        right("\\boxed{\\begin{pmatrix} 1 \\\\ \\frac{1}{2} \\end{pmatrix}}", "\\begin{pmatrix}1\\\\0.5\\end{pmatrix}", null),
        right("\\boxed{(1, 2, 3)}", "\\begin{pmatrix}1\\\\2\\\\3\\end{pmatrix}", null),
        // complex numbers: i is the imaginary unit when it is the only letter
        right("\\boxed{4i+3}", "3+4i", null),
        right("\\boxed{i^2}", "-1", AnswerKind.EXPRESSION),
        right("\\boxed{\\frac{1}{i}}", "-i", null),
        right("\\boxed{(1+i)^2}", "2i", null),
        right("\\boxed{\\frac{2+i}{1-i}}", "\\frac{1}{2}+\\frac{3}{2}i", null),
        wrong("\\boxed{3-4i}", "3+4i", null),
        // a choice names one option, with or without the kind given
        wrong("\\boxed{(B) or (C)}", "B", AnswerKind.CHOICE),
        wrong("\\boxed{(B) or (C)}", "B", null),
        wrong("<answer>(B) and (C)</answer>", "B", null),
        wrong("#### (B) or (C)", "B", AnswerKind.CHOICE),
        wrong("The answer is 4. The answer is 5.", "5", AnswerKind.NUMERIC),
        wrong("\\boxed{5} #### 4", "4", AnswerKind.NUMERIC),
        right("The answer is \\boxed{5}. Again, the answer is 5.", "5", AnswerKind.NUMERIC),
        right("<answer>5</answer> <answer>\\boxed{5.0}</answer>", "5", AnswerKind.NUMERIC),
        // no answer
        wrong("\\boxed{1234", "1234", AnswerKind.NUMERIC),
        wrong("The total is 1234", "1234", AnswerKind.NUMERIC),
        // hostile
        wrong("\\boxed{9^{9^{9^{9}}}}", "1", AnswerKind.NUMERIC),
        wrong("\\boxed{9^{9^{9^{9}}}}", "x", AnswerKind.EXPRESSION),
        wrong("\\boxed{" + "9".repeat(5_000) + "}", "9", AnswerKind.NUMERIC),
        wrong("\\boxed{100000!}", "1", AnswerKind.NUMERIC),
        wrong(
            "\\boxed{" + "(".repeat(2_000) + "1" + ")".repeat(2_000) + "}",
            "1",
            AnswerKind.NUMERIC),
        wrong(
            "\\boxed{" + "\\frac{1}{".repeat(300) + "2" + "}".repeat(300) + "}",
            "1",
            AnswerKind.NUMERIC),
        wrong("\\boxed{" + "1+".repeat(3_000) + "1}", "3001", AnswerKind.NUMERIC),
        wrong(
            "<answer>" + "(25+3)*4".repeat(500) + "</answer>",
            "112 from [3, 4, 25]",
            AnswerKind.COUNTDOWN),
        right(
            "step. ".repeat(200_000) + "\n\nThe answer is \\boxed{42}.", "42", AnswerKind.NUMERIC));
  }

  @ParameterizedTest(name = "[{index}] {1} ({2}) expect {3}")
  @MethodSource("verdicts")
  void judgesResponses(String response, String gold, AnswerKind kind, boolean correct) {
    long start = System.nanoTime();
    Verdict verdict = VERIFIER.verify(response, gold, kind);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(correct, verdict.correct(), verdict.reason());
    assertFalse(verdict.reason().startsWith("internal error"), verdict.reason());
    assertTrue(elapsedMillis < MAX_VERDICT_MILLIS, "took " + elapsedMillis + " ms");
  }

  @Test
  void correctVerdictsSayEquivalentAndCarryTheAnswer() {
    Verdict verdict =
        VERIFIER.verify("<think>a</think><answer>\\boxed{\\frac{1}{2}}</answer>", "0.5", null);

    assertTrue(verdict.correct(), verdict.reason());
    assertTrue(verdict.formatOk());
    assertEquals("\\frac{1}{2}", verdict.extracted());
    assertEquals(1.1, verdict.reward(), 1e-12);
  }

  @Test
  void isSafeToShareBetweenThreads() throws InterruptedException {
    int threads = 4;
    boolean[] allRight = new boolean[threads];
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int worker = t;
      workers[t] =
          new Thread(
              () -> {
                boolean ok = true;
                for (int i = 0; i < 2_000; i++) {
                  int answer = worker * 10_000 + i;
                  ok &= VERIFIER.verify("\\boxed{" + answer + "}", "" + answer, null).correct();
                  ok &=
                      !VERIFIER
                          .verify("\\boxed{" + answer + "}", "" + (answer + 1), null)
                          .correct();
                }
                allRight[worker] = ok;
              });
      workers[t].start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    for (boolean ok : allRight) {
      assertTrue(ok);
    }
  }
}
