/**
 * The Vert.x sampling service: sampler verticles (one per model replica, {@link
 * aha.sampler.service.PolicyReplica} being the real one), a scoring worker pool, and the facade a
 * caller asks for scored groups. It deals in token prompts with opaque keys and completions; what a
 * score is comes from an injected {@link aha.sampler.service.CompletionScorer}, so this package
 * (and the sampler module) depends on nothing else of the lab's: the trainer supplies a
 * verifier-backed scorer.
 */
package aha.sampler.service;
