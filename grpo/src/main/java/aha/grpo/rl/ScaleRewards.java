package aha.grpo.rl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the centred rewards are divided by when they become advantages. */
public enum ScaleRewards {
  /** The standard deviation of the problem's own group (the GRPO paper). */
  GROUP,
  /** One standard deviation over the whole batch (less noisy for small groups). */
  BATCH,
  /** Nothing: advantages are rewards minus the group mean (Dr. GRPO). */
  NONE;

  /**
   * The name in config files and JSON (Jackson writes and reads it): {@code group}, {@code batch}, {@code none}.
   */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a wire name.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  @JsonCreator
  public static ScaleRewards fromWire(String text) {
    for (ScaleRewards value : values()) {
      if (value.wireName().equals(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "unknown scale_rewards '"
            + text
            + "' (expected one of "
            + Arrays.stream(values()).map(ScaleRewards::wireName).collect(Collectors.joining(", "))
            + ")");
  }
}
