package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunWriter;
import dev.statelens.engine.record.store.Schema;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaf series of long runs are read from the rollups (16, 256, 4096 steps a row): each point is
 * the min and max of the statistic over the whole rollup buckets it covers, the same as from the
 * leaf's values step by step. The writer reuses a bucket's row object once the steps left it.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class LeafRollupsTest {
  @TempDir Path dir;

  @Test
  void rollupLevelsAgreeWithTheStepByStepStatistics() {
    Path db = dir.resolve("rollups.db");
    var step = Programs.linregStep("train", 0.001);
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults())) {
      Programs.train(step, 9000);
    }
    try (RunStore store = RunStore.open(db)) {
      for (String path : List.of("params.w", "params.b", "loss")) {
        SeriesInfo info = store.seriesInfo("train", "out", path);
        List<LeafSample> all = store.samples(info, 0, Long.MAX_VALUE);
        assertEquals(9000, all.size());
        for (Stat stat : Stat.values()) {
          TreeMap<Long, Double> values = new TreeMap<>();
          for (LeafSample s : all) {
            Double v = switch (stat) {
              case MIN -> s.min();
              case MAX -> s.max();
              case MEAN -> s.mean();
              case STD -> s.std();
              case NORM -> s.norm();
            };
            values.put(s.step(), v == null ? Double.NaN : v);
          }
          for (int points : new int[] {2, 3, 5, 20, 100, 1000}) {
            assertSeries(expected(values, points, Long.MIN_VALUE, Long.MAX_VALUE), store.series(info, stat, points),
                path + " " + stat + " " + points);
          }
          assertSeries(expected(values, 30, 1000, 7999), store.series(info, stat, 30, 1000, 7999),
              path + " " + stat + " window");
        }
      }
      Series coarse = store.series(store.seriesInfo("train", "out", "params.w"), Stat.MEAN, 2);
      assertTrue(coarse.bucketSteps() >= Schema.ROLLUP_LEVELS[2], "read from the 4096-step rollups");
    }
  }

  /** docs/run-store.md's rollups: whole buckets of the largest level that fits, per point. */
  private static Series expected(TreeMap<Long, Double> values, int points, long fromStep, long toStep) {
    long from = Math.max(values.firstKey(), fromStep), to = Math.min(values.lastKey(), toStep);
    long span = to - from + 1;
    long bucket = span <= points ? 1 : (span + points - 2) / (points - 1);
    int level = 0;
    for (int l : Schema.ROLLUP_LEVELS) {
      if (l <= bucket) {
        level = l;
      }
    }
    TreeMap<Long, double[]> groups = new TreeMap<>();
    long b = level == 0 ? bucket : (bucket + level - 1) / level * level;
    long lo = level == 0 ? from : Math.floorDiv(from, level) * level;
    long hi = level == 0 ? to : (Math.floorDiv(to, level) + 1) * level - 1;
    for (var e : values.subMap(lo, true, hi, true).entrySet()) {
      long key = level == 0 ? Math.floorDiv(e.getKey() - from, b) : Math.floorDiv(e.getKey(), b);
      double[] g = groups.computeIfAbsent(key, k -> new double[] {e.getKey(), e.getKey(), Double.NaN, Double.NaN});
      g[1] = e.getKey();
      double v = e.getValue();
      g[2] = Double.isNaN(g[2]) ? v : Double.isNaN(v) ? g[2] : Math.min(g[2], v);
      g[3] = Double.isNaN(g[3]) ? v : Double.isNaN(v) ? g[3] : Math.max(g[3], v);
    }
    int n = groups.size();
    long[] first = new long[n], last = new long[n];
    double[] l = new double[n], h = new double[n];
    int i = 0;
    for (double[] g : groups.values()) {
      first[i] = (long) g[0];
      last[i] = (long) g[1];
      l[i] = g[2];
      h[i] = g[3];
      i++;
    }
    return new Series(null, Stat.MEAN, b, first, last, l, h);
  }

  private static void assertSeries(Series expected, Series actual, String what) {
    assertEquals(expected.bucketSteps(), actual.bucketSteps(), what + ": bucket");
    assertArrayEquals(expected.firstStep(), actual.firstStep(), what + ": first steps");
    assertArrayEquals(expected.lastStep(), actual.lastStep(), what + ": last steps");
    assertArrayEquals(expected.lo(), actual.lo(), what + ": lo");
    assertArrayEquals(expected.hi(), actual.hi(), what + ": hi");
  }
}
