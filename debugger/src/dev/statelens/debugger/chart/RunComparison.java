package dev.statelens.debugger.chart;

import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.RunFacts;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two or more runs side by side: per chart one line per run, aligned by step, read downsampled by
 * the run store ({@link RunStore#series}, from its rollups: a million-step run costs what a short
 * one does) and drawn by {@link Charts} as the State Flow view's charts are. The charts are the
 * series every run has: the loss first, then the gradient and update norms, then one state leaf
 * the runs share by path (its mean per step).
 */
public final class RunComparison {
  /** The logged series charted, in order, when every run has them. */
  public static final List<String> SCALARS = List.of("loss", NormLines.GRAD, NormLines.UPDATE);

  private RunComparison() {}

  /**
   * What one run contributes: its facts, its charted scalars (by name), the state leaves of its
   * training step (paths) and the series of the leaf charted.
   */
  public record Side(String name, Path path, RunFacts facts, Map<String, Series> scalars, List<String> leaves,
      Map<String, Series> leafSeries) {}

  /** The steps a comparison shows: all of them, or a zoomed range (both ends included). */
  public record Steps(long from, long to) {
    public static final Steps ALL = new Steps(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** As {@link #read(RunStore, String, int, String, Steps)} over all steps. */
  public static Side read(RunStore st, String name, int points, String leaf) {
    return read(st, name, points, leaf, Steps.ALL);
  }

  /**
   * Reads one run's side: facts, the {@link #SCALARS} it has over {@code steps} and its training
   * step's state leaves; with {@code leaf} non-null also that leaf's series (else {@link #withLeaf}
   * adds it later).
   */
  public static Side read(RunStore st, String name, int points, String leaf, Steps steps) {
    RunFacts facts = RunFacts.read(st, name);
    Map<String, Series> scalars = new LinkedHashMap<>();
    for (String s : SCALARS) {
      st.scalar(s).ifPresent(info -> scalars.put(s, st.series(info, Stat.MEAN, points, steps.from(), steps.to())));
    }
    List<String> leaves = facts.function() == null ? List.of() : stateLeaves(st, facts.function());
    Side side = new Side(name, st.path(), facts, scalars, leaves, Map.of());
    return leaf == null ? side : withLeaf(st, side, leaf, points, steps);
  }

  /** {@code side} with the series of {@code leaf} over all steps. */
  public static Side withLeaf(RunStore st, Side side, String leaf, int points) {
    return withLeaf(st, side, leaf, points, Steps.ALL);
  }

  /** {@code side} with the series of {@code leaf} (an input path of its training step) over {@code steps}, when it has it. */
  public static Side withLeaf(RunStore st, Side side, String leaf, int points, Steps steps) {
    Map<String, Series> leafSeries = new LinkedHashMap<>(side.leafSeries());
    SeriesInfo info = side.facts().function() == null ? null : st.seriesInfo(side.facts().function(), "in", leaf);
    if (info != null) {
      leafSeries.put(leaf, st.series(info, Stat.MEAN, points, steps.from(), steps.to()));
    }
    return new Side(side.name(), side.path(), side.facts(), side.scalars(), side.leaves(), leafSeries);
  }

  /** The inputs of {@code function} that are state (threaded from the previous call); its inputs when none is. */
  static List<String> stateLeaves(RunStore st, String function) {
    Set<String> state = new LinkedHashSet<>();
    for (GraphInfo g : st.graphs(function)) {
      state.addAll(g.stateInputs());
    }
    if (!state.isEmpty()) {
      return List.copyOf(state);
    }
    return st.series(function).stream().filter(s -> s.role().equals("in")).map(SeriesInfo::path).distinct().toList();
  }

  /** The state leaves every side has, in the first side's order. */
  public static List<String> sharedLeaves(List<Side> sides) {
    if (sides.isEmpty()) {
      return List.of();
    }
    List<String> shared = new ArrayList<>(sides.get(0).leaves());
    for (Side s : sides.subList(1, sides.size())) {
      shared.retainAll(s.leaves());
    }
    return shared;
  }

  /**
   * The charts of {@code sides}: each of {@link #SCALARS} every side has, then {@code leaf}'s mean
   * when every side has it (null: no leaf chart). One line per run, labelled by its name and
   * coloured by its place in {@code sides} in every chart; its legend tooltip is the file's path.
   * The loss and leaf charts start on log y when their values span decades ({@link LogScale}),
   * the norm charts on log y as in the State Flow view.
   */
  public static List<ChartSpec> charts(List<Side> sides, String leaf) {
    List<ChartSpec> charts = new ArrayList<>();
    if (sides.isEmpty()) {
      return charts;
    }
    for (String s : SCALARS) {
      if (sides.stream().allMatch(side -> side.scalars().containsKey(s))) {
        List<ChartLine> lines = lines(sides, side -> side.scalars().get(s));
        boolean norm = !s.equals("loss");
        LogScale.Choice log = norm ? new LogScale.Choice(true, null) : LogScale.choose(null, lines);
        charts.add(new ChartSpec(title(s), s, lines, log.logY(), 0, -1, List.of(), log.subtitle()));
      }
    }
    if (leaf != null && sides.stream().allMatch(side -> side.leafSeries().containsKey(leaf))) {
      List<ChartLine> lines = lines(sides, side -> side.leafSeries().get(leaf));
      LogScale.Choice log = LogScale.choose(null, lines);
      charts.add(new ChartSpec("in " + leaf + " (mean)", "mean", lines, log.logY(), 0, -1, List.of(), log.subtitle()));
    }
    return charts;
  }

  private static String title(String scalar) {
    return switch (scalar) {
      case "loss" -> "Loss";
      case NormLines.GRAD -> "Gradient norm";
      case NormLines.UPDATE -> "Update norm";
      default -> scalar;
    };
  }

  private static List<ChartLine> lines(List<Side> sides, java.util.function.Function<Side, Series> series) {
    List<ChartLine> lines = new ArrayList<>();
    for (int i = 0; i < sides.size(); i++) {
      Side side = sides.get(i);
      lines.add(new ChartLine(side.name(), series.apply(side), i, side.path().toString()));
    }
    return lines;
  }
}
