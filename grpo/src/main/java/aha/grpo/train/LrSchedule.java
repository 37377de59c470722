package aha.grpo.train;

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

  public LrSchedule {
    if (!(peak > 0) || Double.isInfinite(peak)) {
      throw new IllegalArgumentException("peak learning rate must be positive, got " + peak);
    }
    if (steps < 1 || warmup < 0 || warmup > steps) {
      throw new IllegalArgumentException(
          "need 0 <= warmup <= steps and steps >= 1, got warmup " + warmup + ", steps " + steps);
    }
    if (!(minRatio >= 0 && minRatio <= 1)) {
      throw new IllegalArgumentException("min ratio must be in [0, 1], got " + minRatio);
    }
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
