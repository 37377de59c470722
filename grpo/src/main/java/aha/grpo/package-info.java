/** Training the policy: corpus building, pretraining, SFT, GRPO, and evaluation. */
package aha.grpo;
