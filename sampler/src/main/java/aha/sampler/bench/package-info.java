/**
 * Contains benchmarks of the sampler (decode speed against a roofline and a Python peer), and the
 * Python peer and report wording that aha's other speed benchmarks share.
 */
package aha.sampler.bench;
