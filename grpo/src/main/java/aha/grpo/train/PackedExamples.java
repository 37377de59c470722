package aha.grpo.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * SFT batches: whole examples (a rendered conversation and its loss mask) packed into rows of T +
 * 1 tokens. Each epoch shuffles the examples (seeded) and fills rows greedily in that order: a row
 * starts with an example, takes the following ones while they fit, and is padded with {@code pad}
 * tokens that count for nothing. No example is cut: make rows long enough, or leave the longest
 * examples out ({@link #fitting}).
 *
 * <p>Only predictions of tokens whose mask is set count: the target at position i is token i + 1,
 * so its weight is that token's mask.
 */
public final class PackedExamples implements Supplier<Batch> {

  /**
   * One training example.
   *
   * @param ids the tokens of the rendered conversation
   * @param mask which tokens the loss is on (the assistant's), same length
   */
  public record Example(int[] ids, boolean[] mask) {
    public Example {
      if (ids.length != mask.length) {
        throw new IllegalArgumentException(ids.length + " ids but " + mask.length + " mask values");
      }
    }
  }

  private final List<Example> examples;
  private final int rows;
  private final int length;
  private final int pad;
  private final SplittableRandom random;
  private final List<int[]> order = new ArrayList<>(); // row plans of this epoch: example indices
  private int next;

  /**
   * @throws IllegalArgumentException when there are no examples or one is longer than T + 1
   */
  public PackedExamples(List<Example> examples, int rows, int length, int pad, long seed) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no SFT examples");
    }
    for (Example example : examples) {
      if (example.ids().length > length + 1) {
        throw new IllegalArgumentException(
            "an SFT example has " + example.ids().length + " tokens, more than a row of " + (length + 1)
                + "; raise the sequence length");
      }
    }
    this.examples = List.copyOf(examples);
    this.rows = rows;
    this.length = length;
    this.pad = pad;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public Batch get() {
    List<int[]> plans = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      if (next == order.size()) {
        planEpoch();
      }
      plans.add(order.get(next++));
    }
    return pack(plans);
  }

  /** The examples that fit in a row of T + 1 tokens. */
  public static List<Example> fitting(List<Example> examples, int length) {
    return examples.stream().filter(e -> e.ids().length <= length + 1).toList();
  }

  /** Every example once, in order, packed: a fixed held-out set. */
  public static List<Batch> all(List<Example> examples, int rows, int length, int pad) {
    PackedExamples packer = new PackedExamples(examples, rows, length, pad, 0);
    List<int[]> plans = packer.plan(identity(examples.size()));
    List<Batch> batches = new ArrayList<>();
    for (int start = 0; start < plans.size(); start += rows) {
      List<int[]> chunk = new ArrayList<>(plans.subList(start, Math.min(plans.size(), start + rows)));
      while (chunk.size() < rows) {
        chunk.add(new int[0]); // an empty row: all padding, no loss
      }
      batches.add(packer.pack(chunk));
    }
    return batches;
  }

  private void planEpoch() {
    int[] indices = identity(examples.size());
    for (int i = indices.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
    order.clear();
    order.addAll(plan(indices));
    next = 0;
  }

  /** Greedy packing of examples, in the given order, into rows of T + 1 tokens. */
  private List<int[]> plan(int[] indices) {
    List<int[]> plans = new ArrayList<>();
    List<Integer> row = new ArrayList<>();
    int used = 0;
    for (int index : indices) {
      int size = examples.get(index).ids().length;
      if (used + size > length + 1 && !row.isEmpty()) {
        plans.add(row.stream().mapToInt(Integer::intValue).toArray());
        row.clear();
        used = 0;
      }
      row.add(index);
      used += size;
    }
    if (!row.isEmpty()) {
      plans.add(row.stream().mapToInt(Integer::intValue).toArray());
    }
    return plans;
  }

  private Batch pack(List<int[]> plans) {
    long[] inputs = new long[rows * length];
    long[] targets = new long[rows * length];
    float[] mask = new float[rows * length];
    int[] tokens = new int[length + 1];
    boolean[] counted = new boolean[length + 1];
    for (int r = 0; r < plans.size(); r++) {
      Arrays.fill(tokens, pad);
      Arrays.fill(counted, false);
      int at = 0;
      for (int index : plans.get(r)) {
        Example example = examples.get(index);
        System.arraycopy(example.ids(), 0, tokens, at, example.ids().length);
        System.arraycopy(example.mask(), 0, counted, at, example.mask().length);
        at += example.ids().length;
      }
      for (int i = 0; i < length; i++) {
        inputs[r * length + i] = tokens[i];
        targets[r * length + i] = tokens[i + 1];
        mask[r * length + i] = counted[i + 1] ? 1f : 0f;
      }
    }
    return new Batch(rows, length, inputs, targets, mask);
  }

  private static int[] identity(int n) {
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    return indices;
  }
}
