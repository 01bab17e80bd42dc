package dev.statelens.debugger.ui;

import dev.statelens.debugger.model.EqnGroups;
import dev.statelens.debugger.model.FoldedGraph;
import dev.statelens.debugger.model.GraphText;
import dev.statelens.debugger.model.TextMatches;
import dev.statelens.engine.record.store.EqnSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.LineStyleEvent;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowData;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Text;

/**
 * The State Flow view's Traced graph tab: a one-line summary of the graph (equations, inputs,
 * outputs, the most used ops), a find bar (incremental, every match highlighted, Enter / Shift+Enter
 * for the next / previous one, "3 of 41", Esc clears) and the graph's text, its long header lines
 * wrapped as JAX prints them ({@link GraphText}). When the run kept each equation's source line, the
 * equations are folded under one heading per run of equations from the same Java line
 * ({@link EqnGroups}, {@link FoldedGraph}): click the ▸ (or double-click the heading, or Enter on it)
 * to open a group, Go to Source (F3, context menu) opens the line; find searches folded groups too
 * and opens the one that holds the selected match; <em>Group by line</em> switches to the flat text.
 * A long binder list ({@code { lambda … let}) folds the same way under {@code ▸ lambda — 107 inputs,
 * 6 constants}, so that the first screen shows the groups.
 *
 * <p>Matches are painted by a {@link org.eclipse.swt.custom.LineStyleListener}, asked only for the
 * lines on screen: a keystroke costs one scan of the text ({@link TextMatches}) and a redraw of the
 * visible lines, whatever the graph's size (no style ranges over the whole text, no re-layout).
 */
public final class TracedGraphPane {
  private final Composite control;
  private final Label summary;
  private final Text findField;
  private final Label count;
  private final Button wholeWord;
  private final Button groupByLine;
  private final Button wrapLines;
  private final StyledText text;
  /** Bold or coloured header ranges (function line, state inputs/outputs), in text order. */
  private StyleRange[] headerStyles = new StyleRange[0];
  /** Makes {@link #headerStyles} in the theme's colours: asked again after a theme switch. */
  private java.util.function.Function<ThemeColors, StyleRange[]> headerStyler = t -> new StyleRange[0];
  /** The graph folded by source line; null for a note, or a run without equation sources. */
  private FoldedGraph folded;
  /** The flat text (header and wrapped graph), shown when not grouped, and the sources it was grouped by. */
  private String flat = "";
  private List<EqnSource> flatSources = List.of();
  /** Matches in the full text (every group open): counted and stepped through. */
  private TextMatches fullMatchable = new TextMatches("");
  private int[] allMatches = new int[0];
  /** Matches in the text as shown, for painting (the same as {@link #allMatches} when flat). */
  private TextMatches shownMatchable = fullMatchable;
  private int[] matches = new int[0];
  private int matchLength;
  /** Index into {@link #allMatches} of the selected match, -1 before Enter. */
  private int current = -1;
  /** Where the selected match starts in the shown text, -1 for none. */
  private int currentShown = -1;
  private Color matchColor;
  private Color selectedColor;
  private Color headingColor;
  private Color backwardHeadingColor;
  private Consumer<EqnGroups.Group> goToSource = g -> {};
  /** The group under the pointer when the context menu opened (-1: none). */
  private int menuGroup = -1;

  public TracedGraphPane(Composite parent) {
    control = new Composite(parent, SWT.NONE);
    GridLayout layout = new GridLayout(1, false);
    layout.marginWidth = 0;
    layout.marginHeight = 0;
    layout.verticalSpacing = 2;
    control.setLayout(layout);

    summary = new Label(control, SWT.WRAP); // wraps in the usual narrow tab pane rather than losing its end
    GridData summaryData = new GridData(SWT.FILL, SWT.CENTER, true, false);
    summaryData.horizontalIndent = 8;
    summaryData.widthHint = 100; // not the whole line's width: the pane's width decides where it wraps
    summary.setLayoutData(summaryData);

    Composite bar = new Composite(control, SWT.NONE);
    bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    // wraps in a narrow pane (as the Charts and Diff tabs' bars do), so Group by line is never cut
    // off at the pane's edge: in one grid row it was, below about 390 pixels
    RowLayout barLayout = new RowLayout(SWT.HORIZONTAL);
    barLayout.center = true;
    barLayout.marginTop = 0;
    barLayout.marginBottom = 0;
    bar.setLayout(barLayout);
    findField = new Text(bar, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
    // short enough to show whole in the field's 150 pixels ("Find in graph (Ctrl+…" was cut); the tooltip says the rest
    findField.setMessage("Find (Ctrl+F)");
    findField.setToolTipText("Find in the graph: a variable, an op or a path (Enter: next, Shift+Enter: previous)");
    findField.setLayoutData(new RowData(150, SWT.DEFAULT)); // the bar fits one row in the default layout at 1600 px
    Button previous = new Button(bar, SWT.PUSH);
    previous.setText("▲");
    previous.setToolTipText("Previous match (Shift+Enter)");
    Button next = new Button(bar, SWT.PUSH);
    next.setText("▼");
    next.setToolTipText("Next match (Enter)");
    count = new Label(bar, SWT.NONE);
    count.setLayoutData(new RowData(14 * charWidth(count), SWT.DEFAULT)); // "1,234 of 5,678"
    wholeWord = CheckButtons.create(bar, "Whole word");
    wholeWord.setSelection(true);
    wholeWord.setToolTipText("Match names whole: fk finds the variable fk where it is defined and used, not bfk or fka");
    groupByLine = CheckButtons.create(bar, "Group by line");
    groupByLine.setSelection(true);
    DisabledButtons.setEnabled(groupByLine, false);
    wrapLines = CheckButtons.create(bar, "Wrap lines");
    wrapLines.setSelection(true);
    wrapLines.setToolTipText("Wrap long lines at the pane's edge (continuations indented); off: one line each, scroll sideways");

    text = new StyledText(control, SWT.READ_ONLY | SWT.H_SCROLL | SWT.V_SCROLL);
    text.setFont(JFaceResources.getTextFont());
    text.setMargins(8, 8, 8, 8);
    // the pane beside the tree is ~500 px at 1600x1000: a transformer's state inputs list and long
    // equations ran past its edge, readable only with the view maximized or scrolled sideways
    text.setWordWrap(true);
    text.setWrapIndent(4 * charWidth(text)); // a continuation reads as one, as the wrapped header's
    wrapLines.addListener(SWT.Selection, e -> text.setWordWrap(wrapLines.getSelection()));
    text.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    text.addLineStyleListener(this::styleLine);

    findField.addModifyListener(e -> find(findField.getText()));
    findField.addListener(SWT.DefaultSelection, e -> {
      if (e.detail == SWT.ICON_CANCEL) { // the field's clear icon
        clearFind();
      }
    });
    findField.addListener(SWT.KeyDown, e -> { // Enter is taken here, Shift or not, not as DefaultSelection
      if (e.keyCode == SWT.ESC) {
        clearFind();
        e.doit = false;
      } else if (e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR) {
        move((e.stateMask & SWT.SHIFT) != 0 ? -1 : 1);
        e.doit = false;
      }
    });
    // Ctrl+F in the text (the workbench's Find command reaches the view's handler first, see StateFlowView)
    text.addListener(SWT.KeyDown, e -> {
      if ((e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'f' || e.keyCode == 'F')) {
        focusFind();
      } else if (e.keyCode == SWT.ESC) {
        clearFind();
      } else if (e.keyCode == SWT.F3) {
        goToSourceAt(text.getCaretOffset());
      } else if ((e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR) && headingAtCaret() != FoldedGraph.NONE) {
        toggle(headingAtCaret());
      }
    });
    text.addListener(SWT.MouseDown, e -> { // a click on a heading's ▸ / ▾ opens or folds it
      if (e.button == 1 && e.count == 1) {
        int g = markerAt(e.x, e.y);
        if (g != FoldedGraph.NONE) {
          toggle(g);
        }
      }
    });
    text.addListener(SWT.MouseDoubleClick, e -> {
      int g = shownGroups() ? headingAtLine(lineAtY(e.y)) : FoldedGraph.NONE;
      if (e.button == 1 && g != FoldedGraph.NONE) {
        toggle(g);
      }
    });
    createMenu();
    groupByLine.addListener(SWT.Selection, e -> showShown(true));
    previous.addListener(SWT.Selection, e -> move(-1));
    next.addListener(SWT.Selection, e -> move(1));
    wholeWord.addListener(SWT.Selection, e -> find(findField.getText()));
    showCount();
  }

  public Composite control() {
    return control;
  }

  /** Shows a note in place of a graph ("" to empty the tab). */
  public void showNote(String note) {
    folded = null;
    flat = note;
    flatSources = List.of();
    headerStyles = new StyleRange[0];
    headerStyler = t -> new StyleRange[0];
    fullMatchable = new TextMatches(note);
    updateGroupToggle(null);
    summary.setText("");
    summary.setToolTipText(null);
    showShown(false);
  }

  /** As {@link #showGraph(String, StyleRange[], String, List)} for a graph without equation sources. */
  public void showGraph(String header, StyleRange[] styles, String irText) {
    showGraph(header, styles, irText, List.of());
  }

  /** As {@link #showGraph(String, java.util.function.Function, String, List)} with styles in fixed colours. */
  public void showGraph(String header, StyleRange[] styles, String irText, List<EqnSource> sources) {
    StyleRange[] fixed = styles.clone();
    showGraph(header, t -> fixed, irText, sources);
  }

  /**
   * Shows {@code header} (styled by {@code styles} in the theme's colours, in order) over the graph's
   * {@code irText}, its long header lines wrapped, its equations folded by source line when
   * {@code sources} (one per top-level equation, from the run store) allow; keeps the find query and
   * runs it on the new text.
   */
  public void showGraph(String header, java.util.function.Function<ThemeColors, StyleRange[]> styles, String irText,
      List<EqnSource> sources) {
    String wrapped = GraphText.wrapped(irText);
    String shownFlat = header + wrapped;
    headerStyler = styles;
    if (shownFlat.equals(flat) && sources.equals(flatSources)) {
      return; // the same graph again (a step of the same trace): keep the folds and the scroll
    }
    flatSources = sources;
    GraphText.Summary s = GraphText.summarize(irText);
    summary.setText(s.line());
    summary.setToolTipText(s.allOps());
    control.layout(true, true); // the summary may take another line
    EqnGroups groups = EqnGroups.of(wrapped, sources);
    flat = shownFlat;
    folded = groups == null ? null : new FoldedGraph(header, groups);
    headerStyles = styles.apply(ThemeColors.of(text));
    fullMatchable = new TextMatches(folded != null ? folded.fullText() : flat);
    updateGroupToggle(groups == null && !irText.isEmpty() ? sources : null);
    showShown(false);
  }

  private void updateGroupToggle(List<EqnSource> sourcesWhenUngroupable) {
    DisabledButtons.setEnabled(groupByLine, folded != null);
    groupByLine.setToolTipText(folded != null
        ? "Fold the equations under one heading per Java line that made them (" + String.format("%,d",
            folded.groups().size()) + " groups); untick for the flat text"
        : sourcesWhenUngroupable == null || sourcesWhenUngroupable.isEmpty()
            ? "This run has no source line per equation (recorded before StateLens kept them): record it again to group the graph by line"
            : "The graph is too short to group");
  }

  /** Whether the text shows groups (a graph with sources, Group by line ticked). */
  private boolean shownGroups() {
    return folded != null && groupByLine.getSelection();
  }

  /**
   * Puts the grouped or flat text in the widget and finds the query in it again; {@code keepTop}
   * keeps the first visible line (a fold opened or closed below it).
   */
  private void showShown(boolean keepTop) {
    int top = text.getTopIndex();
    int caret = text.getCaretOffset();
    String shown = shownGroups() ? folded.shownText() : flat;
    shownMatchable = shownGroups() ? new TextMatches(shown) : fullMatchable;
    text.setText(shown);
    if (keepTop) {
      text.setTopIndex(top);
      text.setCaretOffset(Math.min(caret, shown.length()));
    }
    find(findField.getText());
  }

  /** Opens or folds group {@code g}, the lines above it staying where they are. */
  public void toggle(int g) {
    setGroupOpen(g, !folded.isOpen(g));
  }

  /** Opens ({@code true}) or folds group {@code g} of the grouped text. */
  public void setGroupOpen(int g, boolean open) {
    if (shownGroups() && folded.setOpen(g, open)) {
      int heading = folded.headingOffset(g);
      showShown(true);
      text.setCaretOffset(heading);
    }
  }

  /** Opens or folds every group (one new text). */
  public void setAllOpen(boolean open) {
    if (shownGroups()) {
      folded.setAllOpen(open);
      showShown(true);
    }
  }

  /** Shows the graph grouped by line ({@code true}) or flat. */
  public void setGroupByLine(boolean on) {
    groupByLine.setSelection(on);
    showShown(false);
  }

  private int lineAtY(int y) {
    return text.getLineIndex(y);
  }

  /** The fold (a group, or {@link FoldedGraph#BINDERS}) whose heading is line {@code line} of the shown text, or {@link FoldedGraph#NONE}. */
  private int headingAtLine(int line) {
    return shownGroups() && line >= 0 && line < text.getLineCount() ? folded.headingAtShown(text.getOffsetAtLine(line))
        : FoldedGraph.NONE;
  }

  private int headingAtCaret() {
    return headingAtLine(text.getLineAtOffset(text.getCaretOffset()));
  }

  /** The group whose ▸ / ▾ marker is at widget point (x, y), or -1. */
  private int markerAt(int x, int y) {
    int g = headingAtLine(lineAtY(y));
    if (g == FoldedGraph.NONE) {
      return FoldedGraph.NONE;
    }
    int offset = text.getOffsetAtPoint(new org.eclipse.swt.graphics.Point(x, y));
    int heading = folded.headingOffset(g);
    return offset >= heading && offset <= heading + 1 ? g : FoldedGraph.NONE;
  }

  /** The group holding shown offset {@code offset} (its heading or one of its equations), or -1. */
  private int groupAtOffset(int offset) {
    return shownGroups() ? folded.groupAtShown(offset) : -1;
  }

  /** Go to Source for the group at {@code offset}: the view opens its Java line. */
  private void goToSourceAt(int offset) {
    int g = groupAtOffset(offset);
    if (g >= 0 && folded.groups().get(g).source() != null) {
      goToSource.accept(folded.groups().get(g));
    }
  }

  /** What Go to Source on a group does (the view opens the group's line in the Java editor). */
  public void onGoToSource(Consumer<EqnGroups.Group> action) {
    goToSource = action;
  }

  private void createMenu() {
    Menu menu = new Menu(text);
    MenuItem source = new MenuItem(menu, SWT.PUSH);
    source.setText("Go to Source\tF3");
    source.addListener(SWT.Selection, e -> {
      if (menuGroup >= 0) {
        goToSource.accept(folded.groups().get(menuGroup));
      }
    });
    MenuItem fold = new MenuItem(menu, SWT.PUSH);
    fold.addListener(SWT.Selection, e -> {
      if (menuGroup != FoldedGraph.NONE) {
        toggle(menuGroup);
      }
    });
    new MenuItem(menu, SWT.SEPARATOR);
    MenuItem openAll = new MenuItem(menu, SWT.PUSH);
    openAll.setText("Open All Groups");
    openAll.addListener(SWT.Selection, e -> setAllOpen(true));
    MenuItem foldAll = new MenuItem(menu, SWT.PUSH);
    foldAll.setText("Fold All Groups");
    foldAll.addListener(SWT.Selection, e -> setAllOpen(false));
    text.setMenu(menu);
    text.addListener(SWT.MenuDetect, e -> {
      org.eclipse.swt.graphics.Point p = text.toControl(e.x, e.y);
      int offset = e.detail == SWT.MENU_KEYBOARD ? text.getCaretOffset() : text.getOffsetAtPoint(p);
      if (offset < 0 && e.detail != SWT.MENU_KEYBOARD) { // beyond a line's end: its last character
        int line = text.getLineIndex(p.y);
        offset = text.getOffsetAtLine(line);
      }
      menuGroup = offset >= 0 ? groupAtOffset(offset) : -1;
      boolean grouped = shownGroups();
      source.setEnabled(menuGroup >= 0 && folded.groups().get(menuGroup).source() != null);
      fold.setEnabled(menuGroup != FoldedGraph.NONE);
      fold.setText(menuGroup != FoldedGraph.NONE && folded.isOpen(menuGroup) ? "Fold Group" : "Open Group");
      openAll.setEnabled(grouped);
      foldAll.setEnabled(grouped);
    });
  }

  // ---- find ------------------------------------------------------------------------------------

  /** Highlights every match of {@code query} (incremental: called on each keystroke). */
  public void find(String query) {
    boolean whole = wholeWord.getSelection();
    allMatches = fullMatchable.find(query, whole);
    matches = shownMatchable == fullMatchable ? allMatches : shownMatchable.find(query, whole);
    takeThemeColours();
    matchLength = query.length();
    current = -1;
    currentShown = -1;
    showCount();
    text.redraw(); // re-asks the line style listener for the lines on screen only
  }

  /** The tints of matches and headings, mixed into the text's background as the theme styled it. */
  private void takeThemeColours() {
    ThemeColors theme = ThemeColors.of(text);
    matchColor = new Color(theme.tint(new RGB(255, 210, 0), theme.dark() ? 0.3 : 0.45));
    selectedColor = new Color(theme.tint(new RGB(255, 140, 0), theme.dark() ? 0.5 : 0.6));
    headingColor = new Color(theme.tint(new RGB(70, 130, 220), theme.dark() ? 0.25 : 0.12));
    backwardHeadingColor = new Color(theme.tint(new RGB(150, 90, 210), theme.dark() ? 0.25 : 0.12));
  }

  /**
   * After a theme switch ({@link ThemeChanges}): headings, matches and the header in the new theme's
   * colours, folds, find and scroll kept.
   */
  public void themeChanged() {
    DisabledButtons.restyled(groupByLine);
    takeThemeColours();
    headerStyles = headerStyler.apply(ThemeColors.of(text));
    text.redraw();
  }

  /**
   * Selects the next ({@code +1}) or previous ({@code -1}) match, wrapping around, and scrolls to it;
   * a match in a folded group opens that group.
   */
  public void move(int direction) {
    if (allMatches.length == 0) {
      return;
    }
    if (current < 0) { // the first Enter: the first match at or after the caret (Shift: before it)
      int caret = shownGroups() ? folded.toFull(text.getCaretOffset()) : text.getCaretOffset();
      int at = Arrays.binarySearch(allMatches, caret);
      int after = at >= 0 ? at : -at - 1;
      current = direction > 0 ? after % allMatches.length
          : Math.floorMod((at >= 0 ? at : after) - 1, allMatches.length);
    } else {
      current = Math.floorMod(current + direction, allMatches.length);
    }
    int target = allMatches[current];
    int selected = current;
    if (shownGroups()) {
      int g = folded.groupAtFull(target);
      if (g != FoldedGraph.NONE && !folded.isOpen(g)) { // a group, or the binder list
        String query = findField.getText();
        folded.setOpen(g, true);
        int top = text.getTopIndex();
        shownMatchable = new TextMatches(folded.shownText());
        text.setText(folded.shownText());
        text.setTopIndex(top);
        matches = shownMatchable.find(query, wholeWord.getSelection());
      }
      target = folded.toShown(target);
    }
    current = selected;
    currentShown = target;
    text.setSelection(target, target + matchLength);
    revealCurrent();
    showCount();
    text.redraw();
  }

  /** Scrolls a match that is off screen to a third of the way down, with the lines before it in view. */
  private void revealCurrent() {
    int line = text.getLineAtOffset(currentShown);
    int visible = Math.max(1, text.getClientArea().height / Math.max(1, text.getLineHeight()));
    if (line < text.getTopIndex() || line >= text.getTopIndex() + visible - 1) {
      text.setTopIndex(Math.max(0, line - visible / 3));
    }
    text.showSelection(); // the horizontal scroll
  }

  /** Empties the find field and drops the highlights. */
  public void clearFind() {
    if (!findField.getText().isEmpty()) {
      findField.setText(""); // its modify listener finds nothing
    }
    find("");
  }

  /** Puts the caret in the find field, its text selected (Ctrl+F). */
  public void focusFind() {
    findField.setFocus();
    findField.selectAll();
  }

  private void showCount() {
    if (findField.getText().isEmpty()) {
      count.setText("");
    } else if (allMatches.length == 0) {
      count.setText("no match");
    } else if (current < 0) {
      count.setText(String.format("%,d matches", allMatches.length));
    } else {
      count.setText(String.format("%,d of %,d", current + 1, allMatches.length));
    }
  }

  private void styleLine(LineStyleEvent e) {
    e.styles = styles(e.lineOffset, e.lineText.length());
  }

  /** What line {@code line} is painted with: the header's styles and the matches on it. */
  public StyleRange[] lineStyles(int line) {
    return styles(text.getOffsetAtLine(line), text.getLine(line).length());
  }

  /** The header's styles and the matches that fall on one line (asked for visible lines only). */
  private StyleRange[] styles(int lineOffset, int lineLength) {
    int lineEnd = lineOffset + lineLength;
    List<StyleRange> out = new ArrayList<>();
    int heading = shownGroups() ? folded.headingAtShown(lineOffset) : FoldedGraph.NONE;
    if (heading != FoldedGraph.NONE && lineLength > 0) { // a heading: bold on a tint (violet for the backward pass)
      EqnSource src = heading >= 0 ? folded.groups().get(heading).source() : null;
      out.add(new StyleRange(lineOffset, lineLength, null,
          src != null && src.backward() ? backwardHeadingColor : headingColor, SWT.BOLD));
    }
    for (StyleRange h : headerStyles) {
      int s = Math.max(h.start, lineOffset);
      int end = Math.min(h.start + h.length, lineEnd);
      if (s < end) {
        StyleRange r = (StyleRange) h.clone();
        r.start = s;
        r.length = end - s;
        out.add(r);
      }
    }
    if (matches.length > 0) {
      int i = Arrays.binarySearch(matches, Math.max(0, lineOffset - matchLength + 1));
      int done = lineOffset; // without whole words "aa" matches twice in "aaa": ranges may not overlap
      for (i = i >= 0 ? i : -i - 1; i < matches.length && matches[i] < lineEnd; i++) {
        int s = Math.max(matches[i], done);
        int end = Math.min(matches[i] + matchLength, lineEnd);
        if (s < end) {
          overlay(out, s, end - s, matches[i] == currentShown ? selectedColor : matchColor);
          done = end;
        }
      }
    }
    return out.toArray(StyleRange[]::new);
  }

  /** Adds a background over [start, start+length), splitting a header style it overlaps (ranges may not overlap). */
  private static void overlay(List<StyleRange> ranges, int start, int length, Color background) {
    int end = start + length;
    List<StyleRange> merged = new ArrayList<>();
    boolean placed = false;
    for (StyleRange r : ranges) {
      int rEnd = r.start + r.length;
      if (rEnd <= start || r.start >= end) {
        if (!placed && r.start >= end) {
          merged.add(highlight(start, length, background, null));
          placed = true;
        }
        merged.add(r);
        continue;
      }
      if (r.start < start) {
        merged.add(part(r, r.start, start));
      }
      if (!placed) {
        merged.add(highlight(start, length, background, r));
        placed = true;
      }
      if (rEnd > end) {
        merged.add(part(r, end, rEnd));
      }
    }
    if (!placed) {
      merged.add(highlight(start, length, background, null));
    }
    ranges.clear();
    ranges.addAll(merged);
  }

  private static StyleRange highlight(int start, int length, Color background, StyleRange under) {
    StyleRange r = under == null ? new StyleRange() : (StyleRange) under.clone();
    r.start = start;
    r.length = length;
    r.background = background;
    return r;
  }

  private static StyleRange part(StyleRange r, int start, int end) {
    StyleRange p = (StyleRange) r.clone();
    p.start = start;
    p.length = end - start;
    return p;
  }

  private static int charWidth(org.eclipse.swt.widgets.Control l) {
    var gc = new org.eclipse.swt.graphics.GC(l);
    try {
      return (int) Math.ceil(gc.getFontMetrics().getAverageCharacterWidth());
    } finally {
      gc.dispose();
    }
  }

  // ---- for tests and the view -------------------------------------------------------------------

  public StyledText text() {
    return text;
  }

  public Text findField() {
    return findField;
  }

  public String summaryText() {
    return summary.getText();
  }

  /** "3 of 41", "41 matches", "no match" or "". */
  public String countText() {
    return count.getText();
  }

  /** Matches in the whole graph, folded groups included. */
  public int matchCount() {
    return allMatches.length;
  }

  /** The offsets of every match in the text as shown, in order (folded groups' matches are not shown). */
  public int[] matchOffsets() {
    return matches.clone();
  }

  /** The graph folded by source line, or null (a note, a run without equation sources). */
  public FoldedGraph folded() {
    return folded;
  }

  /** Whether the text shows the equation groups (the graph has sources and Group by line is ticked). */
  public boolean grouped() {
    return shownGroups();
  }

  /** The Wrap lines check box (tests). */
  public Button wrapLinesBox() {
    return wrapLines;
  }

  public Button groupByLineBox() {
    return groupByLine;
  }

  public void setWholeWord(boolean on) {
    wholeWord.setSelection(on);
    find(findField.getText());
  }
}
