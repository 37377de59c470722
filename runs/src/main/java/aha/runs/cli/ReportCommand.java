package aha.runs.cli;

import aha.problems.AtomicFiles;
import aha.runs.report.RunReport;
import aha.runs.store.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aha report}: one self-contained HTML page about a run, to share. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    header = "Write a self-contained HTML page about one run, to share.",
    description = {
      "Write one HTML file about a run directory that opens anywhere, without the lab: charts per",
      "GRPO step of the training accuracy with the held-out evaluations, the mean completion length,",
      "the share of responses that reflect, and the answer changes after a reflection (wrong → right,",
      "right → wrong), the calculator's calls in a run with tools (and the step at which they first",
      "came to most responses), and the pretraining and SFT loss; the eval reports, the first (the",
      "base model) beside the last; and a few completions of the last logged step with their",
      "verdicts and their reflection markers marked.",
      "",
      "The charts are drawn by the lab (JFreeChart) and embedded as PNG data URIs: the page is one",
      "file, with no scripts and nothing to fetch. --png also writes each chart as DIR/NAME.png",
      "(accuracy, length, reflection, transitions, tools, loss), for documents. The run is only read, so a",
      "report can be made while it trains; files are written to a temporary file, then moved.",
    },
    footer = {
      "",
      "Examples:",
      "  aha report out/runs/20261129-101500-default",
      "  aha report out/runs/RUN -o /tmp/run.html --samples 10",
      "  aha report out/runs/RUN --png docs/img --width 800 --height 300",
    })
final class ReportCommand implements Callable<Integer> {

  private static final int MIN_PIXELS = 200;
  private static final int MAX_PIXELS = 4000;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "The run directory (the folder with manifest.json).")
  Path run;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "The HTML file to write (default: RUN/report.html).")
  Path output;

  @Option(
      names = "--png",
      paramLabel = "DIR",
      description = "Also write each chart to DIR as NAME.png.")
  Path pngDir;

  @Option(
      names = "--width",
      defaultValue = "900",
      paramLabel = "PX",
      description = "Width of each chart in pixels (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--height",
      defaultValue = "340",
      paramLabel = "PX",
      description = "Height of each chart in pixels (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(
      names = "--samples",
      defaultValue = "6",
      paramLabel = "N",
      description = "Completions of the last logged step to show; 0 shows none (default: ${DEFAULT-VALUE}).")
  int samples;

  @Override
  public Integer call() throws IOException {
    for (int pixels : List.of(width, height)) {
      if (pixels < MIN_PIXELS || pixels > MAX_PIXELS) {
        throw new UserInputException(
            "--width and --height must be " + MIN_PIXELS + ".." + MAX_PIXELS + " pixels, got " + width + " × " + height);
      }
    }
    if (samples < 0) {
      throw new UserInputException("--samples must be 0 or more, got " + samples);
    }
    RunDirectory dir;
    try {
      dir = RunDirectory.open(run);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage() + " (aha report takes a run folder, such as out/runs/<time>-<name>)");
    }
    Path html = output != null ? output : dir.dir().resolve("report.html");
    if (Files.isDirectory(html)) {
      throw new UserInputException(html + ": is a directory; -o takes the HTML file to write");
    }
    if (pngDir != null && Files.exists(pngDir) && !Files.isDirectory(pngDir)) {
      throw new UserInputException(pngDir + ": not a directory (--png takes the folder to write the charts to)");
    }

    // the charts are drawn off screen; without this, a JRE lacking the X11 libraries fails where
    // DISPLAY happens to be set
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RunReport report =
        RunReport.read(
            dir,
            samples,
            warning -> {
              err.println("aha report: warning: " + warning);
              err.flush();
            });
    List<RunReport.Chart> charts = report.drawCharts(width, height);
    AtomicFiles.writeString(html, report.html(charts));
    out.printf(Locale.ROOT, "report of %s written to %s (%d charts)%n", dir.name(), html, charts.size());
    if (pngDir != null) {
      for (RunReport.Chart chart : charts) {
        AtomicFiles.writeBytes(pngDir.resolve(chart.name() + ".png"), chart.png());
      }
      out.printf(Locale.ROOT, "%d charts written to %s as PNG%n", charts.size(), pngDir);
    }
    out.flush();
    return 0;
  }
}
