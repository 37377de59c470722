/**
 * Run directories: the resolved config, the manifest, metrics and samples as JSON lines appended
 * durably, eval reports, and checkpoints written atomically.
 */
package aha.runs.store;
