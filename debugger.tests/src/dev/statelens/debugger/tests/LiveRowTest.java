package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.ui.StateFlowView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;

/**
 * The State Flow view's Live row reads left to right as sentences: each value follows the button
 * it belongs to ("Run to step [5]", "Break when loss > [10]"). The threshold stood before its
 * button, right after Break on NaN, and read as that button's ("Break on NaN [10] Break when loss >").
 */
class LiveRowTest {

  @Test
  void eachValueFollowsItsButton() {
    StateFlowView view = Ui.showStateFlowView();
    Ui.settle();
    Ui.run(() -> {
      Button runTo = button(view, "Run to step");
      Button lossAbove = button(view, "Break when loss >");
      assertTrue(next(runTo) instanceof Spinner, "after Run to step: " + next(runTo));
      assertTrue(next(lossAbove) instanceof Text, "after Break when loss >: " + next(lossAbove));
      assertEquals("10", ((Text) next(lossAbove)).getText());
      assertTrue(lossAbove.getToolTipText().contains("named loss"), lossAbove.getToolTipText());
      assertTrue(next(button(view, "Break on NaN")) instanceof Button, "Break on NaN takes no value");
    });
  }

  /**
   * A loss break's reason in the Live row and the Debug view: the loss and threshold as the view
   * formats scalars (6 significant digits), not every digit of the double the engine's text carries.
   */
  @Test
  void aLossBreaksReasonShowsTheLossAsTheViewFormatsScalars() {
    String sent = "runUntil: loss 4.09942626953125 above 0.001";
    assertEquals("runUntil: loss 4.09943 above 0.001", LiveSession.reason(sent, 4.09942626953125, 0.001));
    assertEquals("runUntil: loss 1.5000e+07 above 10", LiveSession.reason(sent, 1.5e7, 10.0));
    assertEquals(sent, LiveSession.reason(sent, null, null), "an engine that sends no numbers: its text as sent");
    String nan = "runUntil: NaN in an output of update at step 3";
    assertEquals(nan, LiveSession.reason(nan, null, null));
  }

  private static Control next(Control c) {
    List<Control> siblings = Arrays.asList(c.getParent().getChildren());
    return siblings.get(siblings.indexOf(c) + 1);
  }

  private static Button button(StateFlowView view, String text) {
    List<Button> found = new ArrayList<>();
    collect(view.getViewSite().getShell(), text, found);
    assertEquals(1, found.size(), "buttons labelled '" + text + "': " + found);
    return found.get(0);
  }

  private static void collect(Composite parent, String text, List<Button> found) {
    for (Control c : parent.getChildren()) {
      if (c instanceof Button b && b.getText().equals(text)) {
        found.add(b);
      } else if (c instanceof Composite child) {
        collect(child, text, found);
      }
    }
  }
}
