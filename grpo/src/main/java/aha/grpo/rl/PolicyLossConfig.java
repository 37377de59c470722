package aha.grpo.rl;

/**
 * Settings of the clipped policy loss.
 *
 * @param lossType how token losses are averaged ({@link LossType})
 * @param epsilonLow the ratio is clipped below at 1 − ε_low (0.2 in PPO)
 * @param epsilonHigh and above at 1 + ε_high (DAPO raises it, e.g. 0.28, to let rare tokens grow)
 * @param beta weight of the k3 KL penalty to the reference model; 0 turns it off
 * @param maxCompletionLength L of {@code dr_grpo}'s normaliser B·L
 */
public record PolicyLossConfig(
    LossType lossType,
    double epsilonLow,
    double epsilonHigh,
    double beta,
    int maxCompletionLength) {

  public PolicyLossConfig {
    if (lossType == null) {
      throw new IllegalArgumentException("loss_type: missing");
    }
    if (!(epsilonLow >= 0 && epsilonLow < 1)) {
      throw new IllegalArgumentException("epsilon_low must be in [0, 1), got " + epsilonLow);
    }
    if (!(epsilonHigh >= 0) || Double.isInfinite(epsilonHigh)) {
      throw new IllegalArgumentException("epsilon_high must be >= 0, got " + epsilonHigh);
    }
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be >= 0, got " + beta);
    }
    if (maxCompletionLength <= 0) {
      throw new IllegalArgumentException(
          "max completion length must be positive, got " + maxCompletionLength);
    }
  }
}
