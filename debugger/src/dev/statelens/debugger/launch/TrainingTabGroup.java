package dev.statelens.debugger.launch;

import java.util.Set;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTabGroup;
import org.eclipse.debug.ui.CommonTab;
import org.eclipse.debug.ui.ILaunchConfigurationDialog;
import org.eclipse.debug.ui.ILaunchConfigurationTab;
import org.eclipse.jdt.debug.ui.launchConfigurations.JavaArgumentsTab;
import org.eclipse.jdt.debug.ui.launchConfigurations.JavaClasspathTab;
import org.eclipse.jdt.debug.ui.launchConfigurations.JavaJRETab;
import org.eclipse.jdt.debug.ui.launchConfigurations.JavaMainTab;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

/** The tabs of a "StateLens Training" configuration: those of a Java application, with StateLens' own second. */
public final class TrainingTabGroup extends AbstractLaunchConfigurationTabGroup {
  @Override
  public void createTabs(ILaunchConfigurationDialog dialog, String mode) {
    setTabs(new ILaunchConfigurationTab[] {new MainTab(), new StateLensTab(), new JavaArgumentsTab(), new JavaJRETab(),
        new JavaClasspathTab(), new CommonTab()});
  }

  /**
   * JDT's Main tab without "Suspend in main", which it adds in debug mode: a training JVM runs
   * without JDWP, so the box would never suspend anything (StateLens pauses before the first jitted
   * call instead, on the StateLens tab).
   */
  static final class MainTab extends JavaMainTab {
    @Override
    protected void createMainTypeExtensions(Composite parent) {
      Set<Control> before = Set.of(parent.getChildren());
      super.createMainTypeExtensions(parent);
      var dialog = getLaunchConfigurationDialog();
      if (dialog == null || !"debug".equals(dialog.getMode())) {
        return;
      }
      Control[] now = parent.getChildren();
      // JDT adds three check boxes, "Suspend in main" last (its field is private)
      if (now.length - before.size() == 3 && now[now.length - 1] instanceof Button suspend) {
        suspend.setVisible(false);
        if (suspend.getLayoutData() instanceof GridData data) {
          data.exclude = true;
        }
      }
    }
  }
}
