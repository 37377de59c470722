/**
 * Training the policy: corpus building ({@code corpus}), pretraining and SFT ({@code train}), GRPO
 * ({@code rl}), evaluation ({@code eval}), reflection ("aha") tracking ({@code reflection}) and the
 * training-step benchmark ({@code bench}).
 */
package aha.grpo;
