package dev.statelens.engine.record.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a comparison of runs shows beside their charts, read cheaply from one run store (no step is
 * read one by one, so a million-step run costs a few queries): the training step's calls, the last
 * loss, the first NaN/Inf step, the wall time, the backend that ran it, and the run's settings. The
 * store records no hyperparameters of its own (docs/run-store.md); its settings here are the recorder's
 * ({@code meta.record_every}, {@code meta.max_values}) and every logged scalar that kept one value
 * for the whole run ({@code Recorder.scalar("lr", 0.01)}); a logged scalar that changed shows its
 * last value.
 *
 * @param function the training step (the state-threading function called most), or null: no call
 * @param lastLoss the loss at its last recorded step; null when no {@code loss} was logged
 * @param firstNonFinite the first step at which a leaf became NaN or Inf; null: never
 * @param wallTime from {@code meta.created} to {@code meta.finished}; null when the run was not closed
 * @param paused how long the run sat paused in the debugger ({@code meta.paused_ms}); null in runs
 *     recorded before the recorder kept it (their wall time may include pauses)
 * @param backend the backend that ran it ({@link BackendMeta#describe}, {@code cpu: vector (8 float
 *     lanes), 2 threads}); null in runs recorded before the run store kept it
 * @param settings label → value, in a stable order (recorder settings, then logged scalars by name)
 */
public record RunFacts(String name, Path path, String function, long steps, Double lastLoss, Long firstNonFinite,
    Duration wallTime, Duration paused, String status, String backend, Map<String, String> settings) {

  /** The logged scalars that are the run's own series, not settings (the loss and the recorder's norms). */
  static boolean isTrainingSeries(String name) {
    return name.equals("loss") || name.startsWith("grad_norm") || name.startsWith("update_norm")
        || name.startsWith("update_ratio");
  }

  /** Reads the facts of {@code store}, named {@code name} (its file name in a comparison). */
  public static RunFacts read(RunStore store, String name) {
    Map<String, String> meta = store.meta();
    FunctionInfo main = trainingStep(store);
    Double loss = store.scalar("loss").map(info -> lastValue(store, info)).orElse(null);
    Long nonFinite = store.events().stream()
        .filter(e -> e.step() != null && (e.kind().equals(EventKind.FIRST_NAN)
            || e.kind().equals(EventKind.FIRST_INF)))
        .map(EventInfo::step).min(Comparator.naturalOrder()).orElse(null);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("record every", meta.getOrDefault("record_every", "1") + " step(s)");
    settings.put("values kept per leaf", meta.getOrDefault("max_values", "?"));
    for (SeriesInfo s : store.scalars()) {
      if (isTrainingSeries(s.path())) {
        continue;
      }
      Series whole = store.series(s, Stat.MEAN, 2);
      double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < whole.size(); i++) {
        lo = Math.min(lo, whole.lo()[i]);
        hi = Math.max(hi, whole.hi()[i]);
      }
      if (whole.size() > 0 && lo == hi) {
        settings.put(s.path(), format(lo));
      } else if (whole.size() > 0) {
        settings.put(s.path() + " (last)", format(lastValue(store, s, whole)));
      }
    }
    return new RunFacts(name, store.path(), main == null ? null : main.name(), main == null ? 0 : main.calls(),
        loss, nonFinite, wallTime(meta), paused(meta), store.isFinished() ? "finished" : "not closed (killed or still recording)",
        BackendMeta.describe(meta), settings);
  }

  /** Of the functions that thread state, the one called most; the most called one when none does. */
  static FunctionInfo trainingStep(RunStore store) {
    Set<String> threading = store.functionsThreadingState();
    return store.functions().stream().max(Comparator.comparing((FunctionInfo f) -> threading.contains(f.name()))
        .thenComparingLong(FunctionInfo::calls)).orElse(null);
  }

  /** The value of a logged scalar at its last recorded step (NaN when it has none). */
  static double lastValue(RunStore store, SeriesInfo info) {
    return lastValue(store, info, store.series(info, Stat.MEAN, 2));
  }

  /** As above, given the scalar's whole series already read (its last step: where to look). */
  private static double lastValue(RunStore store, SeriesInfo info, Series whole) {
    if (whole.size() == 0) {
      return Double.NaN;
    }
    long last = whole.lastStep()[whole.size() - 1];
    Series at = store.series(info, Stat.MEAN, 2, last, last);
    int i = at.size() - 1;
    return i < 0 ? Double.NaN : at.hi()[i];
  }

  private static Duration wallTime(Map<String, String> meta) {
    try {
      String from = meta.get("created"), to = meta.get("finished");
      return from == null || to == null ? null : Duration.between(Instant.parse(from), Instant.parse(to));
    } catch (DateTimeParseException e) {
      return null; // a hand-edited meta: no wall time rather than no comparison
    }
  }

  private static Duration paused(Map<String, String> meta) {
    try {
      String ms = meta.get("paused_ms");
      return ms == null ? null : Duration.ofMillis(Long.parseLong(ms));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The time the run trained: its wall time less its pauses in the debugger; the wall time where the
   * run did not record its pauses (older runs); null when the run was not closed.
   */
  public Duration trainingTime() {
    return wallTime == null ? null : paused == null ? wallTime : wallTime.minus(paused).isNegative() ? Duration.ZERO
        : wallTime.minus(paused);
  }

  /**
   * Unique labels for compared runs: each file's name, or folder/name where two runs share a file
   * name ({@code a/run.db}, {@code b/run.db}) — a chart's lines and a table's columns need distinct
   * labels. The IDE's Compare Runs and the report's comparison page both name runs this way.
   */
  public static List<String> names(List<Path> runs) {
    List<String> names = new ArrayList<>();
    for (Path p : runs) {
      String name = p.getFileName().toString();
      boolean clash = runs.stream().filter(o -> o.getFileName().toString().equals(name)).count() > 1;
      Path parent = p.toAbsolutePath().getParent();
      names.add(clash && parent != null && parent.getFileName() != null ? parent.getFileName() + "/" + name : name);
    }
    return names;
  }

  /** Six significant digits, as the report prints values. */
  public static String format(double v) {
    return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.6g", v) : String.valueOf(v);
  }

  /**
   * One row of the facts table: its label, one cell per run ("" where a run lacks it), whether the
   * cells differ, and what the row means where its label alone does not say (the label's tooltip;
   * null when it does).
   */
  public record Row(String label, List<String> cells, boolean differs, String about) {
    public Row(String label, List<String> cells, boolean differs) {
      this(label, cells, differs, null);
    }
  }

  /** What the training time row is (its label's tooltip in Compare Runs). */
  public static final String TRAINING_TIME_ABOUT = "Wall time from the recorder's start to its close, less the time "
      + "the run sat paused in the debugger (Pause, Step, a break); '+ N s paused' says how long that was. A run "
      + "recorded before StateLens kept its pauses shows its whole wall time, marked 'pauses not recorded'.";

  /**
   * The table of {@code runs}' facts, one column per run: steps, last loss, first NaN/Inf step,
   * wall time, status, backend ("not recorded" in older runs), then every setting any run has. A
   * row {@link Row#differs} when its cells are not all equal (a setting one run lacks differs too).
   */
  public static List<Row> table(List<RunFacts> runs) {
    List<Row> rows = new ArrayList<>();
    row(rows, "training step", runs.stream().map(r -> r.function() == null ? "(no call)" : r.function()).toList());
    row(rows, "steps", runs.stream().map(r -> Long.toString(r.steps())).toList());
    row(rows, "last loss", runs.stream().map(r -> r.lastLoss() == null ? "(no loss logged)" : format(r.lastLoss())).toList());
    row(rows, "first NaN/Inf step", runs.stream().map(r -> r.firstNonFinite() == null ? "none" : r.firstNonFinite().toString()).toList());
    rows.add(row("training time", runs.stream().map(RunFacts::trainingTimeCell).toList(), TRAINING_TIME_ABOUT));
    row(rows, "status", runs.stream().map(RunFacts::status).toList());
    row(rows, "backend", runs.stream().map(r -> r.backend() == null ? "not recorded" : r.backend()).toList());
    Set<String> keys = new LinkedHashSet<>();
    runs.forEach(r -> keys.addAll(r.settings().keySet()));
    for (String k : keys) {
      row(rows, k, runs.stream().map(r -> r.settings().getOrDefault(k, "")).toList());
    }
    return rows;
  }

  private static void row(List<Row> rows, String label, List<String> cells) {
    rows.add(row(label, cells, null));
  }

  private static Row row(String label, List<String> cells, String about) {
    return new Row(label, cells, cells.stream().distinct().count() > 1, about);
  }

  /** {@code 2.912 s}, {@code 2.912 s (+ 31.3 s paused)}, or the wall time of a run that did not record its pauses. */
  static String trainingTimeCell(RunFacts r) {
    if (r.wallTime() == null) {
      return "(not closed)";
    }
    if (r.paused() == null) {
      return seconds(r.wallTime()) + " (pauses not recorded)";
    }
    return seconds(r.trainingTime()) + (r.paused().isZero() ? ""
        : String.format(java.util.Locale.ROOT, " (+ %.1f s paused)", r.paused().toMillis() / 1e3));
  }

  /** {@code 1.234 s}. */
  static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
  }
}
