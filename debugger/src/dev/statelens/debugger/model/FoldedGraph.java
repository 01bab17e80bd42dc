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
 */
public final class FoldedGraph {
  public static final char OPEN = '▾';
  public static final char FOLDED = '▸';

  private final String header;
  private final EqnGroups groups;
  private final boolean[] open;
  private final String full;
  /** Per group: where its heading line and its body start in the full text, and the body's length. */
  private final int[] headingFull;
  private final int[] bodyFull;
  private final int[] bodyLength;
  /** Per group, in the shown text: where its heading starts, and the folded characters before it. */
  private final int[] headingShown;
  private final int[] hiddenBefore;
  private String shown;

  /** {@code header} (the view's lines about the function and its state) over {@code groups}, all folded. */
  public FoldedGraph(String header, EqnGroups groups) {
    this.header = header;
    this.groups = groups;
    int n = groups.groups().size();
    open = new boolean[n];
    headingFull = new int[n];
    bodyFull = new int[n];
    bodyLength = new int[n];
    headingShown = new int[n];
    hiddenBefore = new int[n];
    StringBuilder sb = new StringBuilder(header).append(groups.prologue());
    for (int g = 0; g < n; g++) {
      headingFull[g] = sb.length();
      sb.append(headingLine(g, true)).append('\n');
      bodyFull[g] = sb.length();
      bodyLength[g] = groups.groups().get(g).body().length();
      sb.append(groups.groups().get(g).body());
    }
    full = sb.append(groups.epilogue()).toString();
    rebuild();
  }

  private String headingLine(int g, boolean isOpen) {
    return (isOpen ? OPEN : FOLDED) + " " + groups.groups().get(g).heading();
  }

  /** Recomputes the shown text and the offsets after a fold changed. */
  private void rebuild() {
    StringBuilder sb = new StringBuilder(full.length());
    sb.append(full, 0, groups.groups().isEmpty() ? full.length() - groups.epilogue().length() : headingFull[0]);
    int hidden = 0;
    for (int g = 0; g < open.length; g++) {
      headingShown[g] = sb.length();
      hiddenBefore[g] = hidden;
      sb.append(headingLine(g, open[g])).append('\n');
      if (open[g]) {
        sb.append(full, bodyFull[g], bodyFull[g] + bodyLength[g]);
      } else {
        hidden += bodyLength[g];
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

  public boolean isOpen(int group) {
    return open[group];
  }

  /** Opens or folds {@code group}; false when it already was. */
  public boolean setOpen(int group, boolean isOpen) {
    if (open[group] == isOpen) {
      return false;
    }
    open[group] = isOpen;
    rebuild();
    return true;
  }

  /** Opens or folds every group (one rebuild). */
  public void setAllOpen(boolean isOpen) {
    Arrays.fill(open, isOpen);
    rebuild();
  }

  /** The group whose equations or heading hold full-text offset {@code offset}, or -1 (header, prologue, epilogue). */
  public int groupAtFull(int offset) {
    int g = floor(headingFull, offset);
    return g >= 0 && offset < bodyFull[g] + bodyLength[g] ? g : -1;
  }

  /** Full-text offset {@code offset} in the shown text, or -1 when it lies in a folded group's equations. */
  public int toShown(int offset) {
    int g = floor(headingFull, offset);
    if (g < 0) {
      return offset; // header and prologue: before every fold
    }
    if (!open[g] && offset >= bodyFull[g] && offset < bodyFull[g] + bodyLength[g]) {
      return -1;
    }
    int hidden = hiddenBefore[g] + (!open[g] && offset >= bodyFull[g] + bodyLength[g] ? bodyLength[g] : 0);
    return offset - hidden;
  }

  /** Shown-text offset {@code offset} in the full text. */
  public int toFull(int offset) {
    int g = floor(headingShown, offset);
    if (g < 0) {
      return offset;
    }
    int hidden = hiddenBefore[g] + (!open[g] && offset > headingShown[g] + headingLine(g, false).length()
        ? bodyLength[g] : 0);
    return offset + hidden;
  }

  /** The group whose heading line starts at shown offset {@code lineOffset}, or -1. */
  public int headingAtShown(int lineOffset) {
    int g = Arrays.binarySearch(headingShown, lineOffset);
    return g >= 0 ? g : -1;
  }

  /** The group a shown offset lies in (its heading or its open equations), or -1. */
  public int groupAtShown(int offset) {
    return groupAtFull(toFull(offset));
  }

  /** Where group {@code g}'s heading line starts in the shown text. */
  public int headingOffset(int g) {
    return headingShown[g];
  }

  /** The last index whose value is at most {@code offset}, or -1. */
  private static int floor(int[] sorted, int offset) {
    int i = Arrays.binarySearch(sorted, offset);
    return i >= 0 ? i : -i - 2;
  }
}
