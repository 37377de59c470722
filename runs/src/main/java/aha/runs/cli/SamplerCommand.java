package aha.runs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aha sampler}: sampler nodes that share a training run's sampling over a cluster. */
@Command(
    name = "sampler",
    mixinStandardHelpOptions = true,
    description = "Sampler nodes on other machines that share a run's sampling (docs/scale-out.md).",
    subcommands = {SamplerServeCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Example:", "  aha sampler serve --cluster node.yaml"})
final class SamplerCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
