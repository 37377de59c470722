/**
 * The shareable page of one run ({@code aha report}): charts drawn by JFreeChart and embedded as
 * PNG data URIs, the eval tables and a few sample completions, in one self-contained HTML file.
 * Also the run's story in a few lines of text ({@link aha.runs.report.RunStory}), printed at the end
 * of {@code aha train} and {@code aha grpo}.
 */
package aha.runs.report;
