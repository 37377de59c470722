package aha.runs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code aha} command line. */
@Command(
    name = "aha",
    mixinStandardHelpOptions = true,
    versionProvider = AhaCli.Version.class,
    description = {
      "aha: a lab for reinforcement learning on verifiable reasoning problems.",
      "",
      "Generate and lint problem sets and verify answers. Training a policy with GRPO and the",
      "live dashboard arrive in later releases.",
    },
    subcommands = {
      ProblemsCommand.class,
      VerifyCommand.class,
      ModelCommand.class,
      BenchCommand.class,
      SampleCommand.class,
      PretrainCommand.class,
      SftCommand.class,
      BaseCommand.class,
      EvalCommand.class,
      DashboardCommand.class,
      CommandLine.HelpCommand.class,
    },
    footer = {
      "",
      "Examples:",
      "  aha problems gen --family addition --difficulty 2 -n 100 -o out/add.jsonl",
      "  aha verify --gold 1/2 --response 'so \\boxed{0.5}'",
      "  aha <command> --help",
    })
public final class AhaCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the configured command line; tests call this to run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new AhaCli());
    cli.setExecutionExceptionHandler(new CliErrors());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Reads the version from the jar manifest, falling back to "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = AhaCli.class.getPackage().getImplementationVersion();
      return new String[] {"aha " + (version == null ? "dev" : version)};
    }
  }
}
