/**
 * Runs of the lab: the {@code aha} command line ({@code cli}), run configs ({@code config}), the
 * training pipeline ({@code train}), run directories and checkpoints ({@code store}), the live
 * dashboard ({@code dashboard}) and the report page ({@code report}).
 */
package aha.runs;
