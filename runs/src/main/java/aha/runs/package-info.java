/** Runs of the lab: the command line now; run directories, checkpoints and the dashboard later. */
package aha.runs;
