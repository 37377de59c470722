package aha.sampler.tokenizer;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One turn of a conversation.
 *
 * @param role who speaks: {@link #SYSTEM}, {@link #USER}, {@link #ASSISTANT} (lower-case letters
 *     and underscores; other roles render the same way but are never trained on)
 * @param content the turn's text; it may hold {@code <think>}/{@code <answer>} tags but none of the
 *     chat control tokens, which would let content forge a turn boundary
 */
public record Message(String role, String content) {

  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  private static final Pattern ROLE = Pattern.compile("[a-z][a-z_]*");

  public Message {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
    if (!ROLE.matcher(role).matches()) {
      throw new IllegalArgumentException(
          "role must be lower-case letters and underscores, got '" + role + "'");
    }
    for (String control : ChatTemplate.CONTROL_TOKENS) {
      if (content.contains(control)) {
        throw new IllegalArgumentException(
            role + " content contains the control token " + control + ": " + abbreviate(content));
      }
    }
  }

  public static Message system(String content) {
    return new Message(SYSTEM, content);
  }

  public static Message user(String content) {
    return new Message(USER, content);
  }

  public static Message assistant(String content) {
    return new Message(ASSISTANT, content);
  }

  /**
   * An assistant turn in the lab's answer format: {@code
   * <think>reasoning</think><answer>answer</answer>}.
   */
  public static Message assistant(String reasoning, String answer) {
    return new Message(ASSISTANT, ChatTemplate.assistantContent(reasoning, answer));
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
