/**
 * What every settings record of the lab (model, training stages, GRPO, run) shares: an invalid
 * value fails with an {@link aha.sampler.settings.InvalidFieldException} that names its field, so
 * that a config loader can report the whole dotted key without parsing messages. It lives in the
 * lowest module that has settings records, the sampler, which depends on nothing else of the lab's.
 */
package aha.sampler.settings;
