package dev.statelens.engine.record.store;

/**
 * A downsampled series for charts: point i covers steps {@code firstStep[i]..lastStep[i]} and
 * holds the smallest ({@code lo}) and largest ({@code hi}) value of the statistic there (equal
 * when a point is one step). NaN where no finite value was recorded.
 *
 * @param bucketSteps steps per point (1 = not downsampled)
 */
public record Series(SeriesInfo info, Stat stat, long bucketSteps, long[] firstStep, long[] lastStep,
    double[] lo, double[] hi) {
  public int size() {
    return lo.length;
  }
}
