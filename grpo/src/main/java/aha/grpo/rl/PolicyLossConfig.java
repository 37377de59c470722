package aha.grpo.rl;

import aha.sampler.settings.Fields;

/**
 * Settings of the clipped policy loss: the {@code grpo.loss} section of a run config.
 *
 * @param type how token losses are averaged ({@link LossType})
 * @param epsilonLow the ratio is clipped below at 1 − ε_low (0.2 in PPO)
 * @param epsilonHigh and above at 1 + ε_high (DAPO raises it, e.g. 0.28, to let rare tokens grow)
 * @param beta weight of the k3 KL penalty to the frozen starting model; 0 turns it off (and no
 *     reference model is kept)
 */
public record PolicyLossConfig(LossType type, double epsilonLow, double epsilonHigh, double beta) {

  public PolicyLossConfig {
    Fields.present("type", type);
    Fields.belowOne("epsilon_low", epsilonLow);
    Fields.nonNegative("epsilon_high", epsilonHigh);
    Fields.nonNegative("beta", beta);
  }
}
