package aha.sampler.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import aha.sampler.model.TestModels;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.MathCorpus;
import aha.sampler.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool calls inside generation, on a random model whose tokens mean nothing: the test picks two
 * ids the model is known to emit and names them the call's tags, so that a call happens where the
 * tool-less run says it will.
 */
class ToolUseTest {

  @TempDir static Path dir;

  private static Tokenizer tokenizer;
  private static NDManager manager;
  private static Transformer model;

  @BeforeAll
  static void load() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    BpeTrainer.withChatTokens(300, true).train(MathCorpus.lines(500, 1)).save(file);
    tokenizer = Tokenizer.load(file);
    manager = NDManager.newBaseManager();
    model = TestModels.randomized(TestModels.tiny(false, false).withVocabSize(tokenizer.vocabSize()), manager, 5);
  }

  @AfterAll
  static void close() {
    manager.close();
    tokenizer.close();
  }

  private static List<int[]> prompts() {
    List<int[]> prompts = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      prompts.add(TestModels.tokens(3 + r, tokenizer.vocabSize(), 10 + r));
    }
    return prompts;
  }

  @Test
  void aTokenizerTrainedForToolsHasTheTags() {
    assertTrue(new ChatTemplate(tokenizer).hasTools());
    assertEquals(ChatTemplate.TOOL_TOKENS, List.of(
        tokenizer.decode(new int[] {8}, false), tokenizer.decode(new int[] {9}, false),
        tokenizer.decode(new int[] {10}, false), tokenizer.decode(new int[] {11}, false)));
  }

  /**
   * A call is answered in its row only: that row is the same as without the tool up to and with
   * the call's closing tag, then holds the answer, marked injected with log-probability 0, and goes
   * on; every row without a call is the same as without the tool, token for token; and it all
   * repeats exactly.
   */
  @Test
  void aCallIsAnsweredInItsRowWhileTheOthersDecodeOn() {
    List<int[]> prompts = prompts();
    SamplingParams params = SamplingParams.sampled(1.0, 24, 3);
    List<Completion> plain;
    try (Generator generator = new Generator(model, new int[0])) {
      plain = generator.sample(prompts, params);
    }
    // tags: two ids that row 0 emits, each for the first time at its place
    int[] row = plain.get(0).tokens();
    int open = -1;
    int close = -1;
    for (int a = 1; a < 8 && close < 0; a++) {
      for (int e = a + 2; e < 14 && close < 0; e++) {
        if (row[a] != row[e] && firstAt(row, a) && firstAt(row, e)) {
          open = a;
          close = e;
        }
      }
    }
    assertTrue(close > 0, "no pair of tags in " + Arrays.toString(row));
    List<String> calls = new ArrayList<>();
    UnaryOperator<String> echo = call -> {
      calls.add(call);
      return "12";
    };
    ToolUse tools = new ToolUse(tokenizer, echo, row[open], row[close], 10, 11);
    List<Completion> withTool;
    List<Completion> again;
    try (Generator generator = new Generator(model, new int[0], tools)) {
      withTool = generator.sample(prompts, params);
      again = generator.sample(prompts, params);
    }

    assertEquals(withTool, again, "the same seed gives the same calls and answers");
    int[] called = withTool.get(0).tokens();
    assertArrayEquals(Arrays.copyOf(row, close + 1), Arrays.copyOf(called, close + 1), "the same up to the call");
    assertEquals(10, called[close + 1], "<result> right after the call");
    int end = close + 1 + (1 + tokenizer.encode("12").length + 1); // after <result>, the answer, </result>
    assertEquals(11, called[end - 1], "</result> closes the answer");
    for (int i = 0; i < called.length; i++) {
      boolean written = i > close && i < end;
      assertEquals(written, withTool.get(0).injected()[i], "token " + i);
      if (written) {
        assertEquals(0f, withTool.get(0).logprobs()[i]);
      }
    }
    assertTrue(called.length > end, "the row goes on after the answer");
    assertEquals(tokenizer.decode(Arrays.copyOfRange(row, open + 1, close), false).strip(), calls.get(0));
    // every row: the same as without the tool up to its first call, and throughout when it has none
    int untouched = 0;
    for (int r = 0; r < prompts.size(); r++) {
      int[] tokens = withTool.get(r).tokens();
      int firstClose = firstCallClose(tokens, row[open], row[close]);
      if (firstClose < 0) {
        untouched++;
        assertArrayEquals(plain.get(r).tokens(), tokens, "row " + r + " has no call");
        assertFalse(anyInjected(withTool.get(r)), "row " + r);
        assertArrayEquals(plain.get(r).logprobs(), withTool.get(r).logprobs(), 1e-6f, "row " + r);
      } else {
        assertArrayEquals(
            Arrays.copyOf(plain.get(r).tokens(), firstClose + 1), Arrays.copyOf(tokens, firstClose + 1), "row " + r);
      }
    }
    assertTrue(untouched >= 2, untouched + " rows without calls");
  }

  /** Where the first call of {@code tokens} closes, or -1. */
  private static int firstCallClose(int[] tokens, int open, int close) {
    boolean opened = false;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] == open) {
        opened = true;
      } else if (tokens[i] == close && opened) {
        return i;
      }
    }
    return -1;
  }

  /** A tool that throws answers "error" and the batch goes on. */
  @Test
  void aToolThatThrowsAnswersError() {
    ToolUse tools = new ToolUse(tokenizer, call -> { throw new IllegalStateException("boom"); }, 20, 21, 10, 11);
    int[] answer = tools.answer(new int[] {30, 31});
    assertEquals(10, answer[0]);
    assertEquals(11, answer[answer.length - 1]);
    assertEquals(ToolUse.ERROR, tokenizer.decode(Arrays.copyOfRange(answer, 1, answer.length - 1), false));
  }

  private static boolean firstAt(int[] tokens, int index) {
    for (int i = 0; i < index; i++) {
      if (tokens[i] == tokens[index]) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyInjected(Completion completion) {
    for (boolean injected : completion.injected()) {
      if (injected) {
        return true;
      }
    }
    return false;
  }
}
