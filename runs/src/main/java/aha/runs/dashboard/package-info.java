/**
 * The live dashboard: a read-only Vert.x web server over the run directories, with charts that
 * update over server-sent events, a sample browser, per-problem pass rates and the eval reports,
 * and {@code GET /metrics} in Prometheus format for Grafana.
 */
package aha.runs.dashboard;
