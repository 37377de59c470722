package aha.problems.gen;

import java.util.List;

/**
 * SplitMix64, written out here so that a seed gives the same problems on every JDK: the bounded
 * methods of {@link java.util.SplittableRandom} are not specified and have changed between releases.
 */
final class Rng {
  private long state;

  Rng(long seed) {
    this.state = seed;
  }

  long nextLong() {
    state += Seeds.GOLDEN;
    return Seeds.mix(state);
  }

  /** Uniform in [0, bound), without modulo bias. */
  int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
    long r;
    do {
      r = nextLong() >>> 1;
    } while (r >= limit);
    return (int) (r % bound);
  }

  /** Uniform in [lo, hi], both ends included. */
  int between(int lo, int hi) {
    if (hi < lo) {
      throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
    }
    return lo + nextInt(hi - lo + 1);
  }

  /** Uniform among the integers with exactly {@code digits} decimal digits (1 to 9); one digit means 1-9. */
  int digits(int digits) {
    int lo = 1;
    for (int i = 1; i < digits; i++) {
      lo *= 10;
    }
    return between(lo, lo * 10 - 1);
  }

  /** True with probability {@code p}. */
  boolean chance(double p) {
    return nextUnit() < p;
  }

  <T> T pick(List<T> items) {
    return items.get(nextInt(items.size()));
  }

  @SafeVarargs
  final <T> T pick(T... items) {
    return items[nextInt(items.length)];
  }

  /** Uniform in [0, 1) with 53 random bits. */
  double nextUnit() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Fisher-Yates, in place. */
  <T> void shuffle(List<T> items) {
    for (int i = items.size() - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      T t = items.get(i);
      items.set(i, items.get(j));
      items.set(j, t);
    }
  }
}
