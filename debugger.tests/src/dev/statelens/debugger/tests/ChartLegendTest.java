package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.Charts;
import dev.statelens.debugger.ui.StateFlowView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.entity.LegendItemEntity;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leaf chart's legend (which line is which leaf), its note when lines are cut, and the Step spinner without a run. */
class ChartLegendTest {
  static final String LONG = "out state.optState.mu.hidden.layers.w";

  @TempDir
  static Path dir;

  @AfterAll
  static void close() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  static List<ChartLine> eight() {
    List<ChartLine> lines = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      lines.add(new ChartLine(LONG + i + " ‖·‖", ChartMathTest.line().series()));
    }
    return lines;
  }

  @Test
  void longLabelsKeepTheirPathsLeafEnd() {
    assertEquals("loss", Charts.shorten("loss", 30));
    assertEquals("out …mu.hidden.layers.w7 ‖·‖", Charts.shorten(LONG + "7 ‖·‖", 30),
        "the role, the marker and the path's whole last segments: mu (not nu) kept");
    assertEquals("grad_norm/…params.blocks[1].up.w", Charts.shorten("grad_norm/state.params.blocks[1].up.w", 32));
    String other = Charts.shorten("a label that is no path at all, just words", 20);
    assertEquals(20, other.length());
    assertTrue(other.startsWith("a label") && other.endsWith("just words"), other);
  }

  @Test
  void aShortPaneKeepsTheLegendAtTheRightWithShortLabelsAndFullTooltips() {
    // the leaf chart's pane beside the state tree: a bottom legend of eight leaves left no plot
    var r = Charts.render(new ChartSpec("Leaf trajectories", "value", eight(), false, 0, 1, List.of()), 470, 150);
    assertNotNull(r.chart().getLegend(), "the legend names the lines");
    assertEquals(RectangleEdge.RIGHT, r.chart().getLegend().getPosition());
    assertTrue(r.dataArea().getHeight() >= Charts.MIN_PLOT_HEIGHT, "plot " + r.dataArea());
    List<String> labels = new ArrayList<>();
    var legendItems = r.chart().getXYPlot().getLegendItems();
    for (int i = 0; i < legendItems.getItemCount(); i++) {
      labels.add(legendItems.get(i).getLabel());
    }
    assertEquals(8, labels.size(), labels.toString());
    assertTrue(labels.stream().allMatch(l -> l.length() <= Charts.LEGEND_LABEL_CHARS && l.contains("…")), labels.toString());
    assertEquals(8, labels.stream().distinct().count(), "each leaf keeps its own name: " + labels);
    // every item drawn (none clipped off) and its tooltip the full path
    List<LegendItemEntity> items = new ArrayList<>();
    for (Object e : r.entities().getEntities()) {
      if (e instanceof LegendItemEntity li) {
        items.add(li);
      }
    }
    assertEquals(8, items.size());
    for (LegendItemEntity li : items) {
      var b = li.getArea().getBounds2D();
      assertTrue(b.getMaxY() <= 150 && b.getMaxX() <= 470, "inside the image: " + b);
      String tip = r.legendToolTipAt((int) b.getCenterX(), (int) b.getCenterY());
      assertTrue(tip != null && tip.startsWith(LONG) && tip.endsWith(" ‖·‖"), tip);
    }
    assertNull(r.legendToolTipAt((int) r.dataArea().getCenterX(), (int) r.dataArea().getCenterY()));
    // a tall pane: under the plot
    var tall = Charts.render(new ChartSpec("Leaf trajectories", "value", eight(), false, 0, 1, List.of()), 470, 600);
    assertEquals(RectangleEdge.BOTTOM, tall.chart().getLegend().getPosition());
  }

  /**
   * Two lines in the short leaf chart over the Console (three charts in about 440 pixels, a log-y
   * note under the title): the legend goes to the right and stays; it was dropped, "2 lines (no
   * room for their legend…)", as the plot was short with or without it.
   */
  @Test
  void aFewLinesKeepTheirLegendAtTheRightInAVeryShortPane() {
    List<ChartLine> two = List.of(new ChartLine("out weight", ChartMathTest.line().series()),
        new ChartLine("out bias", ChartMathTest.line().series()));
    var r = Charts.render(new ChartSpec("Leaf values", "|value| (log)", two, false, 0, 1, List.of(),
        "log y: values span 3e0…1e38 (untick Log y for linear)"), 550, 110);
    assertNotNull(r.chart().getLegend(), "two lines keep their legend");
    assertEquals(RectangleEdge.RIGHT, r.chart().getLegend().getPosition());
    assertEquals(2, r.chart().getXYPlot().getLegendItems().getItemCount());
    assertTrue(r.dataArea().getWidth() >= 550 * 0.45, "plot " + r.dataArea());
    // many lines in the same pane: a right legend in columns would leave no plot, so it goes
    List<ChartLine> many = new ArrayList<>(eight());
    many.addAll(eight().stream().map(l -> new ChartLine(l.label() + "b", l.series())).toList());
    var crowded = Charts.render(new ChartSpec("Leaf values", "value", many, false, 0, 1, List.of()), 550, 110);
    assertNull(crowded.chart().getLegend(), "sixteen long labels beside a 110-pixel plot");
  }

  @Test
  void theLeafChartOfManyOutputsChartsEightChangingOnesNamesThemAndSaysItCut() throws Exception {
    Path wide = Fixtures.wide(dir.resolve("wide.db"), 20, 12, 4);
    StateFlowView v = StateFlowViewTest.show(wide);
    ChartSpec spec = Ui.call(() -> v.leafChart().spec());
    assertNotNull(spec);
    assertEquals(8, spec.lines().size());
    assertNotNull(spec.subtitle());
    assertTrue(spec.subtitle().startsWith("8 of 12 leaves — select leaves in the tree to chart them"), spec.subtitle());
    // the four frozen leaves (the first four outputs, flat lines) are the ones left out
    List<String> labels = spec.lines().stream().map(ChartLine::label).toList();
    List<String> frozen = Ui.call(() -> v.stepState().leaves("out").stream().filter(n -> !n.changed())
        .map(n -> "out " + n.path()).toList());
    assertEquals(4, frozen.size(), frozen.toString());
    assertTrue(labels.stream().noneMatch(frozen::contains), labels + " has one of " + frozen);
    // drawn at the pane's size, with a legend that names them
    var r = Ui.call(() -> v.leafChart().rendered());
    assertNotNull(r);
    assertNotNull(r.chart().getLegend(), "size " + Ui.call(() -> v.leafChart().getSize()));
    assertTrue(r.dataArea().getHeight() >= Charts.MIN_PLOT_HEIGHT, "plot " + r.dataArea());
    assertEquals(8, r.chart().getXYPlot().getLegendItems().getItemCount());
    String shots = System.getenv("STATELENS_SCREENSHOTS"); // to look at: the leaf chart as drawn in its pane
    if (shots != null) {
      java.nio.file.Files.createDirectories(Path.of(shots));
      javax.imageio.ImageIO.write(r.image(), "png", Path.of(shots, "debugger-leaf-legend.png").toFile());
    }
    assertTrue(Ui.call(() -> v.stepSpinner().getEnabled()), "a run is open: the spinner steps");
    // no run: the spinner (its "+" stepped nowhere) is disabled
    Ui.run(() -> DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove));
    Ui.settle();
    assertNull(Ui.call(v::run));
    assertFalse(Ui.call(() -> v.stepSpinner().getEnabled()), "no run: the Step spinner is disabled");
  }

  /**
   * Without a selection the leaf chart's lines stay the same paths in the same colours while
   * stepping, though each step changes a different third of the twelve outputs (it picked the
   * outputs that changed in the current step, so lines came and went and swapped colours).
   */
  @Test
  void theDefaultLinesKeepTheirPathsAndColoursWhileStepping() throws Exception {
    Path run = Fixtures.intermittent(dir.resolve("intermittent.db"), 30, 12);
    StateFlowView v = StateFlowViewTest.show(run);
    java.util.Map<String, java.awt.Paint> first = legendColours(v);
    assertEquals(8, first.size(), first.toString());
    assertEquals(8, first.values().stream().distinct().count(), "one colour per line: " + first);
    for (long step : new long[] {28, 27, 26, 10}) {
      Ui.run(() -> v.selectStep(step));
      Ui.settle();
      Ui.run(v::refreshCharts); // what a live run's re-read does every second
      Ui.settle();
      assertEquals(step, Ui.call(v::step));
      List<String> changed = Ui.call(() -> v.stepState().leaves("out").stream()
          .filter(dev.statelens.debugger.model.StateNode::changed).map(n -> "out " + n.path()).toList());
      assertEquals(4, changed.size(), "a different third changes at each step: " + changed);
      assertEquals(first, legendColours(v), "step " + step + " (changed: " + changed + ")");
      assertTrue(Ui.call(() -> v.leafChart().spec().subtitle()).startsWith("8 of 12 leaves"));
    }
  }

  /** The leaf chart's legend as drawn: each line's label and colour. */
  private static java.util.Map<String, java.awt.Paint> legendColours(StateFlowView v) {
    var r = Ui.call(() -> v.leafChart().rendered());
    assertNotNull(r);
    java.util.Map<String, java.awt.Paint> out = new java.util.TreeMap<>();
    var items = r.chart().getXYPlot().getLegendItems();
    for (int i = 0; i < items.getItemCount(); i++) {
      out.put(items.get(i).getLabel(), items.get(i).getLinePaint());
    }
    return out;
  }
}
