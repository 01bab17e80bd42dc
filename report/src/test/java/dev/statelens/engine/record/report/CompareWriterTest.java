package dev.statelens.engine.record.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
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
        CompareWriter.names(List.of(Path.of("a/run.db"), Path.of("b/run.db"), Path.of("c.db"))));
  }
}
