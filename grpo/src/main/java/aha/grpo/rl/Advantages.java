package aha.grpo.rl;

import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/**
 * Group-relative advantages: A = (r − mean of the problem's group) / (std + eps), the std taken as
 * {@link ScaleRewards} says. Standard deviations are the sample (n − 1) ones, as PyTorch's and
 * TRL's; a group of one has std 0.
 */
public final class Advantages {

  /** Added to the std so that a group whose rewards are all equal gets advantage 0, not NaN. */
  public static final double EPS = 1e-4;

  private Advantages() {}

  /**
   * Advantages for rewards laid out group after group.
   *
   * @param rewards P·G rewards: problem 0's G samples, then problem 1's, …
   * @param groupSize G
   * @throws IllegalArgumentException when the rewards are not whole groups
   */
  public static double[] compute(double[] rewards, int groupSize, ScaleRewards scale) {
    if (groupSize <= 0 || rewards.length % groupSize != 0) {
      throw new IllegalArgumentException(
          rewards.length + " rewards are not whole groups of " + groupSize);
    }
    double[] advantages = new double[rewards.length];
    double batchStd = std(rewards, 0, rewards.length);
    for (int start = 0; start < rewards.length; start += groupSize) {
      double mean = new Mean().evaluate(rewards, start, groupSize);
      double divisor =
          switch (scale) {
            case GROUP -> std(rewards, start, groupSize) + EPS;
            case BATCH -> batchStd + EPS;
            case NONE -> 1;
          };
      for (int i = start; i < start + groupSize; i++) {
        advantages[i] = (rewards[i] - mean) / divisor;
      }
    }
    return advantages;
  }

  /** True when every reward of the group starting at {@code start} is the same. */
  public static boolean zeroStd(double[] rewards, int start, int groupSize) {
    for (int i = start + 1; i < start + groupSize; i++) {
      if (rewards[i] != rewards[start]) {
        return false;
      }
    }
    return true;
  }

  private static double std(double[] values, int start, int length) {
    return length < 2 ? 0 : new StandardDeviation(true).evaluate(values, start, length);
  }
}
