/**
 * The stages of a run that write into a run directory: the whole pipeline ({@link
 * aha.runs.train.TrainPipeline}: base model, then GRPO), the GRPO stage as a plain loop ({@link
 * aha.runs.train.GrpoStage}: step, evaluate when due, append, checkpoint), the one metrics writer
 * every stage appends to ({@link aha.runs.train.MetricsLog}) and the run's clock across stages.
 * The composition root: the commands build the Vert.x instance and the sampling service here and
 * hand them to the trainer.
 */
package aha.runs.train;
