package dev.statelens.debugger.ui;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Scrollable;
import org.eclipse.swt.widgets.Item;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;

/**
 * Column widths that follow the content until the user drags one: {@link #fit()} sizes every
 * column the user has not resized to its widest shown cell (never narrower than its header, never
 * wider than its cap); a column the user resized keeps that width, remembered in the plugin's
 * dialog settings (by column title) so it survives closing the view and restarting Eclipse.
 * Fixed widths cut text: "ended early at s…" in the Runs view, "1.1e-04%" read as "1.1e-04" in
 * the state tree.
 */
public final class ColumnWidths {
  /** A cell this wide is already a line of text; the tooltip has the rest. */
  public static final int MAX = 700;
  private static final int PADDING = 18; // cell margins, the resize grip and a little air
  private static final int TREE_INDENT = 19; // per tree level, and the expander of the first column

  private record Column(Item item, IntSupplier width, IntConsumer setWidth, int max) {}

  private final Scrollable control;
  private final List<Column> columns = new ArrayList<>();
  private final IDialogSettings settings;
  private final boolean growOnly;
  private final Set<Item> userSized = new HashSet<>();
  private boolean fitting;
  /** The column that gives up width when the others do not fit the pane (-1: none). */
  private int elastic = -1;
  private int elasticMin;
  /** Columns sized to their rows' whole text ({@link #measuring}), not to the shortened cell text. */
  private final java.util.Map<Integer, java.util.function.Function<Object, String>> measured = new java.util.HashMap<>();

  /** The Runs view's table: each column fits its rows, up to {@link #MAX}. */
  public static ColumnWidths forTable(Table table, IDialogSettings settings) {
    ColumnWidths w = new ColumnWidths(table, settings, false);
    for (TableColumn c : table.getColumns()) {
      w.add(new Column(c, c::getWidth, c::setWidth, MAX));
    }
    return w.restore();
  }

  /**
   * The state tree: each column grows to the widest cell shown so far (never shrinks while steps
   * are played, so the columns do not jump), up to {@code max[i]}; {@link #reset()} for a new run.
   */
  public static ColumnWidths forTree(Tree tree, IDialogSettings settings, int[] max) {
    ColumnWidths w = new ColumnWidths(tree, settings, true);
    TreeColumn[] cs = tree.getColumns();
    for (int i = 0; i < cs.length; i++) {
      TreeColumn c = cs[i];
      w.add(new Column(c, c::getWidth, c::setWidth, i < max.length ? max[i] : MAX));
    }
    return w.restore();
  }

  /**
   * Makes column {@code index} (the state tree's Value: a summary whose end can go) narrower, down
   * to {@code min} pixels, when the columns would not fit the pane: the numbers after it stay in view.
   */
  public ColumnWidths shrinkToFit(int index, int min) {
    elastic = index;
    elasticMin = min;
    control.addListener(SWT.Resize, e -> fit()); // a wider or narrower pane: fit it again
    return this;
  }

  /**
   * Sizes column {@code index} to {@code text} of each row (its element, the item's data) rather
   * than to the cell's text: for a cell shortened to the column's width ({@link FitText}), whose
   * shown text would keep the column from growing back.
   */
  public ColumnWidths measuring(int index, java.util.function.Function<Object, String> text) {
    measured.put(index, text);
    return this;
  }

  private String textOf(Item item, int column) {
    var f = measured.get(column);
    if (f != null && item.getData() != null) {
      return f.apply(item.getData());
    }
    return item instanceof TableItem t ? t.getText(column) : ((TreeItem) item).getText(column);
  }

  private ColumnWidths(Scrollable control, IDialogSettings settings, boolean growOnly) {
    this.control = control;
    this.settings = settings;
    this.growOnly = growOnly;
  }

  private void add(Column c) {
    columns.add(c);
  }

  /** Restores the widths the user chose earlier and starts remembering the ones they choose now. */
  private ColumnWidths restore() {
    for (Column c : columns) {
      String key = c.item().getText();
      int saved = 0;
      try {
        saved = settings.get(key) == null ? 0 : Integer.parseInt(settings.get(key));
      } catch (NumberFormatException e) {
        settings.put(key, 0); // a damaged setting: back to fitting the content
      }
      if (c == columns.getLast()) {
        continue; // GTK sizes the last column to the table's remaining width itself: not a user's choice
      }
      if (saved > 0) {
        c.setWidth().accept(saved);
        userSized.add(c.item());
      }
      c.item().addListener(SWT.Resize, e -> {
        if (!fitting) { // a drag on the header (or a setWidth outside fit())
          userSized.add(c.item());
          settings.put(key, c.width().getAsInt());
        }
      });
    }
    return this;
  }

  /** Sizes the columns the user has not resized to their content; call after the rows changed. */
  public void fit() {
    if (control.isDisposed()) {
      return;
    }
    fitting = true;
    GC gc = new GC(control);
    try {
      int[] widest = new int[columns.size()];
      for (int i = 0; i < widest.length; i++) {
        widest[i] = gc.textExtent(columns.get(i).item().getText()).x;
      }
      if (control instanceof Table t) {
        for (TableItem item : t.getItems()) {
          for (int i = 0; i < widest.length; i++) {
            widest[i] = Math.max(widest[i], gc.textExtent(textOf(item, i)).x + (item.getImage(i) == null ? 0 : 20));
          }
        }
      } else if (control instanceof Tree t) {
        measure(gc, t.getItems(), 1, widest);
      }
      int[] target = new int[widest.length];
      for (int i = 0; i < widest.length; i++) {
        Column c = columns.get(i);
        int w = Math.min(c.max(), widest[i] + PADDING);
        boolean keep = userSized.contains(c.item()) || growOnly && i != elastic && w <= c.width().getAsInt();
        target[i] = keep ? c.width().getAsInt() : w;
      }
      if (elastic >= 0 && !userSized.contains(columns.get(elastic).item())) {
        int total = 0;
        for (int i = 0; i < target.length - 1; i++) { // the last column takes what is left anyway
          total += target[i];
        }
        total += Math.min(target[target.length - 1], widest[target.length - 1] + PADDING);
        // inside the border and scroll bar, with room for GTK's own spacing between columns
        int overflow = total - control.getClientArea().width + 3 * columns.size();
        if (overflow > 0) {
          target[elastic] = Math.max(elasticMin, target[elastic] - overflow);
        }
      }
      for (int i = 0; i < target.length; i++) {
        if (target[i] != columns.get(i).width().getAsInt()) {
          columns.get(i).setWidth().accept(target[i]);
        }
      }
    } finally {
      gc.dispose();
      fitting = false;
    }
  }

  /** The shown rows of a tree: an expanded item's children count, a collapsed one's do not. */
  private void measure(GC gc, TreeItem[] items, int depth, int[] widest) {
    for (TreeItem item : items) {
      for (int i = 0; i < widest.length; i++) {
        int w = gc.textExtent(textOf(item, i)).x + (item.getImage(i) == null ? 0 : 20);
        widest[i] = Math.max(widest[i], i == 0 ? w + depth * TREE_INDENT : w);
      }
      if (item.getExpanded()) {
        measure(gc, item.getItems(), depth + 1, widest);
      }
    }
  }

  /** Whether the user has resized this column (its width is then theirs, not the content's). */
  public boolean userSized(Item column) {
    return userSized.contains(column);
  }

  /** Forgets the user's widths and, for a tree, what it grew to: every column fits its content again. */
  public void reset() {
    fitting = true;
    try {
      for (Column c : columns) {
        settings.put(c.item().getText(), 0); // 0: not the user's, fit the content
        if (growOnly) {
          c.setWidth().accept(gcHeader(c));
        }
      }
    } finally {
      fitting = false;
    }
    userSized.clear();
    fit();
  }

  /** A new run in a grow-only tree: columns the user did not size start from their headers again. */
  public void restart() {
    fitting = true;
    try {
      for (Column c : columns) {
        if (!userSized.contains(c.item())) {
          c.setWidth().accept(gcHeader(c));
        }
      }
    } finally {
      fitting = false;
    }
  }

  private int gcHeader(Column c) {
    GC gc = new GC(control);
    try {
      return gc.textExtent(c.item().getText()).x + PADDING;
    } finally {
      gc.dispose();
    }
  }
}
