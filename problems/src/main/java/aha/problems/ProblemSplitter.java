package aha.problems;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits problems into train and test parts, deterministically.
 *
 * <p>Each problem is assigned on its own: SHA-256 of the seed and the problem's id gives a number
 * {@code u} uniform in [0, 1), and the problem goes to test when {@code u < testFraction}. So:
 *
 * <ul>
 *   <li>the same ids and seed give the same split on every machine and JVM;
 *   <li>adding or removing problems never moves any other problem between parts, so a grown problem
 *       set keeps its old test problems in test;
 *   <li>raising the fraction only moves problems from train to test, never back;
 *   <li>problems that share an id (which a valid set has not) land in the same part, never leak.
 * </ul>
 *
 * <p>The price is that the test part's size is {@code testFraction × n} only on average (binomial
 * spread); a small set can even get an empty part. Each part keeps the input order.
 */
public final class ProblemSplitter {

  /**
   * The two parts of a split, each in input order.
   *
   * @param train the problems not chosen for test
   * @param test the problems chosen for test
   */
  public record Split(List<Problem> train, List<Problem> test) {
    public Split {
      train = List.copyOf(train);
      test = List.copyOf(test);
    }
  }

  private ProblemSplitter() {}

  /**
   * Splits {@code problems} so that each goes to test with probability {@code testFraction}.
   *
   * @throws IllegalArgumentException when {@code testFraction} is not strictly between 0 and 1, or
   *     a problem has no id
   */
  public static Split split(List<Problem> problems, double testFraction, long seed) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException(
          "test fraction must be strictly between 0 and 1 (e.g. 0.1 for 10%), got " + testFraction);
    }
    List<Problem> train = new ArrayList<>();
    List<Problem> test = new ArrayList<>();
    for (Problem problem : problems) {
      if (problem.id() == null) {
        throw new IllegalArgumentException("cannot split a problem without an id: " + problem);
      }
      (position(problem.id(), seed) < testFraction ? test : train).add(problem);
    }
    return new Split(train, test);
  }

  /** Where {@code id} falls in [0, 1) under {@code seed}; uniform over ids. */
  static double position(String id, long seed) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
    sha256.update(id.getBytes(StandardCharsets.UTF_8));
    long bits = ByteBuffer.wrap(sha256.digest()).getLong();
    return (bits >>> 11) * 0x1.0p-53;
  }
}
