package aha.runs.cli;

import aha.runs.dashboard.Dashboard;
import aha.runs.dashboard.DashboardOptions;
import aha.runs.store.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aha dashboard}: the live dashboard of the runs under a folder, until Ctrl-C. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    header = "Serve the live dashboard of the runs under a folder.",
    description = {
      "Serve the live dashboard of the runs under a folder: the list of runs; charts of reward",
      "and accuracy, response length, aha rate, KL and entropy, learning rate, throughput, eval",
      "and losses that update as training appends metrics; several runs overlaid; a sample",
      "browser; and per-problem pass rates with always-0 and always-1 problems flagged.",
      "",
      "Read-only. It listens on 127.0.0.1 (this machine only) unless --host names another",
      "address; anyone who can reach that address can then read the runs. Runs until Ctrl-C.",
    },
    footer = {
      "",
      "Examples:",
      "  aha dashboard",
      "  aha dashboard --runs out/runs --port 0",
      "  aha dashboard --host 0.0.0.0 --port 8088     (reachable from other machines)",
    })
final class DashboardCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--runs",
      defaultValue = "out/runs",
      paramLabel = "DIR",
      description = "Folder of run directories (default: ${DEFAULT-VALUE}).")
  Path runs;

  @Option(
      names = "--host",
      defaultValue = DashboardOptions.LOOPBACK,
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + DashboardOptions.DEFAULT_PORT,
      description = "Port to listen on; 0 takes any free port (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws IOException {
    if (port < 0 || port > 65535) {
      throw new UserInputException("--port must be 0..65535 (0: any free port), got " + port);
    }
    if (Files.exists(runs) && !Files.isDirectory(runs)) {
      throw new UserInputException(runs + ": not a directory");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DashboardOptions options =
        DashboardOptions.of(runs, host, port)
            .withWarn(
                warning -> {
                  err.println("aha dashboard: warning: " + warning);
                  err.flush();
                });
    Dashboard dashboard = Dashboard.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread onCtrlC =
        new Thread(
            () -> {
              dashboard.close();
              stopped.countDown();
            },
            "aha-dashboard-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    int count = RunDirectory.list(runs).size();
    out.println(
        "aha dashboard: "
            + dashboard.url()
            + "  ("
            + (count == 0 ? "no runs yet" : count + (count == 1 ? " run" : " runs"))
            + " under "
            + runs
            + "; Ctrl-C stops)");
    out.flush();
    if (!dashboard.isLoopbackOnly()) {
      err.println(
          "aha dashboard: listening on "
              + host
              + ": anyone who can reach it can read the runs (read-only, no login)");
      err.flush();
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // stopped in-process (a test, an embedding program) rather than by Ctrl-C
      Runtime.getRuntime().removeShutdownHook(onCtrlC);
      dashboard.close();
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
