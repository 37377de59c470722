package aha.grpo.train;

import aha.sampler.settings.Fields;

/**
 * One training stage (pretraining or SFT): batch shape, length, optimizer and schedule.
 *
 * @param steps optimizer steps
 * @param batchSize rows per step, B
 * @param seqLen tokens per row, T
 * @param lr peak learning rate, reached after warmup
 * @param warmupSteps steps of linear warmup
 * @param minLrRatio the last step's learning rate as a fraction of the peak (cosine decay)
 * @param weightDecay decoupled AdamW decay of the matrices
 * @param beta1 AdamW first-moment decay
 * @param beta2 AdamW second-moment decay
 * @param clipNorm the largest global gradient norm (0: no clipping)
 * @param evalEvery steps between held-out losses (0: only after the last step)
 * @param evalBatches held-out batches per evaluation, at most
 * @param seed seeds the batch order
 */
public record TrainConfig(
    int steps,
    int batchSize,
    int seqLen,
    double lr,
    int warmupSteps,
    double minLrRatio,
    double weightDecay,
    double beta1,
    double beta2,
    double clipNorm,
    int evalEvery,
    int evalBatches,
    long seed) {

  public TrainConfig {
    Fields.atLeast("steps", steps, 1);
    Fields.atLeast("batch_size", batchSize, 1);
    Fields.atLeast("seq_len", seqLen, 2);
    // the components check the rest and name what is wrong (a compact constructor sees its
    // parameters, not yet its fields, so they are built from the parameters)
    new LrSchedule(lr, warmupSteps, steps, minLrRatio);
    new AdamW.Settings(beta1, beta2, AdamW.Settings.EPS, weightDecay, clipNorm);
    Fields.atLeast("eval_every", evalEvery, 0);
    Fields.atLeast("eval_batches", evalBatches, 0);
  }

  /** The learning-rate schedule of this stage. */
  public LrSchedule schedule() {
    return new LrSchedule(lr, warmupSteps, steps, minLrRatio);
  }

  /** The optimizer settings of this stage. */
  public AdamW.Settings optimizer() {
    return new AdamW.Settings(beta1, beta2, AdamW.Settings.EPS, weightDecay, clipNorm);
  }

  /** Tokens read per step, B * T. */
  public long tokensPerStep() {
    return (long) batchSize * seqLen;
  }

  public TrainConfig withSteps(int newSteps) {
    return new TrainConfig(newSteps, batchSize, seqLen, lr, Math.min(warmupSteps, newSteps),
        minLrRatio, weightDecay, beta1, beta2, clipNorm, evalEvery, evalBatches, seed);
  }

  public TrainConfig withBatch(int newBatchSize, int newSeqLen) {
    return new TrainConfig(steps, newBatchSize, newSeqLen, lr, warmupSteps, minLrRatio,
        weightDecay, beta1, beta2, clipNorm, evalEvery, evalBatches, seed);
  }

  public TrainConfig withLr(double newLr) {
    return new TrainConfig(steps, batchSize, seqLen, newLr, warmupSteps, minLrRatio, weightDecay,
        beta1, beta2, clipNorm, evalEvery, evalBatches, seed);
  }

  public TrainConfig withSeed(long newSeed) {
    return new TrainConfig(steps, batchSize, seqLen, lr, warmupSteps, minLrRatio, weightDecay,
        beta1, beta2, clipNorm, evalEvery, evalBatches, newSeed);
  }
}
