package aha.runs.report;

import java.util.List;

/**
 * A chart of the report, before it is drawn.
 *
 * @param name file name without ".png" (for {@code --png}), stable so that documents can link it
 * @param title the chart's title
 * @param caption one sentence under the chart saying what it shows
 * @param xLabel the horizontal axis
 * @param yLabel the vertical axis
 * @param axis how the vertical axis reads its values
 * @param series its lines, at least one with data
 */
record ChartSpec(
    String name, String title, String caption, String xLabel, String yLabel, Axis axis, List<Series> series) {

  /** The kinds of vertical axis. */
  enum Axis {
    /** Fractions, shown as 0–100% (fixed, so that charts of different runs compare). */
    RATE,
    /** Whole counts per step. */
    COUNT,
    /** Any positive figure, on a logarithmic scale (losses). */
    LOG,
    /** Any figure. */
    PLAIN
  }

  ChartSpec {
    series = List.copyOf(series);
  }
}
