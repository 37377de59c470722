/** Deterministic answer checking: extraction, equivalence, countdown, format reward and verdicts. */
package aha.verifier;
