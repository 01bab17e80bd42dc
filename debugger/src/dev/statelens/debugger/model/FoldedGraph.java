package dev.statelens.debugger.model;

import java.util.Arrays;
import java.util.List;

/**
 * The Traced graph tab's text with its equation groups ({@link EqnGroups}) folded or unfolded: a
 * heading line per group ({@code ▸ Transformer.block line 88 — 37 equations}) followed, when the
 * group is open, by its equations. Keeps two texts: the <em>full</em> one (every group open: what
 * find searches, so a match in a folded group is found and its group opened) and the
 * <em>shown</em> one, and maps offsets between them. Folding rebuilds the shown text once; the
 * mapping is a binary search over the groups, so painting the lines on screen stays cheap however
 * many equations there are.
 *
 * <p>A long binder list ({@code { lambda a:i32[32] b:… . let}: the transformer step's 107 inputs
 * take ~20 lines) folds the same way under a heading of its own, fold index {@link #BINDERS}, so
 * that the first screen shows the groups; a short one stays as it is, above the groups.
 */
public final class FoldedGraph {
  public static final char OPEN = '▾';
  public static final char FOLDED = '▸';
  /** The fold index of the binder list ({@code { lambda … let}) where it has a heading of its own. */
  public static final int BINDERS = -2;
  /** No fold (the header, a short binder list, the closing lines). */
  public static final int NONE = -1;
  /** A binder list longer than this many lines gets a heading and starts folded (the transformer's: ~20). */
  static final int BINDER_LINES_SHOWN = 3;

  private final String header;
  private final EqnGroups groups;
  /** 1 when the binder list is folded under a heading of its own (section 0), else 0. */
  private final int lead;
  private final String bindersHeading;
  /** Per section (the binder list when it folds, then the groups): open or folded. */
  private final boolean[] open;
  private final String full;
  /** Per section: where its heading line and its body start in the full text, and the body's length. */
  private final int[] headingFull;
  private final int[] bodyFull;
  private final int[] bodyLength;
  /** Per section, in the shown text: where its heading starts, and the folded characters before it. */
  private final int[] headingShown;
  private final int[] hiddenBefore;
  private String shown;

  /**
   * {@code header} (the view's lines about the function and its state) over {@code groups}, all
   * folded; a binder list longer than {@value #BINDER_LINES_SHOWN} lines folded too, under
   * {@code ▸ lambda — 107 inputs, 6 constants}, so that the first screen shows the groups.
   */
  public FoldedGraph(String header, EqnGroups groups) {
    this.header = header;
    this.groups = groups;
    String prologue = groups.prologue();
    lead = prologue.lines().count() > BINDER_LINES_SHOWN ? 1 : 0;
    bindersHeading = lead == 1 ? bindersHeading(prologue) : null;
    int n = lead + groups.groups().size();
    open = new boolean[n];
    headingFull = new int[n];
    bodyFull = new int[n];
    bodyLength = new int[n];
    headingShown = new int[n];
    hiddenBefore = new int[n];
    StringBuilder sb = new StringBuilder(header);
    if (lead == 0) {
      sb.append(prologue);
    }
    for (int s = 0; s < n; s++) {
      headingFull[s] = sb.length();
      sb.append(headingLine(s, true)).append('\n');
      bodyFull[s] = sb.length();
      String body = body(s);
      bodyLength[s] = body.length();
      sb.append(body);
    }
    full = sb.append(groups.epilogue()).toString();
    rebuild();
  }

  /**
   * {@code lambda — 107 inputs, 6 constants}: the binders before the {@code ;} are the graph's
   * constants, those after it its inputs (JAX's {@code { lambda consts ; inputs . let}).
   */
  static String bindersHeading(String prologue) {
    int semicolon = prologue.indexOf(" ; ") >= 0 ? prologue.indexOf(" ; ") : prologue.indexOf(';');
    int consts = semicolon < 0 ? 0 : binderCount(prologue.substring(0, semicolon));
    int inputs = binderCount(semicolon < 0 ? prologue : prologue.substring(semicolon + 1));
    return "lambda — " + count(inputs, "input") + ", " + count(consts, "constant");
  }

  private static int binderCount(String text) {
    int n = 0;
    for (String word : text.split("\\s+")) {
      if (word.indexOf(':') > 0) {
        n++;
      }
    }
    return n;
  }

  private static String count(int n, String what) {
    return String.format("%,d %s%s", n, what, n == 1 ? "" : "s");
  }

  private String body(int s) {
    return s < lead ? groups.prologue() : groups.groups().get(s - lead).body();
  }

  private String headingLine(int s, boolean isOpen) {
    return (isOpen ? OPEN : FOLDED) + " " + (s < lead ? bindersHeading : groups.groups().get(s - lead).heading());
  }

  /** Section of fold {@code f} (a group's index, or {@link #BINDERS}). */
  private int section(int f) {
    if (f == BINDERS) {
      if (lead == 0) {
        throw new IllegalArgumentException("this graph's binder list is short: it has no heading to fold");
      }
      return 0;
    }
    return f + lead;
  }

  /** Fold index of section {@code s}; {@link #NONE} for none. */
  private int fold(int s) {
    return s < 0 ? NONE : s < lead ? BINDERS : s - lead;
  }

  /** Recomputes the shown text and the offsets after a fold changed. */
  private void rebuild() {
    StringBuilder sb = new StringBuilder(full.length());
    sb.append(full, 0, open.length == 0 ? full.length() - groups.epilogue().length() : headingFull[0]);
    int hidden = 0;
    for (int s = 0; s < open.length; s++) {
      headingShown[s] = sb.length();
      hiddenBefore[s] = hidden;
      sb.append(headingLine(s, open[s])).append('\n');
      if (open[s]) {
        sb.append(full, bodyFull[s], bodyFull[s] + bodyLength[s]);
      } else {
        hidden += bodyLength[s];
      }
    }
    shown = sb.append(groups.epilogue()).toString();
  }

  /** Every group open: the text find searches. */
  public String fullText() {
    return full;
  }

  /** What the tab shows now. */
  public String shownText() {
    return shown;
  }

  public List<EqnGroups.Group> groups() {
    return groups.groups();
  }

  public String header() {
    return header;
  }

  /** Whether the binder list has a heading of its own (longer than {@value #BINDER_LINES_SHOWN} lines). */
  public boolean bindersFold() {
    return lead == 1;
  }

  /** Whether fold {@code f} (a group's index, or {@link #BINDERS}) is open. */
  public boolean isOpen(int f) {
    return open[section(f)];
  }

  /** Opens or folds {@code f} (a group's index, or {@link #BINDERS}); false when it already was. */
  public boolean setOpen(int f, boolean isOpen) {
    int s = section(f);
    if (open[s] == isOpen) {
      return false;
    }
    open[s] = isOpen;
    rebuild();
    return true;
  }

  /** Opens or folds every group and the binder list (one rebuild). */
  public void setAllOpen(boolean isOpen) {
    Arrays.fill(open, isOpen);
    rebuild();
  }

  /**
   * The fold whose lines or heading hold full-text offset {@code offset}: a group's index,
   * {@link #BINDERS}, or {@link #NONE} (header, a short binder list, epilogue).
   */
  public int groupAtFull(int offset) {
    int s = floor(headingFull, offset);
    return s >= 0 && offset < bodyFull[s] + bodyLength[s] ? fold(s) : NONE;
  }

  /** Full-text offset {@code offset} in the shown text, or -1 when it lies in a folded section. */
  public int toShown(int offset) {
    int s = floor(headingFull, offset);
    if (s < 0) {
      return offset; // the header (and a short binder list): before every fold
    }
    if (!open[s] && offset >= bodyFull[s] && offset < bodyFull[s] + bodyLength[s]) {
      return -1;
    }
    int hidden = hiddenBefore[s] + (!open[s] && offset >= bodyFull[s] + bodyLength[s] ? bodyLength[s] : 0);
    return offset - hidden;
  }

  /** Shown-text offset {@code offset} in the full text. */
  public int toFull(int offset) {
    int s = floor(headingShown, offset);
    if (s < 0) {
      return offset;
    }
    int hidden = hiddenBefore[s] + (!open[s] && offset > headingShown[s] + headingLine(s, false).length()
        ? bodyLength[s] : 0);
    return offset + hidden;
  }

  /** The fold whose heading line starts at shown offset {@code lineOffset}: a group, {@link #BINDERS} or {@link #NONE}. */
  public int headingAtShown(int lineOffset) {
    int s = Arrays.binarySearch(headingShown, lineOffset);
    return s >= 0 ? fold(s) : NONE;
  }

  /** The fold a shown offset lies in (its heading or its open lines), or {@link #NONE}. */
  public int groupAtShown(int offset) {
    return groupAtFull(toFull(offset));
  }

  /** Where fold {@code f}'s heading line (a group's, or {@link #BINDERS}'s) starts in the shown text. */
  public int headingOffset(int f) {
    return headingShown[section(f)];
  }

  /** The last index whose value is at most {@code offset}, or -1. */
  private static int floor(int[] sorted, int offset) {
    int i = Arrays.binarySearch(sorted, offset);
    return i >= 0 ? i : -i - 2;
  }
}
