/** Checkpoints in HuggingFace layout: config.json plus safetensors, read and written in Java. */
package aha.sampler.checkpoint;
