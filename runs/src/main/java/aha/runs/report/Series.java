package aha.runs.report;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One line of a chart.
 *
 * @param label the legend's name for it
 * @param points y by x; NaN where the figure is missing or was not finite, which the chart draws
 *     as a gap
 * @param sparse measured only at some steps (evaluations): drawn as points joined by lines, and
 *     steps without a point are not gaps
 */
record Series(String label, NavigableMap<Double, Double> points, boolean sparse) {

  Series {
    points = Collections.unmodifiableNavigableMap(new TreeMap<>(points));
  }

  /** Whether any point has a value, i.e. there is something to draw. */
  boolean hasData() {
    return points.values().stream().anyMatch(y -> !Double.isNaN(y));
  }
}
