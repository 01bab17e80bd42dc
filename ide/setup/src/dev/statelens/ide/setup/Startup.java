package dev.statelens.ide.setup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants;
import org.eclipse.jdt.launching.JavaRuntime;
import org.eclipse.jface.text.ITextOperationTarget;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPreferenceConstants;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.osgi.framework.Bundle;

/**
 * First-start setup of the StateLens IDE ({@code ./statelens ide}) and the install test's check.
 * Inert unless the IDE is started with {@code -Dstatelens.examples=DIR}:
 * <ol>
 *   <li>creates the Java project {@value #PROJECT} with a copy of {@code DIR/src/main/java} (files
 *       still as copied follow the repository on later starts: {@link ExampleSources}), on the
 *       "StateLens Engine" library, and builds it;
 *   <li>creates StateLens Training launch configurations for the training examples
 *       ({@code linreg example}, ...);
 *   <li>opens the Counter with its SL001 marker and the Problems view, the window filling the screen;
 *   <li>with {@code -Dstatelens.check.report=FILE}: shows the quick fixes (Ctrl+1), writes which
 *       bundles are active and the StateLens markers to FILE, waits for {@code FILE.done} (the test
 *       takes its screenshot meanwhile), then closes the workbench.
 * </ol>
 */
public final class Startup implements IStartup {

  static final String PROJECT = "statelens-examples";
  static final String COUNTER = "src/dev/statelens/examples/Counter.java";
  static final String MARKER = "dev.statelens.plugin.problem";
  static final String ENGINE_CONTAINER = "dev.statelens.plugin.ENGINE";
  static final String JAVA_PERSPECTIVE = "org.eclipse.jdt.ui.JavaPerspective";

  @Override
  public void earlyStartup() {
    String examples = System.getProperty("statelens.examples");
    if (examples == null) {
      return;
    }
    String report = System.getProperty("statelens.check.report");
    try {
      boolean first = !ResourcesPlugin.getWorkspace().getRoot().getProject(PROJECT).exists();
      IProject project = importExamples(Path.of(examples));
      if (first) {
        createExampleLaunches();
      }
      if (!first && report == null) {
        return; // imported on an earlier start: leave the user's workbench as it was
      }
      project.build(IncrementalProjectBuilder.FULL_BUILD, null);
      Job.getJobManager().join(ResourcesPlugin.FAMILY_AUTO_BUILD, null);
      showCounter(project, first);
      Thread.sleep(3000); // let the editor reconcile and the Problems view refresh
      Display.getDefault().syncExec(() -> revealMarkers(report != null));
      if (report != null) {
        Thread.sleep(1000);
        writeReport(Path.of(report), project);
        waitForFile(Path.of(report + ".done"), 180);
        Display.getDefault().asyncExec(() -> PlatformUI.getWorkbench().close());
      }
    } catch (Exception e) {
      ILog.of(Startup.class).log(Status.error("StateLens IDE setup failed", e));
      if (report != null) {
        try {
          Files.writeString(Path.of(report), "setup failed: " + e + "\n", StandardCharsets.UTF_8);
        } catch (IOException ignored) {
          // the test reports the missing check result
        }
        Display.getDefault().asyncExec(() -> PlatformUI.getWorkbench().close());
      }
    }
  }

  static IProject importExamples(Path examples) throws CoreException {
    IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(PROJECT);
    Path sources = examples.resolve("src/main/java").toAbsolutePath().normalize();
    if (!Files.isDirectory(sources)) {
      throw new CoreException(Status.error("statelens.examples=" + examples
          + " has no src/main/java; pass the repository's examples/ folder"));
    }
    if (project.exists()) {
      if (!project.isOpen()) {
        project.open(null);
      }
      if (!project.getFolder("src").isLinked()) { // a workspace made before the copy keeps its link
        copyExamples(sources, project);
      }
      return project;
    }
    project.create(null);
    project.open(null);
    IProjectDescription description = project.getDescription();
    description.setNatureIds(new String[] {JavaCore.NATURE_ID});
    project.setDescription(description, null);
    IFolder src = project.getFolder("src");
    copyExamples(sources, project); // a copy: a quick fix tried here must not edit the repository's examples
    IJavaProject javaProject = JavaCore.create(project);
    IClasspathEntry[] classpath = {
        JavaCore.newSourceEntry(src.getFullPath()),
        JavaRuntime.getDefaultJREContainerEntry(),
        JavaCore.newContainerEntry(IPath.fromOSString(ENGINE_CONTAINER)),
    };
    javaProject.setRawClasspath(classpath, project.getFolder("bin").getFullPath(), null);
    Map<String, String> options = javaProject.getOptions(false);
    JavaCore.setComplianceOptions(javaVersion(), options);
    // JDT does not know the "statelens:SL010" token of @SuppressWarnings and warns "Unsupported
    // @SuppressWarnings" on every StateLens suppression (LinReg.fit has one on purpose)
    options.put(JavaCore.COMPILER_PB_UNHANDLED_WARNING_TOKEN, JavaCore.IGNORE);
    javaProject.setOptions(options);
    return project;
  }

  /** The examples' sources into the project's {@code src} ({@link ExampleSources#sync}), then the workspace refreshed. */
  static void copyExamples(Path sources, IProject project) throws CoreException {
    Path location = project.getLocation().toFile().toPath();
    try {
      ExampleSources.sync(sources, location.resolve("src"), location.resolve(".settings/dev.statelens.examples.sha256"));
    } catch (IOException e) {
      throw new CoreException(Status.error("cannot copy the examples from " + sources + " into " + location + ": " + e.getMessage(), e));
    }
    project.refreshLocal(IResource.DEPTH_INFINITE, null);
  }

  /**
   * StateLens Training configurations for the training examples ({@code Main linreg}, ...): the
   * examples have one {@code main} that takes the example's name, so Run As on it alone only prints
   * the usage. Skipped when the debugger's launch type is not installed.
   */
  static void createExampleLaunches() throws CoreException {
    ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
    ILaunchConfigurationType type = manager.getLaunchConfigurationType(TRAINING_LAUNCH);
    if (type == null) {
      return;
    }
    for (String example : EXAMPLES) {
      String name = example + " example"; // also names its run files: runs/linreg_example-<time>.db
      if (java.util.Arrays.stream(manager.getLaunchConfigurations(type)).anyMatch(c -> c.getName().equals(name))) {
        continue;
      }
      ILaunchConfigurationWorkingCopy wc = type.newInstance(null, name);
      wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_PROJECT_NAME, PROJECT);
      wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_MAIN_TYPE_NAME, "dev.statelens.examples.Main");
      wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_PROGRAM_ARGUMENTS, example);
      // the debugger's TrainingProcessFactory: the Console without the JVM's incubator-module warning
      wc.setAttribute(DebugPlugin.ATTR_PROCESS_FACTORY_ID, TRAINING_PROCESS_FACTORY);
      if (example.equals("diverge")) { // paused before its first call, to try Break on NaN
        wc.setAttribute(PAUSE_AT_START, true);
      }
      wc.doSave();
    }
  }

  /**
   * The training examples offered as launch configurations (the program argument): converging
   * linreg, the MLP with Adam state, the two-moons classifier (loss and accuracy), the GNN (nested
   * records of layers, a graph input that is not state), the tiny transformer (a List of blocks in
   * the params, Muon's state), a run that diverges to NaN (Break on NaN), the stale-state bug.
   * ide/product/install-test.sh checks the same list; LauncherTest checks the two agree.
   */
  static final String[] EXAMPLES = {"linreg", "mlp", "classify", "gnn", "fno", "transformer", "diverge", "stale"};
  static final String TRAINING_LAUNCH = "dev.statelens.debugger.training";
  /** The debugger's TrainingProcessFactory.ID. */
  static final String TRAINING_PROCESS_FACTORY = "dev.statelens.debugger.trainingProcessFactory";
  /** The debugger's TrainingLaunchDelegate.ATTR_PAUSE_AT_START (the StateLens tab's check box). */
  static final String PAUSE_AT_START = "dev.statelens.debugger.pauseAtStart";

  /** The running JDK's version (the project's JRE), capped at the newest JDT knows. */
  static String javaVersion() {
    int running = Runtime.version().feature();
    int latest = Integer.parseInt(JavaCore.latestSupportedJavaVersion());
    return Integer.toString(Math.min(running, latest));
  }

  /**
   * Opens the Counter in the Java perspective. With {@code fillScreen} (the first start) the window
   * first fills the screen: Eclipse's first window is about 1,000 × 740, where the State Flow view got
   * some 680 px and the StateLens perspective's side tabs read "Sta…" and "De…".
   */
  static void showCounter(IProject project, boolean fillScreen) {
    IFile counter = project.getFile(COUNTER);
    Display.getDefault().syncExec(() -> {
      try {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
        if (fillScreen) {
          // the screen's bounds first: without a window manager (Xvfb) maximizing does nothing
          window.getShell().setBounds(window.getShell().getDisplay().getPrimaryMonitor().getClientArea());
          window.getShell().setMaximized(true);
        }
        // the Java perspective (Run menu and toolbar), also after a restart that lost the layout:
        // the plain platform product would open the Resource perspective
        PlatformUI.getPreferenceStore().setValue(IWorkbenchPreferenceConstants.DEFAULT_PERSPECTIVE_ID, JAVA_PERSPECTIVE);
        PlatformUI.getWorkbench().showPerspective(JAVA_PERSPECTIVE, window);
        IWorkbenchPage page = window.getActivePage();
        page.showView(IPageLayout.ID_PROBLEM_VIEW, null, IWorkbenchPage.VIEW_VISIBLE);
        IEditorPart editor = IDE.openEditor(page, counter, true);
        IMarker[] markers = counter.findMarkers(MARKER, true, IResource.DEPTH_ZERO);
        if (markers.length > 0) {
          IDE.gotoMarker(editor, markers[0]);
        }
      } catch (CoreException e) { // WorkbenchException (showPerspective) is one
        ILog.of(Startup.class).log(Status.error("StateLens IDE setup: cannot open the Counter", e));
      }
    });
  }

  /** UI thread: opens the Problems view's groups; with {@code quickFixes}, Ctrl+1 on the marker. */
  static void revealMarkers(boolean quickFixes) {
    IWorkbenchPage page = PlatformUI.getWorkbench().getWorkbenchWindows()[0].getActivePage();
    IViewPart problems = page.findView(IPageLayout.ID_PROBLEM_VIEW);
    if (problems != null) {
      expandAll(problems);
    }
    IEditorPart editor = page.getActiveEditor();
    if (quickFixes && editor != null) {
      ITextOperationTarget target = editor.getAdapter(ITextOperationTarget.class);
      if (target != null && target.canDoOperation(ISourceViewer.QUICK_ASSIST)) {
        target.doOperation(ISourceViewer.QUICK_ASSIST);
      }
    }
  }

  /** Opens the groups (Warnings, Errors) of a view's tree so the markers themselves show. */
  static void expandAll(IViewPart view) {
    MPart part = view.getSite().getService(MPart.class);
    Tree tree = part != null && part.getWidget() instanceof Control c ? findTree(c) : null;
    if (tree != null) {
      for (TreeItem item : tree.getItems()) {
        Event e = new Event();
        e.item = item;
        tree.notifyListeners(SWT.Expand, e); // JFace creates the children on this event
        item.setExpanded(true);
      }
    }
  }

  private static Tree findTree(Control control) {
    if (control instanceof Tree tree) {
      return tree;
    }
    if (control instanceof Composite composite) {
      for (Control child : composite.getChildren()) {
        Tree found = findTree(child);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  static void writeReport(Path report, IProject project) throws CoreException, IOException {
    List<String> lines = new ArrayList<>();
    for (String name : List.of("dev.statelens.plugin", "dev.statelens.lint", "dev.statelens.engine")) {
      Bundle b = Platform.getBundle(name);
      lines.add("bundle " + name + " " + (b == null ? "MISSING" : state(b.getState())));
    }
    AtomicReference<String> problemsView = new AtomicReference<>("closed");
    AtomicReference<String> perspective = new AtomicReference<>("none");
    AtomicReference<String> wizard = new AtomicReference<>("new-wizard MISSING");
    Display.getDefault().syncExec(() -> {
      wizard.set(newProjectWizard());
      IWorkbenchPage page = PlatformUI.getWorkbench().getWorkbenchWindows()[0].getActivePage();
      problemsView.set(page.findView(IPageLayout.ID_PROBLEM_VIEW) != null ? "open" : "closed");
      perspective.set(page.getPerspective() == null ? "none" : page.getPerspective().getId());
    });
    lines.add("problems-view " + problemsView.get());
    lines.add(wizard.get());
    lines.add("perspective " + perspective.get());
    lines.add(windowSize());
    lines.add("examples-src " + (project.getFolder("src").isLinked() ? "linked" : "copied"));
    ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
    ILaunchConfigurationType training = manager.getLaunchConfigurationType(TRAINING_LAUNCH);
    for (ILaunchConfiguration c : training == null ? new ILaunchConfiguration[0] : manager.getLaunchConfigurations(training)) {
      lines.add("launch " + c.getName() + ": " + c.getAttribute(IJavaLaunchConfigurationConstants.ATTR_MAIN_TYPE_NAME, "")
          + " " + c.getAttribute(IJavaLaunchConfigurationConstants.ATTR_PROGRAM_ARGUMENTS, ""));
    }
    for (IMarker m : project.findMarkers(MARKER, true, IResource.DEPTH_INFINITE)) {
      lines.add("marker " + m.getResource().getProjectRelativePath() + ":"
          + m.getAttribute(IMarker.LINE_NUMBER, 0) + " " + m.getAttribute("ruleId", "?") + " "
          + m.getAttribute(IMarker.MESSAGE, ""));
    }
    Files.write(report, lines, StandardCharsets.UTF_8);
  }

  /**
   * "new-wizard StateLens/StateLens Project templates 2": File > New > Project... lists the debugger's
   * New StateLens Project wizard, and the installed bundle carries the template files it copies.
   */
  static String newProjectWizard() {
    var wizard = PlatformUI.getWorkbench().getNewWizardRegistry().findWizard(NEW_PROJECT_WIZARD);
    if (wizard == null) {
      return "new-wizard MISSING";
    }
    Bundle debugger = Platform.getBundle("dev.statelens.debugger");
    var templates = debugger == null ? null : debugger.findEntries("templates", "*.java", true);
    int count = 0;
    while (templates != null && templates.hasMoreElements()) {
      templates.nextElement();
      count++;
    }
    return "new-wizard " + wizard.getCategory().getLabel() + "/" + wizard.getLabel() + " templates " + count;
  }

  /** "window 1600x1000 screen 1600x1000": the first window's size and the screen's (it fills it on the first start). */
  static String windowSize() {
    AtomicReference<String> size = new AtomicReference<>();
    Display.getDefault().syncExec(() -> {
      var shell = PlatformUI.getWorkbench().getWorkbenchWindows()[0].getShell();
      var screen = shell.getDisplay().getPrimaryMonitor().getClientArea();
      size.set("window " + shell.getSize().x + "x" + shell.getSize().y + " screen " + screen.width + "x" + screen.height);
    });
    return size.get();
  }

  /** The debugger's NewProjectWizard.ID. */
  static final String NEW_PROJECT_WIZARD = "dev.statelens.debugger.newProject";

  static String state(int state) {
    return switch (state) {
      case Bundle.ACTIVE -> "ACTIVE";
      case Bundle.RESOLVED -> "RESOLVED";
      case Bundle.STARTING -> "STARTING";
      case Bundle.INSTALLED -> "INSTALLED";
      default -> "STATE" + state;
    };
  }

  static void waitForFile(Path file, int seconds) throws InterruptedException {
    for (int i = 0; i < seconds * 10 && !Files.exists(file); i++) {
      Thread.sleep(100);
    }
  }
}
