package dev.statelens.bench;

import dev.statelens.engine.record.store.FunctionInfo;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The State Flow view opening a 1,000,000-step run and drawing its first screen, minus SWT: open
 * the store, read the overview (functions, events, scalars, call count: debugger RunSummary.load),
 * the last step's state with its Δ from the step before (StepState.load), two series at one point
 * per pixel of a 1600 px chart (the loss and a leaf's norm), and render them with JFreeChart as
 * the debugger's Charts.render does (min/max envelope, two points per bucket), and the norms chart's
 * two update-norm series the same way. Uses the 1M-step
 * store of {@link SeriesReadBench} (written on first use).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DebuggerOpenBench {
  static final int PIXELS = 1600;
  private Path db;

  @Setup
  public void setup() {
    db = SeriesReadBench.dbPath();
    if (!Files.exists(db)) {
      SeriesReadBench.write(db);
    }
  }

  @Benchmark
  public BufferedImage openAndChart1MSteps() {
    try (RunStore store = RunStore.open(db)) {
      List<FunctionInfo> functions = store.functions();
      store.events();
      List<SeriesInfo> scalars = store.scalars();
      store.callCount();
      store.isFinished();
      FunctionInfo main = functions.stream().max(Comparator.comparingLong(FunctionInfo::calls)).orElseThrow();
      long last = main.lastStep();
      store.calls(main.name(), last, last);
      store.state(main.name(), last);
      store.diff(main.name(), last - 1, last);
      store.links(main.name());
      SeriesInfo loss = scalars.stream().filter(s -> s.path().equals("loss")).findFirst()
          .orElseGet(() -> store.seriesInfo(main.name(), "out", "loss"));
      Series a = store.series(loss, Stat.MEAN, PIXELS);
      Series b = store.series(store.seriesInfo(main.name(), "out", "params.w"), Stat.NORM, PIXELS);
      // the gradient & update norms chart: the global update norm and the leaf's (written by the
      // run writer for every state link)
      List<Series> norms = scalars.stream()
          .filter(s -> s.path().equals("update_norm") || s.path().equals("update_norm/params.w"))
          .map(s -> store.series(s, Stat.MEAN, PIXELS))
          .toList();
      if (norms.size() != 2) {
        throw new IllegalStateException("the 1M-step run has no update norms: delete " + db + " to rewrite it");
      }
      render(norms.toArray(Series[]::new));
      return render(a, b);
    }
  }

  static BufferedImage render(Series... series) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries xy = new XYSeries(s.info().path(), false, true);
      for (int i = 0; i < s.size(); i++) {
        double x = (s.firstStep()[i] + s.lastStep()[i]) / 2.0;
        xy.add(x, s.lo()[i]);
        xy.add(x, s.hi()[i]);
      }
      data.addSeries(xy);
    }
    XYPlot plot = new XYPlot(data, new NumberAxis("step"), new NumberAxis("value"), new XYLineAndShapeRenderer(true, false));
    JFreeChart chart = new JFreeChart("bench", plot);
    BufferedImage img = new BufferedImage(PIXELS, 450, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    chart.draw(g, new Rectangle2D.Double(0, 0, PIXELS, 450));
    g.dispose();
    return img;
  }
}
