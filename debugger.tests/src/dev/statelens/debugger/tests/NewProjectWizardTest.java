package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.launch.TrainingLaunchDelegate;
import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.debugger.wizard.JavaRuntimes;
import dev.statelens.debugger.wizard.NewProjectCreator;
import dev.statelens.debugger.wizard.NewProjectPage;
import dev.statelens.debugger.wizard.NewProjectWizard;
import dev.statelens.debugger.wizard.ProjectTemplate;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.test.support.TestJavaProjects;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants;
import org.eclipse.jdt.launching.IVMInstall;
import org.eclipse.jdt.launching.IVMInstall2;
import org.eclipse.jdt.launching.JavaRuntime;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.wizards.IWizardDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File &gt; New &gt; StateLens Project: the wizard is registered under StateLens; its page refuses a
 * workspace without a Java 25 JRE; Finish (through the dialog, as a click does) creates a Java project
 * whose build path is src/, the JRE and the StateLens Engine library, which builds with no error and
 * no StateLens marker, opens the program, and makes a StateLens Training configuration that, launched,
 * records every step to its run file.
 */
class NewProjectWizardTest {
  static final String MARKER = "dev.statelens.plugin.problem";

  @TempDir
  Path dir;

  private final List<String> projects = new ArrayList<>();
  private final List<ILaunchConfiguration> configs = new ArrayList<>();
  private ILaunch launch;

  @AfterEach
  void cleanUp() throws Exception {
    TrainingLaunchEndToEndTest.endLaunch(launch);
    Ui.run(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().closeAllEditors(false));
    for (ILaunchConfiguration c : configs) {
      if (c.exists()) {
        c.delete();
      }
    }
    for (String name : projects) {
      var p = TestJavaProjects.workspace().getRoot().getProject(name);
      if (p.exists()) {
        p.delete(true, true, null);
      }
    }
  }

  @Test
  void theWizardIsListedUnderStateLensAsAProjectWizard() {
    IWizardDescriptor d = PlatformUI.getWorkbench().getNewWizardRegistry().findWizard(NewProjectWizard.ID);
    assertNotNull(d, "File > New lists " + NewProjectWizard.ID);
    assertEquals("StateLens Project", d.getLabel());
    assertEquals("StateLens", d.getCategory().getLabel());
  }

  @Test
  void fileNewListsItInTheStateLensAndJavaPerspectives() {
    var before = Ui.call(() -> Ui.page().getPerspective());
    try {
      for (String perspective : List.of(DebuggerPerspective.ID, "org.eclipse.jdt.ui.JavaPerspective")) {
        Ui.run(() -> Ui.page().setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry().findPerspectiveWithId(perspective)));
        assertTrue(List.of(Ui.call(() -> Ui.page().getNewWizardShortcuts())).contains(NewProjectWizard.ID),
            perspective + "'s File > New: " + List.of(Ui.call(() -> Ui.page().getNewWizardShortcuts())));
      }
    } finally {
      Ui.run(() -> Ui.page().setPerspective(before));
    }
  }

  @Test
  void picksAJava25JreAndNamesTheFixWhenThereIsNone() throws Exception {
    IVMInstall java21 = vm("jdk-21", "21.0.2");
    IVMInstall java8 = vm("jdk-8", "1.8.0_402");
    IVMInstall java25 = vm("jdk-25", "25.0.1");
    IVMInstall java26 = vm("jdk-26", "26-ea");
    assertEquals(8, JavaRuntimes.feature(java8));
    assertEquals(26, JavaRuntimes.feature(java26));
    assertEquals(Optional.empty(), JavaRuntimes.pick(List.of(java8, java21), java21));
    assertEquals(Optional.of(java25), JavaRuntimes.pick(List.of(java21, java25), java21), "the first that fits");
    assertEquals(Optional.of(java26), JavaRuntimes.pick(List.of(java25, java26), java26), "the default when it fits");
    assertTrue(JavaRuntimes.MISSING.contains("Java 25") && JavaRuntimes.MISSING.contains("Installed JREs"), JavaRuntimes.MISSING);

    // the page: no Finish without a Java 25 JRE, and the message says where to add one
    WizardDialog dialog = openDialog(new NewProjectWizard(Optional::empty));
    try {
      Ui.run(() -> {
        NewProjectPage page = (NewProjectPage) dialog.getCurrentPage();
        assertEquals(JavaRuntimes.MISSING, page.getErrorMessage());
        page.fill("sl-wizard-nojre", ProjectTemplate.LINEAR_REGRESSION);
        assertFalse(page.isPageComplete());
        assertFalse(dialog.getCurrentPage().getWizard().canFinish());
        assertEquals(JavaRuntimes.MISSING, page.getErrorMessage(), "the JRE problem stays first");
      });
      captureIfAsked("plugin-new-project-no-jre.png");
    } finally {
      Ui.run(dialog::close);
    }
    assertFalse(TestJavaProjects.workspace().getRoot().getProject("sl-wizard-nojre").exists());

    // Finish's own logic refuses it too: nothing is created on a Java 21 JRE
    CoreException refused = assertThrows(CoreException.class, () -> NewProjectCreator.create("sl-wizard-nojre",
        ProjectTemplate.EMPTY_STEP, java21, new NullProgressMonitor()));
    assertEquals(JavaRuntimes.MISSING, refused.getStatus().getMessage());
    assertFalse(TestJavaProjects.workspace().getRoot().getProject("sl-wizard-nojre").exists());
  }

  @Test
  void thePageRefusesAnExistingOrInvalidName() throws Exception {
    IJavaProject existing = TestJavaProjects.create("sl-wizard-taken", List.of(), java.util.Map.of());
    projects.add(existing.getElementName());
    WizardDialog dialog = openDialog(new NewProjectWizard());
    try {
      Ui.run(() -> {
        NewProjectPage page = (NewProjectPage) dialog.getCurrentPage();
        assertTrue(page.jre().isPresent(), "the test runtime's JRE is Java 25: " + JavaRuntimes.installed());
        assertFalse(page.isPageComplete(), "no name yet");
        assertNull(page.getErrorMessage(), "an empty name at the start is not an error");
        page.fill("sl-wizard-taken", ProjectTemplate.EMPTY_STEP);
        assertEquals("A project named 'sl-wizard-taken' exists already; choose another name.", page.getErrorMessage());
        assertFalse(page.isPageComplete());
        page.fill("bad/name", ProjectTemplate.EMPTY_STEP);
        assertNotNull(page.getErrorMessage());
        assertFalse(page.isPageComplete());
        page.fill("sl-wizard-free", ProjectTemplate.EMPTY_STEP);
        assertNull(page.getErrorMessage());
        assertTrue(page.isPageComplete());
      });
    } finally {
      Ui.run(dialog::close);
    }
  }

  /**
   * Cancel, in the StateLens perspective, after filling the page: no project, no launch configuration,
   * and the perspective stays (only a Finish that made a program opens the Java perspective).
   */
  @Test
  void cancelMakesNothingAndKeepsThePerspective() throws Exception {
    String name = "sl-wizard-cancelled";
    projects.add(name);
    Ui.run(() -> {
      try {
        PlatformUI.getWorkbench().showPerspective(DebuggerPerspective.ID, PlatformUI.getWorkbench().getActiveWorkbenchWindow());
      } catch (org.eclipse.ui.WorkbenchException e) {
        throw new IllegalStateException(e);
      }
    });
    int configurations = org.eclipse.debug.core.DebugPlugin.getDefault().getLaunchManager().getLaunchConfigurations().length;
    NewProjectWizard wizard = new NewProjectWizard();
    FinishingDialog dialog = openDialog(wizard);
    Ui.run(() -> ((NewProjectPage) dialog.getCurrentPage()).fill(name, ProjectTemplate.LINEAR_REGRESSION));
    Ui.run(() -> assertTrue(wizard.canFinish(), "a filled page could finish"));
    Ui.run(dialog::cancel);
    Ui.settle();
    assertNull(wizard.created());
    assertFalse(org.eclipse.core.resources.ResourcesPlugin.getWorkspace().getRoot().getProject(name).exists(),
        "Cancel made no project");
    assertEquals(configurations,
        org.eclipse.debug.core.DebugPlugin.getDefault().getLaunchManager().getLaunchConfigurations().length,
        "Cancel made no launch configuration");
    assertEquals(DebuggerPerspective.ID, Ui.call(() -> Ui.page().getPerspective().getId()), "Cancel keeps the perspective");
  }

  @Test
  void finishCreatesALinearRegressionProjectThatBuildsCleanAndRecordsItsRun() throws Exception {
    TestJavaProjects.disableAutoBuild(); // the test builds explicitly
    String name = "sl-wizard-linreg";
    projects.add(name);
    Ui.run(() -> { // pressed in the StateLens perspective, where the editor is a strip under the charts
      var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
      try {
        PlatformUI.getWorkbench().showPerspective(DebuggerPerspective.ID, window);
      } catch (org.eclipse.ui.WorkbenchException e) {
        throw new IllegalStateException(e);
      }
    });
    NewProjectWizard wizard = new NewProjectWizard();
    FinishingDialog dialog = openDialog(wizard);
    Ui.run(() -> ((NewProjectPage) dialog.getCurrentPage()).fill(name, ProjectTemplate.LINEAR_REGRESSION));
    captureIfAsked("plugin-new-project.png");
    Ui.run(dialog::finish);
    NewProjectCreator.Created created = wizard.created();
    assertNotNull(created, "Finish created the project");
    configs.add(created.launch());

    // the program is open in an editor
    IEditorPart editor = Ui.call(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().getActiveEditor());
    assertNotNull(editor);
    assertEquals(created.source(), ((IFileEditorInput) editor.getEditorInput()).getFile());
    assertEquals(NewProjectWizard.JAVA_PERSPECTIVE, Ui.call(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow()
        .getActivePage().getPerspective().getId()), "the program opens in the Java perspective, not in a strip under the charts");
    assertEquals("/" + name + "/src/training/LinearRegression.java", created.source().getFullPath().toString());
    assertEquals(ProjectTemplate.LINEAR_REGRESSION.text(), TestJavaProjects.read(created.source()));
    // the Package Explorer shows the program selected (src > training expanded), not just the project
    Ui.settle();
    Object selected = Ui.call(() -> {
      var explorer = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
          .findView("org.eclipse.jdt.ui.PackageExplorer");
      assertNotNull(explorer, "the Java perspective shows the Package Explorer");
      var sel = (org.eclipse.jface.viewers.IStructuredSelection) explorer.getSite().getSelectionProvider().getSelection();
      return sel.getFirstElement();
    });
    assertEquals(JavaCore.create(created.source()), selected, "the Package Explorer selects the program");

    assertBuildPath(created.project());
    assertBuildsClean(created.project());
    assertLaunchConfiguration(created.launch(), name, "training.LinearRegression", created);
    captureProjectIfAsked(created);

    // launched: the program runs to its end and the run file holds every step
    Path db = dir.resolve("linreg.db");
    IProcess process = launchToEnd(created.launch(), db);
    String cmdline = String.valueOf(process.getAttribute(IProcess.ATTR_CMDLINE));
    assertTrue(cmdline.contains("--add-modules jdk.incubator.vector"), cmdline);
    assertTrue(cmdline.contains(NewProjectCreator.VM_ARGUMENTS), cmdline);
    String output = output(process);
    assertEquals(0, process.getExitValue(), output);
    assertTrue(output.contains("fitted: weight 1.9"), output);
    try (RunStore store = RunStore.open(db)) {
      assertEquals(200, store.calls("step", 0, Long.MAX_VALUE).size(), "every step recorded");
      assertTrue(store.scalar("loss").isPresent(), "the step's loss output is the run's loss");
      assertTrue(store.isFinished());
    }
  }

  @Test
  void theEmptyStepTemplateBuildsCleanAndRecordsItsRun() throws Exception {
    TestJavaProjects.disableAutoBuild();
    String name = "sl-wizard-empty";
    projects.add(name);
    IVMInstall jre = JavaRuntimes.pick().orElseThrow();
    NewProjectCreator.Created created = NewProjectCreator.create(name, ProjectTemplate.EMPTY_STEP, jre,
        new NullProgressMonitor());
    configs.add(created.launch());
    assertBuildPath(created.project());
    assertBuildsClean(created.project());
    assertLaunchConfiguration(created.launch(), name, "training.TrainStep", created);

    Path db = dir.resolve("empty.db");
    IProcess process = launchToEnd(created.launch(), db);
    String output = output(process);
    assertEquals(0, process.getExitValue(), output);
    assertTrue(output.contains("estimate 2.9") || output.contains("estimate 3.0"), output);
    try (RunStore store = RunStore.open(db)) {
      assertEquals(100, store.calls("step", 0, Long.MAX_VALUE).size());
    }
  }

  /** src/ (output bin/), a JRE container, the StateLens Engine library; Java 25 source level. */
  private static void assertBuildPath(IJavaProject project) throws Exception {
    IClasspathEntry[] raw = project.getRawClasspath();
    assertEquals(3, raw.length, List.of(raw).toString());
    assertEquals(IClasspathEntry.CPE_SOURCE, raw[0].getEntryKind());
    assertEquals(IPath.fromOSString("/" + project.getElementName() + "/src"), raw[0].getPath());
    assertEquals(IClasspathEntry.CPE_CONTAINER, raw[1].getEntryKind());
    assertEquals(JavaRuntime.JRE_CONTAINER, raw[1].getPath().segment(0));
    assertEquals(IClasspathEntry.CPE_CONTAINER, raw[2].getEntryKind());
    assertEquals(NewProjectCreator.ENGINE_CONTAINER, raw[2].getPath().toString());
    assertEquals(IPath.fromOSString("/" + project.getElementName() + "/bin"), project.getOutputLocation());
    IVMInstall vm = JavaRuntime.getVMInstall(project);
    assertTrue(JavaRuntimes.feature(vm) >= JavaRuntimes.REQUIRED, JavaRuntimes.describe(vm));
    int level = Math.min(JavaRuntimes.feature(vm), Integer.parseInt(JavaCore.latestSupportedJavaVersion()));
    assertEquals(Integer.toString(level), project.getOption(JavaCore.COMPILER_SOURCE, true), "the JRE's language level");
    assertEquals(JavaCore.IGNORE, project.getOption(JavaCore.COMPILER_PB_UNHANDLED_WARNING_TOKEN, true),
        "no warning on @SuppressWarnings(\"statelens:SL001\")");
    assertTrue(List.of(project.getResolvedClasspath(true)).stream()
        .anyMatch(e -> e.getPath().toFile().getAbsoluteFile().equals(TestJavaProjects.engineJar().getAbsoluteFile())),
        "the engine bundle is on the resolved build path: " + List.of(project.getResolvedClasspath(true)));
  }

  /** A full build: no error marker of any kind, and no StateLens finding. */
  private static void assertBuildsClean(IJavaProject project) throws Exception {
    project.getProject().build(IncrementalProjectBuilder.FULL_BUILD, null);
    List<IMarker> errors = new ArrayList<>();
    for (IMarker m : TestJavaProjects.markers(project.getProject(), IMarker.PROBLEM)) {
      if (m.getAttribute(IMarker.SEVERITY, 0) == IMarker.SEVERITY_ERROR) {
        errors.add(m);
      }
    }
    assertEquals("", TestJavaProjects.describe(errors), "no errors after a build");
    List<IMarker> findings = TestJavaProjects.markers(project.getProject(), MARKER);
    assertEquals("", TestJavaProjects.describe(findings), "the template lints clean");
    assertTrue(project.getProject().getFolder("bin/training").exists(), "the build wrote classes");
  }

  private static void assertLaunchConfiguration(ILaunchConfiguration c, String project, String mainType,
      NewProjectCreator.Created created) throws Exception {
    assertTrue(c.exists(), "saved");
    assertEquals(TrainingLaunchDelegate.TYPE_ID, c.getType().getIdentifier());
    assertEquals(project, c.getName());
    assertEquals(project, c.getAttribute(IJavaLaunchConfigurationConstants.ATTR_PROJECT_NAME, ""));
    assertEquals(mainType, c.getAttribute(IJavaLaunchConfigurationConstants.ATTR_MAIN_TYPE_NAME, ""));
    assertEquals(NewProjectCreator.VM_ARGUMENTS, c.getAttribute(IJavaLaunchConfigurationConstants.ATTR_VM_ARGUMENTS, ""));
    assertArrayEquals(new IResource[] {created.source()}, c.getMappedResources());
    assertEquals(dev.statelens.debugger.launch.TrainingProcessFactory.ID,
        c.getAttribute(org.eclipse.debug.core.DebugPlugin.ATTR_PROCESS_FACTORY_ID, ""), "set when created, not at launch");
    assertEquals(mainType, created.project().findType(mainType).getFullyQualifiedName());
  }

  /** Launches {@code config} (run mode) writing {@code db} and waits for the program to end. */
  private IProcess launchToEnd(ILaunchConfiguration config, Path db) throws Exception {
    ILaunchConfigurationWorkingCopy wc = config.getWorkingCopy();
    wc.setAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, db.toString());
    launch = wc.launch(ILaunchManager.RUN_MODE, null, false);
    assertEquals(1, launch.getProcesses().length, "a Java process was started");
    IProcess process = launch.getProcesses()[0];
    // the Console view may take the buffered output, so listen from here on (the JVM is still starting)
    process.getStreamsProxy().getOutputStreamMonitor().addListener((text, monitor) -> captured.append(text));
    process.getStreamsProxy().getErrorStreamMonitor().addListener((text, monitor) -> captured.append(text));
    TrainingLaunchEndToEndTest.await("the program's end", 90_000, launch::isTerminated, () -> output(process));
    assertTrue(Files.isRegularFile(db), "run file " + db);
    return process;
  }

  private final StringBuffer captured = new StringBuffer();

  /** What the program printed: the monitors' buffers and what the listeners caught. */
  private String output(IProcess process) {
    var streams = process.getStreamsProxy();
    return streams.getOutputStreamMonitor().getContents() + streams.getErrorStreamMonitor().getContents() + captured;
  }

  /** A wizard dialog whose Finish a test can press. */
  static final class FinishingDialog extends WizardDialog {
    FinishingDialog(NewProjectWizard wizard) {
      super(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), wizard);
    }

    void finish() {
      finishPressed();
    }

    void cancel() {
      cancelPressed();
    }
  }

  private static FinishingDialog openDialog(NewProjectWizard wizard) {
    return Ui.call(() -> {
      wizard.init(PlatformUI.getWorkbench(), null);
      FinishingDialog dialog = new FinishingDialog(wizard);
      dialog.setBlockOnOpen(false);
      dialog.open();
      return dialog;
    });
  }

  /** An installed JRE that reports {@code version} (the page's check reads nothing else). */
  private static IVMInstall vm(String name, String version) {
    return (IVMInstall) Proxy.newProxyInstance(NewProjectWizardTest.class.getClassLoader(),
        new Class<?>[] {IVMInstall.class, IVMInstall2.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getJavaVersion" -> version;
          case "getName", "getId" -> name;
          case "toString" -> name;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }

  /**
   * With STATELENS_SCREENSHOTS=dir: the wizard page over the workbench. Run under
   * {@code xvfb-run -s "-screen 0 1600x1000x24"}; needs ImageMagick's import.
   */
  private static void captureIfAsked(String file) throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out == null) {
      return;
    }
    Ui.run(() -> { // no window manager under Xvfb: fill the screen by hand, the dialog in its middle
      var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
      window.setBounds(window.getDisplay().getBounds());
      var shell = window.getDisplay().getActiveShell();
      if (shell != null && shell != window) {
        var size = shell.getSize();
        var screen = window.getDisplay().getBounds();
        shell.setLocation((screen.width - size.x) / 2, (screen.height - size.y) / 2);
      }
    });
    Ui.settle();
    Thread.sleep(500);
    ScreenshotTest.capture(Files.createDirectories(Path.of(out)).resolve(file));
  }

  /** With STATELENS_SCREENSHOTS=dir: the Java perspective with the new project and its program open. */
  private static void captureProjectIfAsked(NewProjectCreator.Created created) throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out == null) {
      return;
    }
    Ui.run(() -> {
      var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
      window.getShell().setBounds(window.getShell().getDisplay().getBounds());
      try {
        PlatformUI.getWorkbench().showPerspective("org.eclipse.jdt.ui.JavaPerspective", window);
        var explorer = window.getActivePage().showView("org.eclipse.jdt.ui.PackageExplorer");
        if (explorer instanceof org.eclipse.ui.part.ISetSelectionTarget target) {
          target.selectReveal(new org.eclipse.jface.viewers.StructuredSelection(JavaCore.create(created.source())));
        }
        org.eclipse.ui.ide.IDE.openEditor(window.getActivePage(), created.source(), true);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Ui.settle();
    Thread.sleep(2_000); // the editor's highlighting and the explorer's labels
    Ui.run(() -> { });
    ScreenshotTest.capture(Files.createDirectories(Path.of(out)).resolve("plugin-new-project-created.png"));
  }
}
