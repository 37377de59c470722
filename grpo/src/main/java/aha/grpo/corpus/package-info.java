/** The lab's own training text: a pretraining corpus of worked solutions and an SFT set of chat conversations, with self-checks. */
package aha.grpo.corpus;
