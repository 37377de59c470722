/** The stages of a run that write into a run directory: GRPO now, the whole pipeline later. */
package aha.runs.train;
