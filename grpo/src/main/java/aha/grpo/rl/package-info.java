/** The GRPO objective: group-relative advantages and the clipped policy loss in its four forms. */
package aha.grpo.rl;
