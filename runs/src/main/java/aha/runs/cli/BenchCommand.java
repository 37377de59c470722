package aha.runs.cli;

import aha.verifier.VerifierBenchmark;
import aha.verifier.VerifierConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha bench}: measurements of aha's hot paths, printed beside a target or a peer. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print what they measured beside a target or a peer.",
    subcommands = {
      BenchCommand.Verify.class,
      BenchSampleCommand.class,
      BenchTrainCommand.class,
      BenchGrpoCommand.class,
      BenchWeightsCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Example:", "  aha bench verify --json"})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      header = "Verdicts per second of one verifier thread, and the slowest verdict.",
      description = {
        "Verdicts per second of one verifier thread on a seeded case set: plain numeric answers",
        "(the common case in training) and a mixed set of every answer kind, plus the slowest",
        "single verdict, the most work one verdict took against the work budget, and how often",
        "the wall-clock guard fired. Every verdict is also checked against its expected value.",
      },
      footer = {"", "Example:", "  aha bench verify --measure-s 5 --json"})
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--seed", defaultValue = "42", description = "Case-set seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--warmup-s",
        defaultValue = "2",
        description = "Seconds of warm-up per subset (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(
        names = "--measure-s",
        defaultValue = "2",
        description = "Seconds of measurement per subset (default: ${DEFAULT-VALUE}).")
    double measureSeconds;

    @Option(names = "--json", description = "Also print the figures as one JSON object, last line.")
    boolean json;

    @Override
    public Integer call() {
      if (warmupSeconds < 0 || measureSeconds <= 0) {
        throw new UserInputException("--warmup-s must be >= 0 and --measure-s > 0");
      }
      VerifierBenchmark.Result result =
          new VerifierBenchmark(
                  VerifierConfig.defaults(),
                  seed,
                  Duration.ofMillis((long) (warmupSeconds * 1000)),
                  Duration.ofMillis((long) (measureSeconds * 1000)))
              .run();
      PrintWriter out = spec.commandLine().getOut();
      out.print(result.format());
      if (json) {
        out.println(result.toJson());
      }
      out.flush();
      return result.unexpectedVerdicts() == 0 ? 0 : CliErrors.INTERNAL_ERROR;
    }
  }
}
