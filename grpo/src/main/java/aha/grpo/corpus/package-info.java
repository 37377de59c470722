/**
 * The lab's own training text: a pretraining corpus of worked solutions with drill sheets of
 * arithmetic facts, and an SFT set of chat conversations, each solution written tersely or
 * carefully ({@link aha.grpo.corpus.Routes}) and some with self-checks ({@link
 * aha.grpo.corpus.SelfChecks}).
 */
package aha.grpo.corpus;
