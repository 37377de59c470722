/**
 * The live dashboard: a read-only Vert.x web server over the run directories, with charts that
 * update over server-sent events, a sample browser and per-problem pass rates.
 */
package aha.runs.dashboard;
