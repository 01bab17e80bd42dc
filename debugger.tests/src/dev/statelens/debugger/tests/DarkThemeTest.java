package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.ui.FlowCanvas;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.ui.StateTreeLabels;
import dev.statelens.debugger.ui.ThemeColors;
import dev.statelens.test.support.Screen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.e4.ui.css.swt.theme.IThemeEngine;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The State Flow view in Eclipse's dark theme (org.eclipse.e4.ui.css.theme.e4_dark): what it paints
 * itself (the state flow picture, the charts, the timeline) takes the theme's dark background and
 * light text, and its tints (a changed value, a NaN) keep the text readable. Before, the picture and
 * the charts stayed white and a changed leaf's row was light text on pale yellow. With
 * {@code STATELENS_SCREENSHOTS} set it saves each tab, dark.
 */
class DarkThemeTest {
  static final String DARK = "org.eclipse.e4.ui.css.theme.e4_dark";
  static final String LIGHT = "org.eclipse.e4.ui.css.theme.e4_default";

  @TempDir
  static Path dir;

  @BeforeAll
  static void dark() {
    setTheme(DARK);
  }

  @AfterAll
  static void light() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    setTheme(LIGHT);
  }

  static void setTheme(String id) {
    Ui.run(() -> {
      IThemeEngine engine = (IThemeEngine) Display.getDefault().getData("org.eclipse.e4.ui.css.swt.theme");
      assertNotNull(engine, "the workbench's CSS theme engine");
      engine.setTheme(id, false);
    });
    Ui.settle();
  }

  @Test
  void theViewPaintsInTheThemesColoursAndItsTintsStayReadable() throws Exception {
    Path run = Fixtures.diverging(dir.resolve("diverge.db"), 40);
    StateFlowView v = StateFlowViewTest.show(run);
    Ui.run(() -> { // no window manager under Xvfb: fill the screen by hand
      var shell = Ui.page().getWorkbenchWindow().getShell();
      shell.setBounds(shell.getDisplay().getBounds());
    });
    Ui.settle();
    // a step with changed leaves and one with NaN/Inf
    Ui.run(() -> v.selectStep(3));
    Ui.settle();

    ThemeColors tree = Ui.call(() -> ThemeColors.of(v.tree().getTree()));
    assertTrue(tree.dark(), "the dark theme styles the state tree: " + tree);
    StateTreeLabels labels = (StateTreeLabels) Ui.call(() -> v.tree().getLabelProvider());
    StateNode changed = Ui.call(() -> v.stepState().leaves("out").stream().filter(StateNode::changed).findFirst()
        .orElseThrow());
    RGB changedBg = Ui.call(() -> labels.getBackground(changed, 3).getRGB());
    assertTrue(ThemeColors.contrast(tree.foreground(), changedBg) >= 4.5,
        "a changed value's text on its tint: " + tree.foreground() + " on " + changedBg);
    RGB bad = Ui.call(() -> labels.theme().badText().getRGB());
    assertTrue(ThemeColors.contrast(bad, tree.background()) >= 4.5, "a NaN leaf's red on the tree: " + bad);
    // the Variables view (the debug model presentation) shows a NaN leaf in the same red
    StateNode nan = StateNode.find(java.util.List.of(ModelPresentationTest.params(2)), "out:params.weight");
    RGB variables = Ui.call(() -> new dev.statelens.debugger.presentation.RunModelPresentation()
        .getForeground(new dev.statelens.debugger.launch.LeafVariable(null, nan)).getRGB());
    assertEquals(bad, variables, "a NaN leaf reads in one red in the state tree and the Variables view");
    RGB group = Ui.call(() -> labels.theme().dimText().getRGB());
    assertTrue(ThemeColors.contrast(group, tree.background()) >= 3, "a group's text on the tree: " + group);

    // the charts: drawn on the view's dark background, their text light
    Ui.run(() -> v.selectTab("Charts"));
    Ui.settle();
    Thread.sleep(500);
    var rendered = Ui.call(() -> v.scalarChart().rendered());
    assertNotNull(rendered);
    RGB chartBg = Ui.call(() -> ThemeColors.of(v.scalarChart()).background());
    assertTrue(ThemeColors.luminance(chartBg) < 0.2, "the chart canvas is styled dark: " + chartBg);
    int corner = rendered.image().getRGB(2, 2);
    assertEquals(new RGB(chartBg.red, chartBg.green, chartBg.blue),
        new RGB((corner >> 16) & 0xff, (corner >> 8) & 0xff, corner & 0xff), "the chart's background is the view's");
    java.awt.Paint title = rendered.chart().getTitle().getPaint();
    assertTrue(title instanceof java.awt.Color c && ThemeColors.contrast(new RGB(c.getRed(), c.getGreen(), c.getBlue()),
        chartBg) >= 4.5, "the chart's title reads on it: " + title);
    shot("debugger-dark-charts.png");

    // the state flow picture: dark, with light text (it was white)
    Ui.run(() -> v.selectTab("State flow"));
    Ui.settle();
    Thread.sleep(500);
    FlowCanvas flow = Ui.call(v::flowCanvas);
    List<RGB> pixels = Ui.call(() -> Screen.pixels(flow, new Rectangle(0, 0, flow.getSize().x, flow.getSize().y)));
    RGB flowBg = Ui.call(() -> pixelAt(flow, 2, 2));
    assertTrue(ThemeColors.luminance(flowBg) < 0.2, "the state flow picture's background is dark: " + flowBg);
    assertTrue(pixels.stream().filter(p -> ThemeColors.luminance(p) > 0.35).count() > 200, "its text is light on it");
    shot("debugger-dark-flow.png");

    // the timeline (inside its focus ring: the view's focus is on it)
    assertTrue(ThemeColors.luminance(Ui.call(() -> pixelAt(v.timeline(), 5, 5))) < 0.2,
        "the timeline's background is the view's");

    Ui.run(() -> v.selectTab("Traced graph"));
    Ui.settle();
    Thread.sleep(300);
    shot("debugger-dark-graph.png");
    Ui.run(() -> {
      v.compare(2, 3);
      v.selectTab("Diff");
    });
    Ui.settle();
    Thread.sleep(300);
    shot("debugger-dark-diff.png");
    Ui.run(() -> v.selectTab("Charts"));
  }

  /** The colour the screen shows at ({@code x}, {@code y}) of {@code control}. UI thread. */
  private static RGB pixelAt(Control control, int x, int y) {
    return Screen.pixels(control, new Rectangle(x, y, 1, 1)).get(0);
  }

  private static void shot(String name) throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out != null) {
      ScreenshotTest.capture(Files.createDirectories(Path.of(out)).resolve(name));
    }
  }
}
