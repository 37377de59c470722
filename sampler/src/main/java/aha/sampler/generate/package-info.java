/**
 * Batched autoregressive generation with a KV cache: sampling parameters, completions, samplers,
 * and tool calls answered inside generation ({@link aha.sampler.generate.ToolUse}).
 */
package aha.sampler.generate;
