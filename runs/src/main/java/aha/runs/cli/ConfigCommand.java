package aha.runs.cli;

import aha.runs.config.ConfigLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aha config}: the run configuration; {@code show} prints it resolved. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "The run configuration: one YAML file for every stage.",
      "",
      "Sections: curriculum, base (corpus, tokenizer, pretraining, SFT), grpo and run.",
      "docs/config.md lists every key with its default and meaning.",
    },
    subcommands = {ConfigCommand.Show.class},
    footer = {"", "Examples:", "  aha config show --preset smoke"})
final class ConfigCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code aha config show}: the config a run with these options would use, every key. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Print the resolved config as YAML, every key included.",
        "",
        "Precedence, lowest first: the preset's values; base.preset and base.seed,",
        "which choose the defaults of the whole base section; the file's values;",
        "each --set in order. The output loads back with --config and gives the",
        "same config.",
        "",
        "An unknown key, a value of the wrong type or out of range, or a YAML",
        "syntax error is an error naming the key (or the file, line and column),",
        "exit code 2.",
      },
      footer = {
        "",
        "Examples:",
        "  aha config show",
        "  aha config show --preset smoke --set grpo.steps=2",
        "  aha config show --config my-run.yaml --set base.preset=micro",
        "  aha config show --set 'grpo.markers=[wait, hmm]' --set run.device=cpu",
        "  aha config show --preset smoke > my-run.yaml   (a file to edit)",
      })
  static final class Show implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ConfigOptions options;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(ConfigLoader.toYaml(options.resolve()));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
