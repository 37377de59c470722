/** Batched autoregressive generation with a KV cache: sampling parameters, completions, samplers. */
package aha.sampler.generate;
