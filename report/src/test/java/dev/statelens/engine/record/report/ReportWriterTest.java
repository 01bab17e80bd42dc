package dev.statelens.engine.record.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportWriterTest {
  @TempDir Path dir;

  public record Params(Array w, Array b) {}

  public record Out(Params params, Array loss) {}

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  private Path recordLinreg(int steps, boolean stale) {
    Fn3<Params, Array, Array, Out> step = Transforms.jit("train", (Params p, Array x, Array y) -> {
      Array err = p.w().mul(x).add(p.b()).sub(y);
      Array gw = err.mul(x).mean().mul(2), gb = err.mean().mul(2);
      return new Out(new Params(p.w().sub(gw.mul(0.01)), p.b().sub(gb.mul(0.01))), err.square().mean());
    });
    Array x = Array.of(0f, 1f, 2f, 3f), y = x.mul(2).sub(1);
    Path db = dir.resolve("run.db");
    try (Recorder r = Recorder.open(db)) {
      Params p = new Params(Array.scalar(0), Array.scalar(0));
      for (int i = 0; i < steps; i++) {
        Out o = step.apply(p, x, y);
        if (!stale) {
          p = o.params();
        }
      }
    }
    return db;
  }

  @Test
  void reportHasLossLeavesEventsAndGraph() throws Exception {
    Path db = recordLinreg(3000, false);
    Path out = System.getenv("STATELENS_REPORT_KEEP") != null ? Path.of(System.getenv("STATELENS_REPORT_KEEP")) : dir.resolve("report");
    Path index = new ReportWriter(500, 40).write(db, out);
    String html = Files.readString(index);
    assertTrue(html.contains("<img src=\"loss.png\""), html);
    assertTrue(html.contains("jit(train)"));
    assertTrue(html.contains("State leaves"));
    assertTrue(html.contains("<code>params.w</code>") && html.contains("<code>params.b</code>"));
    assertTrue(html.contains("fn1-graph0.png"));
    assertTrue(html.contains("dot_general") || html.contains("mul"), "the jaxpr text is shown");
    assertTrue(html.contains("7 step(s) per point"), "3000 steps at 500 points: 7 steps per point");
    // the loss falls, so the first point's 7 steps span a range: shown as min..max, not as its min
    assertTrue(java.util.regex.Pattern.compile("first [-0-9.e+]+\\.\\.[-0-9.e+]+, last ").matcher(html).find(), html);
    for (String png : new String[] {"loss.png", "fn1-leaf0.png", "fn1-leaf1.png", "fn1-graph0.png"}) {
      BufferedImage img = ImageIO.read(out.resolve(png).toFile());
      assertTrue(img.getWidth() > 100 && img.getHeight() > 100, png);
    }
  }

  @Test
  void versionAnswers() {
    java.io.StringWriter out = new java.io.StringWriter();
    CommandLine cl = ReportMain.commandLine();
    cl.setOut(new java.io.PrintWriter(out, true));
    assertEquals(0, cl.execute("--version"));
    assertEquals("statelens 0.1.0", out.toString().strip());
  }

  @Test
  void aPointOfOneValueShowsTheValueAPointOfSeveralItsRange() {
    assertEquals("3.00000", ReportWriter.range(3, 3));
    assertEquals("2.10000..3.70000", ReportWriter.range(2.1, 3.7));
    assertEquals("NaN", ReportWriter.range(Double.NaN, Double.NaN));
  }

  @Test
  void theGlobalUpdateNormIsChartedThePerLeafNormsAreNot() throws Exception {
    Path db = recordLinreg(20, false); // state threaded: the recorder logs update norms
    String html = Files.readString(new ReportWriter(2000, 40).write(db, dir.resolve("norms")));
    assertTrue(html.contains("<h3>update_norm</h3>"), html);
    assertTrue(!html.contains("update_norm/params.w") && !html.contains("update_ratio/"), "per-leaf norms left out");
  }

  @Test
  void staleRunShowsTheEvent() throws Exception {
    Path db = recordLinreg(5, true);
    Path index = new ReportWriter(2000, 40).write(db, dir.resolve("stale"));
    String html = Files.readString(index);
    assertTrue(html.contains("class=\"stale_state\""), html);
    assertTrue(html.contains("No state threading was seen"), "no state leaves: outputs are charted");
  }

  @Test
  void aDivergedRunStillGetsItsReportWithTheInfAndNanStepsAsEvents() throws Exception {
    // a loss and params that overflow to Infinity, then NaN (Inf - Inf): JFreeChart cannot scale an
    // axis to infinity, and the report used to fail with "statelens report: Must be finite."
    Fn3<Params, Array, Array, Out> step = Transforms.jit("train", (Params p, Array x, Array y) -> {
      Array w = p.w().mul(1e6f);
      return new Out(new Params(w, w.sub(w)), w.sum());
    });
    Path db = dir.resolve("diverged.db");
    try (Recorder r = Recorder.open(db)) {
      Params p = new Params(Array.scalar(1), Array.scalar(0));
      for (int i = 0; i < 12; i++) {
        p = step.apply(p, Array.scalar(0), Array.scalar(0)).params();
      }
    }
    Path out = dir.resolve("diverged");
    String html = Files.readString(new ReportWriter(2000, 40).write(db, out));
    assertTrue(html.contains("class=\"first_inf\"") && html.contains("class=\"first_nan\""), html);
    assertTrue(html.contains("last Infinity") || html.contains("last NaN"), "the loss summary shows the non-finite end");
    for (String png : new String[] {"loss.png", "fn1-leaf0.png", "fn1-leaf1.png"}) {
      assertTrue(ImageIO.read(out.resolve(png).toFile()).getWidth() > 100, png);
    }
  }

  @Test
  void aRunThatCannotBeOpenedLeavesNoReportFolder() throws Exception {
    Path notARun = Files.writeString(dir.resolve("notes.db"), "not a database, just text that is long enough ".repeat(4));
    Path out = dir.resolve("never");
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        dev.statelens.engine.record.store.RunStoreException.class, () -> new ReportWriter(2000, 40).write(notARun, out));
    assertTrue(e.summary().contains("is not a StateLens run store") && e.summary().contains("Pass the .db file"),
        e.getMessage());
    assertTrue(!Files.exists(out), "no empty report folder for a run that could not be read");
  }

  @Test
  void cliShowsTheSentenceAndSqlitesReportIndentedBelowIt() throws Exception {
    // the right magic and nothing behind it: SQLite itself refuses the file
    byte[] b = new byte[4096];
    System.arraycopy("SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, 16);
    Path broken = Files.write(dir.resolve("broken.db"), b);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = ReportMain.commandLine();
    cl.setErr(new java.io.PrintWriter(new PrintStream(err), true));
    assertEquals(2, cl.execute(broken.toString(), "--out", dir.resolve("r").toString()));
    List<String> lines = err.toString().lines().toList();
    assertEquals(2, lines.size(), err.toString());
    assertEquals("statelens report: " + broken + " is corrupt. Use an intact copy or re-record the run.", lines.get(0));
    assertTrue(lines.get(1).startsWith("  (SQLite: [SQLITE_NOTADB] ") && lines.get(1).endsWith(")"), lines.get(1));

    err.reset(); // a problem StateLens found itself has no second line
    Path notARun = Files.writeString(dir.resolve("notes.db"), "not a database, just text that is long enough ".repeat(4));
    assertEquals(2, cl.execute(notARun.toString(), "--out", dir.resolve("r").toString()));
    assertEquals(List.of("statelens report: " + notARun + " is not a StateLens run store: it is not an SQLite database "
        + "(wrong file header). Pass the .db file the recorder wrote."), err.toString().lines().toList());
  }

  @Test
  void cliReportsBadInputClearly() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = ReportMain.commandLine();
    cl.setErr(new java.io.PrintWriter(new PrintStream(err), true));
    int code = cl.execute(dir.resolve("missing.db").toString(), "--out", dir.resolve("x").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("statelens report: no run store at ") && err.toString().contains("does not exist"),
        err.toString());
    err.reset();
    assertEquals(2, cl.execute(dir.resolve("run.db").toString(), "--points", "x"));
    assertEquals(List.of("statelens report: Invalid value for option '--points': 'x' is not an int",
        "Run './statelens report --help' for the options."), err.toString().lines().toList(), "one line, not the help page");
    err.reset();
    assertEquals(2, cl.execute());
    assertTrue(err.toString().startsWith("statelens report: no RUN.db given: name the run file the recorder wrote, "
        + "e.g. ./statelens report runs/linreg.db"), err.toString());
    err.reset();
    // an unknown option alone was reported as a missing RUN.db (picocli checks that first)
    assertEquals(2, cl.execute("--bogus"));
    assertEquals(List.of("statelens report: Unknown option: '--bogus'", "Run './statelens report --help' for the options."),
        err.toString().lines().toList());
    err.reset();
    assertEquals(2, cl.execute(dir.resolve("run.db").toString(), "--out"));
    assertTrue(err.toString().startsWith("statelens report: Missing required parameter for option '--out'"), err.toString());
  }

  @Test
  void withoutOutTheReportGoesBesideTheRun() throws Exception {
    Path db = recordLinreg(5, false);
    Path expected = db.resolveSibling(db.getFileName().toString().replace(".db", "-report"));
    assertEquals(expected, ReportMain.defaultOut(db));
    assertEquals(Path.of("runs/x.sqlite-report"), ReportMain.defaultOut(Path.of("runs/x.sqlite")));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = ReportMain.commandLine();
    cl.setErr(new java.io.PrintWriter(new PrintStream(err), true));
    assertEquals(0, cl.execute(db.toString()), err.toString());
    assertTrue(Files.isRegularFile(expected.resolve("index.html")), "index.html in " + expected);
  }

  @Test
  void anOutputThatCannotBeWrittenIsOneLineWithTheFixNotAStackTrace() throws Exception {
    Path db = recordLinreg(5, false);
    Path aFile = Files.writeString(dir.resolve("taken"), "a file where the report folder should go");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = ReportMain.commandLine();
    cl.setErr(new java.io.PrintWriter(new PrintStream(err), true));
    assertEquals(2, cl.execute(db.toString(), "--out", aFile.toString()));
    assertEquals("statelens report: cannot write the report to " + aFile + ": " + aFile + " exists and is not a folder. "
        + "Pass a folder you can write with --out DIR (it is created if missing).", err.toString().strip());
    err.reset();
    assertEquals(2, cl.execute(db.toString(), "--out", dir.resolve("r").toString(), "--max-leaves", "-1"));
    assertTrue(err.toString().contains("--max-leaves must be 0 or more, got -1"), err.toString());
  }

  /**
   * A run whose recorder died (kill -9) still reports, and says so as the debugger does: its status
   * is still "running", its process gone. Simulated by a cleanly recorded run marked running by a
   * process that has exited.
   */
  @Test
  void aKilledRunReportsWhereItsProcessStopped() throws Exception {
    Path db = recordLinreg(5, false);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
      st.executeUpdate("UPDATE meta SET value = 'running' WHERE key = 'status'");
      st.executeUpdate("UPDATE meta SET value = '" + gone.pid() + "' WHERE key = 'pid'");
    }
    String note = "the process (pid " + gone.pid() + ") stopped at step 4 without closing the run: this is what it recorded";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(out, true));
    try {
      assertEquals(0, ReportMain.commandLine().execute(db.toString(), "--out", dir.resolve("killed").toString()));
    } finally {
      System.setOut(stdout);
    }
    assertTrue(out.toString().contains("statelens: " + db + ": " + note), out.toString());
    String html = Files.readString(dir.resolve("killed/index.html"));
    assertTrue(html.contains("status <b>running</b> (" + note + "), 5 jitted calls"), html);
  }
}
