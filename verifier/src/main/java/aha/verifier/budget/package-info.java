/**
 * The work budget and caps that bound one verdict: {@link aha.verifier.budget.Limits} holds the
 * caps, {@link aha.verifier.budget.Budget} counts the steps of parsing and evaluation, and {@link
 * aha.verifier.budget.BudgetExceededException} stops a verdict that passes either. A package of its
 * own so that the verdict ({@code aha.verifier}) and the parser and evaluators ({@code
 * aha.verifier.math}) both depend on it and not on each other.
 */
package aha.verifier.budget;
