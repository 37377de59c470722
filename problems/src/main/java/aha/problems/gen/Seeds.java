package aha.problems.gen;

import java.nio.charset.StandardCharsets;

/**
 * Derives per-problem seeds. Problem {@code i} of a generated set gets a seed that depends only on
 * (run seed, family, difficulty, i), so that its {@code meta.seed} regenerates exactly that problem
 * and adding problems to a set never changes the ones before them.
 */
final class Seeds {
  static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /** The murmur3 / SplitMix64 finalizer: a bijection on longs that spreads every input bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The seed of problem {@code index} of family {@code family} at {@code difficulty} in run {@code runSeed}. */
  static long problem(long runSeed, String family, int difficulty, int index) {
    long h = mix(runSeed + GOLDEN);
    h = mix(h ^ fnv64(family));
    h = mix(h + difficulty * GOLDEN);
    return mix(h + (long) index * GOLDEN);
  }

  /** The seed of retry {@code attempt} after a duplicate question; attempt 0 is the seed itself. */
  static long attempt(long problemSeed, int attempt) {
    return attempt == 0 ? problemSeed : mix(problemSeed ^ mix(attempt * GOLDEN));
  }

  /** A seed for a named stream within a run (for example the curriculum's shuffle). */
  static long stream(long runSeed, String name) {
    return mix(mix(runSeed + GOLDEN) ^ fnv64(name));
  }

  /** FNV-1a over UTF-8: a fixed, documented hash, so family names mix in the same way everywhere. */
  static long fnv64(String text) {
    long h = 0xCBF29CE484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xFF);
      h *= 0x100000001B3L;
    }
    return h;
  }
}
