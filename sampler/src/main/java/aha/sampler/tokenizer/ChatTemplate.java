package aha.sampler.tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The lab's chat format, the one from the seed talk:
 *
 * <pre>{@code
 * <|im_start|>system<|im_sep|>Think step by step inside ...<|im_end|>
 * <|im_start|>user<|im_sep|>What is 2 + 3?<|im_end|>
 * <|im_start|>assistant<|im_sep|><think>2 + 3 = 5</think><answer>5</answer><|im_end|>
 * }</pre>
 *
 * <p>(one line: the breaks above are for reading; turns follow each other with no separator.)
 *
 * <p>The assistant answers as {@code <think>…</think><answer>…</answer>}. A prompt is the
 * conversation so far plus the open assistant header {@code <|im_start|>assistant<|im_sep|>};
 * generation stops at {@code <|im_end|>}. {@code <|endoftext|>} separates documents in pretraining
 * data.
 *
 * <p>Every control and format tag is one token. The control tokens are special (left out by {@code
 * decode(ids, true)}); the four format tags are plain added tokens, so they survive that decode and
 * the format reward sees them. Single ids make the format cheap to learn: one token to emit, not a
 * spelling of {@code <}, {@code think}, {@code >}.
 *
 * <p>Because every turn boundary is a special token, the ids of a prompt are a prefix of the ids of
 * the conversation that continues it.
 */
public final class ChatTemplate {

  public static final String END_OF_TEXT = "<|endoftext|>";
  public static final String IM_START = "<|im_start|>";
  public static final String IM_SEP = "<|im_sep|>";
  public static final String IM_END = "<|im_end|>";
  public static final String THINK_START = "<think>";
  public static final String THINK_END = "</think>";
  public static final String ANSWER_START = "<answer>";
  public static final String ANSWER_END = "</answer>";

  /** A calculator call the policy writes: {@code <calc>37 * 6</calc>}. */
  public static final String CALC_START = "<calc>";

  public static final String CALC_END = "</calc>";

  /** The calculator's answer, which the environment writes after a call: {@code <result>222</result>}. */
  public static final String RESULT_START = "<result>";

  public static final String RESULT_END = "</result>";

  /**
   * The tool tags: plain added tokens after the format tokens (ids 8–11) in a tokenizer trained for
   * tool use ({@link BpeTrainer#withChatTokens(int, boolean)}); absent otherwise.
   */
  public static final List<String> TOOL_TOKENS = List.of(CALC_START, CALC_END, RESULT_START, RESULT_END);

  /** The special tokens, in id order of a tokenizer from {@link BpeTrainer#withChatTokens}. */
  public static final List<String> CONTROL_TOKENS = List.of(END_OF_TEXT, IM_START, IM_SEP, IM_END);

  /** The answer-format tags: single tokens, but not special. */
  public static final List<String> FORMAT_TOKENS =
      List.of(THINK_START, THINK_END, ANSWER_START, ANSWER_END);

  /** The system prompt of the lab's reasoning task. */
  public static final String DEFAULT_SYSTEM_PROMPT =
      "Think step by step inside <think></think>, then give the final answer inside"
          + " <answer></answer>.";

  private final Tokenizer tokenizer;
  private final int imStart;
  private final int imSep;
  private final int imEnd;
  private final int endOfText;
  private final int resultStart; // -1: a tokenizer without tool tags
  private final int resultEnd;
  private final UnaryOperator<String> tool; // null: none
  private final int[] assistantRole;

  /**
   * Binds the template to a tokenizer, for token-level work.
   *
   * @throws IllegalArgumentException if a control or format token is not a single added token
   */
  public ChatTemplate(Tokenizer tokenizer) {
    this(tokenizer, null);
  }

  /**
   * Binds the template to a tokenizer and a tool that a generated turn may call ({@code
   * <calc>...</calc>}, see {@code aha.sampler.generate.ToolUse}), used only when the tokenizer has
   * the tool tags ({@link #hasTools}).
   *
   * @param tool a call's text to its answer's text, never throwing; null for none
   * @throws IllegalArgumentException if a control or format token is not a single added token
   */
  public ChatTemplate(Tokenizer tokenizer, UnaryOperator<String> tool) {
    this.tokenizer = tokenizer;
    this.tool = tool;
    this.imStart = tokenizer.tokenId(IM_START);
    this.imSep = tokenizer.tokenId(IM_SEP);
    this.imEnd = tokenizer.tokenId(IM_END);
    this.endOfText = tokenizer.tokenId(END_OF_TEXT);
    for (String tag : FORMAT_TOKENS) {
      tokenizer.tokenId(tag);
    }
    boolean tools = TOOL_TOKENS.stream().allMatch(tokenizer::hasToken);
    this.resultStart = tools ? tokenizer.tokenId(RESULT_START) : -1;
    this.resultEnd = tools ? tokenizer.tokenId(RESULT_END) : -1;
    this.assistantRole = tokenizer.encode(Message.ASSISTANT);
  }

  /** The text of a whole conversation, every turn closed by {@code <|im_end|>}. */
  public static String render(List<Message> conversation) {
    StringBuilder out = new StringBuilder();
    for (Message message : conversation) {
      header(out, message.role()).append(message.content()).append(IM_END);
    }
    return out.toString();
  }

  /**
   * The text to generate the next assistant turn from: the conversation and the open assistant
   * header.
   */
  public static String renderPrompt(List<Message> conversation) {
    StringBuilder out = new StringBuilder(render(conversation));
    return header(out, Message.ASSISTANT).toString();
  }

  /**
   * The conversation that asks the lab's reasoning task: default system prompt, then the question.
   */
  public static List<Message> reasoningConversation(String question) {
    return List.of(Message.system(DEFAULT_SYSTEM_PROMPT), Message.user(question));
  }

  /**
   * Assistant content in the answer format: {@code
   * <think>reasoning</think><answer>answer</answer>}.
   */
  public static String assistantContent(String reasoning, String answer) {
    return THINK_START + reasoning + THINK_END + ANSWER_START + answer + ANSWER_END;
  }

  private static StringBuilder header(StringBuilder out, String role) {
    return out.append(IM_START).append(role).append(IM_SEP);
  }

  /** The token ids of {@link #render}. */
  public int[] encode(List<Message> conversation) {
    return tokenizer.encode(render(conversation));
  }

  /** The token ids of {@link #renderPrompt}. */
  public int[] encodePrompt(List<Message> conversation) {
    return tokenizer.encode(renderPrompt(conversation));
  }

  /**
   * Which tokens of a rendered conversation the assistant wrote: the content of each assistant turn
   * and the {@code <|im_end|>} closing it (the model must learn to stop), but not the {@code
   * <|im_start|>assistant<|im_sep|>} header, which the prompt supplies, nor a tool's answers
   * inside the turn ({@code <result>} through {@code </result>}, which the environment writes). A
   * turn cut off before its {@code <|im_end|>} counts to the end. This is the SFT loss mask.
   */
  public boolean[] assistantMask(int[] ids) {
    boolean[] mask = new boolean[ids.length];
    int i = 0;
    while (i < ids.length) {
      if (ids[i] != imStart) {
        i++;
        continue;
      }
      int sep = i + 1;
      while (sep < ids.length && ids[sep] != imSep && ids[sep] != imStart) {
        sep++;
      }
      if (sep >= ids.length || ids[sep] != imSep) {
        i = sep; // a header with no separator: not a turn
        continue;
      }
      boolean assistant = Arrays.equals(ids, i + 1, sep, assistantRole, 0, assistantRole.length);
      int end = sep + 1;
      while (end < ids.length && ids[end] != imEnd && ids[end] != imStart) {
        end++;
      }
      int last = end < ids.length && ids[end] == imEnd ? end : end - 1; // include the closing token
      if (assistant) {
        Arrays.fill(mask, sep + 1, last + 1, true);
        clearToolAnswers(ids, mask, sep + 1, last + 1);
      }
      i = last + 1;
    }
    return mask;
  }

  /** Whether the tokenizer has the tool tags ({@link #TOOL_TOKENS}). */
  public boolean hasTools() {
    return resultStart >= 0;
  }

  /** The tool a generated turn may call, or null; it is called only when {@link #hasTools}. */
  public UnaryOperator<String> tool() {
    return tool;
  }

  /** Clears the mask over each {@code <result>...</result>} span in [from, to), tags included. */
  private void clearToolAnswers(int[] ids, boolean[] mask, int from, int to) {
    if (resultStart < 0) {
      return;
    }
    int openedAt = -1;
    for (int j = from; j < to; j++) {
      if (ids[j] == resultStart) {
        openedAt = j;
      } else if (ids[j] == resultEnd && openedAt >= 0) {
        Arrays.fill(mask, openedAt, j + 1, false);
        openedAt = -1;
      }
    }
    if (openedAt >= 0) {
      Arrays.fill(mask, openedAt, to, false); // an answer cut off: the environment's to the end
    }
  }

  /**
   * The text of a generated assistant turn, as the verifier reads it: format tags such as {@code
   * <think>} kept, the closing {@code <|im_end|>} (or {@code <|endoftext|>}) that stopped it dropped.
   */
  public String completionText(int[] completion) {
    int length = completion.length;
    if (length > 0 && (completion[length - 1] == imEnd || completion[length - 1] == endOfText)) {
      length--;
    }
    return tokenizer.decode(Arrays.copyOf(completion, length), false);
  }

  /** The ids that end a generated turn: {@code <|im_end|>} and {@code <|endoftext|>}. */
  public int[] stopTokenIds() {
    return new int[] {imEnd, endOfText};
  }

  /** The id of {@code <|im_end|>}, where generation of a turn stops. */
  public int imEndId() {
    return imEnd;
  }

  /** The id of {@code <|endoftext|>}, the document separator. */
  public int endOfTextId() {
    return endOfText;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }
}
