package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.Programs.Params;
import dev.statelens.engine.record.Programs.StepOut;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunWriter;
import dev.statelens.engine.record.store.Schema;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logged scalars packed in {@code scalar_chunks} (schema version 3): every value reads back as the
 * program logged it, downsampled series match the documented min/max buckets, a run cut off in
 * the middle of a chunk keeps every committed value, and a version 2 run (one {@code scalars} row
 * per value, recorded by the code before) reads the same as the same program recorded now.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class PackedScalarsTest {
  @TempDir Path dir;

  @Test
  void everyLoggedValueReadsBackAsTheProgramLoggedIt() throws Exception {
    Path db = dir.resolve("scalars.db");
    Map<String, TreeMap<Long, Double>> logged = ScalarRunProgram.record(db, 300, 60);
    try (RunStore store = RunStore.open(db)) {
      assertEquals(Schema.VERSION, store.schemaVersion());
      for (var e : logged.entrySet()) {
        SeriesInfo info = store.scalar(e.getKey()).orElseThrow();
        assertValues(e.getKey(), e.getValue(), store.samples(info, Long.MIN_VALUE, Long.MAX_VALUE));
        // a window that starts and ends inside chunks
        TreeMap<Long, Double> window = new TreeMap<>(e.getValue().subMap(70L, true, 200L, true));
        assertValues(e.getKey() + " 70..200", window, store.samples(info, 70, 200));
        Series raw = store.series(info, Stat.MEAN, 1_000_000);
        assertEquals(e.getValue().size(), raw.size(), e.getKey());
        int i = 0;
        for (var v : e.getValue().entrySet()) {
          assertEquals(v.getKey(), raw.firstStep()[i]);
          assertSame(v.getValue(), raw.lo()[i], e.getKey() + " step " + v.getKey());
          i++;
        }
      }
      assertEquals(-25.5, store.samples(store.scalar("lr").orElseThrow(), 50, 50).getFirst().values()[0],
          "adam's lr at step 50 wins over fit's two");
      assertEquals(-5.5, store.samples(store.scalar("lr").orElseThrow(), 10, 10).getFirst().values()[0],
          "adam's lr at step 10, logged after fit's");
      // the norms the recorder logs itself: one value per step with a state link
      SeriesInfo update = store.scalar("update_norm").orElseThrow();
      assertEquals(299, store.samples(update, 0, Long.MAX_VALUE).size(), "fit's steps 1..299 (adam's 1..59 replace)");
      List<LeafSample> gradNorm = store.samples(store.scalar("grad_norm").orElseThrow(), 0, Long.MAX_VALUE);
      assertEquals(60, gradNorm.size(), "adam's steps");
      assertTrue(gradNorm.stream().allMatch(s -> s.values()[0] > 0));
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        var s = c.createStatement()) {
      // fit's 300 losses in ceil(300 / 64) chunks; adam's 60 earlier steps as rows of their own
      var rs = s.executeQuery("SELECT count(*), sum(n) FROM scalar_chunks c JOIN series s ON s.id = c.series_id "
          + "WHERE s.path = 'loss'");
      rs.next();
      assertEquals(5, rs.getInt(1));
      assertEquals(300, rs.getInt(2));
      rs = s.executeQuery("SELECT count(*) FROM scalars c JOIN series s ON s.id = c.series_id WHERE s.path = 'loss'");
      rs.next();
      assertEquals(60, rs.getInt(1));
    }
  }

  @Test
  void downsampledSeriesAreTheMinAndMaxOfTheLoggedValues() {
    Path db = dir.resolve("long.db");
    Map<String, TreeMap<Long, Double>> logged = ScalarRunProgram.record(db, 3000, 0);
    try (RunStore store = RunStore.open(db)) {
      assertEquals(123.0, store.samples(store.scalar("lr").orElseThrow(), 50, 50).getFirst().values()[0],
          "the last value logged at a step wins");
      for (String name : List.of("loss", "lr", "sparse", "odd")) {
        SeriesInfo info = store.scalar(name).orElseThrow();
        for (Stat stat : Stat.values()) {
          for (int points : new int[] {2, 7, 20, 180, 400, 2999, 5000}) {
            assertDownsampled(logged.get(name), points, Long.MIN_VALUE, Long.MAX_VALUE,
                store.series(info, stat, points), name + " " + stat + " " + points);
          }
          assertDownsampled(logged.get(name), 30, 100, 2500, store.series(info, stat, 30, 100, 2500),
              name + " " + stat + " window");
          assertDownsampled(logged.get(name), 500, 130, 331, store.series(info, stat, 500, 130, 331),
              name + " " + stat + " short window");
        }
      }
      // the recorder's own norms: the downsampled series against the values read back one by one
      for (SeriesInfo info : store.scalars()) {
        TreeMap<Long, Double> raw = asMap(store.samples(info, Long.MIN_VALUE, Long.MAX_VALUE));
        for (int points : new int[] {3, 64, 500}) {
          assertDownsampled(raw, points, Long.MIN_VALUE, Long.MAX_VALUE, store.series(info, Stat.MEAN, points),
              info.path() + " " + points);
        }
      }
    }
  }

  @Test
  void anMlpWithAdamLogsItsLossAndNorms() {
    Path db = dir.resolve("mlp.db");
    Map<String, TreeMap<Long, Double>> logged = ScalarRunProgram.record(db, 0, 400);
    try (RunStore store = RunStore.open(db)) {
      SeriesInfo loss = store.scalar("loss").orElseThrow();
      assertValues("loss", logged.get("loss"), store.samples(loss, 0, Long.MAX_VALUE));
      for (int points : new int[] {3, 20, 399, 1000}) {
        assertDownsampled(logged.get("loss"), points, Long.MIN_VALUE, Long.MAX_VALUE, store.series(loss, Stat.MAX, points),
            "loss " + points);
      }
      List<String> names = store.scalars().stream().map(SeriesInfo::path).toList();
      assertTrue(names.contains("grad_norm/params.w1") && names.contains("update_norm/params.w1")
          && names.contains("update_ratio/params.w1"), names.toString());
      for (String n : names) {
        int expect = n.equals("lr") ? 40 : n.startsWith("update") ? 399 : 400; // lr: every 10th step
        assertEquals(expect, store.samples(store.scalar(n).orElseThrow(), 0, Long.MAX_VALUE).size(), n);
      }
    }
  }

  @Test
  void aRunCutOffInTheMiddleOfAChunkKeepsEveryCommittedValue() throws Exception {
    Path db = dir.resolve("live.db");
    var step = Programs.linregStep("train", 0.01);
    TreeMap<Long, Double> losses = new TreeMap<>();
    TreeMap<Long, Double> lr = new TreeMap<>();
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults())) {
      Params p = Programs.init();
      int done = 0;
      RunStore live = null;
      try {
        for (int target : new int[] {100, 130, 131, 200}) { // 100: the second chunk holds 36 values
          for (; done < target; done++) {
            StepOut o = step.apply(p, Programs.XS, Programs.YS);
            p = o.params();
            losses.put((long) done, o.loss().item());
            Recorder.scalar("lr", 1.0 / (done + 1));
            lr.put((long) done, 1.0 / (done + 1));
          }
          r.flush();
          // a kill -9 now: what is on disk is the file and its write-ahead log
          Path copy = dir.resolve("cut-" + target + ".db");
          Files.copy(db, copy);
          Files.copy(Path.of(db + "-wal"), Path.of(copy + "-wal"));
          try (RunStore cut = RunStore.open(copy)) {
            assertFalse(cut.isFinished());
            assertEquals(target, cut.callCount());
            assertValues("loss at " + target, losses, cut.samples(cut.scalar("loss").orElseThrow(), 0, Long.MAX_VALUE));
            assertValues("lr at " + target, lr, cut.samples(cut.scalar("lr").orElseThrow(), 0, Long.MAX_VALUE));
            Series s = cut.series(cut.scalar("loss").orElseThrow(), Stat.MEAN, 10_000);
            assertEquals(target - 1, s.lastStep()[s.size() - 1], "the open chunk's last value is the last point");
          }
          // the live tail: one reader kept open while the run goes on sees each commit
          if (live == null) {
            live = RunStore.open(db);
          }
          assertValues("live loss at " + target, losses, live.samples(live.scalar("loss").orElseThrow(), 0,
              Long.MAX_VALUE));
          assertEquals(lr.lastEntry().getValue(), live.samples(live.scalar("lr").orElseThrow(), target - 1,
              target - 1).getFirst().values()[0]);
        }
      } finally {
        if (live != null) {
          live.close();
        }
      }
    }
  }

  @Test
  void aVersionTwoRunReadsTheSameAsTheSameProgramRecordedNow() throws Exception {
    Path old = dir.resolve("scalars-v2.db");
    try (InputStream in = PackedScalarsTest.class.getResourceAsStream("scalars-v2.db")) {
      Files.copy(in, old);
    }
    Path now = dir.resolve("scalars-v3.db");
    Map<String, TreeMap<Long, Double>> logged = ScalarRunProgram.record(now, 120, 30); // as ScalarRunProgram.main
    try (RunStore v2 = RunStore.open(old); RunStore v3 = RunStore.open(now)) {
      assertEquals(2, v2.schemaVersion());
      assertEquals(Schema.VERSION, v3.schemaVersion());
      List<String> names = v2.scalars().stream().map(SeriesInfo::path).toList();
      assertEquals(names, v3.scalars().stream().map(SeriesInfo::path).toList());
      assertTrue(names.size() >= 30, names.toString());
      for (String name : List.of("lr", "sparse", "odd")) { // not computed: the same bits in any build
        assertValues("v2 " + name, logged.get(name), v2.samples(v2.scalar(name).orElseThrow(), 0, Long.MAX_VALUE));
      }
      for (String name : names) {
        SeriesInfo a = v2.scalar(name).orElseThrow(), b = v3.scalar(name).orElseThrow();
        List<LeafSample> sa = v2.samples(a, Long.MIN_VALUE, Long.MAX_VALUE), sb = v3.samples(b, Long.MIN_VALUE,
            Long.MAX_VALUE);
        assertEquals(sa.size(), sb.size(), name);
        for (int i = 0; i < sa.size(); i++) {
          assertEquals(sa.get(i).step(), sb.get(i).step(), name);
          assertEquals(sa.get(i).seq(), sb.get(i).seq(), name);
          assertClose(sa.get(i).values()[0], sb.get(i).values()[0], name + " step " + sa.get(i).step());
        }
        for (Stat stat : Stat.values()) {
          // up to 15 steps a point both read every value; beyond, version 2 reads rollups (below)
          for (int points : new int[] {50, 1000}) {
            Series x = v2.series(a, stat, points), y = v3.series(b, stat, points);
            String what = name + " " + stat + " " + points;
            assertEquals(x.bucketSteps(), y.bucketSteps(), what);
            assertArrayEquals(x.firstStep(), y.firstStep(), what);
            assertArrayEquals(x.lastStep(), y.lastStep(), what);
            for (int i = 0; i < x.size(); i++) {
              assertClose(x.lo()[i], y.lo()[i], what);
              assertClose(x.hi()[i], y.hi()[i], what);
            }
          }
        }
      }
      // version 2's rollup buckets, away from the steps adam logged again (which replaced rollup rows)
      List<Object[]> all = new ArrayList<>();
      for (var e : logged.entrySet()) {
        e.getValue().forEach((k, v) -> all.add(new Object[] {e.getKey(), k, v}));
      }
      all.add(new Object[] {"lr", 50L, 0.01 / 51}); // replaced by 123.0 at step 50, still in the rollups
      for (String name : List.of("loss", "lr", "sparse")) {
        for (Stat stat : Stat.values()) {
          assertSeries(expected(all, logged, name, stat, 3, 32, 119, true), v2.series(v2.scalar(name).orElseThrow(),
              stat, 3, 32, 119), "v2 " + name + " " + stat);
        }
      }
      // version 3: every series downsampled exactly, as its values read back
      for (String name : names) {
        SeriesInfo b = v3.scalar(name).orElseThrow();
        TreeMap<Long, Double> raw = asMap(v3.samples(b, Long.MIN_VALUE, Long.MAX_VALUE));
        for (int points : new int[] {2, 9}) {
          assertDownsampled(raw, points, Long.MIN_VALUE, Long.MAX_VALUE, v3.series(b, Stat.NORM, points),
              "v3 " + name + " " + points);
        }
      }
      assertEquals(v2.callCount(), v3.callCount());
      assertEquals(v2.state("adam", 29).size(), v3.state("adam", 29).size());
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static void assertValues(String what, TreeMap<Long, Double> expected, List<LeafSample> actual) {
    assertEquals(List.copyOf(expected.keySet()), actual.stream().map(LeafSample::step).toList(), what + ": steps");
    int i = 0;
    for (double v : expected.values()) {
      assertSame(v, actual.get(i).values()[0], what + " step " + actual.get(i).step());
      i++;
    }
  }

  /** Bit-equal (NaN equals NaN). */
  private static void assertSame(double expected, double actual, String what) {
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), what + ": " + expected + " vs " + actual);
  }

  /** Values computed by the engine: close (the fixture was recorded by an older build). */
  private static void assertClose(double expected, double actual, String what) {
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      assertSame(expected, actual, what);
    } else {
      assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), what);
    }
  }

  private static void assertSeries(Series expected, Series actual, String what) {
    assertEquals(expected.bucketSteps(), actual.bucketSteps(), what + ": bucket");
    assertArrayEquals(expected.firstStep(), actual.firstStep(), what + ": first steps");
    assertArrayEquals(expected.lastStep(), actual.lastStep(), what + ": last steps");
    for (int i = 0; i < expected.size(); i++) {
      assertSame(expected.lo()[i], actual.lo()[i], what + ": lo " + i);
      assertSame(expected.hi()[i], actual.hi()[i], what + ": hi " + i);
    }
  }

  /**
   * A scalar's series as schema version 3 promises it (docs/run-store.md), checked against the
   * values logged in fromStep..toStep: {@code ceil(span / (points - 1))} steps per bucket, at most
   * {@code points} points in step order without overlap, each spanning less than two buckets (one
   * step when the bucket is 1) from a logged step to a logged step, together covering every logged
   * step, and holding the smallest and largest value logged at its steps (NaN left out, ±Inf kept).
   */
  private static void assertDownsampled(TreeMap<Long, Double> all, int points, long fromStep, long toStep,
      Series s, String what) {
    var values = all.subMap(fromStep, true, toStep, true);
    if (values.isEmpty()) {
      assertEquals(0, s.size(), what);
      return;
    }
    long span = values.lastKey() - values.firstKey() + 1;
    long bucket = span <= points ? 1 : (span + points - 2) / (points - 1);
    assertEquals(bucket, s.bucketSteps(), what + ": bucket");
    assertTrue(s.size() <= points, what + ": " + s.size() + " points");
    int covered = 0;
    for (int i = 0; i < s.size(); i++) {
      long first = s.firstStep()[i], last = s.lastStep()[i];
      String at = what + ": point " + i + " " + first + ".." + last;
      assertTrue(values.containsKey(first) && values.containsKey(last), at + " starts and ends at logged steps");
      assertTrue(i == 0 || first > s.lastStep()[i - 1], at + " after the point before");
      assertTrue(bucket == 1 ? first == last : last - first < 2 * bucket, at + " within two buckets of " + bucket);
      double lo = Double.NaN, hi = Double.NaN;
      for (double v : values.subMap(first, true, last, true).values()) {
        lo = nanMin(lo, v);
        hi = nanMax(hi, v);
        covered++;
      }
      assertSame(lo, s.lo()[i], at + " lo");
      assertSame(hi, s.hi()[i], at + " hi");
    }
    assertEquals(values.size(), covered, what + ": every logged step is in a point");
  }

  /** The scalar's series from its samples as read back (a raw read checks the downsampled one). */
  private static TreeMap<Long, Double> asMap(List<LeafSample> samples) {
    TreeMap<Long, Double> m = new TreeMap<>();
    samples.forEach(x -> m.put(x.step(), x.values()[0]));
    return m;
  }

  /**
   * The series schema versions 1 and 2 read from rollups, from what the program logged: points of
   * {@code ceil(span / (points - 1))} steps from the first value; up to 15 steps per point the
   * values themselves (the last logged at each step; NaN left out, ±Inf kept), else whole rollup
   * buckets of the largest level that fits, over every value logged (finite ones; std 0, norm
   * |v| for a scalar), first and last step of a point those of all scalars in its buckets.
   */
  private static Series expected(List<Object[]> all, Map<String, TreeMap<Long, Double>> logged, String name,
      Stat stat, int points, long fromStep, long toStep, boolean rollups) {
    TreeMap<Long, Double> values = new TreeMap<>(logged.get(name).subMap(fromStep, true, toStep, true));
    if (values.isEmpty()) {
      return new Series(null, stat, 1, new long[0], new long[0], new double[0], new double[0]);
    }
    long from = values.firstKey(), to = values.lastKey(), span = to - from + 1;
    long bucket = span <= points ? 1 : (span + points - 2) / (points - 1);
    int level = 0;
    for (int l : Schema.ROLLUP_LEVELS) {
      if (l <= bucket) {
        level = l;
      }
    }
    TreeMap<Long, double[]> groups = new TreeMap<>(); // key -> first, last, lo, hi
    if (level == 0 || !rollups) {
      for (var e : values.entrySet()) {
        long key = Math.floorDiv(e.getKey() - from, bucket);
        double[] g = groups.computeIfAbsent(key, k -> new double[] {e.getKey(), e.getKey(), Double.NaN, Double.NaN});
        g[1] = e.getKey();
        g[2] = nanMin(g[2], e.getValue());
        g[3] = nanMax(g[3], e.getValue());
      }
      return series(bucket, groups);
    }
    long b = (bucket + level - 1) / level * level;
    long lo = Math.floorDiv(from, level), hi = Math.floorDiv(to, level);
    Set<Long> ofSeries = new HashSet<>(); // rollup buckets holding a value of this series
    TreeMap<Long, long[]> steps = new TreeMap<>(); // rollup bucket -> first, last step of any scalar
    for (Object[] v : all) {
      long step = (long) v[1];
      long rb = Math.floorDiv(step, level);
      long[] fl = steps.computeIfAbsent(rb, k -> new long[] {step, step});
      fl[0] = Math.min(fl[0], step);
      fl[1] = Math.max(fl[1], step);
      if (v[0].equals(name)) {
        ofSeries.add(rb);
      }
    }
    for (long rb = lo; rb <= hi; rb++) {
      if (!ofSeries.contains(rb)) {
        continue;
      }
      long[] fl = steps.get(rb);
      long key = Math.floorDiv(rb * level, b);
      double[] g = groups.get(key);
      if (g == null) {
        groups.put(key, g = new double[] {fl[0], fl[1], Double.NaN, Double.NaN});
      }
      g[1] = fl[1];
      for (Object[] v : all) {
        double x = (double) v[2];
        if (v[0].equals(name) && Math.floorDiv((long) v[1], level) == rb && Double.isFinite(x)) {
          double s = switch (stat) {
            case MIN, MAX, MEAN -> x;
            case STD -> 0;
            case NORM -> Math.abs(x);
          };
          g[2] = nanMin(g[2], s);
          g[3] = nanMax(g[3], s);
        }
      }
    }
    return series(b, groups);
  }

  private static Series series(long bucket, TreeMap<Long, double[]> groups) {
    int n = groups.size();
    long[] first = new long[n], last = new long[n];
    double[] lo = new double[n], hi = new double[n];
    int i = 0;
    for (double[] g : groups.values()) {
      first[i] = (long) g[0];
      last[i] = (long) g[1];
      lo[i] = g[2];
      hi[i] = g[3];
      i++;
    }
    return new Series(null, Stat.MEAN, bucket, first, last, lo, hi);
  }

  private static double nanMin(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
  }

  private static double nanMax(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }
}
