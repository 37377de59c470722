package aha.grpo.train;

/**
 * One training batch of next-token prediction, row-major: {@code targets[i]} is the token to
 * predict after reading {@code inputs[0..i]} of its row, and {@code mask[i]} (0 or 1) whether that
 * prediction counts in the loss.
 *
 * @param rows B
 * @param length T, tokens per row
 * @param inputs (B, T) token ids
 * @param targets (B, T) token ids
 * @param mask (B, T) loss weights
 */
public record Batch(int rows, int length, long[] inputs, long[] targets, float[] mask) {

  public Batch {
    int size = rows * length;
    if (rows < 1 || length < 1 || inputs.length != size || targets.length != size || mask.length != size) {
      throw new IllegalArgumentException(
          "a batch of " + rows + " x " + length + " needs arrays of " + size + " values");
    }
  }

  /** Predictions that count in the loss. */
  public int lossTokens() {
    int count = 0;
    for (float m : mask) {
      count += m > 0 ? 1 : 0;
    }
    return count;
  }
}
