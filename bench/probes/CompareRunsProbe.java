import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.Charts;
import dev.statelens.debugger.chart.RunComparison;
import dev.statelens.engine.Array;
import dev.statelens.engine.record.store.RunFacts;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunWriter;
import dev.statelens.engine.record.store.WriteTask;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compare Runs on two million-step runs: what the Compare view's Job reads (facts, loss, norms,
 * the shared leaf, downsampled to the chart's width) and what its canvases draw on the UI thread
 * (each chart rendered at the pane's size). Writes the runs once into java.io.tmpdir (about a
 * minute each), then best of 5, CPU time of this thread. Run (jars as in docs/benchmarks.md):
 * java -cp ENGINE:DEBUGGER:JFREECHART:SQLITE:... bench/probes/CompareRunsProbe.java [steps]
 */
public class CompareRunsProbe {
  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    List<Path> runs = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      Path db = Path.of(System.getProperty("java.io.tmpdir"), "statelens-compare-v2-" + steps + "-" + k + ".db");
      if (!complete(db, steps)) {
        Files.deleteIfExists(db);
        long t = System.nanoTime();
        write(db, steps, k == 0 ? 2e5 : 5e4, k + 1);
        System.out.printf("wrote %s in %.1f s%n", db, (System.nanoTime() - t) / 1e9);
      }
      runs.add(db);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int width = 1100, height = 260; // a chart of the Compare view at 1600x1000
    for (RunComparison.Steps range : List.of(RunComparison.Steps.ALL, new RunComparison.Steps(steps * 9L / 20, steps * 11L / 20 - 1))) {
      measure(runs, range, steps, mx, width, height);
    }
  }

  static void measure(List<Path> runs, RunComparison.Steps range, int steps, ThreadMXBean mx, int width, int height) {
    double bestRead = Double.MAX_VALUE, bestDraw = Double.MAX_VALUE;
    for (int rep = 0; rep < 6; rep++) {
      long c0 = mx.getCurrentThreadCpuTime();
      List<RunComparison.Side> sides = new ArrayList<>();
      List<String> names = RunFacts.names(runs);
      for (int i = 0; i < runs.size(); i++) {
        try (RunStore st = RunStore.open(runs.get(i))) {
          sides.add(RunComparison.read(st, names.get(i), width, null, range));
        }
      }
      String leaf = RunComparison.sharedLeaves(sides).get(0);
      for (int i = 0; i < runs.size(); i++) {
        try (RunStore st = RunStore.open(runs.get(i))) {
          sides.set(i, RunComparison.withLeaf(st, sides.get(i), leaf, width, range));
        }
      }
      List<ChartSpec> charts = RunComparison.charts(sides, leaf);
      long c1 = mx.getCurrentThreadCpuTime();
      for (ChartSpec c : charts) {
        Charts.render(c, width, height);
      }
      long c2 = mx.getCurrentThreadCpuTime();
      if (rep > 0) { // the first is warm-up
        bestRead = Math.min(bestRead, (c1 - c0) / 1e6);
        bestDraw = Math.min(bestDraw, (c2 - c1) / 1e6);
      }
      if (rep == 5) {
        System.out.printf("2 runs x %,d steps, %s: %d charts (%s), points per line %d; read (Job) %.1f ms CPU, "
            + "draw all charts at %dx%d (UI thread) %.1f ms CPU, best of 5%n", steps,
            range.equals(RunComparison.Steps.ALL) ? "all steps" : "zoomed to " + range.from() + ".." + range.to(),
            charts.size(), charts.stream().map(ChartSpec::title).toList(),
            charts.get(0).lines().get(0).series().size(), bestRead, width, height, bestDraw);
      }
    }
  }

  static boolean complete(Path db, int steps) {
    if (!Files.exists(db)) {
      return false;
    }
    try (RunStore s = RunStore.open(db)) {
      return s.isFinished() && s.callCount() == steps;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A synthetic run as SeriesReadBench's: drifting weights, a loss decaying with time constant {@code tau}. */
  static void write(Path db, int steps, double tau, long seed) {
    try (RunWriter w = RunWriter.create(db, RunWriter.Options.defaults())) {
      w.submit(new WriteTask.Function(1, "train"));
      List<String> in = List.of("params.w", "params.b", "arg1"), out = List.of("params.w", "params.b", "loss");
      w.submit(new WriteTask.Graph(0, 1, 0, 0, "bench", in, out, "{ lambda ; bench }", "{}"));
      Array x = Array.arange(64).astype(dev.statelens.engine.DType.F32);
      java.util.Random r = new java.util.Random(seed);
      float[] wv = new float[16];
      Array pw = Array.of(wv), pb = Array.scalar(0);
      for (int step = 0; step < steps; step++) {
        for (int i = 0; i < wv.length; i++) {
          wv[i] += (float) (r.nextGaussian() * 1e-3);
        }
        Array nw = Array.of(wv), nb = Array.scalar(step * 1e-6);
        Array l = Array.scalar(Math.exp(-step / tau) + 0.01 * Math.abs(r.nextGaussian()));
        w.submit(new WriteTask.Call(step, 1, step, 0, step == 0, null, step * 1000L, 1000, 0, null,
            in, List.of(pw, pb, x), out, List.of(nw, nb, l), new int[] {step == 0 ? -1 : 0, step == 0 ? -1 : 1, -1},
            out));
        w.submit(new WriteTask.Scalar("loss", step, step, l.item(), null)); // as the Recorder logs an output named loss
        pw = nw;
        pb = nb;
      }
    }
  }
}
