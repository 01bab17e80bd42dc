package dev.statelens.engine.record.report;

import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.FunctionInfo;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.RunFiles;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the headless report of a run: {@code index.html} beside PNGs (loss and other scalars,
 * each state leaf's trajectory and L2 norm, each function's traced graph). Charts are read
 * downsampled, so runs of any length take about the same time.
 */
public final class ReportWriter {
  private static final int MAX_EVENTS = 500;
  private static final int MAX_MARKERS = 20;
  private static final Color BLUE = new Color(30, 90, 200), RED = new Color(200, 40, 40),
      GREEN = new Color(30, 150, 60), GRAY = new Color(120, 120, 120);

  private final int points;
  private final int maxLeaves;

  public ReportWriter(int points, int maxLeaves) {
    this.points = points;
    this.maxLeaves = maxLeaves;
  }

  /**
   * For a run that was not closed, what that means, in the debugger's words: "the process (pid
   * 4711) stopped at step 352 without closing the run: this is what it recorded" (killed or
   * crashed) or "being recorded by process 4711: this is what it has committed so far"; empty for
   * a finished run.
   */
  public static Optional<String> recordingNote(RunStore store) {
    if (store.isFinished()) {
      return Optional.empty();
    }
    long pid = RunFiles.pid(store.meta());
    String process = pid > 0 ? "process " + pid : "the recording process";
    if (pid > 0 && RunFiles.writerAlive(pid, store.path())) {
      return Optional.of("being recorded by " + process + ": this is what it has committed so far");
    }
    long last = store.functions().stream().mapToLong(FunctionInfo::lastStep).max().orElse(-1);
    return Optional.of((pid > 0 ? "the process (pid " + pid + ")" : "the recording process") + " stopped"
        + (last >= 0 ? " at step " + last : " before its first jitted call")
        + " without closing the run: this is what it recorded");
  }

  /** Writes the report of {@code run} into {@code out}; returns the index.html path. */
  public Path write(Path run, Path out) throws IOException {
    try (RunStore store = RunStore.open(run)) {
      Files.createDirectories(out); // after the open: a run that cannot be read leaves no empty folder
      Html h = new Html();
      Map<String, String> meta = store.meta();
      h.raw("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>StateLens run "
          + Html.esc(run.getFileName().toString()) + "</title><style>" + CSS + "</style></head><body>");
      h.raw("<h1>StateLens run <code>" + Html.esc(run.getFileName().toString()) + "</code></h1>");
      h.raw("<p>Recorded " + Html.esc(meta.getOrDefault("created", "?")) + ", status <b>"
          + Html.esc(meta.getOrDefault("status", "?")) + "</b>" + recordingNote(store).map(n -> " (" + Html.esc(n) + ")")
          .orElse("") + ", " + store.callCount()
          + " jitted calls. Charts show each point's min..max band over the steps it covers (at most "
          + points + " points per chart); NaN and infinite values are gaps (see Events).</p>");
      List<EventInfo> events = store.events();
      List<EventInfo> markers = events.stream().filter(e -> !e.kind().equals("retrace") || e.step() != null)
          .limit(MAX_MARKERS).toList();

      h.raw("<h2>Functions</h2><table><tr><th>function</th><th>calls</th><th>last step</th><th>graphs</th></tr>");
      List<FunctionInfo> functions = store.functions();
      for (FunctionInfo f : functions) {
        h.raw("<tr><td><a href=\"#fn-" + f.id() + "\"><code>" + Html.esc(f.name()) + "</code></a></td><td>" + f.calls()
            + "</td><td>" + f.lastStep() + "</td><td>" + f.graphs() + "</td></tr>");
      }
      h.raw("</table>");

      h.raw("<h2>Loss</h2>");
      Optional<SeriesInfo> loss = store.scalar("loss");
      if (loss.isPresent()) {
        Series s = store.series(loss.get(), Stat.MEAN, points);
        Charts.save(out.resolve("loss.png"), "loss", 380, markers, Charts.plot("loss", List.of(Charts.band("loss", s)), RED));
        h.raw("<img src=\"loss.png\" alt=\"loss curve\">");
        h.raw("<p>" + summary(s) + "</p>");
      } else {
        h.raw("<p>No loss recorded: return a scalar output named <code>loss</code> from the jitted step "
            + "(e.g. a record component) or call <code>Recorder.scalar(\"loss\", x)</code>.</p>");
      }
      int n = 0;
      for (SeriesInfo sc : store.scalars()) {
        if (sc.path().equals("loss") || isPerLeafNorm(sc.path())) {
          continue;
        }
        String file = "scalar-" + n++ + ".png";
        Series s = store.series(sc, Stat.MEAN, points);
        Charts.save(out.resolve(file), sc.path(), 300, markers, Charts.plot(sc.path(), List.of(Charts.band(sc.path(), s)), BLUE));
        h.raw("<h3>" + Html.esc(sc.path()) + "</h3><img src=\"" + file + "\" alt=\"" + Html.esc(sc.path()) + "\">");
      }

      h.raw("<h2>Events</h2>");
      if (events.isEmpty()) {
        h.raw("<p>None: no NaN/Inf, retrace, stale state or tracer leak.</p>");
      } else {
        h.raw("<table><tr><th>step</th><th>function</th><th>kind</th><th>leaf</th><th>message</th></tr>");
        for (EventInfo e : events.stream().limit(MAX_EVENTS).toList()) {
          h.raw("<tr class=\"" + Html.esc(e.kind()) + "\"><td>" + (e.step() == null ? "" : e.step()) + "</td><td>"
              + Html.esc(e.function()) + "</td><td>" + Html.esc(e.kind()) + "</td><td><code>" + Html.esc(e.path())
              + "</code></td><td>" + Html.esc(e.message()) + "</td></tr>");
        }
        h.raw("</table>");
        if (events.size() > MAX_EVENTS) {
          h.raw("<p>" + (events.size() - MAX_EVENTS) + " more events in the run store (table <code>events</code>).</p>");
        }
      }

      for (FunctionInfo f : functions) {
        writeFunction(store, f, out, h, markers);
      }
      h.raw("</body></html>");
      Path index = out.resolve("index.html");
      Files.writeString(index, h.toString());
      return index;
    }
  }

  private void writeFunction(RunStore store, FunctionInfo f, Path out, Html h, List<EventInfo> markers)
      throws IOException {
    h.raw("<h2 id=\"fn-" + f.id() + "\">jit(" + Html.esc(f.name()) + ")</h2>");
    List<GraphInfo> graphs = store.graphs(f.name());
    Set<String> state = new LinkedHashSet<>();
    for (GraphInfo g : graphs) {
      state.addAll(g.stateInputs());
    }
    List<SeriesInfo> all = store.series(f.name());
    List<SeriesInfo> chosen = new ArrayList<>();
    String what;
    if (!state.isEmpty()) {
      all.stream().filter(s -> s.role().equals("in") && state.contains(s.path())).forEach(chosen::add);
      what = "State leaves (inputs that were the previous call's outputs)";
    } else {
      all.stream().filter(s -> s.role().equals("out")).forEach(chosen::add);
      what = "No state threading was seen; output leaves";
    }
    h.raw("<h3>" + what + "</h3>");
    int k = 0;
    for (SeriesInfo s : chosen) {
      if (k >= maxLeaves) {
        h.raw("<p>" + (chosen.size() - maxLeaves) + " more leaves not charted (--max-leaves).</p>");
        break;
      }
      String file = "fn" + f.id() + "-leaf" + k++ + ".png";
      Series mean = store.series(s, Stat.MEAN, points);
      Series min = store.series(s, Stat.MIN, points);
      Series max = store.series(s, Stat.MAX, points);
      Series norm = store.series(s, Stat.NORM, points);
      Charts.save(out.resolve(file), s.role() + " " + s.path(), 420, markers,
          Charts.plot("value", List.of(Charts.band("mean", mean), Charts.band("min", min), Charts.band("max", max)), BLUE, GRAY, GRAY),
          Charts.plot("L2 norm", List.of(Charts.band("norm", norm)), GREEN));
      h.raw("<h4><code>" + Html.esc(s.path()) + "</code></h4><img src=\"" + file + "\" alt=\"" + Html.esc(s.path()) + "\">");
    }
    h.raw("<h3>Traced graph" + (graphs.size() > 1 ? "s (" + graphs.size() + " traces)" : "") + "</h3>");
    for (GraphInfo g : graphs) {
      String file = "fn" + f.id() + "-graph" + g.traceIndex() + ".png";
      h.raw("<p>Trace " + g.traceIndex() + ", first at call " + g.firstSeq() + "; state inputs: <code>"
          + Html.esc(String.join(", ", g.stateInputs())) + "</code>; state outputs: <code>"
          + Html.esc(String.join(", ", g.stateOutputs())) + "</code></p>");
      if (GraphPicture.write(g, out.resolve(file))) {
        h.raw("<div class=\"graph\"><img src=\"" + file + "\" alt=\"graph of " + Html.esc(f.name()) + "\"></div>");
      } else {
        h.raw("<p>(more than " + GraphPicture.MAX_EQNS + " equations: text only)</p>");
      }
      h.raw("<pre>" + Html.esc(g.irText()) + "</pre>");
    }
  }

  /**
   * A per-leaf gradient/update norm the recorder logs (run-store.md, "Gradient and update norms"):
   * dozens per step for a model, so the report charts only the global {@code grad_norm} and
   * {@code update_norm}; the per-leaf ones are in the IDE's norms chart.
   */
  static boolean isPerLeafNorm(String name) {
    return name.startsWith("grad_norm/") || name.startsWith("update_norm/") || name.startsWith("update_ratio/");
  }

  private static String summary(Series s) {
    if (s.size() == 0) {
      return "no values";
    }
    int last = s.size() - 1;
    // a point covers several steps: show its min..max, not its min as "first" and the last
    // point's max as "last" (a falling loss read 2.1 "first" when step 0 printed 3.7)
    return "first " + range(s.lo()[0], s.hi()[0]) + ", last " + range(s.lo()[last], s.hi()[last]) + " (steps "
        + s.firstStep()[0] + ".." + s.lastStep()[last] + ", " + s.bucketSteps() + " step(s) per point)";
  }

  /** One value, or "lo..hi" for a point whose steps differ. */
  static String range(double lo, double hi) {
    return Double.compare(lo, hi) == 0 ? fmt(lo) : fmt(lo) + ".." + fmt(hi);
  }

  private static String fmt(double v) {
    return Double.isFinite(v) ? String.format("%.6g", v) : String.valueOf(v);
  }

  private static final String CSS = "body{font-family:sans-serif;margin:2em;max-width:1100px}"
      + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
      + "pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}.graph{overflow:auto}"
      + "tr.first_nan,tr.first_inf{background:#fdd}tr.stale_state{background:#fec}tr.retrace{background:#eef}";

  /** A minimal HTML builder with escaping. */
  static final class Html {
    private final StringBuilder sb = new StringBuilder();

    void raw(String s) {
      sb.append(s).append('\n');
    }

    static String esc(String s) {
      if (s == null) {
        return "";
      }
      return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
