/** Benchmarks of the training step, timed beside an eager Python PyTorch peer in the same run. */
package aha.grpo.bench;
