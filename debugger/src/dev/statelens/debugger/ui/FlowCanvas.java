package dev.statelens.debugger.ui;

import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.model.PathText;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.model.StepState;
import dev.statelens.engine.record.store.StateLink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Path;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * The state flow picture of one step: input leaves → the jitted function → output leaves, and the
 * threading edges from each output to the input of the next step it becomes. Stale inputs (not
 * the previous step's output) and leaves with NaN/Inf are drawn red with a badge. Double-click
 * the function to open its traced graph; right-click the function or a leaf for Go to Source.
 *
 * <p>A pane too narrow for four columns (the view beside the state tree usually is) gets three:
 * the threading is then a green edge on each output that becomes a next-step input, with the
 * input's path in the box's tooltip, so nothing lies beyond the pane (GTK's overlay scroll bars
 * are easy to miss).
 */
public final class FlowCanvas extends Canvas {
  private static final int BOX_H = 34;
  private static final int GAP = 10;
  private static final int COL_W = 180;
  /** Four columns need this much each (labels clipped with …); a narrower pane gets three. */
  private static final int MIN_COL_W = 150;
  private static final int COL_GAP = 44;
  /** Three columns: the leaf columns take the room the next-step column left, up to this. */
  private static final int MAX_LEAF_W = 240;
  /** Three columns: the leaf columns shrink to this before the picture needs a horizontal scroll bar. */
  private static final int MIN_LEAF_W = 120;
  /** Three columns: the function box is narrower (its text wraps to four lines). */
  private static final int NARROW_FN_W = 116;
  private static final int NARROW_GAP = 36;
  private static final int MARGIN = 20;
  private static final int TOP = 30;
  /** Three columns: the outputs' header has a second line, the green edge's legend. */
  private static final int NARROW_TOP = 46;
  private StepState state;
  /** Shown while there is no step to draw (e.g. before a launched program's first call); null: the default hint. */
  private String note;
  private Rectangle functionBox;
  private Runnable onFunction = () -> {};
  /** Where each input and output leaf was drawn (for the context menu). */
  private final Map<Rectangle, StateNode> leafBoxes = new HashMap<>();
  private java.util.function.Consumer<StateNode> onLeafSource;
  private Runnable onFunctionSource;

  /** Output path → the next step's input it becomes (the threading), for tooltips. */
  private final Map<String, String> threadedTo = new HashMap<>();

  /**
   * Where the columns go: {@code xNext < 0} when the picture has three columns and marks the
   * threaded outputs instead of drawing the next step's inputs.
   */
  public record Columns(int leafW, int fnW, int xIn, int xFn, int xOut, int xNext) {
    public boolean showsNextStep() {
      return xNext >= 0;
    }

    /** The picture's width: the last column's right edge and the margin. */
    public int width() {
      return (showsNextStep() ? xNext : xOut) + leafW + MARGIN;
    }
  }

  /**
   * The columns for a pane {@code paneWidth} pixels wide: four ({@code inputs → jit → outputs →
   * inputs of the next step}) when each gets at least {@link #MIN_COL_W}, else three, the leaf
   * columns sharing what the function leaves, down to {@link #MIN_LEAF_W} (below that the picture
   * is wider than the pane and scrolls).
   */
  public static Columns columns(int paneWidth) {
    int four = (paneWidth - 2 * MARGIN - 3 * COL_GAP) / 4;
    if (four >= MIN_COL_W) {
      int w = Math.min(COL_W, four);
      int xFn = MARGIN + w + COL_GAP;
      return new Columns(w, w, MARGIN, xFn, xFn + w + COL_GAP, xFn + 2 * (w + COL_GAP));
    }
    int leafW = Math.max(MIN_LEAF_W,
        Math.min(MAX_LEAF_W, (paneWidth - 2 * MARGIN - 2 * NARROW_GAP - NARROW_FN_W) / 2));
    int xFn = MARGIN + leafW + NARROW_GAP;
    return new Columns(leafW, NARROW_FN_W, MARGIN, xFn, xFn + NARROW_FN_W + NARROW_GAP, -1);
  }

  public FlowCanvas(Composite parent) {
    super(parent, SWT.DOUBLE_BUFFERED);
    addPaintListener(e -> paint(e.gc));
    addListener(SWT.MouseDoubleClick, e -> {
      if (functionBox != null && functionBox.contains(e.x, e.y)) {
        onFunction.run();
      }
    });
    addListener(SWT.MouseMove, e -> {
      String tip = tooltipAt(e.x, e.y);
      if (!java.util.Objects.equals(tip, getToolTipText())) {
        setToolTipText(tip);
      }
    });
  }

  /** The tooltip of the leaf at (x, y): its full path and, for a threaded output, the input it becomes. */
  public String tooltipAt(int x, int y) {
    StateNode n = leafAt(x, y);
    if (n == null || state == null) {
      return null;
    }
    String next = "out".equals(n.role()) ? threadedTo.get(n.path()) : null;
    return next == null ? n.path() : n.path() + "\nbecomes " + next + " of step " + (state.step() + 1) + " (same array)";
  }

  public void setState(StepState state) {
    this.state = state;
    if (state != null) {
      note = null;
    }
    leafBoxes.clear(); // drawn again by the next paint
    redraw();
  }

  /**
   * The picture's least size (the view scrolls below it): three columns at their narrowest, one
   * box per leaf, the threading note and the events below.
   */
  @Override
  public org.eclipse.swt.graphics.Point computeSize(int wHint, int hHint, boolean changed) {
    int rows = 2;
    int events = 0;
    if (state != null) {
      rows = Math.max(Math.max(state.leaves("in").size(), state.leaves("out").size()), Math.max(2, state.links().size()));
      events = state.events().size();
    }
    return new org.eclipse.swt.graphics.Point(columns(0).width(), NARROW_TOP + rows * (BOX_H + GAP) + 40 + events * 36);
  }

  /** Shows {@code text} until the next step is set. */
  public void setNote(String text) {
    this.note = text;
    redraw();
  }

  public void onFunctionOpened(Runnable r) {
    this.onFunction = r;
  }

  /**
   * Adds a context menu: on the function, Go to Source ({@code function}) and its traced graph; on
   * an input or output leaf, Go to Source ({@code leaf}).
   */
  public void onGoToSource(java.util.function.Consumer<StateNode> leaf, Runnable function) {
    this.onLeafSource = leaf;
    this.onFunctionSource = function;
    org.eclipse.swt.widgets.Menu menu = new org.eclipse.swt.widgets.Menu(this);
    setMenu(menu);
    addListener(SWT.MenuDetect, e -> {
      for (org.eclipse.swt.widgets.MenuItem old : menu.getItems()) {
        old.dispose();
      }
      org.eclipse.swt.graphics.Point p = toControl(e.x, e.y);
      StateNode node = leafAt(p.x, p.y);
      if (functionBox != null && functionBox.contains(p)) {
        item(menu, "Go to Source", onFunctionSource);
        item(menu, "Show Traced Graph", onFunction);
      } else if (node != null) {
        item(menu, "Go to Source", () -> onLeafSource.accept(node));
      } else {
        e.doit = false; // nothing under the pointer: no menu
      }
    });
  }

  private static void item(org.eclipse.swt.widgets.Menu menu, String text, Runnable action) {
    org.eclipse.swt.widgets.MenuItem item = new org.eclipse.swt.widgets.MenuItem(menu, SWT.PUSH);
    item.setText(text);
    item.addListener(SWT.Selection, e -> action.run());
  }

  /** The input or output leaf drawn at (x, y), or null. */
  public StateNode leafAt(int x, int y) {
    for (var e : leafBoxes.entrySet()) {
      if (e.getKey().contains(x, y)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Every input and output leaf's box as last drawn (tests check the hit-testing against it). */
  public Map<Rectangle, StateNode> leafBoxes() {
    return Map.copyOf(leafBoxes);
  }

  /** The function box as last drawn, or null before the first paint of a step. */
  public Rectangle functionBox() {
    return functionBox;
  }

  /** {@code text} broken into lines of at most about {@code width} characters at spaces. */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    int lineStart = 0;
    for (String word : text.split(" ")) {
      if (out.length() - lineStart + word.length() > width && out.length() > lineStart) {
        out.setLength(out.length() - 1); // the space before the break
        out.append('\n');
        lineStart = out.length();
      }
      out.append(word).append(' ');
    }
    return out.toString().trim();
  }

  private void paint(GC gc) {
    ThemeColors t = ThemeColors.of(this); // the theme's background and text, tints mixed into them
    Rectangle r = getClientArea();
    gc.setBackground(t.backgroundColor());
    gc.fillRectangle(r);
    gc.setAntialias(SWT.ON);
    gc.setTextAntialias(SWT.ON);
    if (state == null) {
      gc.setForeground(t.dimText());
      gc.drawText(note != null ? wrap(note, 70) : "Select a step to see its state flow.", 10, 10, true);
      return;
    }
    if (!state.hasValues()) { // a sparse run's gap: say so rather than draw empty columns
      gc.setForeground(t.dimText());
      gc.drawText(state.values().message().replace(": ", ":\n").replace(". ", ".\n"), 20, 20, true);
      return;
    }
    List<StateNode> ins = state.leaves("in");
    List<StateNode> outs = state.leaves("out");
    Columns c = columns(r.width);
    int colW = c.leafW(), fnW = c.fnW();
    int xIn = c.xIn(), xFn = c.xFn(), xOut = c.xOut(), xNext = c.xNext();
    int top = c.showsNextStep() ? TOP : NARROW_TOP;
    gc.setForeground(t.dimText());
    gc.drawText(columnHeader(gc, "inputs", state.step(), colW), xIn, 8, true);
    gc.drawText(columnHeader(gc, "outputs", state.step(), colW), xOut, 8, true);
    if (c.showsNextStep()) {
      gc.drawText(columnHeader(gc, "inputs", state.step() + 1, colW), xNext, 8, true);
    } else if (state.links().isEmpty()) {
      gc.drawText(clip(gc, noThreadingNote(state, false), colW), xOut, 25, true);
    } else { // the legend of the green edge drawn on threaded outputs
      gc.setBackground(t.threadGreen());
      gc.fillRectangle(xOut, 27, 5, 13);
      gc.setForeground(t.threadGreen());
      gc.drawText(clip(gc, "= input of step " + (state.step() + 1), colW - 9), xOut + 9, 25, true);
    }
    threadedTo.clear();
    for (StateLink l : state.links()) {
      threadedTo.put(l.outPath(), l.inPath());
    }

    leafBoxes.clear();
    List<String> stale = state.staleInputs();
    Map<String, int[]> outPos = new HashMap<>();
    int y = top;
    int[] inY = new int[ins.size()];
    for (int i = 0; i < ins.size(); i++) {
      StateNode n = ins.get(i);
      inY[i] = y;
      leafBoxes.put(new Rectangle(xIn, y, colW, BOX_H), n);
      box(gc, t, xIn, y, colW, n, stale.contains(n.path()) ? "stale" : null, false);
      y += BOX_H + GAP;
    }
    int bottomIn = y;
    y = top;
    for (StateNode n : outs) {
      outPos.put(n.path(), new int[] {xOut, y});
      leafBoxes.put(new Rectangle(xOut, y, colW, BOX_H), n);
      box(gc, t, xOut, y, colW, n, null, !c.showsNextStep() && threadedTo.containsKey(n.path()));
      y += BOX_H + GAP;
    }
    int bottom = Math.max(bottomIn, y);
    // the function, vertically centred; a narrow one breaks its lines after ", " and ": "
    List<String> fnLines = new java.util.ArrayList<>();
    fnLines.add("jit " + state.function());
    for (String line : List.of(state.call() == null ? "not recorded"
        : (state.call().compiled() ? "compiled" : "cached") + ", " + Format.num(state.call().wallNanos() / 1e6) + " ms",
        "double-click: traced graph")) {
      int cut = Math.max(line.indexOf(", "), line.indexOf(": "));
      if (gc.textExtent(line).x > fnW - 12 && cut > 0) {
        fnLines.add(line.substring(0, cut + 1));
        fnLines.add(line.substring(cut + 2));
      } else {
        fnLines.add(line);
      }
    }
    int fnH = 12 + 16 * fnLines.size();
    int fnY = top + Math.max(0, (bottom - top - GAP - fnH) / 2);
    functionBox = new Rectangle(xFn, fnY, fnW, fnH);
    gc.setBackground(t.functionBackground());
    gc.fillRoundRectangle(xFn, fnY, fnW, fnH, 12, 12);
    gc.setForeground(t.functionBorder());
    gc.setLineWidth(2);
    gc.drawRoundRectangle(xFn, fnY, fnW, fnH, 12, 12);
    gc.setLineWidth(1);
    for (int i = 0; i < fnLines.size(); i++) {
      gc.setForeground(i == 0 ? t.text() : t.dimText());
      gc.drawText(clip(gc, fnLines.get(i), fnW - 12), xFn + 8, fnY + 6 + 16 * i, true);
    }
    // edges inputs -> function -> outputs
    gc.setForeground(t.line());
    for (int iy : inY) {
      curve(gc, xIn + colW, iy + BOX_H / 2, xFn, fnY + fnH / 2);
    }
    for (int[] p : outPos.values()) {
      curve(gc, xFn + fnW, fnY + fnH / 2, p[0], p[1] + BOX_H / 2);
    }
    int ey = Math.max(bottom, fnY + fnH + GAP) + 8;
    if (c.showsNextStep()) {
      // threading: output of this step -> input of the next step
      y = top;
      gc.setLineWidth(2);
      for (StateLink l : state.links()) {
        int[] p = outPos.get(l.outPath());
        if (p == null) {
          continue;
        }
        gc.setForeground(t.threadGreen());
        curve(gc, xOut + colW, p[1] + BOX_H / 2, xNext, y + BOX_H / 2);
        gc.setBackground(t.threadBackground());
        gc.fillRoundRectangle(xNext, y, colW, BOX_H, 8, 8);
        gc.drawRoundRectangle(xNext, y, colW, BOX_H, 8, 8);
        gc.setForeground(t.text());
        gc.drawText(clipMiddle(gc, l.inPath(), "", colW - 12), xNext + 6, y + 3, true);
        gc.setForeground(t.dimText());
        gc.drawText(clip(gc, "← " + l.outPath() + " (same array)", colW - 12), xNext + 6, y + 17, true);
        y += BOX_H + GAP;
      }
      gc.setLineWidth(1);
      if (state.links().isEmpty()) {
        gc.setForeground(t.dimText());
        gc.drawText(noThreadingNote(state, true), xNext, top, true);
      }
    }
    // events of this step, wrapped to the pane
    int charW = Math.max(5, (int) Math.ceil(gc.getFontMetrics().getAverageCharacterWidth()));
    int chars = Math.max(20, (Math.max(c.width(), r.width) - xIn - MARGIN) / charW);
    for (var e : state.events()) {
      gc.setForeground(t.badText());
      String text = wrap("⚠ " + EventList.describe(e) + ": " + e.message(), chars);
      gc.drawText(text, xIn, ey, true);
      ey += gc.textExtent(text).y + 2;
    }
  }

  /**
   * What the picture says when no output of {@code s} goes on to step + 1: at the last step recorded
   * (where a finished run ends, and where a paused run stands) there is no next call yet, which is
   * not a step whose outputs feed none of the next call's inputs: "none is an input of step 200"
   * there read as if the state were not threaded at all. {@code wide}: the next step's column, two lines.
   */
  public static String noThreadingNote(StepState s, boolean wide) {
    long next = s.step() + 1;
    if (!s.nextRecorded()) {
      return wide ? "not recorded: step " + s.step() + " is\nthe last step recorded" : "the last step recorded";
    }
    return wide ? "no output is threaded into\nthe next step's inputs" : "none is an input of step " + next;
  }

  /** A leaf's box; {@code threaded}: a green right edge, this output is an input of the next step. */
  private void box(GC gc, ThemeColors t, int x, int y, int w, StateNode n, String badge, boolean threaded) {
    boolean bad = badge != null || n.nonFinite() > 0;
    gc.setBackground(bad ? t.badBackground() : n.changed() ? t.changedBackground() : t.boxBackground());
    gc.fillRoundRectangle(x, y, w, BOX_H, 8, 8);
    gc.setForeground(bad ? t.badText() : t.line());
    gc.drawRoundRectangle(x, y, w, BOX_H, 8, 8);
    if (threaded) {
      gc.setBackground(t.threadGreen());
      gc.fillRoundRectangle(x + w - 6, y, 6, BOX_H, 6, 6);
      gc.fillRectangle(x + w - 6, y + 1, 3, BOX_H - 1);
      w -= 6; // the text stays clear of the edge
    }
    gc.setForeground(t.text());
    // paths share their start (state.params.…): clip the middle so root and leaf name both show
    gc.drawText(clipMiddle(gc, n.path(), "  " + Format.shape(n.sample().shape()), w - 12), x + 6, y + 3, true);
    gc.setForeground(t.dimText());
    String v = Format.value(n.sample());
    String nf = Format.badges(n.sample());
    String line = badge != null ? badge.toUpperCase() + "  " + v : nf.isEmpty() ? v : nf + "  " + v;
    gc.drawText(clip(gc, line, w - 12), x + 6, y + 17, true);
  }

  /**
   * "inputs, step 999,999", shortened by words, never inside the number: in a 150-pixel column a
   * million-step run's header read "inputs, step 999…", a step that is not the one shown.
   */
  public static String columnHeader(GC gc, String what, long step, int w) {
    String n = String.format("%,d", step);
    for (String s : new String[] {what + ", step " + n, what + ", " + n, "step " + n, n}) {
      if (gc.textExtent(s).x <= w) {
        return s;
      }
    }
    return n;
  }

  private static String clip(GC gc, String s, int w) {
    if (gc.textExtent(s).x <= w) {
      return s;
    }
    while (s.length() > 1 && gc.textExtent(s + "…").x > w) {
      s = s.substring(0, s.length() - 1);
    }
    return s + "…";
  }

  /**
   * {@code path + suffix} if it fits {@code w}, else the path alone, shortened to whole segments
   * at its leaf end ({@link PathText#fit}): that end tells which leaf it is.
   */
  private static String clipMiddle(GC gc, String path, String suffix, int w) {
    if (gc.textExtent(path + suffix).x <= w) {
      return path + suffix;
    }
    return PathText.fit(path, w, s -> gc.textExtent(s).x); // the shape is in the tree; the path names the box
  }

  private void curve(GC gc, int x1, int y1, int x2, int y2) {
    Path p = new Path(getDisplay());
    int mx = (x1 + x2) / 2;
    p.moveTo(x1, y1);
    p.cubicTo(mx, y1, mx, y2, x2, y2);
    gc.drawPath(p);
    p.dispose();
    gc.drawLine(x2 - 6, y2 - 4, x2, y2);
    gc.drawLine(x2 - 6, y2 + 4, x2, y2);
  }
}
