package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.GraphText;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.ui.TracedGraphPane;
import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.JaxprPrinter;
import dev.statelens.test.support.Keys;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Traced graph tab on a big graph: the summary counts what the engine traced, the find field
 * finds every whole-word occurrence, Enter / Shift+Enter walk them, Esc clears, Ctrl+F reaches the
 * field, the long {@code lambda} header is wrapped at 80 columns, and a keystroke on a
 * 10,000-equation graph stays fast.
 */
class TracedGraphTest {
  static final int EQUATIONS = 10_000;
  static final int INPUTS = 60;

  @TempDir
  static Path dir;
  static Path run;
  /** A 10,000-equation graph traced by the engine, printed as the recorder stores it. */
  static Jaxpr big;
  static String bigText;
  StateFlowView view;
  TracedGraphPane pane;

  @BeforeAll
  static void record() {
    run = Fixtures.linreg(dir.resolve("linreg.db"), 10, 0.02, -1, -1);
    big = bigGraph();
    bigText = JaxprPrinter.print(big);
  }

  /**
   * {@value #EQUATIONS} equations over {@value #INPUTS} inputs, its four ops each written on its own
   * line (GraphGroupsTest: 10,000 groups of one, grouping's worst case).
   */
  static Jaxpr bigGraph() {
    List<Array> xs = new ArrayList<>();
    for (int i = 0; i < INPUTS; i++) {
      xs.add(Array.of(DType.F32, new int[] {48, 48}, new float[48 * 48]));
    }
    return Transforms.makeJaxpr((List<Array> in) -> {
      Array acc = in.getFirst();
      for (int i = 0; i < EQUATIONS; i++) {
        Array x = in.get(i % INPUTS);
        acc = switch (i % 4) {
          case 0 -> acc.add(x);
          case 1 -> acc.mul(x);
          case 2 -> acc.tanh();
          default -> acc.matmul(x);
        };
      }
      return acc;
    }, xs);
  }

  @BeforeEach
  void open() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    view = StateFlowViewTest.show(run);
    Ui.run(() -> view.selectTab("Traced graph"));
    Ui.settle();
    pane = Ui.call(view::tracedGraph);
    Ui.run(() -> { // the view outlives a test: start each from an empty field, whole words on, the flat text
      pane.clearFind();
      pane.setWholeWord(true);
      pane.setGroupByLine(false); // grouped by source line: GraphGroupsTest
    });
  }

  @AfterAll
  static void close() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  @Test
  void theSummaryCountsTheRecordedGraphsEquationsAndOps() {
    String shown = Ui.call(view::tracedGraphText);
    String ir = shown.substring(shown.indexOf("{ lambda"));
    // the recorded linreg graph prints one equation a line between its header and its "in (...)"
    List<String> eqnLines = ir.lines().filter(l -> l.startsWith("    ")).toList();
    Map<String, Long> ops = eqnLines.stream()
        .collect(Collectors.groupingBy(l -> l.split(" = ")[1].split("[\\[ ]")[0], TreeMap::new, Collectors.counting()));
    String summary = Ui.call(pane::summaryText);
    assertTrue(summary.startsWith(eqnLines.size() + " equations · 4 inputs → 3 outputs"), summary);
    ops.forEach((op, n) -> assertTrue(summary.contains(op + " ×" + n), op + " ×" + n + " in " + summary));
  }

  @Test
  void theSummaryOfABigGraphMatchesWhatTheEngineTraced() {
    Ui.run(() -> pane.showGraph("", new StyleRange[0], bigText));
    Map<String, Integer> byOp = new TreeMap<>();
    for (Eqn e : big.eqns()) {
      byOp.merge(e.primitive().name(), 1, Integer::sum);
    }
    String summary = Ui.call(pane::summaryText);
    assertTrue(summary.startsWith(String.format("%,d equations · %d inputs → 1 output", big.eqns().size(), INPUTS)),
        summary);
    byOp.forEach((op, n) -> assertTrue(summary.contains(String.format("%s ×%,d", op, n)), op + " in " + summary));
  }

  /**
   * A line longer than the pane (a transformer's {@code state inputs:} list of 100 paths) wraps at
   * the pane's edge, its continuation indented: at 1600x1000 the pane beside the tree cut such lines
   * until the view was maximized. With Wrap lines off it is one line again, running past the edge.
   */
  @Test
  void aLineLongerThanThePaneWrapsAtItsEdgeUnlessWrapLinesIsOff() {
    StringBuilder paths = new StringBuilder("state inputs:  ");
    for (int i = 0; i < 40; i++) {
      paths.append(i == 0 ? "" : ", ").append("state.params.blocks[").append(i).append("].attention.query.w");
    }
    String line = paths.toString();
    Ui.run(() -> pane.showGraph(line + "\n\n", new StyleRange[0], "{ lambda ; a:f32[]. let b:f32[] = neg a in (b) }"));
    Ui.settle();
    Ui.run(() -> {
      var text = pane.text();
      assertTrue(pane.wrapLinesBox().getSelection(), "Wrap lines is on by default");
      int start = text.getText().indexOf(line);
      assertTrue(start >= 0, text.getText());
      int width = text.getClientArea().width;
      var bounds = text.getTextBounds(start, start + line.length() - 1);
      assertTrue(bounds.x + bounds.width <= width, "the wrapped line ends inside the pane: " + bounds + ", " + width + " px");
      assertTrue(bounds.height >= 2 * text.getLineHeight(), "it takes more than one row: " + bounds);
      assertTrue(text.getWrapIndent() > 0, "continuations indented");

      pane.wrapLinesBox().setSelection(false);
      pane.wrapLinesBox().notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
      var one = text.getTextBounds(start, start + line.length() - 1);
      assertEquals(text.getLineHeight(), one.height, "Wrap lines off: one row");
      assertTrue(one.x + one.width > width, "and past the pane's edge: " + one + ", " + width + " px");
      pane.wrapLinesBox().setSelection(true);
      pane.wrapLinesBox().notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
    });
  }

  @Test
  void theLongLambdaHeaderWrapsAt80ColumnsAsJaxPrintsIt() {
    assertTrue(bigText.lines().findFirst().orElseThrow().length() > 600, "the engine prints the header on one line");
    Ui.run(() -> pane.showGraph("", new StyleRange[0], bigText));
    String shown = Ui.call(() -> pane.text().getText());
    List<String> header = new ArrayList<>();
    for (String line : shown.lines().toList()) {
      header.add(line);
      if (line.endsWith(". let")) {
        break;
      }
    }
    assertTrue(header.size() > 5, "wrapped over several lines: " + header);
    header.forEach(l -> assertTrue(l.length() <= GraphText.WIDTH, l.length() + ": " + l));
    header.subList(1, header.size()).forEach(l -> assertTrue(l.startsWith("    ") && !l.startsWith("     "), l));
    // the same binders in the same order, and every equation line as the engine printed it
    assertEquals(bigText.lines().findFirst().orElseThrow(),
        header.stream().map(String::strip).collect(Collectors.joining(" ")));
    assertEquals(bigText.lines().filter(l -> l.contains(" = ")).toList(),
        shown.lines().filter(l -> l.contains(" = ")).toList());
    int firstEquation = shown.lines().toList().indexOf(header.getLast()) + 1;
    assertTrue(firstEquation < 20, "the first screen shows equations (from line " + firstEquation + ")");
  }

  /** The placeholder shows whole in the field beside its search and cancel icons ("Find in graph (Ctrl+…" was cut). */
  @Test
  void theFindPlaceholderFitsTheField() {
    Ui.run(() -> {
      var field = pane.findField();
      var gc = new org.eclipse.swt.graphics.GC(field);
      try {
        gc.setFont(field.getFont());
        int text = gc.textExtent(field.getMessage()).x;
        int icons = 2 * 20; // the search and cancel icons, 16 px each and their padding
        assertTrue(text + icons <= field.getSize().x, "'" + field.getMessage() + "' is " + text + " px; the field "
            + field.getSize().x + " px less " + icons + " px of icons");
      } finally {
        gc.dispose();
      }
      assertTrue(field.getMessage().contains("Ctrl+F"), field.getMessage());
    });
  }

  @Test
  void findHighlightsEveryWholeWordUseAndEnterWalksThem() {
    Ui.run(() -> pane.showGraph("", new StyleRange[0], bigText));
    String shown = Ui.call(() -> pane.text().getText());
    String name = "fk"; // a variable: defined once, used by the next equations
    List<Integer> expected = offsets(shown, "\\bfk\\b");
    assertTrue(expected.size() >= 2, "fk is defined and used: " + expected);
    type(name);
    assertEquals(expected.size(), Ui.call(pane::matchCount));
    assertEquals(expected, boxed(Ui.call(pane::matchOffsets)));
    assertEquals(expected.size() + " matches", Ui.call(pane::countText));
    assertTrue(shown.startsWith("fk:", expected.getFirst()), "the first match is its definition");

    Ui.run(() -> pane.text().setCaretOffset(0));
    enter(false);
    assertEquals(new Point(expected.get(0), expected.get(0) + 2), Ui.call(() -> pane.text().getSelection()));
    assertEquals("1 of " + expected.size(), Ui.call(pane::countText));
    enter(false);
    assertEquals(new Point(expected.get(1), expected.get(1) + 2), Ui.call(() -> pane.text().getSelection()));
    assertEquals("2 of " + expected.size(), Ui.call(pane::countText));
    int top = Ui.call(() -> pane.text().getTopIndex());
    int line = Ui.call(() -> pane.text().getLineAtOffset(expected.get(1)));
    assertTrue(line >= top && line < top + 60, "scrolled to the match (line " + line + ", top " + top + ")");
    enter(true);
    enter(true); // Shift+Enter before the first wraps round to the last
    assertEquals(new Point(expected.getLast(), expected.getLast() + 2), Ui.call(() -> pane.text().getSelection()));
    assertEquals(expected.size() + " of " + expected.size(), Ui.call(pane::countText));

    // the match is painted (the line style listener's background), the rest of the line not
    StyleRange[] styles = Ui.call(() -> pane.lineStyles(pane.text().getLineAtOffset(expected.getFirst())));
    assertTrue(styles.length >= 1 && styles[0].start == expected.getFirst() && styles[0].length == 2
        && styles[0].background != null, java.util.Arrays.toString(styles));

    // not whole words: fk inside longer names too
    Ui.run(() -> pane.setWholeWord(false));
    assertEquals(offsets(shown, "fk").size(), Ui.call(pane::matchCount));
    assertTrue(Ui.call(pane::matchCount) > expected.size());

    // Esc clears the field and the highlights
    Ui.run(() -> {
      Event esc = new Event();
      esc.keyCode = SWT.ESC;
      pane.findField().notifyListeners(SWT.KeyDown, esc);
    });
    assertEquals("", Ui.call(() -> pane.findField().getText()));
    assertEquals(0, Ui.call(pane::matchCount));
    assertEquals("", Ui.call(pane::countText));
  }

  @Test
  void ctrlFGoesToTheFindFieldWhileTheGraphIsShown() throws Exception {
    Ui.run(() -> {
      Ui.page().activate(view);
      pane.text().setFocus();
    });
    assertTrue(Ui.call(() -> Display.getCurrent().getFocusControl() == pane.text()), "the graph's text has focus");
    Ui.run(() -> {
      try {
        view.getSite().getService(org.eclipse.ui.handlers.IHandlerService.class)
            .executeCommand("org.eclipse.ui.edit.findReplace", null);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    assertTrue(Ui.call(() -> Display.getCurrent().getFocusControl() == pane.findField()),
        "Edit > Find/Replace (Ctrl+F) focuses the graph's find field");

    // the key itself, as the user presses it in the graph's text
    Ui.run(() -> pane.text().setFocus());
    assertTrue(Ui.call(() -> Display.getCurrent().getFocusControl() == pane.text()), "the graph's text has focus");
    Keys.press(SWT.CTRL, 'f');
    long until = System.currentTimeMillis() + 3000;
    while (System.currentTimeMillis() < until && !Ui.call(() -> Display.getCurrent().getFocusControl() == pane.findField())) {
      Thread.sleep(50);
    }
    assertTrue(Ui.call(() -> Display.getCurrent().getFocusControl() == pane.findField()),
        "Ctrl+F in the graph's text focuses the find field");

    // on the other tabs the view does not take Find (Ctrl+F, Edit > Find/Replace…): it was handled
    // there and did nothing
    assertTrue(findEnabled(), "handled while the graph shows");
    for (String tab : List.of("Diff", "State flow")) {
      Ui.run(() -> view.selectTab(tab));
      assertEquals(false, findEnabled(), "Find/Replace is not the view's on the " + tab + " tab");
    }
    Ui.run(() -> view.selectTab("Traced graph"));
    assertTrue(findEnabled());
  }

  private boolean findEnabled() {
    return Ui.call(() -> {
      Ui.page().activate(view);
      return view.getSite().getService(org.eclipse.ui.commands.ICommandService.class)
          .getCommand("org.eclipse.ui.edit.findReplace").isEnabled();
    });
  }

  /**
   * A keystroke's cost on a 10,000-equation graph: the scan for matches and the repaint of the
   * visible lines, measured as the UI thread's CPU time over typing "add" (the commonest op).
   */
  @Test
  void typingInTheFindFieldStaysFastOnTenThousandEquations() {
    Ui.run(() -> pane.showGraph("", new StyleRange[0], bigText));
    String shown = Ui.call(() -> pane.text().getText());
    var threads = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[3];
    String query = "add";
    for (int i = 0; i < query.length(); i++) {
      String prefix = query.substring(0, i + 1);
      int k = i;
      cpu[k] = Ui.call(() -> {
        long t0 = threads.getCurrentThreadCpuTime();
        pane.findField().setText(prefix); // the modify listener finds and redraws
        pane.text().update(); // paint now, inside the measurement
        return threads.getCurrentThreadCpuTime() - t0;
      });
    }
    assertEquals(offsets(shown, "\\badd\\b").size(), Ui.call(pane::matchCount));
    long worstMs = java.util.Arrays.stream(cpu).max().orElseThrow() / 1_000_000;
    System.out.printf("find on %,d chars (%,d lines): per keystroke %s ms CPU (UI thread)%n", shown.length(),
        shown.lines().count(), java.util.Arrays.toString(java.util.Arrays.stream(cpu).map(c -> c / 1_000_000).toArray()));
    assertTrue(worstMs < 100, "a keystroke cost " + worstMs + " ms of CPU on the UI thread");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void type(String s) {
    Ui.run(() -> pane.findField().setText(s));
  }

  private void enter(boolean shift) {
    Ui.run(() -> pressEnterInFind(pane, shift));
  }

  /** Enter (Shift+Enter) in the graph's find field: the next (previous) match. On the UI thread. */
  static void pressEnterInFind(TracedGraphPane pane, boolean shift) {
    Event e = new Event();
    e.keyCode = SWT.CR;
    e.stateMask = shift ? SWT.SHIFT : 0;
    pane.findField().notifyListeners(SWT.KeyDown, e);
  }

  private static List<Integer> offsets(String text, String regex) {
    List<Integer> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(text);
    while (m.find()) {
      out.add(m.start());
    }
    return out;
  }

  private static List<Integer> boxed(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }
}
