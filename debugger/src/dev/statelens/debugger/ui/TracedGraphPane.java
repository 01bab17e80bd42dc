package dev.statelens.debugger.ui;

import dev.statelens.debugger.model.GraphText;
import dev.statelens.debugger.model.TextMatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.LineStyleEvent;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * The State Flow view's Traced graph tab: a one-line summary of the graph (equations, inputs,
 * outputs, the most used ops), a find bar (incremental, every match highlighted, Enter / Shift+Enter
 * for the next / previous one, "3 of 41", Esc clears) and the graph's text, its long header lines
 * wrapped as JAX prints them ({@link GraphText}).
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
  private final StyledText text;
  /** Bold or coloured header ranges (function line, state inputs/outputs), in text order. */
  private StyleRange[] headerStyles = new StyleRange[0];
  private TextMatches matchable = new TextMatches("");
  private int[] matches = new int[0];
  private int matchLength;
  /** Index into {@link #matches} of the selected match, -1 before Enter. */
  private int current = -1;
  private Color matchColor;
  private Color selectedColor;

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
    GridLayout barLayout = new GridLayout(5, false);
    barLayout.marginHeight = 0;
    bar.setLayout(barLayout);
    findField = new Text(bar, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
    findField.setMessage("Find in graph (Ctrl+F): a variable, an op, a path");
    GridData fieldData = new GridData(SWT.FILL, SWT.CENTER, true, false);
    fieldData.widthHint = 150;
    findField.setLayoutData(fieldData);
    Button previous = new Button(bar, SWT.PUSH);
    previous.setText("▲");
    previous.setToolTipText("Previous match (Shift+Enter)");
    Button next = new Button(bar, SWT.PUSH);
    next.setText("▼");
    next.setToolTipText("Next match (Enter)");
    count = new Label(bar, SWT.NONE);
    GridData countData = new GridData(SWT.BEGINNING, SWT.CENTER, false, false);
    countData.widthHint = 14 * charWidth(count); // "1,234 of 5,678"
    count.setLayoutData(countData);
    wholeWord = CheckButtons.create(bar, "Whole word");
    wholeWord.setSelection(true);
    wholeWord.setToolTipText("Match names whole: fk finds the variable fk where it is defined and used, not bfk or fka");

    text = new StyledText(control, SWT.READ_ONLY | SWT.H_SCROLL | SWT.V_SCROLL);
    text.setFont(JFaceResources.getTextFont());
    text.setMargins(8, 8, 8, 8);
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
      }
    });
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
    setText(note, new StyleRange[0]);
    summary.setText("");
    summary.setToolTipText(null);
  }

  /**
   * Shows {@code header} (styled by {@code styles}, in order) over the graph's {@code irText}, its
   * long header lines wrapped; keeps the find query and runs it on the new text.
   */
  public void showGraph(String header, StyleRange[] styles, String irText) {
    String shown = header + GraphText.wrapped(irText);
    if (shown.equals(text.getText())) {
      return;
    }
    GraphText.Summary s = GraphText.summarize(irText);
    summary.setText(s.line());
    summary.setToolTipText(s.allOps());
    control.layout(true, true); // the summary may take another line
    setText(shown, styles);
  }

  private void setText(String shown, StyleRange[] styles) {
    headerStyles = styles.clone();
    matchable = new TextMatches(shown);
    text.setText(shown);
    find(findField.getText());
  }

  // ---- find ------------------------------------------------------------------------------------

  /** Highlights every match of {@code query} (incremental: called on each keystroke). */
  public void find(String query) {
    matches = matchable.find(query, wholeWord.getSelection());
    ThemeColors theme = ThemeColors.of(text); // the theme may have changed since the last search
    matchColor = new Color(theme.tint(new RGB(255, 210, 0), theme.dark() ? 0.3 : 0.45));
    selectedColor = new Color(theme.tint(new RGB(255, 140, 0), theme.dark() ? 0.5 : 0.6));
    matchLength = query.length();
    current = -1;
    showCount();
    text.redraw(); // re-asks the line style listener for the lines on screen only
  }

  /** Selects the next ({@code +1}) or previous ({@code -1}) match, wrapping around, and scrolls to it. */
  public void move(int direction) {
    if (matches.length == 0) {
      return;
    }
    if (current < 0) { // the first Enter: the first match at or after the caret (Shift: before it)
      int caret = text.getCaretOffset();
      int at = Arrays.binarySearch(matches, caret);
      int after = at >= 0 ? at : -at - 1;
      current = direction > 0 ? after % matches.length
          : Math.floorMod((at >= 0 ? at : after) - 1, matches.length);
    } else {
      current = Math.floorMod(current + direction, matches.length);
    }
    text.setSelection(matches[current], matches[current] + matchLength);
    revealCurrent();
    showCount();
    text.redraw();
  }

  /** Scrolls a match that is off screen to a third of the way down, with the lines before it in view. */
  private void revealCurrent() {
    int line = text.getLineAtOffset(matches[current]);
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
    } else if (matches.length == 0) {
      count.setText("no match");
    } else if (current < 0) {
      count.setText(String.format("%,d matches", matches.length));
    } else {
      count.setText(String.format("%,d of %,d", current + 1, matches.length));
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
          overlay(out, s, end - s, i == current ? selectedColor : matchColor);
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

  private static int charWidth(Label l) {
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

  public int matchCount() {
    return matches.length;
  }

  /** The offsets of every match, in order. */
  public int[] matchOffsets() {
    return matches.clone();
  }

  public void setWholeWord(boolean on) {
    wholeWord.setSelection(on);
    find(findField.getText());
  }
}
