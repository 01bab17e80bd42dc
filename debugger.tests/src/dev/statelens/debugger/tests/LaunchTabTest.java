package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.launch.StateLensTab;
import dev.statelens.debugger.launch.TrainingLaunchDelegate;
import dev.statelens.debugger.launch.TrainingTabGroup;
import dev.statelens.engine.record.store.RunWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.ILaunchConfigurationDialog;
import org.eclipse.debug.ui.ILaunchConfigurationTab;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "StateLens" tab of a StateLens Training configuration, on a shell: the run file and pause
 * attributes round-trip through initializeFrom/performApply (defaults stored as absent attributes),
 * and a run file that cannot be recorded to is refused with a message saying what to fix.
 */
class LaunchTabTest {
  @TempDir
  Path dir;

  private Shell shell;
  private StateLensTab tab;

  @AfterEach
  void dispose() {
    if (shell != null) {
      Ui.run(shell::dispose);
    }
  }

  private void createTab() {
    Ui.run(() -> {
      shell = new Shell(Display.getDefault());
      shell.setLayout(new FillLayout());
      tab = new StateLensTab();
      tab.createControl(shell);
      shell.pack();
    });
  }

  private static ILaunchConfigurationWorkingCopy newConfig(String name) throws Exception {
    return DebugPlugin.getDefault().getLaunchManager().getLaunchConfigurationType(TrainingLaunchDelegate.TYPE_ID)
        .newInstance(null, name);
  }

  private Text runFileText() {
    return only(Text.class, c -> true);
  }

  private Button pauseBox() {
    return only(Button.class, b -> (b.getStyle() & SWT.CHECK) != 0 && b.getText().startsWith("Pause before the first"));
  }

  private <T extends Control> T only(Class<T> kind, java.util.function.Predicate<T> which) {
    List<T> found = new ArrayList<>();
    collect(tab.getControl(), kind, which, found);
    assertEquals(1, found.size(), "one " + kind.getSimpleName() + " on the tab: " + found);
    return found.getFirst();
  }

  private static <T extends Control> void collect(Control c, Class<T> kind, java.util.function.Predicate<T> which,
      List<T> out) {
    if (kind.isInstance(c) && which.test(kind.cast(c))) {
      out.add(kind.cast(c));
    }
    if (c instanceof Composite comp) {
      for (Control child : comp.getChildren()) {
        collect(child, kind, which, out);
      }
    }
  }

  @Test
  void theBackendChoiceRoundTripsAndReachesTheProgram() throws Exception {
    createTab();
    ILaunchConfigurationWorkingCopy wc = newConfig("backend");
    wc.setAttribute(TrainingLaunchDelegate.ATTR_BACKEND, "auto");
    Ui.run(() -> tab.initializeFrom(wc));
    org.eclipse.swt.widgets.Combo combo = Ui.call(() -> only(org.eclipse.swt.widgets.Combo.class, c -> true));
    assertTrue(Ui.call(combo::getText).startsWith("auto"), Ui.call(combo::getText));
    Ui.run(() -> {
      combo.select(Arrays.asList(StateLensTab.BACKENDS).indexOf("cuda"));
      tab.performApply(wc);
    });
    assertEquals("cuda", wc.getAttribute(TrainingLaunchDelegate.ATTR_BACKEND, ""));
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_VM_ARGUMENTS, "-Xmx1g");
    String vm = new TrainingLaunchDelegate().getVMArguments(wc);
    assertTrue(vm.contains("-Xmx1g") && vm.endsWith("-Dstatelens.backend=cuda"), vm);
    Ui.run(() -> { // the default: no attribute, no property (the engine reads STATELENS_BACKEND, else cpu)
      combo.select(0);
      tab.performApply(wc);
    });
    assertFalse(wc.hasAttribute(TrainingLaunchDelegate.ATTR_BACKEND));
    assertFalse(new TrainingLaunchDelegate().getVMArguments(wc).contains("statelens.backend"));
    Ui.run(() -> tab.setDefaults(wc));
    assertFalse(wc.hasAttribute(TrainingLaunchDelegate.ATTR_BACKEND));
  }

  @Test
  void attributesRoundTripThroughTheControls() throws Exception {
    createTab();
    String file = dir.resolve("runs/training.db").toString();
    ILaunchConfigurationWorkingCopy wc = newConfig("round trip");
    wc.setAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, file);
    wc.setAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, true);
    Ui.run(() -> tab.initializeFrom(wc));
    assertEquals(file, Ui.call(() -> runFileText().getText()));
    assertTrue(Ui.call(() -> pauseBox().getSelection()), "the pause checkbox shows the attribute");

    // the user edits both; Apply writes them back
    String other = dir.resolve("other.db").toString();
    Ui.run(() -> {
      runFileText().setText("  " + other + " ");
      pauseBox().setSelection(false);
    });
    ILaunchConfigurationWorkingCopy out = newConfig("applied");
    out.setAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, true);
    Ui.run(() -> tab.performApply(out));
    assertEquals(other, out.getAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, ""), "trimmed");
    assertFalse(out.getAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, false));
    assertEquals(Path.of(other), TrainingLaunchDelegate.runFile(out), "the delegate records where the tab says");

    // empty = the default (a new file in the workspace): the attributes go, as on a fresh configuration
    Ui.run(() -> {
      runFileText().setText("");
      tab.performApply(out);
    });
    assertFalse(out.hasAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE));
    assertFalse(out.hasAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START));
    assertTrue(TrainingLaunchDelegate.runFile(out).getParent().endsWith("runs"), "default under <workspace>/runs/");

    ILaunchConfigurationWorkingCopy fresh = newConfig("fresh");
    Ui.run(() -> {
      tab.setDefaults(fresh);
      tab.initializeFrom(fresh);
    });
    assertEquals("", Ui.call(() -> runFileText().getText()));
    assertFalse(Ui.call(() -> pauseBox().getSelection()));
    assertEquals(dev.statelens.debugger.launch.TrainingProcessFactory.ID,
        fresh.getAttribute(org.eclipse.debug.core.DebugPlugin.ATTR_PROCESS_FACTORY_ID, ""),
        "a new configuration names the process factory that keeps the JVM's incubator warning out of the Console");
    ILaunchConfigurationWorkingCopy applied = fresh.getWorkingCopy();
    Ui.run(() -> tab.performApply(applied));
    assertTrue(fresh.contentsEqual(applied), "applying an untouched tab changes nothing (no spurious 'modified')");
  }

  @Test
  void runFilesThatCannotBeRecordedToAreRefusedWithWhatToFix() throws Exception {
    createTab();
    ILaunchConfigurationWorkingCopy wc = newConfig("validation");
    Files.writeString(dir.resolve("notes.db"), "not a database");
    Files.writeString(dir.resolve("plain"), "a file");
    Path run = dir.resolve("old.db");
    RunWriter.create(run, RunWriter.Options.defaults()).close(); // a run from an earlier launch may be replaced
    assertValid(wc, "");
    assertValid(wc, dir.resolve("new/sub/training.db").toString());
    assertValid(wc, run.toString());
    assertInvalid(wc, "runs/training.db", "is a relative path; give an absolute path");
    assertInvalid(wc, dir.resolve("training.txt").toString(), "'training.txt' is not a .db name");
    assertInvalid(wc, dir.toString(), "is a folder; name a .db file inside it");
    assertInvalid(wc, dir.resolve("notes.db").toString(), "exists and is not a StateLens run");
    assertInvalid(wc, dir.resolve("plain/x.db").toString(), "cannot create the folder");
  }

  @Test
  void aFolderThatIsNotWritableIsNamed() throws Exception {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Assumptions.assumeFalse(Files.isWritable(ro), "this user (root?) can write to a read-only folder");
      createTab();
      assertInvalid(newConfig("ro"), ro.resolve("x.db").toString(), "the folder " + ro + " is not writable");
      assertInvalid(newConfig("ro"), ro.resolve("more/x.db").toString(), "would create " + ro.resolve("more"));
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private void assertValid(ILaunchConfiguration wc, String file) {
    Ui.run(() -> runFileText().setText(file));
    assertTrue(Ui.call(() -> tab.isValid(wc)), "valid: '" + file + "', but: " + Ui.call(tab::getErrorMessage));
    assertNull(Ui.call(tab::getErrorMessage));
  }

  private void assertInvalid(ILaunchConfiguration wc, String file, String expected) {
    Ui.run(() -> runFileText().setText(file));
    assertFalse(Ui.call(() -> tab.isValid(wc)), "invalid: " + file);
    String message = Ui.call(tab::getErrorMessage);
    assertNotNull(message);
    assertTrue(message.startsWith("Run file: ") && message.contains(expected), message);
  }

  @Test
  void theTabGroupShowsTheTabAfterMain() {
    TrainingTabGroup group = new TrainingTabGroup();
    Ui.run(() -> group.createTabs(null, "run"));
    ILaunchConfigurationTab[] tabs = group.getTabs();
    assertEquals("Main", tabs[0].getName());
    assertInstanceOf(StateLensTab.class, tabs[1]);
    assertEquals("StateLens", tabs[1].getName());
    group.dispose();
  }

  /**
   * In debug mode (Debug Configurations…) JDT's Main tab adds "Suspend in main", which a training
   * JVM, running without JDWP, never honours: the group's Main tab leaves it out.
   */
  @Test
  void theDebugModeMainTabHasNoSuspendInMain() {
    TrainingTabGroup group = new TrainingTabGroup();
    Ui.run(() -> group.createTabs(null, "debug"));
    ILaunchConfigurationTab main = group.getTabs()[0];
    ILaunchConfigurationDialog dialog = (ILaunchConfigurationDialog) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ILaunchConfigurationDialog.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getMode" -> "debug";
          case "getTabs" -> group.getTabs();
          case "getActiveTab" -> main;
          case "toString" -> "debug dialog";
          case "hashCode" -> 0;
          case "equals" -> proxy == args[0];
          default -> method.getReturnType() == boolean.class ? false : null;
        });
    List<String> shown = Ui.call(() -> {
      Shell s = new Shell(Display.getDefault());
      try {
        main.setLaunchConfigurationDialog(dialog);
        main.createControl(s);
        List<String> texts = new java.util.ArrayList<>();
        collectVisibleCheckBoxes(s, texts);
        return texts;
      } finally {
        s.dispose();
      }
    });
    assertTrue(shown.stream().anyMatch(t -> t.contains("inherited mains")), "JDT's other boxes stay: " + shown);
    assertTrue(shown.stream().noneMatch(t -> t.contains("suspend in main") || t.contains("stop in main")), shown.toString());
    group.dispose();
  }

  private static void collectVisibleCheckBoxes(org.eclipse.swt.widgets.Composite c, List<String> out) {
    for (var child : c.getChildren()) {
      if (child instanceof org.eclipse.swt.widgets.Button b && (b.getStyle() & org.eclipse.swt.SWT.CHECK) != 0
          && b.getVisible()) {
        out.add(b.getText().replace("&", "").toLowerCase()); // without mnemonics
      }
      if (child instanceof org.eclipse.swt.widgets.Composite inner) {
        collectVisibleCheckBoxes(inner, out);
      }
    }
  }

  /**
   * With STATELENS_SCREENSHOTS=dir: the real launch dialog (Run Configurations…) on a
   * StateLens Training configuration, its StateLens tab selected, as dir/debugger-launch-tab.png.
   */
  @Test
  void screenshotOfTheTabInTheLaunchDialog() throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    Assumptions.assumeTrue(out != null, "STATELENS_SCREENSHOTS not set: no screenshot asked for");
    IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject("sl-launch-tab");
    project.create(null);
    project.open(null);
    IProjectDescription description = project.getDescription();
    description.setNatureIds(new String[] {JavaCore.NATURE_ID}); // so the Main tab has nothing to complain about
    project.setDescription(description, null);
    ILaunchConfigurationWorkingCopy wc = newConfig("Train");
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_PROJECT_NAME, project.getName());
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_MAIN_TYPE_NAME, "demo.Train");
    wc.setAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, "/home/me/runs/train.db");
    wc.setAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, true);
    ILaunchConfiguration config = wc.doSave();
    Rectangle bounds = new Rectangle(250, 140, 1000, 580);
    try {
      Display display = Display.getDefault();
      Ui.run(() -> display.asyncExec(() -> DebugUITools.openLaunchConfigurationDialog(
          PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), config,
          IDebugUIConstants.ID_RUN_LAUNCH_GROUP, null)));
      Shell dialog = null;
      long deadline = System.currentTimeMillis() + 20_000;
      while (dialog == null && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        dialog = Ui.call(() -> Arrays.stream(display.getShells())
            .filter(s -> s.isVisible() && s != PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell())
            .findFirst().orElse(null));
      }
      assertNotNull(dialog, "the launch configuration dialog opened");
      Shell shown = dialog;
      Ui.run(() -> {
        shown.setBounds(bounds); // no window manager under Xvfb
        CTabFolder folder = find(shown, CTabFolder.class);
        assertNotNull(folder, "the dialog's tab folder");
        CTabItem item = Arrays.stream(folder.getItems()).filter(i -> "StateLens".equals(i.getText())).findFirst()
            .orElseThrow();
        folder.setSelection(item);
        Event e = new Event();
        e.item = item;
        folder.notifyListeners(SWT.Selection, e);
      });
      Ui.settle();
      Thread.sleep(1_000);
      Ui.run(() -> { });
      Path png = Files.createDirectories(Path.of(out)).resolve("debugger-launch-tab.png");
      // what the dialog paints, in screen pixels (its bounds count a title bar no window manager draws)
      Rectangle shot = Ui.call(() -> display.map(shown, null, shown.getClientArea()));
      ScreenshotTest.capture(png);
      Ui.run(shown::close);
      // the dialog alone (ImageMagick's convert)
      Process crop = new ProcessBuilder("convert", png.toString(), "-crop",
          shot.width + "x" + shot.height + "+" + shot.x + "+" + shot.y, "+repage", png.toString())
          .inheritIO().start();
      assertEquals(0, crop.waitFor());
    } finally {
      config.delete();
      project.delete(true, true, null);
    }
  }

  private static <T extends Control> T find(Control c, Class<T> kind) {
    if (kind.isInstance(c)) {
      return kind.cast(c);
    }
    if (c instanceof Composite comp) {
      for (Control child : comp.getChildren()) {
        T t = find(child, kind);
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }
}
