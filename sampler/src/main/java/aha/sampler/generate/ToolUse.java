package aha.sampler.generate;

import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import java.util.function.UnaryOperator;

/**
 * A tool the policy calls inside generation: it writes {@code <calc>expression</calc>}, and the
 * environment answers {@code <result>value</result>} right after, which the row then reads as
 * context (see {@link Generator}). The tool itself is a function from the call's text to its
 * answer's text, injected by the caller (the lab's calculator is the verifier's exact evaluator,
 * {@code aha.verifier.math.Calculator}); it must never throw, and answer something like {@code
 * error} for a call it cannot serve. Should it throw anyway, the answer is {@link #ERROR}.
 *
 * <p>Token-level: the call's tokens are decoded to text, the answer encoded, and wrapped in the
 * tokenizer's {@code <result>} and {@code </result>} tokens. The tags are plain added tokens of a
 * tokenizer trained for tools ({@link ChatTemplate#TOOL_TOKENS}).
 */
public final class ToolUse {

  /** The answer to a call whose tool failed. */
  public static final String ERROR = "error";

  private final Tokenizer tokenizer;
  private final UnaryOperator<String> tool;
  private final int callStart;
  private final int callEnd;
  private final int resultStart;
  private final int resultEnd;

  /**
   * @param tool the call's text (between the tags) to the answer's text
   * @throws IllegalArgumentException when the tokenizer lacks a tool tag
   */
  public ToolUse(Tokenizer tokenizer, UnaryOperator<String> tool) {
    this(
        tokenizer,
        tool,
        tokenizer.tokenId(ChatTemplate.CALC_START),
        tokenizer.tokenId(ChatTemplate.CALC_END),
        tokenizer.tokenId(ChatTemplate.RESULT_START),
        tokenizer.tokenId(ChatTemplate.RESULT_END));
  }

  /** With the tags given as ids, for tests on a model whose tokens have no meaning. */
  ToolUse(Tokenizer tokenizer, UnaryOperator<String> tool, int callStart, int callEnd, int resultStart, int resultEnd) {
    this.tokenizer = tokenizer;
    this.tool = tool;
    this.callStart = callStart;
    this.callEnd = callEnd;
    this.resultStart = resultStart;
    this.resultEnd = resultEnd;
  }

  int callStart() {
    return callStart;
  }

  int callEnd() {
    return callEnd;
  }

  /**
   * The tokens the environment writes after a call: {@code <result>}, the answer, {@code
   * </result>}.
   *
   * @param call the tokens between the call's tags
   */
  int[] answer(int[] call) {
    String answer;
    try {
      answer = tool.apply(tokenizer.decode(call, false).strip());
    } catch (RuntimeException e) {
      answer = ERROR; // a tool that throws is a tool that answered badly, never a failed batch
    }
    int[] value = tokenizer.encode(answer == null ? ERROR : answer);
    int[] out = new int[value.length + 2];
    out[0] = resultStart;
    System.arraycopy(value, 0, out, 1, value.length);
    out[out.length - 1] = resultEnd;
    return out;
  }
}
