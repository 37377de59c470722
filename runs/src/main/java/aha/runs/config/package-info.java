/**
 * The run configuration: one YAML tree covering every stage, its presets, {@code --set}
 * overrides, and the resolved config a run directory stores as {@code config.yaml}.
 */
package aha.runs.config;
