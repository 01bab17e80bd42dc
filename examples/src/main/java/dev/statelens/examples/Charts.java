package dev.statelens.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The examples' PNG charts (JFreeChart, headless). */
final class Charts {
  static final int WIDTH = 800;
  static final int HEIGHT = 600;

  private Charts() {}

  /**
   * The tutorial's figure: the data as a scatter plot and the fitted line
   * {@code weight * x + bias} over the data's x range.
   */
  static Path linRegFit(float[] xs, float[] ys, double weight, double bias, Path png) throws IOException {
    XYSeries data = new XYSeries("data", false);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < xs.length; i++) {
      data.add(xs[i], ys[i]);
      lo = Math.min(lo, xs[i]);
      hi = Math.max(hi, xs[i]);
    }
    XYSeries model = new XYSeries("Model Prediction", false);
    model.add(lo, weight * lo + bias);
    model.add(hi, weight * hi + bias);

    XYSeriesCollection dataset = new XYSeriesCollection();
    dataset.addSeries(data);
    dataset.addSeries(model);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    renderer.setSeriesLinesVisible(0, false);
    renderer.setSeriesShapesVisible(0, true);
    renderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
    renderer.setSeriesPaint(0, new Color(31, 119, 180));
    renderer.setSeriesLinesVisible(1, true);
    renderer.setSeriesShapesVisible(1, false);
    renderer.setSeriesPaint(1, Color.RED);
    renderer.setSeriesStroke(1, new BasicStroke(2f));

    XYPlot plot = new XYPlot(dataset, new NumberAxis("x"), new NumberAxis("y"), renderer);
    String title = String.format(java.util.Locale.ROOT, "Linear regression: y = %.3f x %s %.3f",
        weight, bias < 0 ? "-" : "+", Math.abs(bias));
    return save(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), png);
  }

  /** A training curve: {@code losses[i]} at step {@code steps[i]}, on a log scale. */
  static Path lossCurve(String title, int[] steps, double[] losses, Path png) throws IOException {
    XYSeries series = new XYSeries("loss", false);
    for (int i = 0; i < steps.length; i++) {
      if (losses[i] > 0 && Double.isFinite(losses[i])) {
        series.add(steps[i], losses[i]);
      }
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesStroke(0, new BasicStroke(2f));
    LogAxis lossAxis = new LogAxis("loss");
    lossAxis.setSmallestValue(1e-12);
    XYPlot plot = new XYPlot(new XYSeriesCollection(series), new NumberAxis("step"), lossAxis, renderer);
    return save(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false), png);
  }

  private static Path save(JFreeChart chart, Path png) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    return png;
  }
}
