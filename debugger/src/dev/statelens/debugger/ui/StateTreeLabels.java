package dev.statelens.debugger.ui;

import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.engine.record.store.LeafDiff;
import dev.statelens.engine.record.store.LeafSample;
import org.eclipse.jface.viewers.ITableColorProvider;
import org.eclipse.jface.viewers.ITableLabelProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Tree;

/**
 * Columns of the state tree: leaf, shape, dtype, value (or summary), Δ from the previous step,
 * relative Δ, NaN/Inf badges. Changed leaves are tinted, leaves with NaN/Inf are red.
 */
public final class StateTreeLabels extends LabelProvider implements ITableLabelProvider, ITableColorProvider {
  public static final String[] COLUMNS = {"Leaf", "Shape", "dtype", "Value", "Δ prev", "rel Δ", "NaN/Inf"};
  public static final int[] WIDTHS = {140, 64, 50, 210, 90, 62, 70};
  /** How wide each column may grow to fit its cells (ColumnWidths); the tooltip shows the rest. */
  public static final int[] MAX_WIDTHS = {280, 110, 70, 240, 140, 110, 130}; // Value: a summary, the numbers after it count

  /** GTK's padding on each side of a cell's text. */
  private static final int CELL_PAD = 8;
  private final Tree tree;
  private GC gc;
  /** The theme's tints, worked out once per theme rather than per cell. */
  private final ThemedColor badText;
  private final ThemedColor dimText;
  private final ThemedColor changedBackground;

  /** Labels whose Value cells are shortened to {@code tree}'s Value column ({@link FitText}); null: whole. */
  public StateTreeLabels(Tree tree) {
    this.tree = tree;
    badText = new ThemedColor(tree, ThemeColors::badText);
    dimText = new ThemedColor(tree, ThemeColors::dimText);
    changedBackground = new ThemedColor(tree, ThemeColors::changedBackground);
  }

  public StateTreeLabels() {
    this(null);
  }

  /** The Value cell's whole text (what {@link ColumnWidths} sizes the column to): "" for a group. */
  public static String value(Object element) {
    return element instanceof StateNode n && n.sample() != null ? Format.value(n.sample()) : "";
  }

  private String fitValue(String whole) {
    if (tree == null || tree.isDisposed()) {
      return whole;
    }
    if (gc == null) {
      gc = new GC(tree);
    }
    gc.setFont(tree.getFont());
    int width = tree.getColumn(3).getWidth() - 2 * CELL_PAD;
    String fitted = FitText.fit(whole, width, t -> gc.textExtent(t).x);
    if (fitted.startsWith("mean …") && whole.startsWith("mean ")) { // no number at all: the mean as μ
      String mu = FitText.fit("μ " + whole.substring(5), width, t -> gc.textExtent(t).x);
      return mu.startsWith("μ …") ? fitted : mu;
    }
    return fitted;
  }

  @Override
  public void dispose() {
    if (gc != null) {
      gc.dispose();
      gc = null;
    }
    super.dispose();
  }

  @Override
  public Image getColumnImage(Object element, int columnIndex) {
    return null;
  }

  @Override
  public String getColumnText(Object element, int col) {
    StateNode n = (StateNode) element;
    LeafSample s = n.sample();
    if (s == null) {
      if (col == 0) {
        return n.label();
      }
      if (col == 6 && n.nonFinite() > 0) {
        return "⚠ " + n.nonFinite();
      }
      if (col == 4 && n.changed()) {
        return "changed";
      }
      return "";
    }
    return switch (col) {
      case 0 -> n.label();
      case 1 -> Format.shape(s.shape());
      case 2 -> s.dtype().toString().toLowerCase(java.util.Locale.ROOT);
      case 3 -> fitValue(Format.value(s));
      case 4 -> delta(n.diff());
      case 5 -> n.diff() == null ? "" : n.diff().changed() ? Format.percent(n.diff()) : "0%";
      case 6 -> Format.badges(s).isEmpty() ? "" : "⚠ " + Format.badges(s);
      default -> "";
    };
  }

  /** Signed change for one-element leaves, else the L2 norm of the change. */
  public static String delta(LeafDiff d) {
    if (d == null) {
      return "";
    }
    if (!d.changed()) {
      return "0";
    }
    LeafSample a = d.a(), b = d.b();
    if (d.exact() && a.size() == 1 && a.values().length == 1 && b.values().length == 1) {
      double v = b.values()[0] - a.values()[0];
      return (v > 0 ? "+" : "") + Format.num(v);
    }
    return "‖Δ‖ " + Format.num(d.deltaNorm());
  }

  /** The tree's colours as the theme styled it (light without a tree). */
  public ThemeColors theme() {
    return tree == null || tree.isDisposed() ? ThemeColors.LIGHT : ThemeColors.of(tree);
  }

  @Override
  public Color getForeground(Object element, int col) {
    StateNode n = (StateNode) element;
    if (n.nonFinite() > 0 && (col == 0 || col == 3 || col == 6)) {
      return badText.get();
    }
    return n.sample() == null ? dimText.get() : null;
  }

  @Override
  public Color getBackground(Object element, int col) {
    StateNode n = (StateNode) element;
    return n.sample() != null && n.changed() && (col == 3 || col == 4 || col == 5) ? changedBackground.get() : null;
  }

}
