package aha.runs.cli;

import aha.sampler.bench.BenchReport;
import aha.sampler.model.Transformer;
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
      "Author problem sets and verify answers; make a small base model (tokenizer, pretraining,",
      "SFT); train it with GRPO while tracking length and 'aha' reflections; evaluate, sample,",
      "benchmark, watch runs live on the dashboard and share one as an HTML page ('aha report').",
      "'aha train' runs the whole experiment.",
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
      SamplerCommand.class,
      ReportCommand.class,
      GrpoCommand.class,
      TrainCommand.class,
      ConfigCommand.class,
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

  /** Read by {@link #main} before any logger exists; declared here so that every command accepts it. */
  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Also print the libraries' informational log lines (DJL, libtorch set-up, CUDA detection).")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the configured command line; tests call this to run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new AhaCli());
    cli.setExecutionExceptionHandler(new CliErrors());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // the descriptions are written in lines of up to 100 characters; at picocli's default of 80
    // every one of them would wrap a second time, leaving ragged two-word lines
    cli.setUsageHelpWidth(HELP_WIDTH);
    return cli;
  }

  /** The width of every command's --help text. */
  static final int HELP_WIDTH = 100;

  public static void main(String[] args) {
    if (java.util.Arrays.asList(args).contains("--verbose")) {
      // slf4j-simple reads these when the first logger is made; they override simplelogger.properties
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "info");
    }
    String problem = startupProblem();
    if (problem != null) {
      System.err.println("aha: error: " + problem);
      System.exit(CliErrors.USER_ERROR);
    }
    System.exit(commandLine().execute(args));
  }

  /**
   * What in the JVM's own options keeps any command from running, or null: a {@code -Daha.decode}
   * (passed in {@code AHA_JAVA_OPTS}) that names no decode path. Checked before the command runs,
   * not at its first decode step minutes later.
   */
  static String startupProblem() {
    try {
      Transformer.decodeStepPath();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * The version from the jar manifest ("dev" when run from classes), then what figures depend on:
   * the JVM and the libraries preloaded ahead of libtorch (the allocator, and on a non-Intel CPU
   * the library that lets MKL use the CPU's vector units), the JVM's garbage collector and the
   * decode path (docs/compute.md).
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = AhaCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "aha " + (version == null ? "dev" : version),
        "java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
            + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors()
            + " cpus",
        "preloaded " + BenchReport.preloaded(),
        "collector " + BenchReport.collector(),
        "decode " + Transformer.decodeStepPath()
      };
    }
  }
}
