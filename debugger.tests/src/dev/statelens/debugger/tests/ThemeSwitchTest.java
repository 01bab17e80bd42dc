package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.ui.CompareView;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.ui.ThemeColors;
import dev.statelens.debugger.ui.TracedGraphPane;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live switch of the workbench's theme (Window > Preferences > General > Appearance) with the
 * State Flow view open: the state tree's changed rows and the Traced graph's group headings take the
 * new theme's tints at once. Before, they kept the light theme's pale yellow and pale blue under the
 * dark theme's light text until the view was reopened or a find ran (DarkThemeTest opens its view
 * after the switch, so it never saw this).
 */
class ThemeSwitchTest {
  @TempDir
  static Path dir;

  @AfterAll
  static void light() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
  }

  @Test
  void switchingToTheDarkThemeRetintsTheChangedRowsAndTheGraphHeadings() {
    Path run = GoToSourceTest.recordSourceProgram(dir.resolve("switch.db"));
    DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
    StateFlowView v = StateFlowViewTest.show(run);
    Ui.run(() -> {
      v.selectStep(2);
      v.selectTab("Traced graph");
    });
    Ui.settle();
    TracedGraphPane pane = Ui.call(v::tracedGraph);
    RGB lightRow = changedValueCell(v);
    RGB lightHeading = headingBackground(pane);
    assertTrue(ThemeColors.luminance(lightRow) > 0.7, "light theme: a pale changed row " + lightRow);
    assertTrue(ThemeColors.luminance(lightHeading) > 0.7, "light theme: a pale heading " + lightHeading);

    DarkThemeTest.setTheme(DarkThemeTest.DARK); // the view stays open

    ThemeColors tree = Ui.call(() -> ThemeColors.of(v.tree().getTree()));
    assertTrue(tree.dark(), "the dark theme styled the tree: " + tree);
    RGB darkRow = changedValueCell(v);
    assertTrue(ThemeColors.luminance(darkRow) < 0.3 && ThemeColors.contrast(tree.foreground(), darkRow) >= 4.5,
        "a changed row takes the dark theme's tint, its light text readable: " + darkRow + " (was " + lightRow + ")");
    ThemeColors graph = Ui.call(() -> ThemeColors.of(pane.text()));
    RGB darkHeading = headingBackground(pane);
    assertTrue(ThemeColors.luminance(darkHeading) < 0.3 && ThemeColors.contrast(graph.foreground(), darkHeading) >= 4.5,
        "a heading takes the dark theme's tint: " + darkHeading + " (was " + lightHeading + ")");
    StyleRange stateInputs = Ui.call(() -> pane.lineStyles(1)[0]);
    assertNotNull(stateInputs.foreground, "the header's state inputs line is coloured");
    assertEquals(graph.stateInText().getRGB(), stateInputs.foreground.getRGB(),
        "the header's state inputs in the dark theme's blue (the light theme's dark blue vanished on it)");
  }

  /**
   * Compare Runs open during the switch: the facts that differ between the runs (the learning rate)
   * take the dark theme's tint, the facts they share none.
   */
  @Test
  void switchingToTheDarkThemeRetintsTheComparedRunsDifferingFacts() {
    Path fast = dir.resolve("compare-lr-0.02.db"), slow = dir.resolve("compare-lr-0.005.db");
    CompareRunsTest.record(fast, 0.02, CompareRunsTest.SHORT);
    CompareRunsTest.record(slow, 0.005, CompareRunsTest.SHORT);
    DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
    CompareRunsTest.runsView();
    List<Run> runs = List.of(fast, slow).stream().map(p -> DebuggerPlugin.runs().open(p)).toList();
    CompareView view = Ui.call(() -> {
      try {
        return (CompareView) Ui.page().showView(CompareView.ID);
      } catch (org.eclipse.ui.PartInitException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      Ui.run(() -> view.compare(runs));
      Ui.settle();
      RGB lightLr = factCell(view, "lr");
      assertTrue(ThemeColors.luminance(lightLr) > 0.7, "light theme: the differing lr pale " + lightLr);

      DarkThemeTest.setTheme(DarkThemeTest.DARK); // the view stays open

      ThemeColors table = Ui.call(() -> ThemeColors.of(view.factsTable()));
      assertTrue(table.dark(), "the dark theme styled the facts: " + table);
      RGB darkLr = factCell(view, "lr");
      assertTrue(ThemeColors.luminance(darkLr) < 0.3 && ThemeColors.contrast(table.foreground(), darkLr) >= 4.5,
          "the differing lr takes the dark theme's tint, its light text readable: " + darkLr + " (was " + lightLr + ")");
      assertEquals(table.background(), factCell(view, "training step"), "a fact both runs share stays untinted");
    } finally {
      Ui.run(() -> Ui.page().hideView(view));
    }
  }

  /** The first run's cell of the fact labelled {@code label}, as the facts table shows it. */
  private static RGB factCell(CompareView view, String label) {
    return Ui.call(() -> {
      for (TableItem item : view.factsTable().getItems()) {
        if (item.getText(0).equals(label)) {
          return item.getBackground(1).getRGB();
        }
      }
      throw new AssertionError("no fact '" + label + "'");
    });
  }

  /** The Value cell's background of a changed leaf's row, as the tree shows it. */
  private static RGB changedValueCell(StateFlowView v) {
    return Ui.call(() -> {
      v.tree().expandAll();
      TreeItem item = changedRow(v.tree().getTree().getItems());
      assertNotNull(item, "a changed leaf at step 2");
      return item.getBackground(3).getRGB();
    });
  }

  private static TreeItem changedRow(TreeItem[] items) {
    for (TreeItem item : items) {
      if (item.getData() instanceof StateNode n && n.sample() != null && n.changed()) {
        return item;
      }
      TreeItem below = changedRow(item.getItems());
      if (below != null) {
        return below;
      }
    }
    return null;
  }

  /** The first group heading's tint. */
  private static RGB headingBackground(TracedGraphPane pane) {
    return Ui.call(() -> {
      int line = pane.text().getLineAtOffset(pane.folded().headingOffset(0));
      return pane.lineStyles(line)[0].background.getRGB();
    });
  }
}
