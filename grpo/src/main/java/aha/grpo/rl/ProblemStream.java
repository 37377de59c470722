package aha.grpo.rl;

import aha.problems.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training problems in a seeded order, epoch after epoch, each epoch its own shuffle. The
 * {@link #cursor()} counts problems handed out so far; with the seed it fixes every later problem,
 * so a checkpoint stores one number and a resumed run reads the same problems.
 */
public final class ProblemStream {

  private final List<Problem> problems;
  private final long seed;
  private long cursor;
  private long shuffledEpoch = -1;
  private int[] order;

  /**
   * @throws IllegalArgumentException when {@code problems} is empty
   */
  public ProblemStream(List<Problem> problems, long seed) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no training problems");
    }
    this.problems = List.copyOf(problems);
    this.seed = seed;
  }

  /** The next {@code n} problems; an epoch boundary may fall inside them. */
  public List<Problem> next(int n) {
    List<Problem> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long epoch = cursor / problems.size();
      if (epoch != shuffledEpoch) {
        order = shuffle(problems.size(), new Random(seed * 1_000_003L + epoch));
        shuffledEpoch = epoch;
      }
      out.add(problems.get(order[(int) (cursor % problems.size())]));
      cursor++;
    }
    return out;
  }

  /** Problems handed out so far. */
  public long cursor() {
    return cursor;
  }

  /** Continues from a saved {@link #cursor()}. */
  public void seek(long newCursor) {
    if (newCursor < 0) {
      throw new IllegalArgumentException("cursor must be >= 0, got " + newCursor);
    }
    cursor = newCursor;
  }

  /** Problems in one epoch. */
  public int size() {
    return problems.size();
  }

  /** A Fisher–Yates permutation of 0..n-1. */
  private static int[] shuffle(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}
