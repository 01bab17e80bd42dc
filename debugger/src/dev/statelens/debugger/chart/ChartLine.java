package dev.statelens.debugger.chart;

import dev.statelens.engine.record.store.Series;

/**
 * One line of a chart: a downsampled series (each point the min and max of its steps) and its
 * label. {@link #xs()}/{@link #envelope()} turn it into what is drawn: per point a vertical stroke
 * from lo to hi at the bucket's middle step, so spikes survive downsampling.
 *
 * @param colour the palette index that keeps a leaf's colour while the chart's lines change (the
 *     leaf chart's default lines, pinned per run), or -1: a free colour in line order
 * @param hover the legend item's tooltip (a compared run's full path), or null: the label
 */
public record ChartLine(String label, Series series, int colour, String hover) {

  /** A line coloured by its place in the chart. */
  public ChartLine(String label, Series series) {
    this(label, series, -1);
  }

  /** A line whose legend tooltip is its label. */
  public ChartLine(String label, Series series, int colour) {
    this(label, series, colour, null);
  }

  /** The x (step) of each point: the middle of its bucket. */
  public double[] xs() {
    double[] x = new double[series.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (series.firstStep()[i] + series.lastStep()[i]) / 2.0;
    }
    return x;
  }

  /** The middle of each point's range, what smoothing runs over. */
  public double[] mids() {
    double[] m = new double[series.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = (series.lo()[i] + series.hi()[i]) / 2.0;
    }
    return m;
  }

  /** Points to draw as a polyline: (x, lo), (x, hi) for each bucket (one point when lo == hi). */
  public double[][] envelope() {
    double[] x = xs();
    double[] px = new double[2 * x.length];
    double[] py = new double[2 * x.length];
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      double lo = series.lo()[i], hi = series.hi()[i];
      px[n] = x[i];
      py[n++] = lo;
      if (hi != lo && !(Double.isNaN(hi) && Double.isNaN(lo))) {
        px[n] = x[i];
        py[n++] = hi;
      }
    }
    return new double[][] {java.util.Arrays.copyOf(px, n), java.util.Arrays.copyOf(py, n)};
  }
}
