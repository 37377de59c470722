/**
 * The shareable page of one run ({@code aha report}): charts drawn by JFreeChart and embedded as
 * PNG data URIs, the eval tables and a few sample completions, in one self-contained HTML file.
 */
package aha.runs.report;
