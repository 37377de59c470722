package aha.runs.cli;

import aha.runs.config.ConfigLoader;
import aha.runs.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that choose a run config: {@code --preset}, {@code --config} and {@code --set}.
 * A picocli mixin ({@code @Mixin ConfigOptions config;}) so that {@code aha config show}, {@code
 * aha train} and {@code aha grpo} resolve a config the same way.
 */
public final class ConfigOptions {

  @Option(
      names = "--preset",
      defaultValue = "default",
      paramLabel = "NAME",
      description = "Config preset: default (the base checks its steps with a calculator);"
              + " tools (the calculator called for the steps themselves); no-tools (no calculator,"
              + " every check worked in the head); see docs/tools.md for the three measured; or smoke"
              + " (the whole pipeline in seconds) (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML config file; its keys override the preset's.")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = {
        "Override one key, after the file; repeatable. The value is YAML:",
        "grpo.rollout.group_size=4, 'grpo.markers=[wait, hmm]'."
      })
  List<String> sets = new ArrayList<>();

  /**
   * The resolved config.
   *
   * @throws aha.runs.config.ConfigException naming the key, file or --set that is wrong
   */
  public RunConfig resolve() {
    return ConfigLoader.load(preset, configFile, sets);
  }
}
