package aha.grpo.rl;

import aha.sampler.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The clipped surrogate loss of GRPO on token log-probabilities.
 *
 * <p>Per token t of sequence b, with ratio r = exp(logπ − logπ_old) and advantage A_b:
 * ℓ = −min(r·A, clip(r, 1 − ε_low, 1 + ε_high)·A) + β·k3, where k3 = exp(logπ_ref − logπ) −
 * (logπ_ref − logπ) − 1 is the unbiased, always non-negative KL estimator. The token losses are then
 * averaged as {@link LossType} says. On the first of the μ updates of a batch logπ = logπ_old, so r
 * = 1 and the loss's gradient is the plain policy gradient.
 *
 * <p>Dimensions: B sequences, T completion positions (padded; the mask marks real tokens).
 */
public final class PolicyLoss {

  private PolicyLoss() {}

  /**
   * The loss and what the metrics report about it.
   *
   * @param loss scalar to differentiate
   * @param kl masked mean of k3 (0 when β = 0 or no reference is given)
   * @param clipLow share of real tokens with r < 1 − ε_low and A < 0 (their gradient is cut)
   * @param clipHigh share with r > 1 + ε_high and A > 0
   * @param clipRegion share in either
   */
  public record Result(NDArray loss, double kl, double clipLow, double clipHigh, double clipRegion) {}

  /**
   * Computes the loss of one (micro-)batch.
   *
   * @param logprobs log π of each completion token under the policy being trained, (B, T), with
   *     gradient
   * @param oldLogprobs log π_old, from the policy that sampled, (B, T)
   * @param refLogprobs log π_ref of the frozen reference model (B, T), or null when β = 0
   * @param advantages one per sequence, (B)
   * @param mask 1 for real completion tokens, 0 for padding (and for truncated completions when
   *     they are masked), (B, T) float
   * @param maxCompletionLength L of {@code dr_grpo}'s normaliser B·L (the rollouts' token limit);
   *     ignored by the other loss types
   * @param stepTokenCount real tokens in the whole step (all micro-batches), {@code dapo}'s
   *     normaliser; ignored by the other loss types
   */
  public static Result compute(
      NDArray logprobs,
      NDArray oldLogprobs,
      NDArray refLogprobs,
      NDArray advantages,
      NDArray mask,
      PolicyLossConfig config,
      int maxCompletionLength,
      long stepTokenCount) {
    long batch = logprobs.getShape().get(0);
    NDArray ratio = logprobs.sub(oldLogprobs).exp(); // (B, T)
    NDArray advantage = advantages.reshape(batch, 1); // (B, 1)
    NDArray unclipped = ratio.mul(advantage); // (B, T)
    NDArray clipped =
        Scalars.clip(ratio, 1 - config.epsilonLow(), 1 + config.epsilonHigh()).mul(advantage); // (B, T)
    NDArray tokenLoss = unclipped.minimum(clipped).neg(); // (B, T)

    NDArray tokens = mask.sum(); // ()
    double realTokens = Math.max(1, tokens.getFloat());
    double kl = 0;
    if (config.beta() > 0) {
      if (refLogprobs == null) {
        throw new IllegalArgumentException("beta > 0 needs the reference model's log-probs");
      }
      NDArray delta = refLogprobs.sub(logprobs); // (B, T)
      NDArray k3 = Scalars.sub(delta.exp().sub(delta), 1); // (B, T)
      tokenLoss = tokenLoss.add(Scalars.mul(k3, config.beta())); // (B, T)
      kl = k3.mul(mask).sum().getFloat() / realTokens;
    }

    NDArray masked = tokenLoss.mul(mask); // (B, T)
    NDArray loss =
        switch (config.type()) {
          case GRPO -> masked.sum(new int[] {1}).div(Scalars.maximum(mask.sum(new int[] {1}), 1)).mean();
          case BNPO -> masked.sum().div(Scalars.maximum(tokens, 1));
          case DR_GRPO -> Scalars.div(masked.sum(), batch * maxCompletionLength);
          case DAPO -> Scalars.div(masked.sum(), Math.max(1, stepTokenCount));
        }; // ()

    NDArray low =
        ratio
            .lt((float) (1 - config.epsilonLow()))
            .logicalAnd(advantage.lt(0))
            .toType(DataType.FLOAT32, false); // (B, T)
    NDArray high =
        ratio
            .gt((float) (1 + config.epsilonHigh()))
            .logicalAnd(advantage.gt(0))
            .toType(DataType.FLOAT32, false); // (B, T)
    double clipLow = low.mul(mask).sum().getFloat() / realTokens;
    double clipHigh = high.mul(mask).sum().getFloat() / realTokens;
    double clipRegion = clipLow + clipHigh; // disjoint: A cannot be both < 0 and > 0
    return new Result(loss, kl, clipLow, clipHigh, clipRegion);
  }
}
