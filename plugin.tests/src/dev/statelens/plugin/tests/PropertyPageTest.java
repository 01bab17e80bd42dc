package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.statelens.plugin.prefs.LintPreferencePage;
import dev.statelens.test.support.TestJavaProjects;
import dev.statelens.test.support.Widgets;
import dev.statelens.test.support.WorkbenchUi;
import java.util.Map;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
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
    PreferenceDialog props = WorkbenchUi.call(() -> PreferencesUtil.createPropertyDialogOn(
        WorkbenchUi.window(), project.getProject(), "dev.statelens.plugin.properties", null, null));
    Editors.onUi(() -> {
      props.setBlockOnOpen(false);
      props.open();
    });
    try {
      WorkbenchUi.click(WorkbenchUi.call(() -> Widgets.one(props.getShell(), Link.class,
          l -> l.getText().contains(LintPreferencePage.CONFIGURE_WORKSPACE))));
      Shell shown = WorkbenchUi.awaitShell(s -> s != props.getShell() && s.getData() instanceof PreferenceDialog, 10_000);
      assertNotNull(shown, "the link opened no preference dialog");
      PreferenceDialog opened = WorkbenchUi.call(() -> (PreferenceDialog) shown.getData());
      Object page = WorkbenchUi.call(opened::getSelectedPage);
      assertEquals(LintPreferencePage.class, page.getClass());
      assertEquals(null, ((LintPreferencePage) page).getElement(), "the workspace page, not a project's");
      Editors.onUi(opened::close);
    } finally {
      Editors.onUi(props::close);
    }
  }
}
