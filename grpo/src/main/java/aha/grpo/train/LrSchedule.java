package aha.grpo.train;

import aha.sampler.settings.Fields;
import aha.sampler.settings.InvalidFieldException;

/**
 * Linear warmup, then cosine decay: step s (0-based) of n gets {@code peak * (s + 1) / warmup}
 * while {@code s < warmup}, then falls along half a cosine from {@code peak} at {@code s = warmup}
 * to {@code peak * minRatio} at the last step.
 *
 * @param peak the learning rate at the end of warmup
 * @param warmup steps of linear warmup (0 for none)
 * @param steps all steps of the run, warmup included
 * @param minRatio the last step's rate as a fraction of {@code peak}
 */
public record LrSchedule(double peak, int warmup, int steps, double minRatio) {

  /** Refuses a bad value naming the setting it comes from, as the stages' configs spell it. */
  public LrSchedule {
    Fields.positive("lr", peak);
    Fields.atLeast("steps", steps, 1);
    Fields.atLeast("warmup_steps", warmup, 0);
    if (warmup > steps) {
      throw new InvalidFieldException("warmup_steps", "must be at most steps (" + steps + "), got " + warmup);
    }
    Fields.between("min_lr_ratio", minRatio, 0, 1);
  }

  /** The rate of step {@code step}, 0-based. */
  public double at(int step) {
    if (step < warmup) {
      return peak * (step + 1) / warmup;
    }
    int decaySteps = steps - 1 - warmup;
    if (decaySteps <= 0) {
      return peak;
    }
    double progress = Math.min(1.0, (double) (step - warmup) / decaySteps);
    double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return peak * (minRatio + (1 - minRatio) * cosine);
  }
}
