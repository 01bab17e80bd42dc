package dev.statelens.engine.record.report;

import dev.statelens.engine.record.report.ReportWriter.Html;
import dev.statelens.engine.record.store.RunFacts;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import dev.statelens.engine.record.store.ValueSpan;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.YIntervalSeries;

/**
 * {@code statelens report A.db B.db [...]}: one HTML page comparing runs — the loss and the
 * gradient/update norms overlaid (one line per run, by step; drawn by the report's {@link Charts}
 * as the single-run report draws them) and a table of each run's facts ({@link RunFacts}) with
 * the rows that differ highlighted. Each chart's values are on the page too (under "values"), so
 * the comparison can be read or checked without the PNGs. A chart whose values span many decades
 * (a diverging run beside a healthy one) is drawn on log y, by the IDE's rule ({@link ValueSpan}).
 */
public final class CompareWriter {
  /** The logged series compared, in order, when every run has them. */
  static final List<String> SERIES = List.of("loss", "grad_norm", "update_norm");
  private static final Color[] RUN_COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

  private final int points;

  public CompareWriter(int points) {
    this.points = points;
  }

  /** A run opened for the comparison: its label (file name, with its folder where two share one) and store. */
  private record Opened(String name, RunStore store) {}

  /**
   * Writes {@code out/index.html} comparing {@code runs} (two or more); returns its path. Every
   * run is opened before anything is written: a file that is not a readable run throws the run
   * store's error, which names it, and leaves no folder behind.
   */
  public Path write(List<Path> runs, Path out) throws IOException {
    if (runs.size() < 2) {
      throw new IllegalArgumentException("a comparison needs two or more runs, got " + runs.size());
    }
    List<String> names = RunFacts.names(runs);
    List<Opened> opened = new ArrayList<>();
    try {
      for (int i = 0; i < runs.size(); i++) {
        opened.add(new Opened(names.get(i), RunStore.open(runs.get(i))));
      }
      Files.createDirectories(out);
      return writePage(opened, out);
    } finally {
      for (Opened o : opened) {
        o.store().close();
      }
    }
  }

  private Path writePage(List<Opened> runs, Path out) throws IOException {
    Html h = new Html();
    String title = "StateLens comparison: " + String.join(" vs ", runs.stream().map(Opened::name).toList());
    h.raw("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Html.esc(title) + "</title><style>" + CSS
        + "</style></head><body>");
    h.raw("<h1>" + Html.esc(title) + "</h1>");
    h.raw("<p>One line per run, aligned by step (each point the min..max band of the steps it covers, at most "
        + points + " points per run); a run with fewer steps ends its line early.</p>");
    h.raw("<h2>Facts</h2><table class=\"facts\"><tr><th></th>");
    for (int i = 0; i < runs.size(); i++) {
      h.raw("<th title=\"" + Html.esc(runs.get(i).store().path().toString()) + "\" style=\"color:" + hex(colour(i)) + "\">"
          + Html.esc(runs.get(i).name()) + "</th>");
    }
    h.raw("</tr>");
    List<RunFacts> facts = runs.stream().map(r -> RunFacts.read(r.store(), r.name())).toList();
    for (RunFacts.Row row : RunFacts.table(facts)) {
      h.raw("<tr" + (row.differs() ? " class=\"differs\"" : "") + "><th>" + Html.esc(row.label()) + "</th>"
          + String.join("", row.cells().stream().map(c -> "<td>" + Html.esc(c) + "</td>").toList()) + "</tr>");
    }
    h.raw("</table><p>Highlighted: the rows that differ. The run store records no hyperparameters of its own: "
        + "a scalar logged with one value (<code>Recorder.scalar(\"lr\", 0.01)</code>) is listed as a setting.</p>");
    int charted = 0;
    for (String name : SERIES) {
      List<Optional<SeriesInfo>> infos = runs.stream().map(r -> r.store().scalar(name)).toList();
      if (infos.stream().anyMatch(Optional::isEmpty)) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
          if (infos.get(i).isEmpty()) {
            missing.add(runs.get(i).name());
          }
        }
        if (missing.size() < runs.size()) {
          h.raw("<p>No <code>" + name + "</code> chart: " + Html.esc(String.join(", ", missing)) + " logged none.</p>");
        }
        continue;
      }
      List<Series> series = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        series.add(runs.get(i).store().series(infos.get(i).get(), Stat.MEAN, points));
      }
      String file = "compare-" + name + ".png";
      Chart chart = chart(name, runs.stream().map(Opened::name).toList(), series);
      Charts.save(out.resolve(file), name, chart.subtitle(), 380, List.of(), chart.plot());
      h.raw("<h2>" + Html.esc(name) + "</h2>");
      if (chart.subtitle() != null) {
        h.raw("<p class=\"axis\" data-series=\"" + Html.esc(name) + "\">" + Html.esc(chart.subtitle()) + "</p>");
      }
      h.raw("<img src=\"" + file + "\" alt=\"" + Html.esc(name) + " of each run\">");
      h.raw("<details><summary>values</summary>");
      for (int i = 0; i < runs.size(); i++) {
        h.raw("<h4>" + Html.esc(runs.get(i).name()) + "</h4>" + values(name, runs.get(i).name(), series.get(i)));
      }
      h.raw("</details>");
      charted++;
    }
    if (charted == 0) {
      h.raw("<p>No series all runs logged: return a scalar output named <code>loss</code> from the jitted step.</p>");
    }
    h.raw("</body></html>");
    Path index = out.resolve("index.html");
    Files.writeString(index, h.toString());
    return index;
  }

  /** One comparison chart: its plot and the line under its title (null: none; why the axis is log). */
  record Chart(XYPlot plot, String subtitle) {}

  /**
   * The chart of one series of every run ({@code names} and {@code series} in run order): on log y
   * when the values of all runs together span many decades ({@link ValueSpan#isWide}), the
   * subtitle then saying so, as the IDE's comparison does before the user picks an axis.
   */
  static Chart chart(String name, List<String> names, List<Series> series) {
    ValueSpan span = ValueSpan.of(series);
    boolean log = span != null && span.isWide();
    List<YIntervalSeries> bands = new ArrayList<>();
    Color[] colours = new Color[series.size()];
    for (int i = 0; i < series.size(); i++) {
      bands.add(Charts.band(names.get(i), series.get(i), log));
      colours[i] = colour(i);
    }
    return new Chart(Charts.plot(name, log, bands, colours), log ? "log y: " + span.label() : null);
  }

  /**
   * One run's points of one chart, a line each: {@code first_step last_step lo hi} (one step per
   * point when the run is shorter than the chart's points).
   */
  static String values(String series, String run, Series s) {
    StringBuilder sb = new StringBuilder("<pre class=\"values\" data-series=\"" + Html.esc(series) + "\" data-run=\""
        + Html.esc(run) + "\">first_step last_step lo hi\n");
    for (int i = 0; i < s.size(); i++) {
      sb.append(s.firstStep()[i]).append(' ').append(s.lastStep()[i]).append(' ').append(s.lo()[i]).append(' ')
          .append(s.hi()[i]).append('\n');
    }
    return sb.append("</pre>").toString();
  }

  private static Color colour(int i) {
    return RUN_COLOURS[i % RUN_COLOURS.length];
  }

  private static String hex(Color c) {
    return String.format("#%06x", c.getRGB() & 0xffffff);
  }

  /** Where the comparison goes without --out: beside the first run, {@code a-vs-b} (runs/lr-0.1.db, runs/lr-0.01.db → runs/lr-0.1-vs-lr-0.01). */
  static Path defaultOut(List<Path> runs) {
    List<String> stems = runs.stream().map(p -> {
      String n = p.getFileName().toString();
      return n.endsWith(".db") && n.length() > 3 ? n.substring(0, n.length() - 3) : n;
    }).toList();
    return runs.get(0).resolveSibling(String.join("-vs-", stems));
  }

  private static final String CSS = "body{font-family:sans-serif;margin:2em;max-width:1100px}"
      + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
      + "tr.differs td{background:#fff2c8;font-weight:bold}pre.values{font-size:11px;max-height:20em;overflow:auto}"
      + "p.axis{color:#555;margin:0 0 4px}";
}
