/**
 * Pretraining and SFT: the trainer, AdamW with global-norm clipping, the learning-rate schedule,
 * batches, the base-model pipeline, and {@link aha.grpo.train.StageListener}, the one progress
 * interface every stage of a run reports through.
 */
package aha.grpo.train;
