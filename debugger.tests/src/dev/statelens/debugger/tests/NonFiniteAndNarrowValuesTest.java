package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.debugger.ui.FitText;
import dev.statelens.debugger.ui.StateTreeLabels;
import dev.statelens.engine.DType;
import dev.statelens.engine.record.store.LeafDiff;
import dev.statelens.engine.record.store.LeafSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two things a user read wrongly on the state tree: a narrow Value column cut a summary mid-number
 * ("mean 5.6897e-0" looks like 5.69), and a diverging run's weight that went from -1.06e38 to Inf
 * showed a relative change of "0.00%".
 */
class NonFiniteAndNarrowValuesTest {
  private static final ToIntFunction<String> SEVEN_PX = s -> 7 * s.length();

  @Test
  void aSummaryIsCutAfterAWholeNumber() {
    String summary = "mean 5.6897e-05 ± 0.000112 [-0.000231, 0.000402] ‖·‖ 0.000705";
    assertEquals(summary, FitText.fit(summary, 7 * summary.length(), SEVEN_PX), "fits: untouched");
    assertEquals("mean 5.6897e-05 …", FitText.fit(summary, 7 * 17, SEVEN_PX), "full precision when it fits");
    assertEquals("mean 5.69e-05 …", FitText.fit(summary, 7 * 16, SEVEN_PX),
        "rounded to 3 digits rather than cut to 'mean 5.6897e-0' or dropped to 'mean …'");
    assertEquals("mean 5.69e-05 ± 0.000112 …", FitText.fit(summary, 7 * 27, SEVEN_PX),
        "more words rounded beat fewer exact, and no lone ±");
    assertEquals("mean 5.6897e-05 ± 0.000112 …", FitText.fit(summary, 7 * 28, SEVEN_PX));
    assertEquals("mean 5.7e-05 …", FitText.fit(summary, 7 * 14, SEVEN_PX), "2 digits when 3 do not fit");
    assertEquals("mean …", FitText.fit(summary, 7 * 13, SEVEN_PX));
    assertEquals("…", FitText.fit(summary, 7 * 3, SEVEN_PX));
    assertEquals("-1.0557e+38", FitText.fit("-1.0557e+38", 7 * 11, SEVEN_PX));
    assertEquals("-1.06e+38", FitText.fit("-1.0557e+38", 7 * 10, SEVEN_PX), "one number: rounded");
    assertEquals("-1.1e+38", FitText.fit("-1.0557e+38", 7 * 8, SEVEN_PX));
    assertEquals("…", FitText.fit("-1.0557e+38", 7 * 7, SEVEN_PX));
    assertEquals("[0.5, 1, 2.5]", FitText.fit("[0.5, 1, 2.5]", 7 * 13, SEVEN_PX));
    assertEquals("[0.123, 1.23, …", FitText.fit("[0.123456, 1.23456, 2.5]", 7 * 15, SEVEN_PX), "brackets kept");
    assertEquals("[0.12, 1.2, 2.5]", FitText.fit("[0.123456, 1.23456, 2.5]", 7 * 16, SEVEN_PX), "all of it, rounded");
  }

  @TempDir static Path dir;

  @AfterAll
  static void close() {
    Ui.closeStateFlowView();
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  /** Every shown row of the state tree. */
  private static List<TreeItem> rows(TreeItem[] items, List<TreeItem> out) {
    for (TreeItem i : items) {
      out.add(i);
      rows(i.getItems(), out);
    }
    return out;
  }

  @Test
  void theStateTreesValueCellsFitTheirColumnWholeWordsOnly() throws Exception {
    Path db = Fixtures.linreg(dir.resolve("narrow.db"), 6, 0.02, -1, -1);
    StateFlowView v = StateFlowViewTest.show(db);
    for (int width : new int[] {110, 150, 240}) {
      Ui.run(() -> v.tree().getTree().getColumn(3).setWidth(width));
      Ui.settle();
      int shortened = Ui.call(() -> {
        Tree t = v.tree().getTree();
        GC gc = new GC(t);
        int cut = 0;
        try {
          for (TreeItem item : rows(t.getItems(), new ArrayList<>())) {
            String shown = item.getText(3), whole = StateTreeLabels.value(item.getData());
            assertTrue(gc.textExtent(shown).x < t.getColumn(3).getWidth(),
                "'" + shown + "' fits " + t.getColumn(3).getWidth() + " px");
            if (!shown.equals(whole)) {
              cut++;
              assertTrue(shown.endsWith(" …") || shown.equals("…") || shown.split(" ").length == whole.split(" ").length,
                  "'" + shown + "' of '" + whole + "' says it is cut (or is all of it, rounded)");
              assertWholeWordsOf(whole, shown.replace(" …", "").replace("…", ""));
            }
          }
        } finally {
          gc.dispose();
        }
        return cut;
      });
      if (width == 110) {
        assertTrue(shortened > 0, "x and y's summaries do not fit 110 px: some cells are shortened");
      }
    }
    // the column still grows back to its content when the rows change (sized to the whole text)
    Ui.run(() -> v.selectStep(2));
    Ui.settle();
    assertTrue(Ui.call(() -> v.tree().getTree().getColumn(3).getWidth()) > 110, "the Value column grew back");
  }

  /**
   * Each word of {@code kept} is that word of {@code whole} ("μ" for "mean"), or that number rounded to 2 or 3 digits (within 5%): a
   * number cut mid-way ("5.6897e-0" of 5.6897e-05) fails.
   */
  private static void assertWholeWordsOf(String whole, String kept) {
    if (kept.isEmpty()) {
      return;
    }
    String[] k = kept.split(" "), w = whole.split(" ");
    assertTrue(k.length <= w.length, kept + " / " + whole);
    for (int i = 0; i < k.length; i++) {
      if (k[i].equals(w[i]) || k[i].equals("μ") && w[i].equals("mean")) {
        continue;
      }
      double a = Double.parseDouble(k[i].replaceAll("[\\[\\](),]", ""));
      double b = Double.parseDouble(w[i].replaceAll("[\\[\\](),]", ""));
      assertTrue(Math.abs(a - b) <= 0.05 * Math.abs(b), "'" + k[i] + "' is '" + w[i] + "' rounded, in '" + kept + "'");
    }
  }

  private static LeafSample scalar(double v, Double norm) {
    return new LeafSample("out", "weight", 0, 0, DType.F32, new int[0], 1, null, null, null, null, norm,
        0, Double.isInfinite(v) ? 1 : 0, false, new double[] {v});
  }

  @Test
  void aLeafThatOverflowedChangedInfinitelyNotByZeroPercent() {
    LeafSample before = scalar(-1.0557e38, 1.0557e38), after = scalar(Double.POSITIVE_INFINITY, null);
    // as RunStore.diff now reports it (its own test: LeafDiffTest)
    LeafDiff d = new LeafDiff("out", "weight", true, true, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY, before, after);
    assertEquals("inf", Format.percent(d));
    assertEquals("+inf", StateTreeLabels.delta(d));
    assertEquals("inf", Format.num(d.deltaNorm()));
    // from all zeros is still "new"
    LeafDiff fromZero = new LeafDiff("out", "w", true, true, 2, 2, Double.POSITIVE_INFINITY, scalar(0, 0.0), scalar(2, 2.0));
    assertEquals("new", Format.percent(fromZero));
    LeafDiff toNaN = new LeafDiff("out", "w", true, true, Double.NaN, Double.NaN, Double.NaN, scalar(1, 1.0), scalar(Double.NaN, null));
    assertEquals("-", Format.percent(toNaN));
  }
}
