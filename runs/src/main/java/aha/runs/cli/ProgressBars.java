package aha.runs.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Every command's progress bar, on stderr. On a terminal it redraws in place twice a second; in a
 * log (output redirected) it writes one plain line every {@link #LOG_INTERVAL_MILLIS}, because
 * carriage-return redraws make a log of one enormous line.
 */
final class ProgressBars {

  /** How often a bar writes its line when the output is not a terminal. */
  static final int LOG_INTERVAL_MILLIS = 10_000;

  private static final int LOG_LINE_WIDTH = 100;

  private ProgressBars() {}

  /**
   * A bar named {@code task} counting to {@code max}.
   *
   * @param unit what is counted, as it follows a number (" completions"), or null for plain counts
   */
  static ProgressBar create(String task, long max, String unit) {
    ProgressBarBuilder builder =
        new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII);
    if (unit != null) {
      builder.setUnit(unit, 1);
    }
    if (onTerminal()) {
      builder.setUpdateIntervalMillis(500).continuousUpdate();
    } else {
      PrintStream err = System.err;
      builder
          .setUpdateIntervalMillis(LOG_INTERVAL_MILLIS)
          .setConsumer(new DelegatingProgressBarConsumer(err::println, LOG_LINE_WIDTH));
    }
    return builder.build();
  }

  /** Whether a person is watching: the JVM has a console (neither input nor output redirected). */
  static boolean onTerminal() {
    return System.console() != null;
  }
}
