package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunWriter;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import dev.statelens.engine.record.store.WriteTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a chart series from a long run: 1,000,000 recorded steps of a function with a weight
 * vector (f32[16]), a bias and a loss, one leaf series downsampled to 2,000 points. Target:
 * under 200 ms. Also the writer's own scalars (the update norm of every state link, one value per
 * step): the whole series and a 20,000-step window (read value by value from the packed chunks).
 * The run store is written once (about a minute) and kept in java.io.tmpdir as
 * {@value #DB_NAME} for later runs; {@code -Dstatelens.bench.run=FILE} reads another run of the
 * same program instead (e.g. one written by an older build, to compare schema versions).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SeriesReadBench {
  static final int STEPS = 1_000_000;
  /** v4: run store schema 3 (packed scalars); v3 was schema 2 with update norms, v2 before them. */
  static final String DB_NAME = "statelens-bench-1M-v4.db";

  static Path dbPath() {
    String other = System.getProperty("statelens.bench.run");
    return other != null ? Path.of(other) : Path.of(System.getProperty("java.io.tmpdir"), DB_NAME);
  }

  private RunStore store;
  private SeriesInfo weight;
  private SeriesInfo loss;
  private SeriesInfo updateNorm;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    Path db = dbPath();
    if (!Files.exists(db) || !complete(db)) {
      write(db);
    }
    store = RunStore.open(db);
    weight = store.seriesInfo("train", "out", "params.w");
    loss = store.seriesInfo("train", "out", "loss");
    updateNorm = store.scalar("update_norm").orElseThrow();
  }

  private static boolean complete(Path db) {
    try (RunStore s = RunStore.open(db)) {
      return s.isFinished() && s.callCount() == STEPS;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A synthetic training run: the weights drift, the loss decays with noise. */
  static void write(Path db) {
    try (RunWriter w = RunWriter.create(db, RunWriter.Options.defaults())) {
      w.submit(new WriteTask.Function(1, "train"));
      List<String> in = List.of("params.w", "params.b", "arg1"), out = List.of("params.w", "params.b", "loss");
      w.submit(new WriteTask.Graph(0, 1, 0, 0, "bench", in, out, "{ lambda ; bench }", "{}"));
      Array x = Array.arange(64).astype(dev.statelens.engine.DType.F32);
      java.util.Random r = new java.util.Random(1);
      float[] wv = new float[16];
      Array pw = Array.of(wv), pb = Array.scalar(0);
      for (int step = 0; step < STEPS; step++) {
        for (int i = 0; i < wv.length; i++) {
          wv[i] += (float) (r.nextGaussian() * 1e-3);
        }
        Array nw = Array.of(wv), nb = Array.scalar(step * 1e-6);
        Array l = Array.scalar(Math.exp(-step / 2e5) + 0.01 * r.nextGaussian());
        w.submit(new WriteTask.Call(step, 1, step, 0, step == 0, null, step * 1000L, 1000, 0, null,
            in, List.of(pw, pb, x), out, List.of(nw, nb, l), new int[] {step == 0 ? -1 : 0, step == 0 ? -1 : 1, -1},
            out));
        pw = nw;
        pb = nb;
      }
    }
  }

  @Benchmark
  public Series leafMeanTo2000Points() {
    return store.series(weight, Stat.MEAN, 2000);
  }

  @Benchmark
  public Series lossTo2000Points() {
    return store.series(loss, Stat.MEAN, 2000);
  }

  /** A zoomed chart: 100,000 steps in the middle of the run, 2,000 points. */
  @Benchmark
  public Series leafNormWindowTo2000Points() {
    return store.series(weight, Stat.NORM, 2000, 450_000, 549_999);
  }

  /** A logged scalar (the writer's global update norm, every step) to 2,000 points: its rollups. */
  @Benchmark
  public Series updateNormTo2000Points() {
    return store.series(updateNorm, Stat.MEAN, 2000);
  }

  /** A zoomed scalar chart below the rollups' resolution: 20,000 steps, every value read. */
  @Benchmark
  public Series updateNormWindowTo2000Points() {
    return store.series(updateNorm, Stat.MEAN, 2000, 450_000, 469_999);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }
}
