package aha.grpo.rl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How token losses are averaged into the step's loss. With m the completion mask, ℓ the token loss,
 * B the sequences of the batch and L the max completion length:
 *
 * <ul>
 *   <li>{@code grpo}: mean over sequences of Σ_t m·ℓ / Σ_t m (each sequence weighs the same, so a
 *       long answer's tokens weigh less: the length bias Dr. GRPO points out);
 *   <li>{@code bnpo}: Σ m·ℓ / Σ m over the (micro-)batch (each token weighs the same);
 *   <li>{@code dr_grpo}: Σ m·ℓ / (B · L) (a constant normaliser, no length bias);
 *   <li>{@code dapo}: Σ m·ℓ / (tokens of the whole step, all micro-batches together).
 * </ul>
 */
public enum LossType {
  GRPO,
  BNPO,
  DR_GRPO,
  DAPO;

  /**
   * The name in config files and JSON (Jackson writes and reads it): {@code grpo}, {@code bnpo}, {@code dr_grpo}, {@code dapo}.
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
  public static LossType fromWire(String text) {
    for (LossType value : values()) {
      if (value.wireName().equals(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "unknown loss type '"
            + text
            + "' (expected one of "
            + Arrays.stream(values()).map(LossType::wireName).collect(Collectors.joining(", "))
            + ")");
  }
}
