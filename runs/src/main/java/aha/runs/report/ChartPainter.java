package aha.runs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a {@link ChartSpec} with JFreeChart into an image in memory and encodes it as PNG. The
 * look follows the dashboard's (its palette, white background, light grid) so that a report and
 * the live charts of the same run read alike.
 */
final class ChartPainter {

  /** The dashboard's series colours (run.js), in the same order. */
  private static final List<Color> COLORS =
      List.of(
          new Color(0x2f6fd6), new Color(0xd64f2f), new Color(0x1f9d55),
          new Color(0x8e44ad), new Color(0xc79a00), new Color(0x16a2b8));

  /** Up to this many points a line also marks each point, so that a few steps stay visible. */
  private static final int MARK_POINTS_UP_TO = 40;

  private static final Color GRID = new Color(0xdddddd);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private ChartPainter() {}

  /** The chart as PNG bytes, {@code width} × {@code height} pixels. */
  static byte[] png(ChartSpec spec, int width, int height) throws IOException {
    return ChartUtils.encodeAsPNG(chart(spec).createBufferedImage(width, height));
  }

  static JFreeChart chart(ChartSpec spec) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (Series series : spec.series()) {
      int index = dataset.getSeriesCount();
      // the legend's label is the series' key, which JFreeChart requires to be unique
      XYSeries xy = new XYSeries(series.label(), true, false);
      for (Map.Entry<Double, Double> point : series.points().entrySet()) {
        if (series.sparse() && point.getValue().isNaN()) {
          continue; // not measured at this step: no point, and no gap either
        }
        xy.add(point.getKey(), point.getValue()); // NaN: the renderer leaves a gap
      }
      dataset.addSeries(xy);
      renderer.setSeriesPaint(index, COLORS.get(index % COLORS.size()));
      renderer.setSeriesStroke(index, new BasicStroke(series.sparse() ? 1.5f : 2f));
      renderer.setSeriesShapesVisible(index, series.sparse() || xy.getItemCount() <= MARK_POINTS_UP_TO);
    }

    NumberAxis x = new NumberAxis(spec.xLabel());
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(dataset, x, yAxis(spec), renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlineVisible(false);
    // keeps lines at 0% and 100% off the axis lines
    plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
    for (ValueAxis axis : List.of(plot.getDomainAxis(), plot.getRangeAxis())) {
      axis.setLabelFont(LABEL);
    }

    boolean legend = spec.series().size() > 1; // a single line is named by the title
    JFreeChart chart = new JFreeChart(spec.title(), TITLE, plot, legend);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(6, 6, 6, 12));
    LegendTitle legendTitle = chart.getLegend();
    if (legendTitle != null) {
      legendTitle.setPosition(RectangleEdge.BOTTOM);
      legendTitle.setFrame(BlockBorder.NONE);
      legendTitle.setItemFont(LABEL);
    }
    return chart;
  }

  private static ValueAxis yAxis(ChartSpec spec) {
    switch (spec.axis()) {
      case RATE -> {
        NumberAxis axis = new NumberAxis(spec.yLabel());
        axis.setRange(0, 1);
        axis.setNumberFormatOverride(NumberFormat.getPercentInstance(Locale.ROOT));
        return axis;
      }
      case COUNT -> {
        NumberAxis axis = new NumberAxis(spec.yLabel());
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setAutoRangeIncludesZero(true);
        return axis;
      }
      case LOG -> {
        LogAxis axis = new LogAxis(spec.yLabel());
        // a tick at every power of two (… 0.25, 0.5, 1, 2, 4 …) as plain numbers: losses span one
        // or two decades, which JFreeChart's own choice of ticks labels 6.31, 3.981, 2.512
        axis.setTickUnit(new NumberTickUnit(Math.log10(2)), false, true);
        axis.setNumberFormatOverride(new DecimalFormat("0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        return axis;
      }
      default -> {
        NumberAxis axis = new NumberAxis(spec.yLabel());
        axis.setAutoRangeIncludesZero(false);
        return axis;
      }
    }
  }
}
