package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.test.support.WorkbenchUi;
import java.util.Arrays;
import java.util.List;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

/**
 * The StateLens perspective has the Run menu (Run As, Debug As, Run Configurations…, Step Over):
 * its empty views say "Run > Debug As > StateLens Training", and a newcomer who opened it before
 * any launch found no Run menu in the menu bar.
 */
class PerspectiveMenusTest {

  @Test
  void theStateLensPerspectiveHasTheRunMenu() {
    WorkbenchUi.showPerspective(DebuggerPerspective.ID);
    Ui.run(() -> Ui.page().resetPerspective()); // the factory's layout, not one an earlier test changed
    Ui.settle();
    List<String> menus = Ui.call(() -> {
      var bar = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().getMenuBar();
      bar.getItems(); // the e4 renderer fills the bar lazily; items are there once the shell is shown
      return Arrays.stream(bar.getItems()).filter(MenuItem::isEnabled).map(i -> i.getText().replace("&", "")).toList();
    });
    assertTrue(menus.contains("Run"), "menu bar: " + menus);
  }
}
