/** Contains benchmarks of the sampler: decode speed against a roofline and a Python peer. */
package aha.sampler.bench;
