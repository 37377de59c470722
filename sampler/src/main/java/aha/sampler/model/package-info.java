/** The policy model: a Llama-family decoder-only transformer as DJL blocks, with a KV cache. */
package aha.sampler.model;
