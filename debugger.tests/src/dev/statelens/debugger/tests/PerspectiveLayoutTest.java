package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.ui.ChartStack;
import dev.statelens.debugger.ui.StateFlowView;
import java.nio.file.Files;
import java.util.Arrays;
import java.nio.file.Path;
import org.eclipse.swt.SWT;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The StateLens perspective with the Console open (every launch opens it) at the window sizes of a
 * laptop and a desktop: each chart beside the state tree keeps {@link ChartStack#MIN_CHART_HEIGHT}
 * pixels and the chart pane scrolls when it is shorter than the three need, as wide as the pane
 * (the charts' points stay one per pixel column); the leaf chart of a diverging run's two leaves
 * keeps its legend and a plot of at least {@link dev.statelens.debugger.chart.Charts#MIN_PLOT_HEIGHT}
 * pixels. Over a chart of a scrolling pane the wheel scrolls the pane and Ctrl+wheel zooms; in a
 * pane that fits (the view maximized) the wheel zooms. At 1280x800 the charts were 83 pixels
 * each, their plots unreadable. The run shown before logged no scalars (its scalars chart hidden),
 * so the pane's minimum must follow the chart shown again.
 */
class PerspectiveLayoutTest {
  static final String CONSOLE_VIEW = "org.eclipse.ui.console.ConsoleView";

  @TempDir
  static Path dir;

  @AfterAll
  static void close() {
    Ui.closeStateFlowView();
    Ui.run(() -> {
      var console = Ui.page().findView(CONSOLE_VIEW);
      if (console != null) {
        Ui.page().hideView(console);
      }
    });
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  @Test
  void withTheConsoleOpenEveryChartKeepsItsHeightAndThePaneScrollsAt1600x1000And1280x800() throws Exception {
    // first a run that logs no scalars: its scalars chart is hidden, the pane's minimum is two charts';
    // the next run shows the chart again, and the minimum must be three charts' (it stayed two's)
    StateFlowView first = StateFlowViewTest.show(Fixtures.wide(dir.resolve("wide.db"), 20, 3, 0));
    for (int i = 0; i < 200 && Ui.call(() -> first.scalarChart().getVisible()); i++) {
      Thread.sleep(100);
      Ui.settle();
    }
    assertFalse(Ui.call(() -> first.scalarChart().getVisible()), "a run without scalars hides the scalars chart");
    Path db = Fixtures.diverging(dir.resolve("diverge.db"), 120);
    StateFlowView view = StateFlowViewTest.show(db);
    Ui.run(() -> view.selectTab("Charts")); // the view keeps the tab an earlier test left it on (Diff, Traced graph)
    Ui.run(() -> {
      try {
        IWorkbenchPage page = Ui.page();
        page.resetPerspective(); // the factory's layout, not one an earlier test dragged
        page.showView(CONSOLE_VIEW, null, IWorkbenchPage.VIEW_VISIBLE);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    java.util.List<String> problems = new java.util.ArrayList<>();
    java.util.List<String> seen = new java.util.ArrayList<>();
    for (int[] size : new int[][] {{1600, 1000}, {1280, 800}}) {
      Ui.run(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().setBounds(0, 0, size[0], size[1]));
      String at = size[0] + "x" + size[1];
      Charts drawn = awaitDrawnAtItsSize(view);
      seen.add(at + ": " + drawn.describe());
      if (drawn.leaf.chart().getLegend() == null) {
        problems.add(at + ": the leaf chart of two leaves lost its legend");
      }
      if (drawn.leaf.dataArea().getHeight() < dev.statelens.debugger.chart.Charts.MIN_PLOT_HEIGHT) {
        problems.add(at + ": the leaf chart's plot is under " + dev.statelens.debugger.chart.Charts.MIN_PLOT_HEIGHT + " pixels");
      }
      problems.addAll(Ui.call(() -> chartSizes(view, at)));
      shotIfAsked("debugger-console-layout-" + at + ".png", size);
    }
    // 1280x800 with the Console: the pane is too short for three charts of their least height
    assertTrue(Ui.call(() -> view.chartStack().scrolls()), "the charts' pane scrolls at 1280x800: " + seen);
    Ui.run(() -> wheel(view, -3, 0)); // one notch down, over the leaf chart
    assertTrue(Ui.call(() -> view.chartStack().scrolledBy()) > 0, "the wheel scrolled the pane");
    assertArrayEquals(new long[] {-1, -1}, Ui.call(view::zoomRange), "and did not zoom");
    int scrolled = Ui.call(() -> view.chartStack().scrolledBy());
    Ui.run(() -> wheel(view, 3, SWT.MOD1)); // Ctrl and a notch up: zoom in
    assertEquals(scrolled, Ui.call(() -> view.chartStack().scrolledBy()), "Ctrl+wheel does not scroll");
    assertTrue(Ui.call(view::zoomRange)[0] > 0, "Ctrl+wheel zooms the step axis: " + Arrays.toString(Ui.call(view::zoomRange)));
    Ui.run(() -> view.resetZoom());

    // at 1600x1000 the view maximized (a double-click on its tab): the charts fit, the wheel zooms
    Ui.run(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().setBounds(0, 0, 1600, 1000));
    Ui.run(() -> Ui.page().setPartState(Ui.page().getReference(view), IWorkbenchPage.STATE_MAXIMIZED));
    try {
      Ui.settle();
      assertEquals(IWorkbenchPage.STATE_MAXIMIZED, (int) Ui.call(() -> Ui.page().getPartState(Ui.page().getReference(view))),
          "the view is maximized");
      Ui.settle();
      assertFalse(Ui.call(() -> view.chartStack().scrolls()), () -> "the maximized view's charts fit: " + Ui.call(() -> {
        var stack = view.chartStack();
        var kids = ((org.eclipse.swt.widgets.Composite) stack.control()).getChildren();
        StringBuilder b = new StringBuilder("pane " + stack.control().getSize() + ", least height " + stack.minHeight());
        for (var k : ((org.eclipse.swt.widgets.Composite) kids[0]).getChildren()) {
          b.append("; ").append(k.getClass().getSimpleName()).append(k.getVisible() ? " shown " : " hidden ").append(k.getSize());
        }
        return b.toString();
      }));
      Ui.run(() -> wheel(view, 3, 0));
      assertTrue(Ui.call(view::zoomRange)[0] > 0, "the wheel zooms where the pane does not scroll: "
          + Arrays.toString(Ui.call(view::zoomRange)));
      assertEquals(0, Ui.call(() -> view.chartStack().scrolledBy()), "and does not scroll");
    } finally {
      Ui.run(() -> Ui.page().setPartState(Ui.page().getReference(view), IWorkbenchPage.STATE_RESTORED));
      Ui.run(() -> view.resetZoom());
    }
    System.out.println("PerspectiveLayoutTest: " + seen);
    assertTrue(problems.isEmpty(), problems + " " + seen);
  }

  /** Each visible chart at least its least height and as wide as the pane's client area. */
  private static java.util.List<String> chartSizes(StateFlowView view, String at) {
    java.util.List<String> problems = new java.util.ArrayList<>();
    int paneWidth = ((org.eclipse.swt.widgets.Composite) view.chartStack().control()).getClientArea().width;
    for (var canvas : java.util.List.of(view.scalarChart(), view.leafChart(), view.normsChart())) {
      if (!canvas.getVisible()) {
        continue;
      }
      var size = canvas.getSize();
      if (size.y < ChartStack.MIN_CHART_HEIGHT) {
        problems.add(at + ": a chart is " + size.y + " pixels high");
      }
      if (size.x != paneWidth) {
        problems.add(at + ": a chart is " + size.x + " pixels wide in a pane of " + paneWidth);
      }
    }
    return problems;
  }

  /** A wheel notch over the leaf chart's middle (count > 0: up), with {@code stateMask} (SWT.MOD1: Ctrl). */
  private static void wheel(StateFlowView view, int count, int stateMask) {
    Ui.wheel(view.leafChart(), view.leafChart().getSize().x / 2, count, stateMask);
  }

  private record Charts(dev.statelens.debugger.chart.Charts.Rendered leaf, String describe) {}

  /** Waits until the leaf chart was rendered at its canvas's size (after a resize the redraw is throttled). */
  private static Charts awaitDrawnAtItsSize(StateFlowView view) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    Charts c = null;
    while (System.currentTimeMillis() < deadline) {
      Ui.settle();
      c = Ui.call(() -> {
        var canvas = view.leafChart();
        var r = canvas.rendered();
        var size = canvas.getSize();
        boolean atSize = r != null && r.image().getWidth() == size.x && r.image().getHeight() == size.y;
        return atSize ? new Charts(r, "leaf chart " + size + ", plot " + r.dataArea()) : null;
      });
      if (c != null) {
        return c;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the leaf chart was not drawn at its size");
  }

  /** With STATELENS_SCREENSHOTS=dir: the window (the screen cropped to it) as dir/png. */
  private static void shotIfAsked(String png, int[] size) throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out == null) {
      return;
    }
    Files.createDirectories(Path.of(out));
    Thread.sleep(500);
    Path file = Path.of(out).resolve(png);
    ScreenshotTest.capture(file);
    Process crop = new ProcessBuilder("convert", file.toString(), "-crop", size[0] + "x" + size[1] + "+0+0", "+repage",
        file.toString()).inheritIO().start();
    assertTrue(crop.waitFor() == 0, "ImageMagick's convert cropped " + file);
  }
}
