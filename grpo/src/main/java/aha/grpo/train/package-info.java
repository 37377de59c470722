/** Pretraining and SFT: AdamW with global-norm clipping, the learning-rate schedule, batches and the base-model pipeline. */
package aha.grpo.train;
