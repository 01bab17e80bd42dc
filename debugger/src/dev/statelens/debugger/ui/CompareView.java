package dev.statelens.debugger.ui;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.RunComparison;
import dev.statelens.debugger.chart.RunComparison.Side;
import dev.statelens.debugger.chart.RunComparison.Steps;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.model.RunFileProblems;
import dev.statelens.engine.record.store.RunFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.part.ViewPart;

/**
 * Compare Runs: the charts of two or more runs overlaid (one line per run, aligned by step; the
 * loss, the gradient and update norms, a shared state leaf) beside a table of each run's facts
 * with the rows that differ highlighted. Runs are read in a Job (progress, cancel); a run that
 * cannot be read is named above the charts and the others are still compared. The mouse wheel
 * over a chart zooms all of them (re-read over the range), double-click shows all steps again.
 */
public final class CompareView extends ViewPart {
  public static final String ID = "dev.statelens.debugger.compareView";
  /** Shown before any comparison. */
  public static final String EMPTY = "Select two or more runs in the StateLens Runs view and choose Compare Runs.";

  private Label message;
  private ChartStack stack;
  private final List<ChartCanvas> charts = new ArrayList<>();
  private Combo leafCombo;
  private Table facts;
  private List<Side> sides = List.of();
  private List<Run> runs = List.of();
  /** The comparison's reads: a newer one (another comparison, leaf or zoom) cancels and drops the older. */
  private final RunJobs.Slot reading = new RunJobs.Slot("Comparing StateLens runs");
  private Steps steps = Steps.ALL;
  /** The charts on the left, the leaf picker and the facts table on the right. */
  private SashForm sash;

  @Override
  public void createPartControl(Composite parent) {
    parent.setLayout(new GridLayout(1, false));
    message = new Label(parent, SWT.WRAP);
    message.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    message.setText(EMPTY);
    sash = new SashForm(parent, SWT.HORIZONTAL);
    sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    stack = new ChartStack(sash);
    Composite side = new Composite(sash, SWT.NONE);
    side.setLayout(new GridLayout(2, false));
    new Label(side, SWT.NONE).setText("Leaf chart:");
    leafCombo = new Combo(side, SWT.READ_ONLY);
    leafCombo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    leafCombo.setToolTipText("The state leaf (shared by path by every run) whose mean the last chart draws");
    leafCombo.addListener(SWT.Selection, e -> readLeaf(leafCombo.getText()));
    facts = new Table(side, SWT.BORDER | SWT.FULL_SELECTION);
    facts.setHeaderVisible(true);
    facts.setLinesVisible(true);
    facts.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
    sash.setWeights(100 - FACTS_SHARE, FACTS_SHARE);
    ThemeChanges.whileAlive(facts, this::recolourDifferingFacts);
    facts.addListener(SWT.Resize, e -> fitRunColumns());
    facts.addListener(SWT.MouseMove, e -> showCellTooltip(e.x, e.y));
  }

  /** After a theme switch: the differing facts' cells in the new theme's tint (they kept the old one). */
  private void recolourDifferingFacts() {
    tintDifferingFacts(highlight());
  }

  /** The run cells of each fact that differs between the runs (its row's data, {@link #showFacts}) in {@code highlight}. */
  private void tintDifferingFacts(org.eclipse.swt.graphics.Color highlight) {
    for (TableItem item : facts.getItems()) {
      if (item.getData() instanceof RunFacts.Row row && row.differs()) {
        for (int col = 1; col < facts.getColumnCount(); col++) {
          item.setBackground(col, highlight);
        }
      }
    }
  }

  /** Compares {@code runs} (two or more): reads them in a Job, then shows charts and facts. */
  public void compare(List<Run> runs) {
    if (runs.size() < 2) {
      throw new IllegalArgumentException("Compare Runs needs two or more runs, got " + runs.size()
          + ": select several in the StateLens Runs view (Ctrl+click)");
    }
    this.runs = List.copyOf(runs);
    message.setText("Reading " + runs.size() + " runs…");
    message.getParent().layout();
    load(null, Steps.ALL);
  }

  /**
   * Zooms every chart to {@code from..to} (the wheel over a chart), or back to all steps
   * ({@code -1, -1}: double-click): the runs are read again over that range at the pane's width,
   * so a zoomed million-step run shows its single steps.
   */
  public void zoom(long from, long to) {
    if (runs.size() >= 2) {
      load(leafCombo.getText().isEmpty() ? null : leafCombo.getText(), from < 0 ? Steps.ALL : new Steps(from, to));
    }
  }

  /** The steps shown (all, or the zoomed range). */
  public Steps steps() {
    return steps;
  }

  /** Reads {@link #runs} over {@code range} with {@code chosenLeaf} (null: the first shared one). */
  private void load(String chosenLeaf, Steps range) {
    List<Run> runs = this.runs;
    int points = Math.max(200, stack.control().getSize().x);
    List<String> names = RunFacts.names(runs.stream().map(Run::path).toList());
    schedule("Comparing " + runs.size() + " StateLens runs", monitor -> {
      monitor.beginTask("Comparing runs", runs.size() * 2);
      List<Side> read = new ArrayList<>();
      Map<String, String> errors = new LinkedHashMap<>();
      for (int i = 0; i < runs.size(); i++) {
        if (monitor.isCanceled()) {
          return null;
        }
        String name = names.get(i);
        monitor.subTask("Reading " + name);
        try {
          read.add(runs.get(i).read(st -> RunComparison.read(st, name, points, null, range)));
        } catch (RuntimeException e) {
          DebuggerPlugin.log("Compare Runs could not read " + runs.get(i).path(), e);
          errors.put(name, RunFileProblems.statusText(e));
        }
        monitor.worked(1);
      }
      List<String> shared = RunComparison.sharedLeaves(read);
      String leaf = chosenLeaf != null && shared.contains(chosenLeaf) ? chosenLeaf
          : shared.isEmpty() ? null : shared.get(0);
      List<Side> withLeaf = leaf == null ? read : readLeaf(runs, read, leaf, points, range, monitor);
      return withLeaf == null ? null : (Runnable) () -> {
        steps = range;
        show(withLeaf, shared, leaf, errors);
      };
    });
  }

  /** Re-reads the leaf chart for {@code leaf} (the combo's choice). */
  private void readLeaf(String leaf) {
    List<Side> now = sides;
    List<Run> runs = this.runs;
    List<String> shared = List.of(leafCombo.getItems());
    int points = Math.max(200, stack.control().getSize().x);
    String note = message.getText();
    Steps range = steps;
    schedule("Charting " + leaf + " of " + now.size() + " runs", monitor -> {
      monitor.beginTask("Reading " + leaf, now.size());
      List<Side> read = readLeaf(runs, now, leaf, points, range, monitor);
      return read == null ? null : (Runnable) () -> apply(read, shared, leaf, note);
    });
  }

  /**
   * Each side with {@code leaf}'s series, read from its run in {@code runs} (the list the Job was
   * given: the field may change on the UI thread meanwhile); null when cancelled.
   */
  private static List<Side> readLeaf(List<Run> runs, List<Side> from, String leaf, int points, Steps range,
      IProgressMonitor monitor) {
    List<Side> out = new ArrayList<>();
    for (Side s : from) {
      if (monitor.isCanceled()) {
        return null;
      }
      Run run = runs.stream().filter(r -> r.path().equals(s.path())).findFirst().orElseThrow();
      out.add(run.read(st -> RunComparison.withLeaf(st, s, leaf, points, range)));
      monitor.worked(1);
    }
    return out;
  }

  /**
   * Runs {@code work} (the runs' reads) in a Job ({@link RunJobs.Slot}: progress, cancel, the
   * newest wins), then the UI work it returns (null: cancelled); a failure is named above the charts.
   */
  private void schedule(String name, java.util.function.Function<IProgressMonitor, Runnable> work) {
    reading.submit(name, message, work, ui -> {
      if (ui != null) {
        ui.run();
      }
    }, why -> message.setText(name + " failed: " + why));
  }

  private void show(List<Side> read, List<String> shared, String leaf, Map<String, String> errors) {
    StringBuilder note = new StringBuilder();
    note.append("Comparing ").append(String.join(", ", read.stream().map(Side::name).toList()))
        .append(" — one line per run, by step; table: the rows that differ are highlighted.");
    errors.forEach((name, why) -> note.append("\nCould not read ").append(name).append(": ").append(why));
    if (read.size() < 2) {
      note.append("\nFewer than two runs could be read: nothing to compare.");
    }
    apply(read, shared, leaf, note.toString());
  }

  /** Shows {@code read}'s charts (with {@code leaf}'s) and facts under {@code note}. */
  private void apply(List<Side> read, List<String> shared, String leaf, String note) {
    sides = read;
    message.setText(note);
    leafCombo.setItems(shared.toArray(String[]::new));
    if (leaf != null) {
      leafCombo.setText(leaf);
    }
    leafCombo.setEnabled(!shared.isEmpty());
    showCharts(RunComparison.charts(read, leaf),
        read.stream().filter(r -> r.facts() != null).mapToLong(r -> r.facts().steps()).max().orElse(0) - 1);
    showFacts(read);
    message.getParent().layout(true, true);
  }

  /** One chart per spec; a zoomed chart pans over steps 0..{@code lastStep} (the longest run's). */
  private void showCharts(List<ChartSpec> specs, long lastStep) {
    for (ChartCanvas c : charts) {
      c.dispose();
    }
    charts.clear();
    for (ChartSpec spec : specs) {
      ChartCanvas c = new ChartCanvas(stack.charts());
      c.onWheel(stack::scrollByWheel);
      c.onStepClicked(step -> charts.forEach(o -> o.setSpec(o.spec().atStep(step))));
      c.onZoom(this::zoom);
      c.setStepBounds(0, lastStep);
      c.setSpec(spec);
      charts.add(c);
    }
    if (!charts.isEmpty()) {
      int[] weights = new int[charts.size()];
      java.util.Arrays.fill(weights, 1);
      stack.setWeights(weights);
    }
    stack.update();
  }

  private void showFacts(List<Side> read) {
    facts.setRedraw(false);
    try {
      facts.removeAll();
      for (TableColumn c : facts.getColumns()) {
        c.dispose();
      }
      new TableColumn(facts, SWT.NONE).setText("");
      for (Side s : read) {
        TableColumn c = new TableColumn(facts, SWT.NONE);
        c.setText(s.name());
        c.setToolTipText(s.path().toString());
      }
      for (RunFacts.Row row : RunFacts.table(read.stream().map(Side::facts).toList())) {
        TableItem item = new TableItem(facts, SWT.NONE);
        item.setData(row);
        item.setText(0, row.label());
        for (int i = 0; i < row.cells().size(); i++) {
          item.setText(i + 1, row.cells().get(i));
        }
      }
      tintDifferingFacts(highlight());
      fitting = true;
      try {
        TableColumn[] columns = facts.getColumns();
        for (TableColumn c : columns) {
          c.pack();
          c.setData(PACKED_WIDTH, c.getWidth());
          if (c != columns[columns.length - 1]) { // GTK resizes the last column itself with the table
            // a drag on the header: that width is the user's, not re-fitted on the next resize
            c.addListener(SWT.Resize, e -> {
              if (!fitting) {
                c.setData(USER_WIDTH, c.getWidth());
              }
            });
          }
        }
      } finally {
        fitting = false;
      }
      widenFactsPane();
      fitRunColumns();
    } finally {
      facts.setRedraw(true);
    }
  }

  /** The facts pane's default share of the view, in percent; {@link #widenFactsPane} gives it more when its columns need it. */
  static final int FACTS_SHARE = 32;
  /** The most of the view the facts pane takes: the charts keep the rest. */
  static final int FACTS_MAX_SHARE = 60;

  /**
   * The facts pane as wide as its packed columns need, up to 60 % of the view (never below its default
   * share). At a fixed 32 % the pane was ~390 px at 1600x1000, and two runs' backend descriptions
   * ("cpu: vector (8 float lanes), 2 threads") were cut in their columns although the charts had
   * room to spare; the columns pack to their text in every other table of the debugger.
   */
  private void widenFactsPane() {
    int total = sash.getClientArea().width - sash.getSashWidth();
    if (total <= 0) {
      return; // not laid out yet: the default weights stand
    }
    int needed = 0;
    for (TableColumn c : facts.getColumns()) {
      needed += c.getData(PACKED_WIDTH) instanceof Integer w ? w : c.getWidth();
    }
    Composite side = facts.getParent();
    // the table's border and scroll bar, and the side's margins around it
    needed += facts.computeTrim(0, 0, 0, 0).width + side.computeTrim(0, 0, 0, 0).width
        + 2 * ((GridLayout) side.getLayout()).marginWidth + facts.getVerticalBar().getSize().x;
    int width = Math.clamp(needed, total * FACTS_SHARE / 100, total * FACTS_MAX_SHARE / 100);
    sash.setWeights(total - width, width);
    sash.layout(true);
  }

  /** The width of the facts pane (the table and the leaf chart's picker; tests). */
  public int factsPaneWidth() {
    return facts.getParent().getSize().x;
  }

  private static final String PACKED_WIDTH = "packedWidth";
  /** On a column the user resized: the width they chose, which {@link #fitRunColumns} keeps. */
  private static final String USER_WIDTH = "userWidth";
  /** While the view sizes the columns itself (their Resize events are not the user's). */
  private boolean fitting;
  /** A run's column is not narrowed below this: a number or a short setting still reads whole. */
  static final int MIN_RUN_COLUMN = 70;

  /**
   * Every run's column within the pane: each as wide as its widest cell, those wider than their
   * share of the pane narrowed to it (the cut cell's whole text is its tooltip). Packed, the first
   * run's backend ("cpu: vector (8 float lanes), 2 threads") pushed the second run's column out of
   * the pane: a newcomer comparing two runs saw one. A column the user dragged keeps its width (it
   * was re-fitted on every resize of the pane, undoing the drag); not the last, which GTK itself
   * resizes with the table, so its Resize events cannot be told from a drag.
   */
  private void fitRunColumns() {
    TableColumn[] columns = facts.getColumns();
    if (columns.length < 2) {
      return;
    }
    int available = facts.getClientArea().width - columns[0].getWidth();
    int share = Math.max(MIN_RUN_COLUMN, available / (columns.length - 1));
    fitting = true;
    try {
      for (int i = 1; i < columns.length; i++) {
        if (columns[i].getData(USER_WIDTH) != null) {
          continue; // dragged by the user: a resized pane no longer undoes it
        }
        int packed = columns[i].getData(PACKED_WIDTH) instanceof Integer w ? w : columns[i].getWidth();
        columns[i].setWidth(Math.min(packed, share));
      }
    } finally {
      fitting = false;
    }
  }

  /** Whether the user has resized the facts table's column {@code index} (tests). */
  public boolean userSizedFactsColumn(int index) {
    return facts.getColumn(index).getData(USER_WIDTH) != null;
  }

  /** The cell under the pointer's whole text, for a run's column narrowed by {@link #fitRunColumns}. */
  private void showCellTooltip(int x, int y) {
    TableItem item = facts.getItem(new org.eclipse.swt.graphics.Point(x, y));
    String tip = null;
    if (item != null) {
      for (int col = 1; col < facts.getColumnCount(); col++) {
        if (item.getBounds(col).contains(x, y)) {
          tip = item.getText(col);
        }
      }
      if (item.getBounds(0).contains(x, y) && item.getData() instanceof RunFacts.Row row) {
        tip = row.about(); // what the fact is where its label alone does not say (the training time)
      }
    }
    if (!java.util.Objects.equals(tip, facts.getToolTipText())) {
      facts.setToolTipText(tip);
    }
  }

  /** The charts shown, top to bottom (tests). */
  public List<ChartCanvas> charts() {
    return List.copyOf(charts);
  }

  /** The facts table: column 0 the fact, then one column per run (tests). */
  public Table factsTable() {
    return facts;
  }

  /** The line above the charts: what is compared, and each run that could not be read. */
  public String message() {
    return message.getText();
  }

  /** The runs read, in order. */
  public List<Side> sides() {
    return sides;
  }

  /** The leaf chart's choice. */
  public Combo leafCombo() {
    return leafCombo;
  }

  /** The background of a fact cell that differs between the runs. */
  public org.eclipse.swt.graphics.Color highlight() {
    return ThemeColors.of(facts).changedBackground();
  }

  @Override
  public void setFocus() {
    Control c = charts.isEmpty() ? facts : charts.get(0);
    c.setFocus();
  }

  @Override
  public void dispose() {
    reading.cancel();
    super.dispose();
  }
}
