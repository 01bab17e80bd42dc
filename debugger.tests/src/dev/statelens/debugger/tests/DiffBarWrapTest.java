package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.test.support.Widgets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Diff tab's row in a narrow pane (the IDE's first 1000×700 window, the dark-theme walk): it
 * wraps, and "Step A:"/"Step B:" stay on the line of their spinners. Before, "Step B:" ended one line
 * and its spinner began the next.
 */
class DiffBarWrapTest {
  @TempDir
  Path dir;

  @AfterEach
  void close() {
    Ui.closeStateFlowView();
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  @Test
  void eachStepLabelWrapsWithItsSpinner() throws Exception {
    StateFlowView v = StateFlowViewTest.show(Fixtures.linreg(dir.resolve("diff.db"), 5, 0.02, -1, -1));
    Ui.run(() -> v.selectTab("Diff"));
    Ui.settle();
    List<String> apart = Ui.call(() -> {
      Button compare = Widgets.all(v.stepSpinner().getShell(), Button.class, b -> "Compare".equals(b.getText())).getFirst();
      Composite bar = compare.getParent();
      List<String> found = new ArrayList<>();
      int lowest = Integer.MAX_VALUE, highest = 0;
      for (int width = 160; width <= 700; width += 6) {
        int height = bar.computeSize(width, SWT.DEFAULT).y;
        lowest = Math.min(lowest, height);
        highest = Math.max(highest, height);
        bar.setSize(width, height);
        bar.layout(true, true);
        for (String text : List.of("Step A:", "Step B:")) {
          Label label = Widgets.all(bar, Label.class, l -> text.equals(l.getText())).getFirst();
          Spinner spinner = Widgets.all(bar, Spinner.class, sp -> true).get(text.equals("Step A:") ? 0 : 1);
          Rectangle l = bounds(label), s = bounds(spinner);
          if (Math.abs((l.y + l.height / 2) - (s.y + s.height / 2)) > 2 || l.x > s.x) {
            found.add(text + " at " + width + " px: label " + l + ", spinner " + s);
          }
        }
      }
      bar.getParent().layout(true, true); // the view's own size again
      assertTrue(highest >= 2 * lowest, "the widths tried make the row wrap: " + lowest + " to " + highest + " px high");
      return found;
    });
    assertEquals(List.of(), apart);
  }

  private static Rectangle bounds(Control c) {
    Rectangle b = c.getBounds();
    var p = c.getParent().toDisplay(b.x, b.y);
    return new Rectangle(p.x, p.y, b.width, b.height);
  }
}
