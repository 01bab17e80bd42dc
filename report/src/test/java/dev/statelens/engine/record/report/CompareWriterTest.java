package dev.statelens.engine.record.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.cpu.Matmul;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunFacts;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.Stat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code statelens report A.db B.db}: the comparison page of two runs recorded here with different learning rates. */
class CompareWriterTest {
  @TempDir Path dir;

  public record Params(Array w, Array b) {}

  public record Out(Params params, Array loss) {}

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  static Array loss(Params p, Array x, Array y) {
    return p.w().mul(x).add(p.b()).sub(y).square().mean();
  }

  /** {@code steps} SGD steps at {@code lr} (Optim: the recorder logs gradient norms), lr logged; returns the losses. */
  static double[] record(Path db, double lr, int steps) {
    Optim.Optimizer sgd = Optim.sgd(lr);
    Fn3<Params, Array, Array, Out> step = Transforms.jit("train", (Params p, Array x, Array y) -> {
      var lg = Transforms.valueAndGrad(CompareWriterTest::loss).apply(p, x, y);
      var r = sgd.update(lg.second(), sgd.init(p), p);
      return new Out(Optim.applyUpdates(p, r.first()), lg.first());
    });
    Array x = Array.of(0f, 1f, 2f, 3f), y = x.mul(2).sub(1);
    double[] losses = new double[steps];
    try (Recorder r = Recorder.open(db)) {
      Recorder.scalar("lr", lr);
      Params p = new Params(Array.scalar(0f), Array.scalar(0f));
      for (int i = 0; i < steps; i++) {
        Out o = step.apply(p, x, y);
        losses[i] = o.loss().item();
        p = o.params();
      }
    }
    return losses;
  }

  /** The values the page lists for {@code series} of {@code run}: each point's lo (one step per point here). */
  static List<double[]> values(String html, String series, String run) {
    Matcher m = Pattern.compile("<pre class=\"values\" data-series=\"" + Pattern.quote(series) + "\" data-run=\""
        + Pattern.quote(run) + "\">first_step last_step lo hi\n(.*?)</pre>", Pattern.DOTALL).matcher(html);
    assertTrue(m.find(), "no " + series + " values of " + run);
    List<double[]> out = new ArrayList<>();
    for (String line : m.group(1).strip().split("\n")) {
      String[] f = line.split(" ");
      out.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
          Double.parseDouble(f[3])});
    }
    return out;
  }

  @Test
  void thePageHoldsBothRunsLossAndNormsAndHighlightsTheFactsThatDiffer() throws Exception {
    Path a = dir.resolve("lr-0.02.db"), b = dir.resolve("lr-0.005.db");
    double[] la = record(a, 0.02, 60);
    double[] lb = record(b, 0.005, 35);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cl = ReportMain.commandLine();
    cl.setOut(new PrintWriter(new PrintStream(out), true));
    Path to = dir.resolve("cmp");
    assertEquals(0, cl.execute(a.toString(), b.toString(), "-o", to.toString()));
    assertTrue(out.toString().contains("comparison of 2 runs written to " + to.resolve("index.html")), out.toString());
    String html = Files.readString(to.resolve("index.html"));
    for (String[] run : new String[][] {{"lr-0.02.db"}, {"lr-0.005.db"}}) {
      double[] losses = run[0].equals("lr-0.02.db") ? la : lb;
      List<double[]> v = values(html, "loss", run[0]);
      assertEquals(losses.length, v.size(), run[0] + ": one point per step");
      for (int i = 0; i < losses.length; i++) {
        assertEquals(i, v.get(i)[0], run[0]);
        assertEquals(losses[i], v.get(i)[2], 1e-6 * Math.abs(losses[i]), run[0] + " loss at step " + i);
      }
      assertFalse(values(html, "grad_norm", run[0]).isEmpty());
      assertFalse(values(html, "update_norm", run[0]).isEmpty());
    }
    for (String png : List.of("compare-loss.png", "compare-grad_norm.png", "compare-update_norm.png")) {
      assertTrue(html.contains("<img src=\"" + png + "\""), png);
      BufferedImage img = ImageIO.read(to.resolve(png).toFile());
      assertTrue(img.getWidth() > 100 && img.getHeight() > 100, png);
    }
    assertTrue(html.contains("<tr class=\"differs\"><th>steps</th><td>60</td><td>35</td></tr>"), html);
    assertTrue(html.contains("<tr class=\"differs\"><th>lr</th><td>0.0200000</td><td>0.00500000</td></tr>"), html);
    assertTrue(html.contains("<tr><th>training step</th><td>train</td><td>train</td></tr>"), "same function, not highlighted");
    String cpu = "cpu: " + Matmul.describe();
    assertTrue(html.contains("<tr><th>backend</th><td>" + cpu + "</td><td>" + cpu + "</td></tr>"), "both ran here: " + html);
    assertFalse(html.contains("<p class=\"axis\""), "losses 9 to ~1e-2 and their norms stay on a linear axis");
  }

  @Test
  void aDivergingRunBesideAHealthyOneIsChartedOnLogYAndThePageSaysWhy() throws Exception {
    Path ok = dir.resolve("lr-0.02.db"), diverged = dir.resolve("lr-1.5.db");
    record(ok, 0.02, 40);
    double[] blowUp = record(diverged, 1.5, 40);
    Path to = dir.resolve("cmp");
    assertEquals(0, ReportMain.commandLine().execute(ok.toString(), diverged.toString(), "-o", to.toString()));
    String html = Files.readString(to.resolve("index.html"));
    double min = Double.POSITIVE_INFINITY, max = 0;
    for (String run : List.of("lr-0.02.db", "lr-1.5.db")) {
      for (double[] p : values(html, "loss", run)) {
        if (Double.isFinite(p[2]) && p[2] != 0) {
          min = Math.min(min, Math.abs(p[2]));
          max = Math.max(max, Math.abs(p[2]));
        }
      }
    }
    assertTrue(max > 1e12, "lr 1.5 blows the loss up: " + java.util.Arrays.toString(blowUp));
    Matcher axis = Pattern.compile("<p class=\"axis\" data-series=\"loss\">log y: values span (\\d)e(-?\\d+)…(\\d)e(-?\\d+)</p>")
        .matcher(html);
    assertTrue(axis.find(), html);
    assertEquals(Math.log10(min), Math.log10(Double.parseDouble(axis.group(1) + "e" + axis.group(2))), 0.5, "span's low end");
    assertEquals(Math.log10(max), Math.log10(Double.parseDouble(axis.group(3) + "e" + axis.group(4))), 0.5, "span's high end");
    assertTrue(html.indexOf("<p class=\"axis\" data-series=\"loss\">") < html.indexOf("<img src=\"compare-loss.png\""),
        "the note stands over its chart");
    BufferedImage img = ImageIO.read(to.resolve("compare-loss.png").toFile());
    assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
  }

  /** A one-point-per-step series of {@code values}. */
  static Series series(double... values) {
    long[] steps = new long[values.length];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i;
    }
    return new Series(null, Stat.MEAN, 1, steps, steps, values, values);
  }

  @Test
  void theChartsLogRuleIsTheIdesAndDrawsMagnitudes() {
    // a run at 1e30 and an alternating sign (a diverging leaf) beside one near 1: a magnitude beyond 1e12
    CompareWriter.Chart wide = CompareWriter.chart("loss", List.of("a", "b"),
        List.of(series(1.0, 0.5, 0.25), series(1.0, -1e10, 1e30, 0.0, Double.NaN)));
    assertTrue(wide.plot().getRangeAxis() instanceof LogAxis, "many decades: log y");
    assertEquals("|loss| (log)", wide.plot().getRangeAxis().getLabel());
    assertEquals("log y: values span 3e-1…1e30", wide.subtitle());
    YIntervalSeriesCollection data = (YIntervalSeriesCollection) wide.plot().getDataset();
    assertEquals(1e10, data.getYValue(1, 1), 1e-3, "drawn by magnitude");
    assertTrue(Double.isNaN(data.getYValue(1, 3)) && Double.isNaN(data.getYValue(1, 4)), "0 and NaN are gaps on log y");
    // one-signed, 1 to 1e-7: a ratio over 1e6
    assertTrue(CompareWriter.chart("loss", List.of("a", "b"), List.of(series(1, 1e-3), series(0.5, 9.6e-8)))
        .plot().getRangeAxis() instanceof LogAxis);
    // narrow, or crossing zero with a tiny magnitude at the crossing: linear, no note, values as they are
    for (List<Series> narrow : List.of(List.of(series(3.7, 0.2), series(6e-5, 1)),
        List.of(series(0.5, 2e-9), series(-0.3, 0.1)))) {
      CompareWriter.Chart c = CompareWriter.chart("loss", List.of("a", "b"), narrow);
      assertTrue(c.plot().getRangeAxis() instanceof NumberAxis && !(c.plot().getRangeAxis() instanceof LogAxis));
      assertEquals(null, c.subtitle());
      assertEquals(narrow.get(1).lo()[0], ((YIntervalSeriesCollection) c.plot().getDataset()).getYValue(1, 0));
    }
  }

  @Test
  void aFileThatIsNotARunIsNamedInOneLineAndNothingIsWritten() throws Exception {
    Path a = dir.resolve("a.db");
    record(a, 0.02, 5);
    Path bad = Files.writeString(dir.resolve("notes.db"), "not a database, just text that is long enough ".repeat(4));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = ReportMain.commandLine();
    cl.setErr(new PrintWriter(new PrintStream(err), true));
    Path to = dir.resolve("cmp");
    assertEquals(2, cl.execute(a.toString(), bad.toString(), "--out", to.toString()));
    assertEquals(List.of("statelens report: " + bad + " is not a StateLens run store: it is not an SQLite database "
        + "(wrong file header). Pass the .db file the recorder wrote."), err.toString().lines().toList());
    assertFalse(Files.exists(to), "no folder for a comparison that could not be read");
  }

  @Test
  void withoutOutTheComparisonGoesBesideTheFirstRun() {
    assertEquals(Path.of("runs/lr-0.1-vs-lr-0.01"),
        CompareWriter.defaultOut(List.of(Path.of("runs/lr-0.1.db"), Path.of("runs/lr-0.01.db"))));
    assertEquals(List.of("a/run.db", "b/run.db", "c.db"),
        RunFacts.names(List.of(Path.of("a/run.db"), Path.of("b/run.db"), Path.of("c.db"))));
  }
}
