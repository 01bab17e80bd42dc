package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.statelens.plugin.prefs.LintPreferencePage;
import dev.statelens.test.support.TestJavaProjects;
import dev.statelens.test.support.WorkbenchUi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Project &gt; Properties &gt; StateLens shows the workspace's rules greyed until project-specific
 * settings are on; like JDT's property pages it links to where those are set. Without the link a
 * newcomer saw greyed rules and no way on from there.
 */
class PropertyPageTest {
  private IJavaProject project;

  @AfterEach
  void tearDown() throws Exception {
    TestJavaProjects.delete(project);
  }

  @Test
  void configureWorkspaceSettingsOpensThePreferencePage() throws Exception {
    project = TestProjects.create("props-link", Map.of("demo/Counter.java", TestProjects.COUNTER));
    PreferenceDialog props = ui(() -> PreferencesUtil.createPropertyDialogOn(
        PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), project.getProject(),
        "dev.statelens.plugin.properties", null, null));
    Editors.onUi(() -> {
      props.setBlockOnOpen(false);
      props.open();
    });
    try {
      Link link = ui(() -> link(props.getShell()));
      Display.getDefault().asyncExec(() -> link.notifyListeners(SWT.Selection, new Event()));
      PreferenceDialog workspace = null;
      for (int i = 0; i < 100 && workspace == null; i++) {
        WorkbenchUi.settle(100);
        workspace = ui(() -> {
          for (Shell s : Display.getDefault().getShells()) {
            if (s.isVisible() && s != props.getShell() && s.getData() instanceof PreferenceDialog d) {
              return d;
            }
          }
          return null;
        });
      }
      assertNotNull(workspace, "the link opened no preference dialog");
      PreferenceDialog opened = workspace;
      Object page = ui(opened::getSelectedPage);
      assertEquals(LintPreferencePage.class, page.getClass());
      assertEquals(null, ((LintPreferencePage) page).getElement(), "the workspace page, not a project's");
      Editors.onUi(opened::close);
    } finally {
      Editors.onUi(props::close);
    }
  }

  private static Link link(Composite parent) {
    List<Link> found = new ArrayList<>();
    collect(parent, found);
    assertEquals(1, found.size(), "one '" + LintPreferencePage.CONFIGURE_WORKSPACE + "' link: " + found);
    return found.get(0);
  }

  private static void collect(Composite parent, List<Link> found) {
    for (Control c : parent.getChildren()) {
      if (c instanceof Link l && l.getText().contains(LintPreferencePage.CONFIGURE_WORKSPACE)) {
        found.add(l);
      } else if (c instanceof Composite child) {
        collect(child, found);
      }
    }
  }

  private static <T> T ui(java.util.concurrent.Callable<T> call) {
    AtomicReference<T> result = new AtomicReference<>();
    Editors.onUi(() -> result.set(call.call()));
    return result.get();
  }
}
