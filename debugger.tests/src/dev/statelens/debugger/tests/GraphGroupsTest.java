package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.FoldedGraph;
import dev.statelens.debugger.model.GraphText;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.ui.TracedGraphPane;
import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.JaxprPrinter;
import dev.statelens.engine.record.store.EqnSource;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.SourceRef;
import dev.statelens.engine.trace.SourceInfo;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.resources.IProject;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Traced graph grouped by the Java line that made each equation: one heading per run of
 * equations from the same line, folded; a click opens a group; Go to Source on a heading opens the
 * line; find opens the group that holds a match; Group by line off shows the flat text; a graph
 * without sources (an old run) is flat with the toggle off; and the cost on 10,000 equations.
 */
class GraphGroupsTest {
  @TempDir
  static Path dir;
  static Path run;
  static GraphInfo graph;
  static IProject project;
  StateFlowView view;
  TracedGraphPane pane;

  @BeforeAll
  static void recordAndCreateProject() throws Exception {
    run = GoToSourceTest.recordSourceProgram(dir.resolve("groups.db"));
    SourceRef stepSource;
    try (RunStore st = RunStore.open(run)) {
      stepSource = st.functions().getFirst().source().orElseThrow();
      graph = st.graphs("step").getFirst();
    }
    project = GoToSourceTest.createProject(GoToSourceTest.workspaceSource(stepSource.line()));
  }

  @BeforeEach
  void open() {
    Ui.run(() -> Ui.page().closeAllEditors(false));
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    view = StateFlowViewTest.show(run);
    Ui.run(() -> view.selectTab("Traced graph"));
    Ui.settle();
    pane = Ui.call(view::tracedGraph);
    Ui.run(() -> {
      pane.clearFind();
      pane.setWholeWord(true);
      pane.setGroupByLine(true);
    });
  }

  @AfterAll
  static void cleanUp() throws Exception {
    GoToSourceTest.closeAllAndDelete(project);
  }

  /** The lines SourceProgram.step's equations came from, in graph order, one per group (consecutive runs). */
  private static List<String> expectedHeadings() {
    List<String> out = new ArrayList<>();
    List<EqnSource> s = graph.eqnSources();
    int first = 0;
    for (int i = 1; i <= s.size(); i++) {
      if (i == s.size() || !s.get(i).equals(s.get(first))) {
        int n = i - first;
        out.add("▸ SourceProgram.step line " + s.get(first).at().line() + " — " + n + " equation" + (n == 1 ? "" : "s"));
        first = i;
      }
    }
    return out;
  }

  private List<String> headingLines() {
    return Ui.call(() -> pane.text().getText()).lines().filter(l -> l.startsWith("▸") || l.startsWith("▾")).toList();
  }

  @Test
  void theRecordedGraphIsFoldedUnderOneHeadingPerSourceLine() {
    assertFalse(graph.eqnSources().isEmpty(), "the run kept each equation's line");
    List<String> expected = expectedHeadings();
    assertEquals(2, expected.size(), "step's two lines: the product and sum, then the update: " + expected);
    assertTrue(Ui.call(pane::grouped));
    assertEquals(expected, headingLines());
    String shown = Ui.call(() -> pane.text().getText());
    assertFalse(shown.contains(" = mul "), "folded: no equation shows\n" + shown);
    assertTrue(shown.contains("{ lambda") && shown.contains("  in ("), "the graph's binders and outputs stay");
    // the heading is painted bold on a tint
    int headingLine = Ui.call(() -> pane.text().getLineAtOffset(pane.folded().headingOffset(0)));
    StyleRange[] styles = Ui.call(() -> pane.lineStyles(headingLine));
    assertTrue(styles.length >= 1 && (styles[0].fontStyle & SWT.BOLD) != 0 && styles[0].background != null,
        java.util.Arrays.toString(styles));

    // a click on the ▸ opens the group: its equations follow the heading, as the engine printed them
    clickMarker(0);
    List<String> lines = Ui.call(() -> pane.text().getText()).lines().toList();
    int at = lines.indexOf(expected.get(0).replace('▸', '▾'));
    assertTrue(at >= 0, lines.toString());
    int count = Integer.parseInt(expected.get(0).replaceAll(".* — (\\d+) equations?", "$1"));
    List<String> eqnLines = GraphText.wrapped(graph.irText()).lines().filter(l -> l.matches("    \\S.*")).toList();
    assertEquals(eqnLines.subList(0, count), lines.subList(at + 1, at + 1 + count));
    assertTrue(lines.get(at + 1 + count).startsWith("▸"), "the next group stays folded");
    clickMarker(0);
    assertEquals(expected, headingLines(), "a second click folds it again");

    // Open All shows every equation; Group by line off shows the flat text
    Ui.run(() -> pane.setAllOpen(true));
    String open = Ui.call(() -> pane.text().getText());
    assertEquals(eqnLines, open.lines().filter(l -> l.matches("    \\S.*")).toList());
    Ui.run(() -> pane.setGroupByLine(false));
    String flat = Ui.call(() -> pane.text().getText());
    assertTrue(flat.lines().noneMatch(l -> l.startsWith("▸") || l.startsWith("▾")));
    assertTrue(flat.endsWith(GraphText.wrapped(graph.irText())), flat);
  }

  @Test
  void goToSourceOnAHeadingOpensItsJavaLine() {
    List<String> expected = expectedHeadings();
    int updateLine = graph.eqnSources().getLast().at().line();
    Ui.run(() -> { // F3 with the caret on the second heading
      pane.text().setCaretOffset(pane.folded().headingOffset(1));
      Event f3 = new Event();
      f3.keyCode = SWT.F3;
      pane.text().notifyListeners(SWT.KeyDown, f3);
    });
    Ui.settle();
    GoToSourceTest.EditorAt editor = GoToSourceTest.activeEditor();
    assertNotNull(editor, "an editor opened for " + expected.get(1));
    assertTrue(editor.file().endsWith("SourceProgram.java"), editor.file());
    assertEquals(updateLine, editor.line());
    assertTrue(editor.lineText().contains("return new Params(p.weight().sub("), editor.lineText());
  }

  @Test
  void findOpensTheGroupThatHoldsTheMatch() {
    // sub is bound only by the update's line: its equations are in the second group, folded
    String shownBefore = Ui.call(() -> pane.text().getText());
    assertFalse(shownBefore.contains(" sub "), shownBefore);
    Ui.run(() -> {
      pane.findField().setText("sub");
      pane.text().setCaretOffset(0);
    });
    assertTrue(Ui.call(pane::matchCount) >= 2, "both parameters' updates: " + Ui.call(pane::countText));
    assertEquals(0, Ui.call(pane::matchOffsets).length, "the matches are in a folded group");
    Ui.run(() -> TracedGraphTest.pressEnterInFind(pane, false));
    assertTrue(Ui.call(() -> pane.folded().isOpen(1)), "the group holding the match opened");
    assertFalse(Ui.call(() -> pane.folded().isOpen(0)));
    Point sel = Ui.call(() -> pane.text().getSelection());
    assertEquals("sub", Ui.call(() -> pane.text().getText(sel.x, sel.y - 1)));
    assertEquals("1 of " + Ui.call(pane::matchCount), Ui.call(pane::countText));
    assertTrue(Ui.call(pane::matchOffsets).length >= 2, "painted now that they show");
  }

  @Test
  void aGraphWithoutSourcesIsFlatWithTheToggleOff() {
    Ui.run(() -> pane.showGraph("header\n", new StyleRange[0], graph.irText(), List.of()));
    assertFalse(Ui.call(pane::grouped));
    assertFalse(Ui.call(() -> pane.groupByLineBox().getEnabled()));
    assertTrue(Ui.call(() -> pane.groupByLineBox().getToolTipText()).contains("record it again"));
    assertEquals("header\n" + GraphText.wrapped(graph.irText()), Ui.call(() -> pane.text().getText()));
  }

  /** The run store's form of a graph's source positions (what the recorder writes). */
  private static List<EqnSource> sourcesOf(Jaxpr graph) {
    List<EqnSource> sources = new ArrayList<>();
    for (SourceInfo s : graph.sources()) {
      sources.add(new EqnSource(new SourceRef(s.site().className(), s.site().methodName(), s.site().fileName(),
          s.site().line()), s.backward()));
    }
    return sources;
  }

  /**
   * A binder list of many lines (40 inputs and a constant, as the transformer step's 107 inputs)
   * folds under one heading that counts them, so the groups come first on screen; a short one (the
   * recorded step's) stays as it is; find opens the binder list when a match is in it.
   */
  @Test
  void aLongBinderListFoldsUnderOneHeadingThatFindOpens() {
    assertFalse(Ui.call(() -> pane.folded().bindersFold()), "the recorded step's one-line binder list has no heading");
    List<Array> xs = new ArrayList<>();
    for (int i = 0; i < 39; i++) {
      xs.add(Array.of(DType.F32, new int[] {48, 48}, new float[48 * 48]));
    }
    xs.add(Array.of(DType.F32, new int[] {3, 7}, new float[21])); // only in the binder list: find's target
    Array weight = Array.of(DType.F32, new int[] {48, 48}, new float[48 * 48]); // closed over: a constant
    Jaxpr wide = Transforms.makeJaxpr((List<Array> in) -> {
      Array acc = in.getFirst().matmul(weight);
      for (int i = 1; i < 39; i++) {
        acc = acc.add(in.get(i));
      }
      return acc.tanh();
    }, xs);
    Ui.run(() -> pane.showGraph("header\n", new StyleRange[0], JaxprPrinter.print(wide), sourcesOf(wide)));
    String wrapped = GraphText.wrapped(JaxprPrinter.print(wide));
    long binderLines = wrapped.lines().takeWhile(l -> !l.endsWith(" let")).count() + 1;
    assertTrue(binderLines > 3, "the binder list wraps over " + binderLines + " lines\n" + wrapped);

    String bindersHeading = "▸ lambda — " + wide.invars().size() + " inputs, " + wide.constvars().size() + " constant"
        + (wide.constvars().size() == 1 ? "" : "s");
    List<String> headings = headingLines();
    assertEquals(bindersHeading, headings.getFirst(), headings.toString());
    List<String> shown = Ui.call(() -> pane.text().getText()).lines().toList();
    assertEquals(List.of("header", bindersHeading), shown.subList(0, 2), "the binder list folded under its heading");
    // Eclipse's compiler names the lambda lambda$41 (javac: lambda$aLong…$0): the heading says which
    assertTrue(shown.get(2).matches("▸ GraphGroupsTest lambda (in aLongBinderListFoldsUnderOneHeadingThatFindOpens )?line \\d+ — 1 equation"),
        "the first group follows at once: " + shown.get(2));
    assertFalse(shown.stream().anyMatch(l -> l.contains("{ lambda")), "folded: no binder shows");

    // a click on its ▸ shows the binder list as before, a second folds it again
    clickMarker(FoldedGraph.BINDERS);
    List<String> open = Ui.call(() -> pane.text().getText()).lines().toList();
    assertEquals(bindersHeading.replace('▸', '▾'), open.get(1));
    assertEquals(wrapped.lines().limit(binderLines).toList(), open.subList(2, 2 + (int) binderLines));
    clickMarker(FoldedGraph.BINDERS);
    assertEquals(shown, Ui.call(() -> pane.text().getText()).lines().toList());

    // find: f32[3,7] is only the last input's type; Enter opens the binder list and selects it
    Ui.run(() -> {
      pane.setWholeWord(false);
      pane.findField().setText("f32[3,7]");
      pane.text().setCaretOffset(0);
    });
    assertEquals(1, Ui.call(pane::matchCount), Ui.call(pane::countText));
    assertEquals(0, Ui.call(pane::matchOffsets).length, "the match is in the folded binder list");
    Ui.run(() -> TracedGraphTest.pressEnterInFind(pane, false));
    assertTrue(Ui.call(() -> pane.folded().isOpen(FoldedGraph.BINDERS)), "find opened the binder list");
    assertFalse(Ui.call(() -> pane.folded().isOpen(0)), "the groups stay folded");
    Point sel = Ui.call(() -> pane.text().getSelection());
    assertEquals("f32[3,7]", Ui.call(() -> pane.text().getText(sel.x, sel.y - 1)));
  }

  /**
   * 10,000 equations from four alternating lines (10,000 groups of one, the worst case): a
   * keystroke in the find field, Open All and Fold All, in UI-thread CPU time.
   */
  @Test
  void tenThousandEquationsStayFastGroupedByLine() {
    Jaxpr big = TracedGraphTest.bigGraph(); // each op on its own line
    String bigText = JaxprPrinter.print(big);
    List<EqnSource> sources = sourcesOf(big);
    assertEquals(TracedGraphTest.EQUATIONS, sources.size());
    var threads = ManagementFactory.getThreadMXBean();
    long show = Ui.call(() -> {
      long t0 = threads.getCurrentThreadCpuTime();
      pane.showGraph("", new StyleRange[0], bigText, sources);
      pane.text().update();
      return threads.getCurrentThreadCpuTime() - t0;
    });
    FoldedGraph f = Ui.call(pane::folded);
    assertNotNull(f);
    assertTrue(f.groups().size() >= TracedGraphTest.EQUATIONS / 2, f.groups().size() + " groups");
    long[] keys = new long[3];
    for (int i = 0; i < 3; i++) {
      String prefix = "add".substring(0, i + 1);
      int k = i;
      keys[k] = Ui.call(() -> {
        long t0 = threads.getCurrentThreadCpuTime();
        pane.findField().setText(prefix);
        pane.text().update();
        return threads.getCurrentThreadCpuTime() - t0;
      });
    }
    long openAll = Ui.call(() -> {
      long t0 = threads.getCurrentThreadCpuTime();
      pane.setAllOpen(true);
      pane.text().update();
      return threads.getCurrentThreadCpuTime() - t0;
    });
    assertTrue(Ui.call(() -> pane.text().getText().contains(" = add ")));
    long foldAll = Ui.call(() -> {
      long t0 = threads.getCurrentThreadCpuTime();
      pane.setAllOpen(false);
      pane.text().update();
      return threads.getCurrentThreadCpuTime() - t0;
    });
    long toggle = Ui.call(() -> {
      long t0 = threads.getCurrentThreadCpuTime();
      pane.toggle(5_000);
      pane.text().update();
      return threads.getCurrentThreadCpuTime() - t0;
    });
    String shown = Ui.call(() -> pane.text().getText());
    System.out.printf("grouped %,d equations in %,d groups (%,d chars folded, %,d open): show %d ms, keystrokes %s ms,"
        + " open all %d ms, fold all %d ms, one group %d ms CPU (UI thread)%n", TracedGraphTest.EQUATIONS,
        f.groups().size(), shown.length(), Ui.call(() -> pane.folded().fullText().length()), show / 1_000_000,
        java.util.Arrays.toString(java.util.Arrays.stream(keys).map(c -> c / 1_000_000).toArray()),
        openAll / 1_000_000, foldAll / 1_000_000, toggle / 1_000_000);
    long worst = java.util.Arrays.stream(new long[] {keys[0], keys[1], keys[2], openAll, foldAll, toggle}).max()
        .orElseThrow() / 1_000_000;
    assertTrue(worst < 1000, "an action cost " + worst + " ms of CPU on the UI thread");
    assertTrue(java.util.Arrays.stream(keys).max().orElseThrow() / 1_000_000 < 150, "a keystroke: " + keys[2] / 1_000_000 + " ms");
  }

  /**
   * In a narrow tab pane (a 1366-pixel screen, or the sash dragged) the find bar wraps: its last
   * control, Group by line, stays on screen above the graph instead of being cut at the pane's edge
   * (at 1600 pixels it just fitted; at 380 it was gone).
   */
  @Test
  void theFindBarWrapsInANarrowPaneSoGroupByLineStaysVisible() throws Exception {
    for (int width : new int[] {380, 300}) {
      List<String> outside = Ui.call(() -> {
        var c = pane.control();
        c.setSize(width, 500);
        c.layout(true, true);
        var bar = pane.findField().getParent();
        var textTop = pane.text().getBounds().y;
        List<String> out = new ArrayList<>();
        for (var child : bar.getChildren()) {
          var b = c.getDisplay().map(bar, c, child.getBounds());
          if (b.x < 0 || b.x + b.width > width || b.y + b.height > textTop) {
            out.add((child instanceof org.eclipse.swt.widgets.Button btn ? btn.getText() : child.toString()) + " at " + b);
          }
        }
        return out;
      });
      assertTrue(outside.isEmpty(), "cut at " + width + " px: " + outside);
    }
    String shots = System.getenv("STATELENS_SCREENSHOTS"); // the wrapped bar, 300 px wide (not a check)
    if (shots != null) {
      Ui.settle();
      ScreenshotTest.capture(java.nio.file.Files.createDirectories(Path.of(shots)).resolve("debugger-graph-narrow.png"));
    }
  }

  /**
   * docs/screenshots/debugger-transformer-graph.png (not a check): runs only when
   * STATELENS_SCREENSHOTS names an output folder and STATELENS_GRAPH_RUN a recorded run (the
   * transformer's); the graph grouped by line, and a find (STATELENS_GRAPH_FIND, default
   * dot_general) that opened the group holding its second match.
   */
  @Test
  void screenshotOfTheGroupedGraph() throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    String graphRun = System.getenv("STATELENS_GRAPH_RUN");
    org.junit.jupiter.api.Assumptions.assumeTrue(out != null && graphRun != null, "screenshots only on request");
    String query = System.getenv().getOrDefault("STATELENS_GRAPH_FIND", "dot_general");
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    StateFlowView v = StateFlowViewTest.show(Path.of(graphRun));
    Ui.run(() -> { // no window manager under Xvfb: fill the screen by hand
      var shell = Ui.page().getWorkbenchWindow().getShell();
      shell.setBounds(shell.getDisplay().getBounds());
    });
    Ui.run(() -> v.selectTab("Traced graph"));
    Ui.settle();
    TracedGraphPane p = Ui.call(v::tracedGraph);
    Ui.run(() -> {
      p.setGroupByLine(true);
      p.setWholeWord(true);
      p.focusFind();
      p.findField().setText(query);
      p.text().setCaretOffset(0);
      TracedGraphTest.pressEnterInFind(p, false);
      TracedGraphTest.pressEnterInFind(p, false);
    });
    Ui.settle();
    Thread.sleep(500);
    System.out.println("graph summary: " + Ui.call(p::summaryText) + " | " + Ui.call(() -> p.folded().groups().size())
        + " groups | find " + query + ": " + Ui.call(p::countText));
    ScreenshotTest.capture(java.nio.file.Files.createDirectories(Path.of(out)).resolve("debugger-transformer-graph.png"));
    DarkThemeTest.setTheme(DarkThemeTest.DARK); // the headings' and matches' tints in the dark theme
    try {
      Ui.run(() -> { // find picks its colours from the theme; then the same second match again
        p.find(query);
        TracedGraphTest.pressEnterInFind(p, false);
        TracedGraphTest.pressEnterInFind(p, false);
      });
      Ui.settle();
      Thread.sleep(500);
      ScreenshotTest.capture(Path.of(out, "debugger-transformer-graph-dark.png"));
    } finally {
      DarkThemeTest.setTheme(DarkThemeTest.LIGHT);
    }
  }

  private void clickMarker(int group) {
    Ui.run(() -> {
      var t = pane.text();
      Point p = t.getLocationAtOffset(pane.folded().headingOffset(group));
      Event e = new Event();
      e.button = 1;
      e.count = 1;
      e.x = p.x + 2;
      e.y = p.y + t.getLineHeight() / 2;
      t.notifyListeners(SWT.MouseDown, e);
    });
  }
}
