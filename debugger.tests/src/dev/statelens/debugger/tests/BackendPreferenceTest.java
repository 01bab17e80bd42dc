package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.launch.StateLensTab;
import dev.statelens.debugger.launch.TrainingLaunchDelegate;
import dev.statelens.debugger.prefs.BackendPreference;
import dev.statelens.debugger.prefs.DebuggerPreferencePage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants;
import org.eclipse.jface.preference.IPreferenceNode;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Window > Preferences > Java > StateLens > Debugger: the workspace's default backend. Set on the
 * page, it reaches a launch that leaves its backend at "default" as -Dstatelens.backend; a launch's
 * own setting (or a -Dstatelens.backend in its VM arguments) wins; the tab says which will be used.
 */
class BackendPreferenceTest {
  private Shell shell;

  @AfterEach
  void clear() {
    BackendPreference.set("");
    if (shell != null) {
      Ui.run(shell::dispose);
    }
  }

  private static ILaunchConfigurationWorkingCopy newConfig(String name) throws Exception {
    return DebugPlugin.getDefault().getLaunchManager().getLaunchConfigurationType(TrainingLaunchDelegate.TYPE_ID)
        .newInstance(null, name);
  }

  private DebuggerPreferencePage page() {
    return Ui.call(() -> {
      shell = new Shell(Display.getDefault());
      shell.setLayout(new FillLayout());
      DebuggerPreferencePage p = new DebuggerPreferencePage();
      p.init(PlatformUI.getWorkbench());
      p.createControl(shell);
      shell.pack();
      return p;
    });
  }

  @Test
  void thePageSetsTheDefaultThatLaunchesUse() throws Exception {
    DebuggerPreferencePage page = page();
    assertEquals("", Ui.call(page::chosen), "not set at first");
    Ui.run(() -> {
      page.choose("auto");
      assertTrue(page.performOk());
    });
    assertEquals("auto", BackendPreference.get());

    ILaunchConfigurationWorkingCopy wc = newConfig("pref");
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_VM_ARGUMENTS, "-Xmx1g");
    String vm = new TrainingLaunchDelegate().getVMArguments(wc);
    assertTrue(vm.contains("-Xmx1g") && vm.endsWith("-Dstatelens.backend=auto"), vm);
    // the tab names what "default" now means, and where it comes from
    assertEquals("default: auto (" + BackendPreference.PAGE_PATH + ")", StateLensTab.defaultLabel());

    // the launch's own setting wins
    wc.setAttribute(TrainingLaunchDelegate.ATTR_BACKEND, "cpu");
    vm = new TrainingLaunchDelegate().getVMArguments(wc);
    assertTrue(vm.endsWith("-Dstatelens.backend=cpu") && !vm.contains("=auto"), vm);
    // so does a -Dstatelens.backend the launch's VM arguments give
    wc.removeAttribute(TrainingLaunchDelegate.ATTR_BACKEND);
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_VM_ARGUMENTS, "-Dstatelens.backend=rocm");
    vm = new TrainingLaunchDelegate().getVMArguments(wc);
    assertTrue(vm.contains("-Dstatelens.backend=rocm") && !vm.contains("=auto"), vm);

    // Restore Defaults + OK: not set again, nothing passed (the JVM reads STATELENS_BACKEND, else cpu)
    Ui.run(() -> {
      page.choose("cuda");
      page.performDefaults();
      assertTrue(page.performOk());
    });
    assertEquals("", BackendPreference.get());
    wc.removeAttribute(IJavaLaunchConfigurationConstants.ATTR_VM_ARGUMENTS);
    assertFalse(new TrainingLaunchDelegate().getVMArguments(wc).contains("statelens.backend"));
    String env = System.getenv("STATELENS_BACKEND");
    assertEquals(env == null || env.isBlank() ? "default: cpu" : "default: " + env.trim() + " (STATELENS_BACKEND)",
        StateLensTab.defaultLabel());
  }

  @Test
  void theTabShowsThePreferenceInItsDefaultChoice() throws Exception {
    BackendPreference.set("cuda");
    ILaunchConfigurationWorkingCopy wc = newConfig("tab");
    String text = Ui.call(() -> {
      shell = new Shell(Display.getDefault());
      shell.setLayout(new FillLayout());
      StateLensTab tab = new StateLensTab();
      tab.createControl(shell);
      tab.initializeFrom(wc);
      Combo combo = find(shell);
      return combo.getText();
    });
    assertEquals("default: cuda (" + BackendPreference.PAGE_PATH + ")", text);
    assertEquals("cuda", BackendPreference.property(""));
    assertEquals("rocm", BackendPreference.property("rocm"));
  }

  @Test
  void thePageIsListedUnderStateLens() {
    IPreferenceNode stateLens = PlatformUI.getWorkbench().getPreferenceManager()
        .find("org.eclipse.jdt.ui.preferences.JavaBasePreferencePage/dev.statelens.plugin.preferences");
    assertNotNull(stateLens, "Java > StateLens");
    assertTrue(Arrays.stream(stateLens.getSubNodes()).anyMatch(n -> n.getId().equals(DebuggerPreferencePage.ID)
        && n.getLabelText().equals("Debugger")), "Java > StateLens > Debugger");
  }

  /** With STATELENS_SCREENSHOTS=dir: the Preferences dialog on the page, as dir/debugger-preferences.png. */
  @Test
  void screenshotOfThePage() throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    Assumptions.assumeTrue(out != null, "STATELENS_SCREENSHOTS not set: no screenshot asked for");
    BackendPreference.set("auto");
    Display display = Display.getDefault();
    Ui.run(() -> display.asyncExec(() -> PreferencesUtil.createPreferenceDialogOn(
        PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), DebuggerPreferencePage.ID, null, null)
        .open()));
    Shell dialog = null;
    long deadline = System.currentTimeMillis() + 20_000;
    while (dialog == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      dialog = Ui.call(() -> Arrays.stream(display.getShells())
          .filter(s -> s.isVisible() && s != PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell())
          .findFirst().orElse(null));
    }
    assertNotNull(dialog, "the Preferences dialog opened");
    Shell shown = dialog;
    Ui.run(() -> shown.setBounds(new Rectangle(250, 140, 900, 520))); // no window manager under Xvfb
    Ui.settle();
    Thread.sleep(1_000);
    Ui.run(() -> { });
    Path png = Files.createDirectories(Path.of(out)).resolve("debugger-preferences.png");
    Rectangle shot = Ui.call(() -> display.map(shown, null, shown.getClientArea()));
    ScreenshotTest.capture(png);
    Ui.run(shown::close);
    Process crop = new ProcessBuilder("convert", png.toString(), "-crop",
        shot.width + "x" + shot.height + "+" + shot.x + "+" + shot.y, "+repage", png.toString()).inheritIO().start();
    assertEquals(0, crop.waitFor());
  }

  private static Combo find(org.eclipse.swt.widgets.Control c) {
    if (c instanceof Combo combo) {
      return combo;
    }
    if (c instanceof org.eclipse.swt.widgets.Composite comp) {
      for (org.eclipse.swt.widgets.Control child : comp.getChildren()) {
        Combo f = find(child);
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }
}
