package aha.grpo.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Pretraining batches from one packed token stream (documents joined by {@code <|endoftext|>}):
 * each row is a window of T + 1 consecutive tokens, its first T the inputs and its last T the
 * targets, every position counted in the loss (nanoGPT's {@code get_batch}).
 */
public final class TokenWindows implements Supplier<Batch> {

  private final int[] stream;
  private final int rows;
  private final int length;
  private final SplittableRandom random;

  /**
   * Windows at seeded random offsets, for training.
   *
   * @throws IllegalArgumentException when the stream is shorter than one window
   */
  public TokenWindows(int[] stream, int rows, int length, long seed) {
    if (stream.length < length + 1) {
      throw new IllegalArgumentException(
          "the token stream has " + stream.length + " tokens, fewer than one window of " + (length + 1));
    }
    this.stream = stream;
    this.rows = rows;
    this.length = length;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public Batch get() {
    int[] starts = new int[rows];
    for (int r = 0; r < rows; r++) {
      starts[r] = random.nextInt(stream.length - length);
    }
    return window(stream, starts, length);
  }

  /**
   * Consecutive non-overlapping windows from the start of the stream, at most {@code maxBatches}
   * batches: a fixed held-out set.
   */
  public static List<Batch> sequential(int[] stream, int rows, int length, int maxBatches) {
    List<Batch> batches = new ArrayList<>();
    int start = 0;
    while (batches.size() < maxBatches && start + rows * length + 1 <= stream.length) {
      int[] starts = new int[rows];
      for (int r = 0; r < rows; r++) {
        starts[r] = start + r * length;
      }
      batches.add(window(stream, starts, length));
      start += rows * length;
    }
    return batches;
  }

  private static Batch window(int[] stream, int[] starts, int length) {
    int rows = starts.length;
    long[] inputs = new long[rows * length];
    long[] targets = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < length; i++) {
        inputs[r * length + i] = stream[starts[r] + i];
        targets[r * length + i] = stream[starts[r] + i + 1];
      }
    }
    float[] mask = new float[rows * length];
    Arrays.fill(mask, 1f);
    return new Batch(rows, length, inputs, targets, mask);
  }
}
