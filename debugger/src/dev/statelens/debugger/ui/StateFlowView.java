package dev.statelens.debugger.ui;

import dev.statelens.debugger.chart.ChartLine;
import dev.statelens.debugger.chart.ChartSpec;
import dev.statelens.debugger.chart.CsvExport;
import dev.statelens.debugger.chart.LogScale;
import dev.statelens.debugger.chart.NormLines;
import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.launch.LiveSessions;
import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.model.RunSummary;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.model.StepState;
import dev.statelens.debugger.model.StepValues;
import dev.statelens.engine.checkpoint.RecordedStepExport;
import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.FunctionInfo;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.LeafDiff;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import dev.statelens.engine.record.store.StepDiff;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.ui.part.ViewPart;

/**
 * The State Flow view: one run, one function at a time. A step timeline with events, the state
 * tree of the selected step (with Δ from the previous step), and tabs for charts, the state flow
 * picture, the traced graph and the diff of two chosen steps. Everything is read in Jobs
 * ({@link RunJobs}); a live run is re-read every second and its charts redraw at most 20 times/s.
 */
public final class StateFlowView extends ViewPart {
  public static final String ID = "dev.statelens.debugger.stateFlowView";
  /** The status line, and the empty tree's hint, before a run is shown: how to get one here. */
  public static final String NO_RUN = "No run open: File > Open StateLens Run… opens a recorded run (.db); "
      + "Run > Debug As > StateLens Training on a class with a main records one and opens it here.";
  private static final int LIVE_POLL_MS = 1000;
  /** The plugin's dialog settings section that keeps the state tree's column widths the user chose. */
  public static final String TREE_WIDTHS_SECTION = "StateFlowView.treeColumnWidths";
  private ColumnWidths treeWidths;
  public static final String DIFF_WIDTHS_SECTION = "StateFlowView.diffColumnWidths";
  private ColumnWidths diffWidths;
  /** Drawn in the Diff tab's table until two steps are compared. */
  public static final String DIFF_HINT = """
      Nothing compared yet: choose Step A and Step B, then Compare (B = selected step takes the timeline's step as B).""";

  private Run run;
  private RunSummary summary;
  private String function;
  private StepState stepState;
  private StepDiff diff;
  private List<GraphInfo> graphs = List.of();
  private long zoomFrom = -1;
  private long zoomTo = -1;
  private boolean playing;
  private boolean followLatest = true;
  /** A run recorded with every=k opens on its last step that has values, not on a note. */
  private boolean openOnValues;
  /** The run's main function is known (a launched program announced it) but has no call yet. */
  private boolean awaitingFirstCall;

  private final RunJobs.Slot summarySlot = new RunJobs.Slot("Reading run");
  private final RunJobs.Slot stepSlot = new RunJobs.Slot("Reading step");
  private final RunJobs.Slot scalarSlot = new RunJobs.Slot("Charting scalars");
  private final RunJobs.Slot leafSlot = new RunJobs.Slot("Charting leaves");
  private final RunJobs.Slot diffSlot = new RunJobs.Slot("Comparing steps");
  private final RunJobs.Slot graphSlot = new RunJobs.Slot("Reading graphs");

  private Composite root;
  private Label runLabel;
  private Combo functionCombo;
  /** The user chose the function in the combo: the view no longer follows {@link RunSummary#mainFunction}. */
  private boolean functionPicked;
  private Spinner stepSpinner;
  private EventList eventList;
  private Label eventsLabel;
  private Button nextEventButton;
  private Button playButton;
  private Label statusLabel;
  private TimelineCanvas timeline;
  private TreeViewer tree;
  private Composite treeArea;
  private Composite noValuesPanel;
  private Label noValuesText;
  private Button nearestBefore;
  private Button nearestAfter;
  private Label diffNoValues;
  private Button diffUseNearest;
  private long[] diffNearest;
  private CTabFolder tabs;
  /** Enables the view's Find handler while the Traced graph tab shows (called on every tab change). */
  private Runnable updateFindHandler = () -> {};
  private ChartStack charts;
  private ChartCanvas scalarChart;
  private ChartCanvas leafChart;
  private NormsChart norms;
  private Button normsLogY;
  private Button logY;
  /** The user's Log y choice, null until they toggle it: till then a chart spanning many decades starts on log y. */
  private Boolean explicitLogY;
  /** Whether the scalar or the leaf chart chose log y by itself (Log y is then shown ticked). */
  private boolean scalarAutoLog;
  private boolean leafAutoLog;
  private Scale smoothing;
  private FlowCanvas flow;
  private org.eclipse.swt.custom.ScrolledComposite flowScroll;
  private TracedGraphPane graphPane;
  private Spinner diffA;
  private Spinner diffB;
  private Button changedOnly;
  private TableViewer diffTable;
  private Label diffSummary;
  private List<EventInfo> timelineEvents = List.of();
  private Composite liveBar;
  private Composite liveControls;
  private Spinner runToStep;
  private org.eclipse.swt.widgets.Text lossThreshold;
  private Label liveStatus;
  private LiveSession liveSession;
  private final java.util.function.Consumer<LiveSession> liveListener = this::liveChanged;

  @Override
  public void createPartControl(Composite parent) {
    warmUpRunReader();
    root = new Composite(parent, SWT.NONE);
    root.setLayout(new GridLayout(1, false));
    createToolbar(root);
    createLiveBar(root);
    timeline = new TimelineCanvas(root);
    timeline.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    timeline.onSelect(this::stepSelected);

    SashForm sash = new SashForm(root, SWT.HORIZONTAL);
    sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    createTree(sash);
    tabs = new CTabFolder(sash, SWT.BORDER | SWT.FLAT);
    createChartsTab();
    createFlowTab();
    createGraphTab();
    createDiffTab();
    selectTab(0);
    tabs.addListener(SWT.Selection, e -> tabShown((CTabItem) e.item));
    sash.setWeights(55, 45);
    ThemeChanges.whileAlive(root, this::themeChanged);

    showNoRun();
    dev.statelens.debugger.DebuggerPlugin.runs().addListener(runsListener);
    pollLive();
    OpenRunsMemory.restoreOnce(parent.getDisplay(), this); // the runs open before the IDE restarted
    bindKeys();
  }

  /**
   * The view's keys (plugin.xml, {@link ViewKeys}): F6 a step (the live program's, else the next
   * recorded one), Shift+F6 back, and the Live row's buttons while a program is live.
   */
  private void bindKeys() {
    ViewKeys.activateContext(getViewSite());
    ViewKeys.handle(getViewSite(), ViewKeys.STEP, () -> run != null, () -> {
      if (liveRunning()) {
        live(s -> s.step(1));
      } else {
        selectStep(step() + 1);
      }
    });
    ViewKeys.handle(getViewSite(), ViewKeys.STEP_BACK, () -> run != null, () -> selectStep(step() - 1));
    ViewKeys.handle(getViewSite(), ViewKeys.RESUME, this::liveRunning, () -> live(LiveSession::resume));
    ViewKeys.handle(getViewSite(), ViewKeys.PAUSE, this::liveRunning, () -> live(LiveSession::pause));
    ViewKeys.handle(getViewSite(), ViewKeys.RUN_TO_STEP, this::liveRunning, this::runToStep);
    ViewKeys.handle(getViewSite(), ViewKeys.BREAK_ON_EVENT, this::liveRunning, () -> live(s -> s.runUntilEvent(null)));
    ViewKeys.handle(getViewSite(), ViewKeys.BREAK_ON_NAN, this::liveRunning, () -> live(LiveSession::runUntilNaN));
    ViewKeys.handle(getViewSite(), ViewKeys.BREAK_WHEN_LOSS_ABOVE, this::liveRunning, this::breakWhenLossAbove);
  }

  /** Whether a program is live on the run shown (its Live row's controls work). */
  private boolean liveRunning() {
    LiveSession s = run == null ? null : LiveSessions.of(run);
    return s != null && s.state() != LiveSession.State.TERMINATED;
  }

  private void runToStep() {
    // the session's function while the view has none yet (a run shown before its first summary)
    String shown = function; // read here, on the UI thread: the command runs on the sender's
    int target = runToStep.getSelection();
    live(s -> s.runTo(shown != null ? shown : s.function(), target));
  }

  private void breakWhenLossAbove() {
    double threshold;
    try {
      threshold = Double.parseDouble(lossThreshold.getText().trim());
    } catch (NumberFormatException e) {
      showError(badThreshold(lossThreshold.getText(), ViewKeys.key(ViewKeys.BREAK_WHEN_LOSS_ABOVE)));
      return;
    }
    live(s -> s.runUntilLossAbove(threshold));
  }

  /**
   * The status line for a threshold that is no number. It names both ways to break again, the button
   * and its key as bound now: "press Break when loss > again" read wrong to whoever had used the key.
   */
  static String badThreshold(String typed, String key) {
    return "The loss threshold must be a number, got '" + typed + "': type one such as 10 or 0.5 in the box after "
        + "Break when loss >, then break again (the button" + (key == null ? "" : " or " + key) + ")";
  }

  /**
   * After a theme switch: the tints the view handed its widgets (the state tree's and the Diff's
   * changed rows, the graph's headings and header) in the new theme's colours. The picture, the
   * charts and the timeline read the theme when they paint.
   */
  private void themeChanged() {
    DisabledButtons.restyled(nextEventButton);
    tree.refresh(true);
    diffTable.refresh(true);
    graphPane.themeChanged();
  }

  /** Whether the view's controls are gone (closed view). */
  public boolean isDisposed() {
    return root == null || root.isDisposed();
  }

  /** Close Run (Runs view) on the run shown here empties the view instead of reading a closed run. */
  private final java.util.function.Consumer<Run> runsListener = r -> {
    if (root != null && !root.isDisposed()) {
      root.getDisplay().asyncExec(() -> {
        if (!root.isDisposed() && r == run && !dev.statelens.debugger.DebuggerPlugin.runs().all().contains(r)) {
          showNoRun();
          OpenRunsMemory.shown(null);
        }
      });
    }
  };

  /** The view without a run: every pane empty, and the status line and tree saying how to open one. */
  private void showNoRun() {
    errorHeldUntil = 0;
    clearPanes();
    if (liveSession != null) {
      liveSession.removeListener(liveListener);
      liveSession = null;
    }
    run = null;
    scalarChart.setPlaceholder("Charts appear here once a run is open.");
    runLabel.setText("No run");
    runLabel.setToolTipText(null);
    setPartName("State Flow");
    showLiveBar(false); // lays the view out
    showMessage(NO_RUN);
    tree.getTree().redraw();
  }

  private void createToolbar(Composite parent) {
    Composite column = new Composite(parent, SWT.NONE);
    column.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    GridLayout gl = new GridLayout(1, false);
    gl.marginHeight = 0;
    gl.marginWidth = 0;
    column.setLayout(gl);
    // the controls wrap to a second line in a narrow view: in one grid row, "Next ▶" and the events
    // ran past the edge of the IDE's first window (about 1,000 px, the view ~680 of it), cut off
    Composite bar = WrapRow.create(column);
    bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    runLabel = new Label(bar, SWT.NONE);
    runLabel.setText("No run");
    runLabel.setFont(org.eclipse.jface.resource.JFaceResources.getBannerFont());
    Composite functionPair = WrapRow.pair(bar);
    new Label(functionPair, SWT.NONE).setText("  Function:");
    functionCombo = new Combo(functionPair, SWT.READ_ONLY);
    functionCombo.addListener(SWT.Selection, e -> selectFunction(functionCombo.getText()));
    Composite stepPair = WrapRow.pair(bar);
    new Label(stepPair, SWT.NONE).setText("  Step:");
    stepSpinner = new Spinner(stepPair, SWT.BORDER);
    stepSpinner.setMaximum(Integer.MAX_VALUE);
    stepSpinner.addListener(SWT.DefaultSelection, e -> selectStep(stepSpinner.getSelection()));
    stepSpinner.addListener(SWT.Selection, e -> selectStep(stepSpinner.getSelection()));
    stepSpinner.setEnabled(false); // enabled once a run's steps are known (its "+" did nothing without one)
    keyedButton(bar, "◀ Prev", "Previous step", ViewKeys.STEP_BACK, () -> selectStep(step() - 1));
    playButton = button(bar, "▶ Play", "Play through the steps", this::togglePlay);
    keyedButton(bar, "Next ▶", "Next step", ViewKeys.STEP, () -> selectStep(step() + 1)); // not ▶|: that reads "to the end"
    Composite eventsPair = WrapRow.pair(bar);
    eventsLabel = new Label(eventsPair, SWT.NONE);
    eventsLabel.setText("  Events:");
    eventList = new EventList(eventsPair, this::selectStep);
    // 180 px: with its label it fits a 320-px view (the open list shows each event whole)
    eventList.combo().setLayoutData(new org.eclipse.swt.layout.RowData(180, SWT.DEFAULT));
    nextEventButton = button(bar, "Next event", "Jump to the next event after the selected step", () -> jumpToEvent(true));
    // its own row: calls and events, and Go to Source's or a read error's one-line message, in full
    // wraps: a paused-at-exit status with its break's reason ran past the view's edge, cut mid-word
    statusLabel = new Label(column, SWT.WRAP);
    statusLabel.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
  }

  private void createLiveBar(Composite parent) {
    liveBar = new Composite(parent, SWT.NONE);
    GridData gd = new GridData(SWT.FILL, SWT.TOP, true, false);
    liveBar.setLayoutData(gd);
    // the buttons and fields wrap in a narrow view (Break on event and the threshold were cut off at
    // the edge); the status takes what is left of their line ({@link LiveRowLayout})
    liveControls = WrapRow.create(liveBar);
    Label l = new Label(liveControls, SWT.NONE);
    l.setText("Live:");
    l.setFont(org.eclipse.jface.resource.JFaceResources.getBannerFont());
    keyedButton(liveControls, "❚❚ Pause", "Pause before the next jitted call", ViewKeys.PAUSE, () -> live(LiveSession::pause));
    // "Step", as the Debug view's Step Over does the same: "Step 1" read like "go to step 1"
    keyedButton(liveControls, "Step", "Run one training step and pause, as the Debug view's Step Over", ViewKeys.STEP,
        () -> live(s -> s.step(1)));
    keyedButton(liveControls, "▶ Resume", "Resume training", ViewKeys.RESUME, () -> live(LiveSession::resume));
    // each value after its button, so the row reads "Run to step [5]", "Break when loss > [10]": before
    // it, the threshold read as Break on NaN's ("Break on NaN [10] Break when loss >")
    Composite runToPair = WrapRow.pair(liveControls);
    keyedButton(runToPair, "Run to step", "Run until just before this step of the function", ViewKeys.RUN_TO_STEP,
        this::runToStep);
    runToStep = new Spinner(runToPair, SWT.BORDER);
    runToStep.setMaximum(Integer.MAX_VALUE);
    runToStep.setToolTipText("The step to run to: the program pauses just before it");
    keyedButton(liveControls, "Break on NaN", "Run until an output has a NaN, then pause", ViewKeys.BREAK_ON_NAN,
        () -> live(LiveSession::runUntilNaN));
    Composite lossPair = WrapRow.pair(liveControls);
    keyedButton(lossPair, "Break when loss >", "Run until the loss (an output leaf named loss, or a scalar logged as "
        + "\"loss\") is above the number on the right, then pause", ViewKeys.BREAK_WHEN_LOSS_ABOVE, this::breakWhenLossAbove);
    lossThreshold = new org.eclipse.swt.widgets.Text(lossPair, SWT.BORDER);
    lossThreshold.setText("10");
    lossThreshold.setToolTipText("The loss above which the program pauses");
    AccessibleText.install(lossThreshold, -1, () -> "Break when loss is above", null); // a screen reader reads no label for it
    AccessibleText.install(runToStep, -1, () -> "Run to step", null);
    lossThreshold.setLayoutData(new org.eclipse.swt.layout.RowData(50, SWT.DEFAULT));
    keyedButton(liveControls, "Break on event", "Run until the next stale state, retrace, NaN/Inf or error event",
        ViewKeys.BREAK_ON_EVENT, () -> live(s -> s.runUntilEvent(null)));
    liveStatus = new Label(liveBar, SWT.NONE);
    liveStatus.addListener(SWT.Resize, e -> fitLiveStatus());
    liveBar.setLayout(new LiveRowLayout(liveControls, liveStatus));
    showLiveBar(false);
  }

  /** Sends {@code c} to the live program on the run shown, off the UI thread and in order ({@link LiveCommands}). */
  private void live(LiveCommands.Command c) {
    LiveSession s = LiveSessions.of(run);
    if (s != null) {
      errorHeldUntil = 0; // a new command: its outcome replaces the last error
      LiveCommands.send(root.getDisplay(), s, c, this::showError);
    }
  }

  private void showLiveBar(boolean visible) {
    ((GridData) liveBar.getLayoutData()).exclude = !visible;
    liveBar.setVisible(visible);
    root.layout(true, true);
  }

  private void attachLive() {
    LiveSession s = LiveSessions.of(run);
    if (liveSession != null) {
      liveSession.removeListener(liveListener);
    }
    liveSession = s;
    showLiveBar(s != null);
    if (s != null) {
      s.addListener(liveListener);
      setLiveStatus(liveRowText(s));
      enableLiveControls(s);
    }
  }

  /**
   * What the Live row says beside its buttons: only what the status line above does not. That line
   * already reads "…, live: step — paused before step 3" (the session's label); the row repeated it
   * and was cut at the view's edge. So: the last event while the program runs, "finished" (and why)
   * once it ended, when the status line no longer says "live".
   */
  public static String liveRowText(LiveSession s) {
    if (s.state() == LiveSession.State.TERMINATED) {
      return s.label();
    }
    return s.lastEvent().isEmpty() ? "" : "last event: " + s.lastEvent();
  }

  /** The Live row's status, shortened at a word with "…" to the room it has; the whole text is its tooltip. */
  private void setLiveStatus(String whole) {
    liveStatus.setData(LIVE_STATUS_WHOLE, whole);
    fitLiveStatus();
  }

  private static final String LIVE_STATUS_WHOLE = "wholeText";

  private void fitLiveStatus() {
    String whole = liveStatus.getData(LIVE_STATUS_WHOLE) instanceof String t ? t : "";
    int width = liveStatus.getSize().x;
    String shown = whole;
    if (width > 0 && !whole.isEmpty()) {
      org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(liveStatus);
      try {
        gc.setFont(liveStatus.getFont());
        shown = FitText.fit(whole, width, t -> gc.textExtent(t).x);
      } finally {
        gc.dispose();
      }
    }
    if (!shown.equals(liveStatus.getText())) {
      liveStatus.setText(shown);
    }
    liveStatus.setToolTipText(shown.equals(whole) ? null : whole);
  }

  /** The Live row's status as shown, and its whole text (tests). */
  public String[] liveStatus() {
    return new String[] {liveStatus.getText(), liveStatus.getData(LIVE_STATUS_WHOLE) instanceof String t ? t : ""};
  }

  /**
   * The Live row's controls work until the program ends; then they go, and the row reads
   * "Live: finished". Greyed out, they stayed on screen doing nothing, and in the dark theme (whose
   * CSS gives buttons their text colour) they looked as clickable as ever.
   */
  private void enableLiveControls(LiveSession s) {
    boolean on = s.state() != LiveSession.State.TERMINATED;
    boolean changed = false;
    for (org.eclipse.swt.widgets.Control c : liveControls.getChildren()) {
      if (!(c instanceof Label)) {
        c.setEnabled(on);
        changed |= c.getVisible() != on;
        WrapRow.show(c, on);
      }
    }
    if (changed) {
      liveControls.layout(true);
      root.layout(new org.eclipse.swt.widgets.Control[] {liveControls}); // the row, and the view with its new height
    }
    if (s.state() == LiveSession.State.PAUSED && function != null && function.equals(s.function())) {
      // a step still ahead: paused before step 3 the spinner read 0, and Run to step 0 ran to the end
      runToStep.setMinimum((int) Math.min(Integer.MAX_VALUE - 1, s.step() + 1)); // raises the selection with it
    }
  }

  /** Whether the Live row shows its controls (Pause, Step, …): while the program runs (tests). */
  public boolean liveControlsShown() {
    return runToStep.getParent().getVisible(); // its pair with Run to step, shown and hidden as one
  }

  /** The Live row's "Run to step" spinner (tests). */
  public Spinner runToStepSpinner() {
    return runToStep;
  }

  private void liveChanged(LiveSession s) {
    if (root.isDisposed()) {
      return;
    }
    root.getDisplay().asyncExec(() -> {
      if (root.isDisposed() || s != liveSession) {
        return;
      }
      setLiveStatus(liveRowText(s));
      enableLiveControls(s);
      root.layout(new org.eclipse.swt.widgets.Control[] {liveStatus});
      if (run != null) {
        readSummaryLater();
      }
    });
  }

  /** The live session shown (null for a recorded file). */
  public LiveSession liveSession() {
    return liveSession;
  }

  /** A button whose tooltip names its command's key, kept current when the user rebinds it ({@link ViewKeys#keyedTip}). */
  private static Button keyedButton(Composite parent, String text, String tip, String commandId, Runnable r) {
    Button b = button(parent, text, null, r);
    ViewKeys.keyedTip(b, tip, commandId);
    return b;
  }

  private static Button button(Composite parent, String text, String tip, Runnable r) {
    Button b = new Button(parent, SWT.PUSH);
    b.setText(text);
    b.setToolTipText(tip);
    b.addListener(SWT.Selection, e -> r.run());
    AccessibleText.nameButton(b); // "Pause", not "❚❚ Pause"
    FocusRing.install(b); // a focus a keyboard user sees in the dark theme too
    return b;
  }

  private void createTree(Composite parent) {
    // the tree, or in its place a note for a step without values (a sparse run's gap)
    treeArea = new Composite(parent, SWT.NONE);
    treeArea.setLayout(new org.eclipse.swt.custom.StackLayout());
    tree = new TreeViewer(treeArea, SWT.FULL_SELECTION | SWT.MULTI | SWT.BORDER);
    createNoValuesPanel(treeArea);
    showTreeOrNote(null);
    tree.getTree().setHeaderVisible(true);
    tree.getTree().setLinesVisible(true);
    // no run yet: say how to open one where the state will be
    EmptyHint.install(tree.getTree(), () -> run == null && tree.getTree().getItemCount() == 0,
        () -> NO_RUN.replace(": ", "\n").replace("; ", "\n"));
    for (int i = 0; i < StateTreeLabels.COLUMNS.length; i++) {
      TreeColumn c = new TreeColumn(tree.getTree(), i == 3 ? SWT.LEFT : i >= 4 ? SWT.RIGHT : SWT.LEFT);
      c.setText(StateTreeLabels.COLUMNS[i]);
      c.setWidth(StateTreeLabels.WIDTHS[i]);
    }
    treeWidths = ColumnWidths.forTree(tree.getTree(), org.eclipse.jface.dialogs.DialogSettings.getOrCreateSection(
        dev.statelens.debugger.DebuggerPlugin.getDefault().getDialogSettings(), TREE_WIDTHS_SECTION),
        StateTreeLabels.MAX_WIDTHS).shrinkToFit(3, 110) // Value gives way: Δ prev, rel Δ and NaN/Inf stay in view
        .measuring(3, StateTreeLabels::value); // ...its cells shortened to it, never cut mid-number
    // the Value cells are written for the column's width: written again when it changes
    tree.getTree().getColumn(3).addListener(SWT.Resize, e -> refitValues());
    tree.setContentProvider(new ITreeContentProvider() {
      @Override
      public Object[] getElements(Object input) {
        return input instanceof List<?> l ? l.toArray() : new Object[0];
      }

      @Override
      public Object[] getChildren(Object e) {
        return ((StateNode) e).children().toArray();
      }

      @Override
      public Object getParent(Object e) {
        return ((StateNode) e).parent();
      }

      @Override
      public boolean hasChildren(Object e) {
        return !((StateNode) e).children().isEmpty();
      }
    });
    tree.setLabelProvider(new StateTreeLabels(tree.getTree()));
    tree.addTreeListener(new org.eclipse.jface.viewers.ITreeViewerListener() { // rows shown: fit them
      @Override
      public void treeExpanded(org.eclipse.jface.viewers.TreeExpansionEvent e) {
        tree.getTree().getDisplay().asyncExec(() -> treeWidths.fit());
      }

      @Override
      public void treeCollapsed(org.eclipse.jface.viewers.TreeExpansionEvent e) {}
    });
    tree.addSelectionChangedListener(e -> {
      chartLeaves();
      chartNorms();
    });
    MenuManager menu = new MenuManager();
    menu.add(new Action("Copy Path") {
      @Override
      public void run() {
        copy(selectedNodes().stream().map(StateNode::path).reduce((a, b) -> a + "\n" + b).orElse(""));
      }
    });
    menu.add(new Action("Copy Value") {
      @Override
      public void run() {
        copy(selectedNodes().stream().filter(StateNode::isLeaf)
            .map(n -> n.path() + " = " + Format.values(n.sample())).reduce((a, b) -> a + "\n" + b).orElse(""));
      }
    });
    menu.add(new Action("Diff From Previous Step") {
      @Override
      public void run() {
        compare(step() - 1, step());
        selectTab(3);
      }
    });
    menu.add(new Action("Export State at This Step as .npz…") {
      @Override
      public void run() {
        exportState();
      }
    });
    addGoToSource(menu);
    tree.getTree().setMenu(menu.createContextMenu(tree.getTree()));
    getSite().registerContextMenu(menu, tree);
    getSite().setSelectionProvider(tree);
  }

  private void createNoValuesPanel(Composite parent) {
    noValuesPanel = new Composite(parent, SWT.BORDER);
    noValuesPanel.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
    GridLayout gl = new GridLayout(2, false);
    gl.marginWidth = 16;
    gl.marginHeight = 16;
    gl.verticalSpacing = 12;
    noValuesPanel.setLayout(gl);
    noValuesText = new Label(noValuesPanel, SWT.WRAP);
    noValuesText.setBackground(noValuesPanel.getBackground());
    GridData gd = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
    gd.widthHint = 300; // wraps to the pane's width rather than widening the sash
    noValuesText.setLayoutData(gd);
    nearestBefore = button(noValuesPanel, "", "Select the nearest earlier step with values", () -> selectNearest(false));
    nearestAfter = button(noValuesPanel, "", "Select the nearest later step with values", () -> selectNearest(true));
  }

  /** Shows the state tree, or (for a step without values) the note with its nearest steps. */
  private void showTreeOrNote(StepValues v) {
    boolean note = v != null && !v.present();
    org.eclipse.swt.custom.StackLayout stack = (org.eclipse.swt.custom.StackLayout) treeArea.getLayout();
    if (note) {
      noValuesText.setText(v.message());
      nearestButton(nearestBefore, v.before(), "◀ step ");
      nearestButton(nearestAfter, v.after(), "step ");
      if (v.after() != null) {
        nearestAfter.setText("step " + v.after() + " ▶");
      }
      noValuesPanel.layout(true, true);
    }
    stack.topControl = note ? noValuesPanel : tree.getControl();
    treeArea.layout(true, true);
  }

  /** Shows {@code text} in place of the state tree (and the state flow picture), without step buttons. */
  private void showNote(String text) {
    tree.setInput(null);
    stepState = null;
    flow.setState(null);
    flow.setNote(text);
    noValuesText.setText(text);
    nearestButton(nearestBefore, null, "");
    nearestButton(nearestAfter, null, "");
    noValuesPanel.layout(true, true);
    ((org.eclipse.swt.custom.StackLayout) treeArea.getLayout()).topControl = noValuesPanel;
    treeArea.layout(true, true);
  }

  private static void nearestButton(Button b, Long step, String prefix) {
    GridData gd = new GridData();
    gd.exclude = step == null;
    b.setLayoutData(gd);
    b.setVisible(step != null);
    b.setText(step == null ? "" : prefix + step);
  }

  /** Selects the nearest step with values, as a timeline click would (the note's buttons). */
  private void selectNearest(boolean later) {
    StepValues v = stepState == null ? null : stepState.values();
    Long target = v == null ? null : later ? v.after() : v.before();
    if (target != null) {
      selectStep(target);
    }
  }

  /** The note shown instead of the state tree for a step without values; "" while the tree shows. */
  public String noValuesMessage() {
    var stack = (org.eclipse.swt.custom.StackLayout) treeArea.getLayout();
    return stack.topControl == noValuesPanel ? noValuesText.getText() : "";
  }

  /** The note's "nearest step" buttons that are shown (earlier first). */
  public List<Button> nearestButtons() {
    if (noValuesMessage().isEmpty()) {
      return List.of();
    }
    return java.util.stream.Stream.of(nearestBefore, nearestAfter).filter(Button::getVisible).toList();
  }

  private void createChartsTab() {
    CTabItem item = new CTabItem(tabs, SWT.NONE);
    item.setText("Charts");
    Composite c = new Composite(tabs, SWT.NONE);
    c.setLayout(new GridLayout(1, false));
    Composite bar = new Composite(c, SWT.NONE);
    // wraps in a narrow pane, so the export buttons stay reachable
    org.eclipse.swt.layout.RowLayout row = new org.eclipse.swt.layout.RowLayout(SWT.HORIZONTAL);
    row.center = true;
    bar.setLayout(row);
    bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    logY = CheckButtons.create(bar, "Log y");
    logY.setToolTipText("Log y axis for the scalar and leaf charts (a chart spanning many decades starts on it)");
    logY.addListener(SWT.Selection, e -> {
      explicitLogY = logY.getSelection();
      refreshCharts();
    });
    new Label(bar, SWT.NONE).setText("  Smoothing:");
    smoothing = new Scale(bar, SWT.HORIZONTAL);
    smoothing.setMinimum(0);
    smoothing.setMaximum(99);
    smoothing.setSelection(0);
    smoothing.setLayoutData(new org.eclipse.swt.layout.RowData(120, SWT.DEFAULT));
    smoothing.setToolTipText("Debiased exponential moving average (TensorBoard's smoothing)");
    smoothing.addListener(SWT.Selection, e -> refreshCharts());
    normsLogY = CheckButtons.create(bar, "Norms log y");
    normsLogY.setSelection(true); // norms span decades
    normsLogY.setToolTipText("Log y axis for the gradient & update norms chart");
    normsLogY.addListener(SWT.Selection, e -> chartNorms());
    button(bar, "Reset zoom", "Show all steps (the mouse wheel zooms, Ctrl+wheel while the charts scroll; "
        + "double-click resets)", () -> zoom(-1, -1));
    button(bar, "Export PNG…", "Save the charts as PNG images", this::exportPng);
    button(bar, "Export CSV…", "Save the charted points (min/max per point) as CSV", this::exportCsv);
    charts = new ChartStack(c); // scrolls in a pane too short for three readable charts
    charts.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    scalarChart = new ChartCanvas(charts.charts());
    leafChart = new ChartCanvas(charts.charts());
    norms = new NormsChart(charts.charts());
    for (ChartCanvas cc : List.of(scalarChart, leafChart, norms.canvas())) {
      cc.onStepClicked(s -> selectStep(s));
      cc.onZoom(this::zoom);
      cc.onWheel(charts::scrollByWheel);
      cc.addListener(SWT.Resize, e -> refreshCharts());
    }
    charts.setWeights(30, 30, 40); // the norms chart's legend lists up to 3 lines per selected leaf
    item.setControl(c);
  }

  private void createFlowTab() {
    CTabItem item = new CTabItem(tabs, SWT.NONE);
    item.setText("State flow");
    flowScroll = new org.eclipse.swt.custom.ScrolledComposite(tabs, SWT.H_SCROLL | SWT.V_SCROLL);
    flow = new FlowCanvas(flowScroll);
    flow.onFunctionOpened(() -> selectTab(2));
    flow.onGoToSource(this::goToSource, this::goToFunctionSource);
    flowScroll.setContent(flow);
    flowScroll.setExpandHorizontal(true);
    flowScroll.setExpandVertical(true);
    flowScroll.setMinSize(flow.computeSize(SWT.DEFAULT, SWT.DEFAULT));
    item.setControl(flowScroll);
  }

  private void createGraphTab() {
    CTabItem item = new CTabItem(tabs, SWT.NONE);
    item.setText("Traced graph");
    graphPane = new TracedGraphPane(tabs);
    item.setControl(graphPane.control());
    // Ctrl+F (the workbench's Find/Replace command, which would not reach the tab's text) and
    // Edit > Find/Replace… go to the graph's find field while the graph tab is shown
    Action find = new Action() {
      @Override
      public void run() {
        if (tabs.getSelection() == item) {
          graphPane.focusFind();
        }
      }
    };
    getViewSite().getActionBars().setGlobalActionHandler(org.eclipse.ui.actions.ActionFactory.FIND.getId(), find);
    // handled (Ctrl+F, Edit > Find/Replace… enabled) only while the graph shows: on the other tabs the
    // view does not take the command, which stays Eclipse's own (it was taken and did nothing)
    updateFindHandler = () -> find.setEnabled(tabs.getSelection() == item);
    tabs.addListener(SWT.Selection, e -> updateFindHandler.run());
    updateFindHandler.run();
    graphPane.onGoToSource(group -> {
      if (run != null && group.source() != null) {
        sourceNavigator.goToEquations(run, group.source().at(), group.heading());
      }
    });
  }

  private void createDiffTab() {
    CTabItem item = new CTabItem(tabs, SWT.NONE);
    diffItem = item;
    item.setText("Diff");
    Composite c = new Composite(tabs, SWT.NONE);
    c.setLayout(new GridLayout(1, false));
    Composite bar = new Composite(c, SWT.NONE);
    // wraps in a narrow pane, so "Changed only" and the summary stay visible
    org.eclipse.swt.layout.RowLayout row = new org.eclipse.swt.layout.RowLayout(SWT.HORIZONTAL);
    row.center = true;
    row.spacing = 8; // the default 3 ran "Changed only" into the summary after it
    bar.setLayout(row);
    bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    // each label with its spinner (WrapRow.pair): apart, a narrow pane put "Step B:" at one line's
    // end and its spinner at the next line's start
    Composite pairA = WrapRow.pair(bar);
    new Label(pairA, SWT.NONE).setText("Step A:");
    diffA = new Spinner(pairA, SWT.BORDER);
    diffA.setMaximum(Integer.MAX_VALUE);
    Composite pairB = WrapRow.pair(bar);
    new Label(pairB, SWT.NONE).setText("Step B:");
    diffB = new Spinner(pairB, SWT.BORDER);
    diffB.setMaximum(Integer.MAX_VALUE);
    button(bar, "Compare", "Compare every leaf of the two steps", () -> compare(diffA.getSelection(), diffB.getSelection()));
    button(bar, "B = selected step", "Use the timeline's step as B", () -> diffB.setSelection((int) step()));
    changedOnly = CheckButtons.create(bar, "Changed only");
    changedOnly.addListener(SWT.Selection, e -> showDiff());
    diffSummary = new Label(bar, SWT.NONE);
    // a side without values (a sparse run's gap): say which, and offer the nearest steps
    diffNoValues = new Label(c, SWT.WRAP);
    GridData noValuesData = new GridData(SWT.FILL, SWT.TOP, true, false);
    noValuesData.widthHint = 200; // wraps to the tab's width
    diffNoValues.setLayoutData(noValuesData);
    diffUseNearest = button(c, "Compare nearest steps with values", "Replace each side without values by its nearest step with values",
        () -> compare(diffNearest[0], diffNearest[1]));
    diffUseNearest.setLayoutData(new GridData(SWT.LEFT, SWT.TOP, false, false));
    showDiffGap(null);
    diffTable = new TableViewer(c, SWT.FULL_SELECTION | SWT.BORDER);
    diffTable.getTable().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    diffTable.getTable().setHeaderVisible(true);
    diffTable.getTable().setLinesVisible(true);
    diffTable.setContentProvider(ArrayContentProvider.getInstance());
    diffColumn("Leaf", 220, d -> d.role() + " " + d.path());
    diffColumn("Changed", 65, d -> d.changed() ? "yes" : "no");
    diffColumn("max |Δ|", 90, d -> Format.num(d.maxAbsDelta()));
    diffColumn("‖Δ‖", 90, d -> Format.num(d.deltaNorm()));
    diffColumn("rel Δ", 70, d -> Format.percent(d));
    diffColumn("A", 170, d -> Format.value(d.a()));
    diffColumn("B", 170, d -> Format.value(d.b()));
    diffWidths = ColumnWidths.forTable(diffTable.getTable(), org.eclipse.jface.dialogs.DialogSettings.getOrCreateSection(
        dev.statelens.debugger.DebuggerPlugin.getDefault().getDialogSettings(), DIFF_WIDTHS_SECTION));
    diffWidths.fit();
    EmptyHint.install(diffTable.getTable(), // nothing compared yet: say how
        () -> diffTable.getTable().getItemCount() == 0 && diff == null && run != null, () -> DIFF_HINT);
    item.setControl(c);
  }

  private void diffColumn(String title, int width, java.util.function.Function<LeafDiff, String> text) {
    ThemedColor changed = new ThemedColor(diffTable.getTable(), ThemeColors::changedBackground);
    TableViewerColumn col = new TableViewerColumn(diffTable, SWT.NONE);
    col.getColumn().setText(title);
    col.getColumn().setWidth(width);
    col.setLabelProvider(new ColumnLabelProvider() {
      @Override
      public String getText(Object element) {
        return text.apply((LeafDiff) element);
      }

      @Override
      public Color getBackground(Object element) {
        return ((LeafDiff) element).changed() ? changed.get() : null;
      }
    });
  }

  @Override
  public void dispose() {
    dev.statelens.debugger.DebuggerPlugin.runs().removeListener(runsListener);
    if (liveSession != null) {
      liveSession.removeListener(liveListener);
    }
    playing = false;
    super.dispose();
  }

  @Override
  public void setFocus() {
    timeline.setFocus();
  }

  /**
   * Loads SQLite's native library and the JSON reader in a background Job while the view opens:
   * the first run opened in the workbench paid them (~0.5 s CPU, seconds of wall time on a loaded
   * machine) before its first read returned. Once per workbench session.
   */
  private static void warmUpRunReader() {
    if (RUN_READER_WARM.compareAndSet(false, true)) {
      org.eclipse.core.runtime.jobs.Job warmUp = org.eclipse.core.runtime.jobs.Job.create("Preparing the run reader",
          monitor -> {
            try {
              RunStore.warmUp();
            } catch (RuntimeException e) { // the first real read reports it in the view
              dev.statelens.debugger.DebuggerPlugin.log("Preparing the run reader failed", e);
            }
          });
      warmUp.setSystem(true);
      warmUp.schedule();
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean RUN_READER_WARM =
      new java.util.concurrent.atomic.AtomicBoolean();

  // ---- showing a run ----------------------------------------------------------------------------

  /** Shows {@code run}: reads its overview in a Job, then selects its main function's last step. */
  public void show(Run run) {
    OpenRunsMemory.shown(run);
    if (this.run != run) {
      errorHeldUntil = 0; // another run: the last one's error is not this one's
      clearPanes(); // nothing of the run shown before may stay: its charts under a new run's name mislead
      this.run = run;
      this.followLatest = true;
      String waiting = "Reading " + run.name() + "…";
      scalarChart.setPlaceholder(waiting);
      runLabel.setText(run.name());
      runLabel.setToolTipText(null);
      root.layout(true, true);
      setPartName("State Flow: " + run.name());
    }
    attachLive();
    showMessage("Reading " + run.path() + "…");
    readSummaryLater();
  }

  /**
   * "Events (4):" beside the list, or "Events: none" with the list and Next event greyed out: a
   * read-only combo shows nothing until opened, so "4 events" in the status line had no visible list.
   */
  private void showEventCount() {
    int n = timelineEvents.size();
    String text = n == 0 ? "  Events: none" : "  Events (" + n + "):";
    if (!text.equals(eventsLabel.getText())) {
      eventsLabel.setText(text);
      root.layout(new org.eclipse.swt.widgets.Control[] {eventsLabel}); // the bar may wrap anew
    }
    DisabledButtons.setEnabled(nextEventButton, n > 0); // greyed in the dark theme too
    eventList.setEvents(timelineEvents, "No retrace, stale state, NaN/Inf or error event in " + (function == null
        ? "this run" : function + "'s calls"));
    eventList.follow(step());
  }

  /** What the event list shows: "step 113: first NaN in weight", "no event at step 37", or "". */
  public String eventShown() {
    return eventList.text();
  }

  /** The label beside the event list: "Events (4):" or "Events: none". */
  public String eventsLabel() {
    return eventsLabel.getText().trim();
  }

  /**
   * Empties every pane and forgets the run's data (pending reads dropped): the step, tree, charts,
   * flow picture, graph, diff, function and event lists, the timeline.
   */
  private void clearPanes() {
    for (RunJobs.Slot slot : List.of(summarySlot, stepSlot, scalarSlot, leafSlot, diffSlot, graphSlot)) {
      slot.cancel();
    }
    norms.cancel();
    summary = null;
    function = null;
    functionPicked = false;
    stepState = null;
    diff = null;
    graphs = List.of();
    zoomFrom = zoomTo = -1;
    awaitingFirstCall = false;
    if (playing) {
      togglePlay();
    }
    timelineEvents = List.of();
    timeline.setRange(0, -1, List.of());
    for (ChartCanvas c : List.of(scalarChart, leafChart, norms.canvas())) {
      c.setStepBounds(0, -1);
    }
    stepSpinner.setMinimum(0);
    stepSpinner.setSelection(0);
    stepSpinner.setEnabled(false);
    functionCombo.setItems(new String[0]);
    showEventCount();
    tree.setInput(null);
    treeWidths.restart(); // a new run's columns fit its leaves, not the last run's
    showTreeOrNote(null);
    showDiffGap(null);
    flow.setState(null);
    graphPane.showNote("");
    diffTable.setInput(null);
    diffSummary.setText("");
    showScalarChart(true);
    scalarChart.setPlaceholder("");
    leafChart.setPlaceholder("");
    norms.canvas().setPlaceholder("");
  }

  public Run run() {
    return run;
  }

  /**
   * Reads the run's overview in a Job. A launched program creates its run file only when it starts
   * recording: until then the view waits for it instead of reporting a missing file in red.
   */
  private void readSummaryLater() {
    java.nio.file.Path elsewhere = liveSession == null ? null : liveSession.recordsElsewhere();
    if (elsewhere != null && !elsewhere.equals(run.path()) && recordingStarted(elsewhere)) {
      showOwnRecording(liveSession, elsewhere);
      return;
    }
    if ((run.isLive() || elsewhere != null) && !recordingStarted(run.path())) {
      showSummary(elsewhere == null ? WAITING_FOR_FILE + run.name() + "…" : recordsElsewhere(elsewhere));
      return;
    }
    summarySlot.submit(run, root, this::readSummary, this::applySummary, this::showError);
  }

  /**
   * A launched program that records its own file (a {@code Recorder} it opens itself) gets that
   * file shown, once it has its header, as the launch's own file is: listed in the Runs view, live
   * (re-read every second, the Live row on it) and read by the Debug view's frame. The user had to
   * open it with File > Open StateLens Run….
   */
  private void showOwnRecording(LiveSession session, java.nio.file.Path file) {
    Run own = dev.statelens.debugger.DebuggerPlugin.runs().open(file);
    LiveSessions.put(own, session);
    session.followOwnRun(own);
    show(own);
  }

  /**
   * Whether a launched program has started its run file: SQLite creates it empty and writes its
   * 100-byte header with the first commit, a moment later (longer on a loaded machine). Read in
   * between, the empty file showed the run store's red "not a StateLens run store: it has only 0
   * bytes … truncated" for a second or two after every launch.
   */
  static boolean recordingStarted(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.size(file) >= SQLITE_HEADER_BYTES;
    } catch (java.io.IOException notYet) {
      return false;
    }
  }

  private static final int SQLITE_HEADER_BYTES = 100;

  /**
   * The status line of a launched run whose program records its own file (a {@code Recorder} it
   * opens itself): the launch's run file stays empty, so the view said it waited, forever.
   */
  static String recordsElsewhere(java.nio.file.Path file) {
    return "The program records to " + file + " (a Recorder it opens itself), not to this launch's run file: "
        + "it opens here as soon as the program has started recording it.";
  }

  /** The status line of a launched run before its program created the run file. */
  public static final String WAITING_FOR_FILE = "Waiting for the program to start recording to ";

  /** The header: the run's name, and "(values every k steps)" for a run recorded with every=k &gt; 1. */
  public String header() {
    return runLabel.getText();
  }

  private RunSummary readSummary(RunStore st) {
    RunSummary s = RunSummary.load(st);
    run.setSummary(s);
    dev.statelens.debugger.DebuggerPlugin.runs().changed(run);
    return s;
  }

  /** The status row for a run: "1000 calls, 4 events" (live / being recorded / ended early at step n). */
  private String summaryMessage(RunSummary s) {
    return callsLabel(s.calls()) + ", " + s.events().size() + (s.events().size() == 1 ? " event" : " events")
        + (run.isLive() ? ", live" + (run.status().isEmpty() ? "" : ": " + run.status()) : s.finished() ? "" : ", " + s.recordingNote());
  }

  private static String callsLabel(long calls) {
    return String.format("%,d", calls) + (calls == 1 ? " call" : " calls"); // "1,000,000 calls"
  }

  private void applySummary(RunSummary s) {
    boolean first = summary == null;
    summary = s;
    String label = run.name() + (s.valuesLabel().isEmpty() ? "" : "  (" + s.valuesLabel() + ")");
    if (!label.equals(runLabel.getText())) {
      runLabel.setText(label);
      runLabel.setToolTipText(s.valuesLabel().isEmpty() ? null : "Recorded with -Dstatelens.record.every="
          + s.recordEvery() + ": leaf values every " + s.recordEvery() + " steps (and at retraces and stale state); "
          + "losses and scalars at every step");
      root.layout(new org.eclipse.swt.widgets.Control[] {runLabel}); // the bar may wrap anew
    }
    String[] names = s.functions().stream().map(FunctionInfo::name).toArray(String[]::new);
    if (!java.util.Arrays.equals(names, functionCombo.getItems())) {
      functionCombo.setItems(names);
      // as wide as its names now: sized while a live run had none, it stayed an empty arrow
      root.layout(new org.eclipse.swt.widgets.Control[] {functionCombo});
    }
    if (function == null || s.function(function) == null) {
      FunctionInfo main = s.mainFunction();
      if (main == null) {
        showMessage("This run has no recorded jit calls yet.");
        scalarChart.setPlaceholder("The charts start with the first recorded jit call.");
        timeline.setRange(0, -1, List.of());
        return;
      }
      function = main.name();
      if (liveSession != null) { // opened on a paused run: Run to step starts ahead now the function is known
        enableLiveControls(liveSession);
      }
    } else if (!functionPicked && !s.mainFunction().name().equals(function)) {
      // a live run's first summary cannot tell the step from a helper jitted before it (links come
      // from the second call on): follow the step once it shows, until the user picks a function
      showFunction(s.mainFunction().name());
      return;
    }
    functionCombo.setText(function);
    FunctionInfo f = s.function(function);
    long last = f.lastStep();
    if (last < 0) { // a launched program paused before its first call: nothing recorded yet
      awaitingFirstCall = true;
      timeline.setRange(0, -1, List.of());
      showNote(function + " has not been called yet: the program waits before its first jitted call. "
          + "Step or Resume (Live row), or Step Over (F6) in the Debug view, runs it.");
      scalarChart.setPlaceholder("The charts start with " + function + "'s first call.");
      showSummary(callsLabel(s.calls()) + (run.isLive() ? ", live" + (run.status().isEmpty() ? "" : ": " + run.status()) : ""));
      return;
    }
    if (awaitingFirstCall) { // its first call is in: open on it as on a new run
      awaitingFirstCall = false;
      first = true;
    }
    boolean wasAtEnd = timeline.selection() >= timeline.last();
    timelineEvents = s.eventsOf(function);
    timeline.setRange(RunSummary.firstStep(f), last, timelineEvents);
    for (ChartCanvas c : List.of(scalarChart, leafChart, norms.canvas())) { // a zoomed chart pans over the run's steps
      c.setStepBounds(RunSummary.firstStep(f), last);
    }
    showEventCount();
    stepSpinner.setMinimum((int) RunSummary.firstStep(f));
    int max = (int) Math.min(Integer.MAX_VALUE, Math.max(0, last));
    for (Spinner spinner : List.of(stepSpinner, diffA, diffB)) {
      setMaximum(spinner, max);
    }
    stepSpinner.setEnabled(true);
    showSummary(summaryMessage(s));
    if (first || (followLatest && wasAtEnd && !playing)) {
      openOnValues = first && s.recordEvery() > 1 && !run.isLive();
      timeline.select(last, false);
      loadStep(last);
      if (first) {
        followLastTwoInDiff(last);
        graphSlot.submit(run, root, st -> st.graphs(function), g -> {
          graphs = g;
          showGraph();
        }, this::showError);
      }
    }
    if (!first && diff == null && diffPairLast >= 0 && diffB.getSelection() == diffPairLast
        && diffA.getSelection() == Math.max(0, diffPairLast - 1)) {
      followLastTwoInDiff(last); // a live or growing run: still the last two, until the user picks a pair
    }
    refreshCharts();
  }

  /**
   * A spinner's new maximum, and the spinner as wide as its digits need: sized for a 200-step run,
   * the Step spinner kept its width when a million-step run was shown after it, and its + was cut off.
   */
  private void setMaximum(Spinner spinner, int max) {
    if (spinner.getMaximum() == max) {
      return;
    }
    int before = spinner.computeSize(SWT.DEFAULT, SWT.DEFAULT).x;
    spinner.setMaximum(max);
    if (spinner.computeSize(SWT.DEFAULT, SWT.DEFAULT).x != before) {
      root.layout(new org.eclipse.swt.widgets.Control[] {spinner});
    }
  }

  /** The last step the Diff's spinners follow (its pair is that step and the one before); -1: none. */
  private long diffPairLast = -1;

  /**
   * The Diff's spinners on the run's last two steps, kept there as a live run grows while nothing is
   * compared (and the user did not change them): they stayed on the pair of the first read, so a
   * launched run's Diff opened on steps 1 → 2 of 200.
   */
  private void followLastTwoInDiff(long last) {
    diffA.setSelection((int) Math.max(0, last - 1));
    diffB.setSelection((int) last);
    diffPairLast = last;
  }

  /** Switches to another recorded function of the run, as the user's choice in the combo. */
  public void selectFunction(String name) {
    if (summary != null && summary.function(name) != null) {
      functionPicked = true;
    }
    showFunction(name);
  }

  private void showFunction(String name) {
    if (summary == null || name.equals(function) || summary.function(name) == null) {
      return;
    }
    function = name;
    zoomFrom = zoomTo = -1;
    timeline.setRange(0, -1, List.of());
    FunctionInfo f = summary.function(name);
    timeline.setRange(RunSummary.firstStep(f), f.lastStep(), summary.eventsOf(name));
    timelineEvents = summary.eventsOf(name);
    applySummary(summary);
    timeline.select(f.lastStep(), true);
    graphSlot.submit(run, root, st -> st.graphs(name), g -> {
      graphs = g;
      showGraph();
    }, this::showError);
  }

  public String function() {
    return function;
  }

  // ---- steps ------------------------------------------------------------------------------------

  /** Selects {@code step} as if the user moved the timeline (clamped to the recorded steps). */
  public void selectStep(long step) {
    timeline.select(step, true);
  }

  /** The selected step, or -1. */
  public long step() {
    return timeline.selection();
  }

  private void stepSelected(long step) {
    followLatest = step >= timeline.last();
    if (summary != null && run != null) { // a new step: the last action's message ("No event after step 0") is stale
      showSummary(summaryMessage(summary));
    }
    loadStep(step);
  }

  private void loadStep(long step) {
    if (run == null || function == null) {
      return;
    }
    if (stepSpinner.getSelection() != step) {
      stepSpinner.setSelection((int) step);
    }
    eventList.follow(step);
    String fn = function;
    stepSlot.submit(run, root, st -> StepState.load(st, fn, step), this::applyStep, this::showError);
    // the chart crosshair follows at once; the data does not change
    updateCrosshair(scalarChart, step);
    updateCrosshair(leafChart, step);
    updateCrosshair(norms.canvas(), step);
  }

  private void applyStep(StepState s) {
    if (s.step() != step() || !s.function().equals(function)) {
      return; // a newer selection is on its way
    }
    Object[] expanded = tree.getExpandedElements();
    List<String> expandedKeys = new ArrayList<>();
    for (Object o : expanded) {
      expandedKeys.add(((StateNode) o).key());
    }
    List<String> selectedKeys = selectedNodes().stream().map(StateNode::key).toList();
    stepState = s;
    tree.getTree().setRedraw(false);
    try {
      tree.setInput(s.roots());
      if (expandedKeys.isEmpty()) {
        tree.expandAll();
      } else {
        List<StateNode> exp = new ArrayList<>();
        for (String k : expandedKeys) {
          StateNode n = StateNode.find(s.roots(), k);
          if (n != null) {
            exp.add(n);
          }
        }
        tree.setExpandedElements(exp.toArray());
      }
      List<StateNode> sel = new ArrayList<>();
      for (String k : selectedKeys) {
        StateNode n = StateNode.find(s.roots(), k);
        if (n != null) {
          sel.add(n);
        }
      }
      if (!sel.isEmpty()) {
        tree.setSelection(new StructuredSelection(sel), false);
      }
      treeWidths.fit(); // the columns grow to the numbers shown: a cut "1.1e-04%" reads as another number
    } finally {
      tree.getTree().setRedraw(true);
    }
    showTreeOrNote(s.values());
    if (openOnValues) {
      openOnValues = false;
      if (s.values() != null && !s.values().present() && s.values().before() != null) {
        selectStep(s.values().before()); // the last step is usually between snapshots
      }
    }
    flow.setState(s);
    flowScroll.setMinSize(flow.computeSize(SWT.DEFAULT, SWT.DEFAULT));
    showGraph();
    if (leafChart.spec() == null) { // the first step read: chart its outputs (the default) without a selection
      chartLeaves();
    }
    Integer graphId = s.call() == null ? null : s.call().graphId();
    if (graphId != null && graphs.stream().noneMatch(g -> g.id() == graphId)) {
      // traced after the graphs were read (a live run's first call, a retrace): read them again
      String fn = function;
      graphSlot.submit(run, root, st -> st.graphs(fn), g -> {
        graphs = g;
        showGraph();
      }, this::showError);
    }
  }

  private CTabItem diffItem;

  /**
   * The Diff tab, opened while nothing is compared, compares the steps its spinners hold (the last
   * two, set when the run is read): a newcomer found them filled in over an empty table that asked
   * for a click on Compare.
   */
  private void tabShown(CTabItem item) {
    if (item == diffItem && diff == null && run != null && stepState != null
        && diffA.getSelection() != diffB.getSelection()) {
      compare(diffA.getSelection(), diffB.getSelection());
    }
  }

  /** Shows the tab titled {@code title} ("Charts", "State flow", "Traced graph", "Diff"). */
  public void selectTab(String title) {
    for (CTabItem item : tabs.getItems()) {
      if (item.getText().equals(title)) {
        selectTab(item);
        tabShown(item);
        return;
      }
    }
    throw new IllegalArgumentException("no tab '" + title + "'");
  }

  private boolean refitPending;

  /** Writes the Value cells again for the column's new width (once per burst of resizes). */
  private void refitValues() {
    if (refitPending) {
      return;
    }
    refitPending = true;
    tree.getTree().getDisplay().asyncExec(() -> {
      refitPending = false;
      if (!tree.getTree().isDisposed()) {
        tree.refresh(true);
      }
    });
  }

  /** The state of the selected step, once read (null before). */
  public StepState stepState() {
    return stepState;
  }

  /** The state tree's column widths (content-fitted, grow-only while stepping, the user's kept). */
  public ColumnWidths treeWidths() {
    return treeWidths;
  }

  public TreeViewer tree() {
    return tree;
  }

  public TimelineCanvas timeline() {
    return timeline;
  }

  /** Selects the first event after (or, with {@code next} false, before) the selected step; its step or -1. */
  public long jumpToEvent(boolean next) {
    long cur = step();
    EventInfo best = null;
    for (EventInfo e : timelineEvents) {
      long s = e.step();
      if (next ? s > cur && (best == null || s < best.step()) : s < cur && (best == null || s > best.step())) {
        best = e;
      }
    }
    if (best == null) {
      showMessage(next ? "No event after step " + cur : "No event before step " + cur);
      return -1;
    }
    selectStep(best.step());
    return best.step();
  }

  private void togglePlay() {
    playing = !playing;
    playButton.setText(playing ? "❚❚ Pause" : "▶ Play");
    if (playing) {
      if (step() >= timeline.last()) {
        selectStep(timeline.first());
      }
      playTick();
    }
  }

  private void playTick() {
    if (!playing || root.isDisposed()) {
      return;
    }
    if (step() >= timeline.last()) {
      togglePlay();
      return;
    }
    if (stepState == null || stepState.step() == step()) { // previous step shown: advance
      selectStep(step() + 1);
    }
    root.getDisplay().timerExec(100, this::playTick);
  }

  // ---- charts -----------------------------------------------------------------------------------

  private void zoom(long from, long to) {
    zoomFrom = from;
    zoomTo = to;
    refreshCharts();
  }

  private double smoothingWeight() {
    return smoothing.getSelection() / 100.0;
  }

  private List<Long> eventSteps() {
    return timelineEvents.stream().map(EventInfo::step).distinct().toList();
  }

  /** Re-reads both charts' series for the visible range at one point per pixel column. */
  public void refreshCharts() {
    if (run == null || function == null || scalarChart.isDisposed()) {
      return;
    }
    int points = Math.max(2, scalarChart.getClientArea().width);
    long from = zoomFrom < 0 ? Long.MIN_VALUE : zoomFrom;
    long to = zoomTo < 0 ? Long.MAX_VALUE : zoomTo;
    Boolean log = explicitLogY;
    double sm = smoothingWeight();
    scalarSlot.submit(run, root, st -> {
      List<ChartLine> lines = new ArrayList<>();
      for (SeriesInfo info : st.scalars()) {
        if (!NormLines.isNormSeries(info.path())) { // charted by the norms chart
          lines.add(new ChartLine(info.path(), st.series(info, Stat.MEAN, points, from, to)));
        }
      }
      return lines;
    }, lines -> {
      // no logged scalars: hide that chart and give its room to the leaf and norms charts
      // (a SashForm lays out only its visible children)
      showScalarChart(!lines.isEmpty());
      scalarAutoLog = log == null && LogScale.choose(null, lines).logY();
      showAutoLog();
      if (lines.isEmpty()) {
        scalarChart.setPlaceholder("No scalars logged. Return an output named 'loss' from the jitted function, "
            + "or call Recorder.scalar(\"loss\", x).");
      } else {
        LogScale.Choice axis = LogScale.choose(log, lines);
        scalarChart.setSpec(new ChartSpec("Scalars", "value", lines, axis.logY(), sm, step(), eventSteps(), axis.subtitle()));
      }
    }, this::showError);
    chartLeaves();
    chartNorms();
  }

  /** Shows or hides the scalars chart; the chart pane then gives its room to the others, or takes it back. */
  private void showScalarChart(boolean show) {
    if (scalarChart.getVisible() != show) {
      scalarChart.setVisible(show);
      charts.update(); // each chart's least height holds for the charts now shown
    }
  }

  /** The gradient & update norms chart: global norms, and per-leaf ones for the selected leaves. */
  private void chartNorms() {
    if (run == null || function == null || norms.canvas().isDisposed()) {
      return;
    }
    List<String> paths = new ArrayList<>();
    for (StateNode n : selectedNodes()) {
      n.leaves().forEach(l -> paths.add(l.path()));
    }
    norms.refresh(run, root, paths, Math.max(2, norms.canvas().getClientArea().width),
        zoomFrom < 0 ? Long.MIN_VALUE : zoomFrom, zoomTo < 0 ? Long.MAX_VALUE : zoomTo, normsLogY.getSelection(),
        smoothingWeight(), step(), eventSteps(), this::showError);
  }

  private void chartLeaves() {
    if (run == null || function == null || stepState == null && tree.getInput() == null) {
      leafChart.setPlaceholder("Select leaves in the state tree to chart their trajectories.");
      return;
    }
    List<StateNode> nodes = new ArrayList<>();
    for (StateNode n : selectedNodes()) {
      nodes.addAll(n.leaves());
    }
    boolean selected = !nodes.isEmpty();
    if (!selected && stepState != null) {
      // default: the outputs (the new state), the same paths in the same colours at every step
      nodes.addAll(defaultLeaves.order(run.path() + "#" + function, stepState.leaves("out"), MAX_LEAF_LINES));
    }
    List<StateNode> distinct = nodes.stream().distinct().toList();
    List<StateNode> chosen = distinct.stream().limit(MAX_LEAF_LINES).toList();
    List<Integer> colours = chosen.stream().map(n -> selected ? -1 : defaultLeaves.colourOf(n)).toList();
    String cut = cutNote(chosen.size(), distinct.size(), selected);
    if (chosen.isEmpty()) {
      leafChart.setPlaceholder("Select leaves in the state tree to chart their trajectories.");
      return;
    }
    int points = Math.max(2, leafChart.getClientArea().width);
    long from = zoomFrom < 0 ? Long.MIN_VALUE : zoomFrom;
    long to = zoomTo < 0 ? Long.MAX_VALUE : zoomTo;
    String fn = function;
    Boolean log = explicitLogY;
    double sm = smoothingWeight();
    boolean allScalars = chosen.stream().allMatch(n -> n.sample().size() == 1);
    leafSlot.submit(run, root, st -> leafLines(st, fn, chosen, colours, points, from, to), lines -> {
      LogScale.Choice axis = LogScale.choose(log, lines); // a diverging leaf is unreadable on a linear axis
      leafAutoLog = log == null && axis.logY();
      showAutoLog();
      String subtitle = cut == null ? axis.subtitle() : axis.subtitle() == null ? cut : cut + "  ·  " + axis.subtitle();
      leafChart.setSpec(new ChartSpec(allScalars ? "Leaf values" : "Leaf trajectories (value of scalars, L2 norm of tensors)",
          allScalars ? "value" : "value / ‖·‖", lines, axis.logY(), sm, step(), eventSteps(), subtitle));
    }, this::showError);
  }

  /**
   * The leaves charted while none is selected: the outputs without integer and boolean leaves
   * (Adam's step count climbs 0…N and flattened every parameter's line to the axis), or all
   * outputs when they are all integers; more than the chart draws, those that changed in this step
   * first. {@link DefaultChartLeaves} keeps the first choice for the run's function.
   */
  public static List<StateNode> defaultChartLeaves(List<StateNode> outputs) {
    List<StateNode> floats = outputs.stream()
        .filter(n -> n.sample() == null || n.sample().dtype() == null || n.sample().dtype().isFloating()).toList();
    List<StateNode> leaves = floats.isEmpty() ? outputs : floats;
    if (leaves.size() <= MAX_LEAF_LINES) {
      return leaves;
    }
    // more than the chart draws: the leaves that changed in this step first (a frozen leaf is a flat line)
    List<StateNode> ordered = new ArrayList<>(leaves.stream().filter(StateNode::changed).toList());
    leaves.stream().filter(n -> !n.changed()).forEach(ordered::add);
    return ordered;
  }

  /** The leaf chart's lines while no leaf is selected, kept for the run's function. */
  private final DefaultChartLeaves defaultLeaves = new DefaultChartLeaves();

  /** The leaf chart draws at most this many lines (more are unreadable; the palette has 8 colours). */
  public static final int MAX_LEAF_LINES = 8;

  /** The leaf chart's note when it cut lines, null when it charts them all. */
  static String cutNote(int charted, int total, boolean selected) {
    if (charted >= total) {
      return null;
    }
    return charted + " of " + total + (selected ? " selected leaves — select fewer in the tree to chart the others"
        : " leaves — select leaves in the tree to chart them");
  }

  /**
   * Until the user's first toggle, Log y shows whether a chart chose log y by itself, so the
   * toggle they make is the one they see (unticking it turns that chart linear).
   */
  private void showAutoLog() {
    if (explicitLogY == null && !logY.isDisposed()) {
      logY.setSelection(scalarAutoLog || leafAutoLog);
    }
  }

  private static List<ChartLine> leafLines(RunStore st, String fn, List<StateNode> nodes, List<Integer> colours,
      int points, long from, long to) {
    List<ChartLine> lines = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      StateNode n = nodes.get(i);
      SeriesInfo info = st.seriesInfo(fn, n.role(), n.path());
      boolean scalar = n.sample().size() == 1;
      String label = n.role() + " " + n.path() + (scalar ? "" : " ‖·‖");
      lines.add(new ChartLine(label, st.series(info, scalar ? Stat.MEAN : Stat.NORM, points, from, to), colours.get(i)));
    }
    return lines;
  }

  private static void updateCrosshair(ChartCanvas c, long step) {
    ChartSpec s = c.spec();
    if (s != null && s.selectedStep() != step) {
      c.setSpec(s.atStep(step));
    }
  }

  public ChartCanvas scalarChart() {
    return scalarChart;
  }

  public ChartCanvas leafChart() {
    return leafChart;
  }

  /** The three charts' pane (it scrolls when too short for them). */
  public ChartStack chartStack() {
    return charts;
  }

  /** Shows all steps again, as Reset zoom and a double-click on a chart do. */
  public void resetZoom() {
    zoom(-1, -1);
  }

  /** The charts' step range {from, to}, {-1, -1} for all steps. */
  public long[] zoomRange() {
    return new long[] {zoomFrom, zoomTo};
  }

  /** The toolbar's Step spinner (disabled while no run's steps are known). */
  public Spinner stepSpinner() {
    return stepSpinner;
  }

  public ChartCanvas normsChart() {
    return norms.canvas();
  }

  /** Back to choosing log y by each chart's span, as before the user's first toggle of Log y. */
  public void chooseLogYAutomatically() {
    explicitLogY = null;
    refreshCharts();
  }

  /** Whether Log y is ticked. */
  public boolean logYTicked() {
    return logY.getSelection();
  }

  /** Sets log y and smoothing (0..0.99) as the chart controls do (log y then is the user's choice). */
  public void setChartOptions(boolean log, double smoothingWeight) {
    logY.setSelection(log);
    explicitLogY = log;
    smoothing.setSelection((int) Math.round(smoothingWeight * 100));
    refreshCharts();
  }

  private void exportPng() {
    FileDialog d = new FileDialog(root.getShell(), SWT.SAVE);
    d.setFilterExtensions(new String[] {"*.png"});
    d.setFileName(function + "-charts.png");
    String f = d.open();
    if (f == null) {
      return;
    }
    try {
      exportPng(Path.of(f));
    } catch (IOException e) {
      showError("Could not save " + f + ": " + e.getMessage());
    }
  }

  /** Saves the scalar chart to {@code file}, the leaf and norms charts beside it ({@code -leaves.png}, {@code -norms.png}). */
  public void exportPng(Path file) throws IOException {
    int w = Math.max(800, scalarChart.getClientArea().width);
    if (scalarChart.spec() != null) {
      ImageIO.write(dev.statelens.debugger.chart.Charts.render(scalarChart.spec(), w, 450).image(), "png", file.toFile());
    }
    if (leafChart.spec() != null) {
      String name = file.getFileName().toString().replaceFirst("\\.png$", "") + "-leaves.png";
      ImageIO.write(dev.statelens.debugger.chart.Charts.render(leafChart.spec(), w, 450).image(), "png",
          file.resolveSibling(name).toFile());
    }
    if (norms.canvas().spec() != null) {
      String name = file.getFileName().toString().replaceFirst("\\.png$", "") + "-norms.png";
      ImageIO.write(dev.statelens.debugger.chart.Charts.render(norms.canvas().spec(), w, 450).image(), "png",
          file.resolveSibling(name).toFile());
    }
  }

  private void exportCsv() {
    FileDialog d = new FileDialog(root.getShell(), SWT.SAVE);
    d.setFilterExtensions(new String[] {"*.csv"});
    d.setFileName(function + "-series.csv");
    String f = d.open();
    if (f == null) {
      return;
    }
    try {
      exportCsv(Path.of(f));
    } catch (IOException e) {
      showError("Could not save " + f + ": " + e.getMessage());
    }
  }

  /** Writes the charted points of all three charts as CSV. */
  public void exportCsv(Path file) throws IOException {
    List<ChartLine> all = new ArrayList<>();
    for (ChartCanvas c : List.of(scalarChart, leafChart, norms.canvas())) {
      if (c.spec() != null) {
        all.addAll(c.spec().lines());
      }
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      CsvExport.write(all, w);
    }
  }

  private void exportState() {
    if (run == null || function == null) {
      return;
    }
    FileDialog d = new FileDialog(root.getShell(), SWT.SAVE);
    d.setFilterExtensions(new String[] {"*.npz"});
    d.setFileName(function + "-step-" + step() + ".npz");
    d.setOverwrite(true);
    String f = d.open();
    if (f != null) {
      exportState(Path.of(f));
    }
  }

  /**
   * Writes the selected step's leaves whose full values the run holds to {@code file} as a NumPy
   * .npz (members named {@code in:state.params.w}, {@code out:loss}; docs/checkpoints.md) and says
   * in the status line what was written and which leaves were only summarized (too large for the
   * recording's maxValues). Returns the export, or null when it failed (the status line says why).
   */
  public RecordedStepExport.Result exportState(Path file) {
    long step = step();
    try {
      RecordedStepExport.Result r = run.read(store -> {
        try {
          return RecordedStepExport.export(store, function, step, file);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      String text = "Exported " + r.exported().size() + (r.exported().size() == 1 ? " leaf" : " leaves") + " of step "
          + step + " to " + file;
      if (!r.summarized().isEmpty()) {
        text += "; left out " + r.summarized().size() + " only summarized (recorded as a sample): "
            + String.join(", ", r.summarized().subList(0, Math.min(4, r.summarized().size())))
            + (r.summarized().size() > 4 ? ", …" : "");
      }
      showMessage(text);
      return r;
    } catch (java.io.UncheckedIOException e) {
      showError("Could not export step " + step + ": " + e.getCause().getMessage());
      return null;
    }
  }

  // ---- diff and graph ---------------------------------------------------------------------------

  /** Compares steps {@code a} and {@code b} of the function (in a Job) and shows the Diff tab's table. */
  public void compare(long a, long b) {
    if (run == null || function == null || a < 0 || b < 0) {
      return;
    }
    diffA.setSelection((int) a);
    diffB.setSelection((int) b);
    String fn = function;
    FunctionInfo f = summary == null ? null : summary.function(fn);
    long first = f == null ? Math.min(a, b) : RunSummary.firstStep(f);
    long last = f == null ? Math.max(a, b) : f.lastStep();
    diffSlot.submit(run, root, st -> {
      StepValues va = StepValues.at(st, fn, a, first, last);
      StepValues vb = StepValues.at(st, fn, b, first, last);
      return va.present() && vb.present() ? new DiffRead(st.diff(fn, a, b), null, null) : new DiffRead(null, va, vb);
    }, r -> {
      if (r.diff() == null) {
        diff = null;
        diffTable.setInput(List.of());
        diffSummary.setText("step " + a + " → " + b + ": not compared");
        diffSummary.getParent().getParent().layout(true, true); // the bar may wrap to another row
        showDiffGap(r);
      } else {
        showDiffGap(null);
        diff = r.diff();
        showDiff();
      }
    }, this::showError);
  }

  /** A diff, or the two sides' values when one of them has none. */
  private record DiffRead(StepDiff diff, StepValues a, StepValues b) {}

  private void showDiffGap(DiffRead r) {
    boolean gap = r != null;
    if (gap) {
      List<String> lines = new ArrayList<>();
      if (!r.a().present()) {
        lines.add("A: " + r.a().message());
      }
      if (!r.b().present()) {
        lines.add("B: " + r.b().message());
      }
      // broken by hand: the tab's wide button bar sets the column width, so SWT.WRAP alone would not wrap
      diffNoValues.setForeground(ThemeColors.of(diffNoValues.getParent()).badText()); // set now: the theme has styled it
      diffNoValues.setText(String.join("\n", lines).replace("values: ", "values:\n    ").replace(". Nearest", ".\n    Nearest"));
      // each side without values moves to its nearest step with values, but not onto the other side
      Long nb = r.b().present() ? Long.valueOf(r.b().step()) : r.b().closest();
      Long na = r.a().present() ? Long.valueOf(r.a().step()) : nearestOtherThan(r.a(), nb);
      if (!r.b().present() && na != null) {
        nb = nearestOtherThan(r.b(), na);
      }
      diffNearest = na == null || nb == null ? null : new long[] {na, nb};
      diffUseNearest.setText(diffNearest == null ? "" : "Compare step " + na + " → " + nb);
    }
    for (org.eclipse.swt.widgets.Control ctl : List.of(diffNoValues, diffUseNearest)) {
      boolean show = gap && (ctl == diffNoValues || diffNearest != null);
      ((GridData) ctl.getLayoutData()).exclude = !show;
      ctl.setVisible(show);
    }
    diffNoValues.getParent().layout(true, true);
  }

  private static Long nearestOtherThan(StepValues v, Long other) {
    Long c = v.closest();
    if (c == null || !c.equals(other)) {
      return c;
    }
    Long alt = c.equals(v.before()) ? v.after() : v.before();
    return alt != null ? alt : c;
  }

  /** Why the last compare showed no table (a side without values), or "". */
  public String diffNoValuesMessage() {
    return diffNoValues.getVisible() ? diffNoValues.getText() : "";
  }

  /** Compares the nearest steps with values, as the Diff tab's button does; false when it is not offered. */
  public boolean compareNearest() {
    if (!diffUseNearest.getVisible() || diffNearest == null) {
      return false;
    }
    compare(diffNearest[0], diffNearest[1]);
    return true;
  }

  /** The last computed diff, or null. */
  public StepDiff diff() {
    return diff;
  }

  private void showDiff() {
    if (diff == null) {
      return;
    }
    List<LeafDiff> rows = changedOnly.getSelection() ? diff.changed() : diff.leaves();
    diffTable.setInput(rows);
    diffWidths.fit();
    diffSummary.setText("step " + diff.stepA() + " → " + diff.stepB() + ": " + diff.changed().size() + " of "
        + diff.leaves().size() + " leaves changed");
    diffSummary.getParent().getParent().layout(true, true); // the bar may wrap to another row
  }

  /** Shows tab {@code index} (as a click on it does: the Find handler follows). */
  private void selectTab(int index) {
    selectTab(tabs.getItem(index));
  }

  private void selectTab(CTabItem item) {
    tabs.setSelection(item);
    updateFindHandler.run();
  }

  /** The Traced graph tab's text ("" before a graph or a note is shown). */
  public String tracedGraphText() {
    return graphPane.text().getText();
  }

  /** The Traced graph tab: its summary, find bar and text. */
  public TracedGraphPane tracedGraph() {
    return graphPane;
  }

  private void showGraph() {
    if (graphs.isEmpty()) {
      graphPane.showNote("No traced graph recorded for this function.");
      return;
    }
    GraphInfo g = graphs.getFirst();
    if (stepState != null && stepState.call() != null && stepState.call().graphId() != null) {
      for (GraphInfo x : graphs) {
        if (x.id() == stepState.call().graphId()) {
          g = x;
        }
      }
    }
    String head1 = "jit " + g.function() + ": graph " + (g.traceIndex() + 1) + " of " + graphs.size()
        + " (first used at call " + g.firstSeq() + ")\n";
    String head2 = "state inputs:  " + (g.stateInputs().isEmpty() ? "(none)" : String.join(", ", g.stateInputs())) + "\n";
    String head3 = "state outputs: " + (g.stateOutputs().isEmpty() ? "(none)" : String.join(", ", g.stateOutputs())) + "\n";
    String head4 = "inputs:  " + String.join(", ", g.inPaths()) + "\noutputs: " + String.join(", ", g.outPaths()) + "\n\n";
    graphPane.showGraph(head1 + head2 + head3 + head4, theme -> new StyleRange[] { // again after a theme switch
        new StyleRange(0, head1.length(), null, null, SWT.BOLD),
        new StyleRange(head1.length(), head2.length(), theme.stateInText(), null, SWT.BOLD),
        new StyleRange(head1.length() + head2.length(), head3.length(), theme.stateOutText(), null, SWT.BOLD)}, g.irText(),
        g.eqnSources());
  }

  // ---- Go to Source -----------------------------------------------------------------------------

  private final SourceNavigator sourceNavigator = new SourceNavigator(o -> {
    if (o.opened()) {
      showMessage(o.message());
    } else {
      showError(o.message());
    }
  });

  /** The tree's Go to Source (context menu on a leaf or group; double-click on a leaf, a group expands or collapses). */
  private void addGoToSource(MenuManager menu) {
    menu.add(new org.eclipse.jface.action.Separator());
    menu.add(new Action("Go to Source") {
      @Override
      public void run() {
        goToSource();
      }
    });
    tree.addDoubleClickListener(e -> {
      List<StateNode> nodes = selectedNodes();
      if (nodes.size() == 1 && !nodes.getFirst().isLeaf()) {
        tree.setExpandedState(nodes.getFirst(), !tree.getExpandedState(nodes.getFirst()));
      } else {
        goToSource();
      }
    });
  }

  /**
   * Opens the declaration of the selected node (see {@link SourceNavigator}): for a leaf the record
   * component that holds it, for a group (params) its record.
   */
  public void goToSource() {
    List<StateNode> nodes = selectedNodes();
    if (nodes.isEmpty()) {
      showMessage("Go to Source: select a leaf (e.g. params.weight) to open the record component that holds it.");
      return;
    }
    goToSource(nodes.getFirst());
  }

  /** Opens the record component that holds {@code node}, a leaf, or the record of a group node. */
  public void goToSource(StateNode node) {
    if (run == null || function == null) {
      return;
    }
    if (node.isLeaf()) {
      sourceNavigator.goToLeaf(run, root, function, node.role(), node.path());
      return;
    }
    StateNode leaf = node.path().isEmpty() ? null
        : node.children().stream().filter(StateNode::isLeaf).findFirst().orElse(null);
    if (leaf == null) {
      showMessage("Go to Source: select a leaf, or a group with leaves of its own (e.g. params), to open its declaration.");
      return;
    }
    sourceNavigator.goToGroup(run, root, function, node.role(), node.path(), leaf.path());
  }

  /** Opens the code of the shown jitted function at the line the run recorded. */
  public void goToFunctionSource() {
    if (run != null && function != null) {
      sourceNavigator.goToFunction(run, root, function);
    }
  }

  /** The state flow picture (tests find its boxes). */
  public FlowCanvas flowCanvas() {
    return flow;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private List<StateNode> selectedNodes() {
    List<StateNode> out = new ArrayList<>();
    for (Object o : ((IStructuredSelection) tree.getSelection()).toList()) {
      out.add((StateNode) o);
    }
    return out;
  }

  private void copy(String text) {
    if (text.isEmpty()) {
      return;
    }
    Clipboard cb = new Clipboard(root.getDisplay());
    try {
      cb.setContents(new Object[] {text}, new Transfer[] {TextTransfer.getInstance()});
    } finally {
      cb.dispose();
    }
  }

  private void showMessage(String text) {
    if (!statusLabel.isDisposed()) {
      // the text colour the theme gave the bar (null would be GTK's default: dark on the dark theme's bar)
      statusLabel.setForeground(statusLabel.getParent().getForeground());
      statusLabel.setText(text);
      statusLabel.setToolTipText(text);
      root.layout(new org.eclipse.swt.widgets.Control[] {statusLabel}); // its lines may change
    }
  }

  /**
   * The run's summary in the status line ("5 calls, 0 events, live: …"), unless an error is being
   * held there: a live run's summary is re-read every second, and it replaced an error (a threshold
   * that is no number) before it could be read.
   */
  private void showSummary(String text) {
    if (System.currentTimeMillis() < errorHeldUntil) {
      return;
    }
    showMessage(text);
  }

  /** How long an error stays in the status line against the summary's refreshes. */
  static final long ERROR_HOLD_MS = 6_000;
  private long errorHeldUntil;

  private void showError(String text) {
    errorHeldUntil = System.currentTimeMillis() + ERROR_HOLD_MS;
    if (!statusLabel.isDisposed()) {
      statusLabel.setForeground(ThemeColors.of(statusLabel.getParent()).badText());
      statusLabel.setText(text);
      statusLabel.setToolTipText(text);
      root.layout(new org.eclipse.swt.widgets.Control[] {statusLabel}); // its lines may change
    }
  }

  /** The status line text (errors included). */
  public String status() {
    return statusLabel.getText();
  }

  private void pollLive() {
    if (root.isDisposed()) {
      return;
    }
    // a launched run, or one another process is still recording (File > Open on a growing file)
    if (run != null && (run.isLive() || summary != null && summary.beingRecorded())) {
      readSummaryLater();
    }
    root.getDisplay().timerExec(LIVE_POLL_MS, this::pollLive);
  }
}
