package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.FrameSourceDisplay;
import dev.statelens.debugger.launch.LeafVariable;
import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.launch.LiveSessions;
import dev.statelens.debugger.launch.RunDebugTarget;
import dev.statelens.debugger.launch.TrainingLaunchDelegate;
import dev.statelens.debugger.launch.TrainingLaunchShortcut;
import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.engine.record.store.CallInfo;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.SourceRef;
import dev.statelens.test.support.TestJavaProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.eclipse.core.expressions.EvaluationContext;
import org.eclipse.core.expressions.EvaluationResult;
import org.eclipse.core.expressions.Expression;
import org.eclipse.core.expressions.ExpressionConverter;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IVariable;
import org.eclipse.debug.ui.AbstractDebugView;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugModelPresentation;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.IType;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.viewers.TreePath;
import org.eclipse.jface.viewers.TreeSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IEditorReference;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "StateLens Training" end to end: a Java project in the test workspace with the StateLens Engine
 * library (the plugin's classpath container) on its build path, built by JDT, launched through a
 * configuration the Run As / Debug As shortcut creates, in a separate JVM. The debug target appears,
 * the run pauses before its first jitted call, Step Over runs one call; while paused, the top
 * frame's variables are the state pytree with the run file's values, and the model presentation's
 * labels appear in the real Debug and Variables views; the State Flow view's Live row steps,
 * resumes, pauses and resumes the program to its end; the run file holds all 20 calls.
 */
class TrainingLaunchEndToEndTest {
  static final int STEPS = 20;

  static final String TRAIN = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.DType;
      import dev.statelens.engine.Fn3;
      import dev.statelens.engine.Transforms;

      /** Linear regression by SGD on explicit state: update(params, x, y) -> (params, loss). */
      public class Train {
        public record Params(Array w, Array b) {}

        public record StepOut(Params params, Array loss) {}

        public static void main(String[] args) throws InterruptedException {
          Fn3<Params, Array, Array, StepOut> update = Transforms.jit("update", (Params p, Array x, Array y) -> {
            Array err = p.w().mul(x).add(p.b()).sub(y);
            Array loss = err.square().mean();
            Array gw = err.mul(x).mean().mul(2);
            Array gb = err.mean().mul(2);
            return new StepOut(new Params(p.w().sub(gw.mul(0.05)), p.b().sub(gb.mul(0.05))), loss);
          });
          float[] xs = new float[8];
          for (int i = 0; i < xs.length; i++) {
            xs[i] = i * 0.5f;
          }
          Array x = Array.of(DType.F32, new int[] {xs.length}, xs);
          Array y = x.mul(2).sub(1);
          Params p = new Params(Array.scalar(0.5), Array.scalar(0));
          for (int i = 0; i < %d; i++) {
            StepOut out = update.apply(p, x, y);
            p = out.params();
            Thread.sleep(100); // time for a Pause from the IDE to land before training ends
          }
          System.out.println("trained: w=" + p.w() + " b=" + p.b());
        }
      }
      """.formatted(STEPS);

  /** A program that never makes a jitted call, so it never connects to the debugger. */
  static final String NO_JIT = """
      package demo;

      public class NoJit {
        public static void main(String[] args) throws InterruptedException {
          System.out.println("no training here");
        }
      }
      """;

  /** A program writing to both streams, its own copy of the JVM's incubator warning among them. */
  static final String CONSOLE_LINES = """
      package demo;

      public class ConsoleLines {
        public static void main(String[] args) {
          System.err.println("err 1");
          System.out.println("out 1");
          System.err.println("WARNING: Using incubator modules: jdk.incubator.vector");
          System.out.println("out 2");
          System.err.println("err 2");
        }
      }
      """;

  @TempDir
  Path dir;

  private IProject project;
  private ILaunch launch;
  private ILaunchConfiguration config;

  /**
   * Ends {@code launch} (null: none) as a test's clean-up: terminated, removed, its live session
   * closed and its run closed, the State Flow view hidden.
   */
  static void endLaunch(ILaunch launch) throws Exception {
    if (launch != null) {
      if (!launch.isTerminated()) {
        launch.terminate();
      }
      DebugPlugin.getDefault().getLaunchManager().removeLaunch(launch);
      for (IDebugTarget t : launch.getDebugTargets()) {
        if (t instanceof RunDebugTarget rt) {
          rt.session().close();
          LiveSessions.remove(rt.session().run());
          DebuggerPlugin.runs().remove(rt.session().run());
        }
      }
      Ui.closeStateFlowView(); // the launch showed the run; stop its re-reads before @TempDir goes
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    endLaunch(launch);
    if (config != null && config.exists()) {
      config.delete();
    }
    if (project != null && project.exists()) {
      project.delete(true, true, null);
    }
  }

  static void await(String what, long timeoutMs, BooleanSupplier condition, java.util.function.Supplier<String> detail)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "\n" + detail.get());
      }
      Thread.sleep(50);
    }
  }

  @Test
  void launchPauseStepResumeAndRecordTwentyCalls() throws Exception {
    IJavaProject javaProject = createProject("sl-training-e2e");
    project.build(IncrementalProjectBuilder.FULL_BUILD, null);
    assertEquals(List.of(), TestJavaProjects.compileErrors(javaProject), "the training project must compile against the StateLens Engine library");

    Path db = dir.resolve("training.db");
    launch = launchFromShortcut(javaProject, "demo.Train", db);

    assertNotNull(launch.getProcesses().length == 0 ? null : launch.getProcesses()[0], "a Java process was started");
    IProcess process = launch.getProcesses()[0];
    assertTrue(String.valueOf(process.getAttribute(IProcess.ATTR_CMDLINE)).contains("-Dstatelens.info=stdout"),
        "the recorder's notices go to stdout, not the Console's red stderr: " + process.getAttribute(IProcess.ATTR_CMDLINE));
    assertTrue(String.valueOf(process.getAttribute(IProcess.ATTR_CMDLINE)).contains("--add-modules jdk.incubator.vector"),
        "the CPU kernels run on the Vector API, as under ./statelens: " + process.getAttribute(IProcess.ATTR_CMDLINE));
    // the Console view may take the buffered output, so listen from here on (the program is paused)
    process.getStreamsProxy().getOutputStreamMonitor().addListener((text, monitor) -> captured.append(text));
    process.getStreamsProxy().getErrorStreamMonitor().addListener((text, monitor) -> captured.append(text));
    await("the StateLens debug target", 10_000,
        () -> Arrays.stream(launch.getDebugTargets()).anyMatch(t -> t instanceof RunDebugTarget), () -> output(process));
    RunDebugTarget target = (RunDebugTarget) Arrays.stream(launch.getDebugTargets())
        .filter(t -> t instanceof RunDebugTarget).findFirst().orElseThrow();
    LiveSession session = target.session();
    assertEquals(db, session.run().path());

    // the program connects and stops before its first jitted call
    await("the pause before the first call", 40_000,
        () -> session.state() == LiveSession.State.PAUSED, () -> session.label() + "\n" + output(process));
    IThread thread = target.getThreads()[0];
    assertTrue(thread.isSuspended() && target.isSuspended());
    assertEquals("update — paused before step 0", thread.getName());
    assertTrue(thread.canStepOver() && thread.canResume());

    // Step Over = one jitted call, then paused again
    thread.stepOver();
    await("step 1", 30_000, () -> session.state() == LiveSession.State.PAUSED && session.step() == 1,
        () -> session.label() + "\n" + output(process));
    assertEquals("update — paused before step 1", thread.getName());
    try (RunStore store = RunStore.open(db)) {
      assertEquals(1, store.calls("update", 0, Long.MAX_VALUE).size(), "paused with call 0 flushed to the run file");
    }

    // how the Debug and Variables views show the paused run: the registered model presentation ...
    IDebugModelPresentation presentation = DebugUITools.newDebugModelPresentation(RunDebugTarget.MODEL_ID);
    assertNotNull(presentation, "a debug model presentation for " + RunDebugTarget.MODEL_ID);
    assertEquals("update — paused before step 1", presentation.getText(thread));
    assertEquals("update(step 1) — 3 state leaves", presentation.getText(thread.getTopStackFrame()));
    assertEquals("training.db (connected, port " + session.port() + ")", presentation.getText(target));
    // ... the top frame's variables: the state call 1 receives = the outputs of call 0 in the run file
    assertVariablesMatchRunFile(thread, db, 0, presentation);
    // ... and the views themselves, with those labels
    showDebugViews();
    awaitViewText("the Debug view's thread label", IDebugUIConstants.ID_DEBUG_VIEW, "update — paused before step 1");
    awaitViewText("the Debug view's frame label", IDebugUIConstants.ID_DEBUG_VIEW, "update(step 1) — 3 state leaves");
    awaitViewText("the Variables view's params", IDebugUIConstants.ID_VARIABLE_VIEW, "params");
    awaitViewText("the Variables view's loss value", IDebugUIConstants.ID_VARIABLE_VIEW,
        Format.num(recorded(db, 0).get("loss").values()[0]));
    // selecting the frame in the Debug view opens the step function at its recorded line, as a Java frame does
    assertFrameOpensRecordedSource(target, thread, db);

    // the State Flow view's Live row drives the launched program: Step ...
    await("the State Flow view on the live run", 20_000, () -> Ui.call(() -> {
      var v = (StateFlowView) Ui.page().findView(StateFlowView.ID);
      return v != null && v.liveSession() == session;
    }), session::label);
    assertEquals(DebuggerPerspective.ID, Ui.call(() -> Ui.page().getPerspective().getId()),
        "the launch switched to the StateLens perspective");
    clickLive("Step");
    await("step 2", 30_000, () -> session.state() == LiveSession.State.PAUSED && session.step() == 2,
        () -> session.label() + "\n" + output(process));
    assertEquals("update — paused before step 2", presentation.getText(thread));
    assertVariablesMatchRunFile(thread, db, 1, presentation);
    awaitViewText("the Debug view to follow", IDebugUIConstants.ID_DEBUG_VIEW, "update — paused before step 2");
    captureIfAsked();
    // ... Resume, then Pause: paused again before training ends (the program sleeps 100 ms a call)
    long pauses = session.pauses();
    clickLive("▶ Resume");
    clickLive("❚❚ Pause");
    await("the pause", 30_000, () -> session.pauses() > pauses && session.state() == LiveSession.State.PAUSED,
        () -> session.label() + "\n" + output(process));
    long paused = session.step();
    assertTrue(paused >= 2 && paused < STEPS, "paused at step " + paused);
    assertEquals("update — paused before step " + paused, presentation.getText(thread));
    assertVariablesMatchRunFile(thread, db, paused - 1, presentation);

    // ... and Resume runs to completion: the program exits, the debug target and the launch terminate
    clickLive("▶ Resume");
    await("the end of training", 40_000, () -> launch.isTerminated() && target.isTerminated(),
        () -> session.label() + "\n" + output(process));
    assertEquals("<terminated> training.db (finished)", presentation.getText(target));
    assertEquals(0, process.getExitValue(), output(process));
    assertTrue(output(process).contains("trained: w="), output(process));
    // the shortcut's configuration names the process factory from its creation: no incubator warning in its Console
    assertEquals(dev.statelens.debugger.launch.TrainingProcessFactory.ID,
        launch.getLaunchConfiguration().getAttribute(DebugPlugin.ATTR_PROCESS_FACTORY_ID, ""));
    var console = (org.eclipse.ui.console.TextConsole) DebugUITools.getConsole(process);
    String shown = Ui.<String>call(() -> console.getDocument().get());
    assertTrue(shown.contains("trained: w=") && !shown.contains("Using incubator modules"), shown);
    captureConsoleIfAsked(console);

    assertTrue(Files.isRegularFile(db), "run file " + db);
    try (RunStore store = RunStore.open(db)) {
      List<CallInfo> calls = store.calls("update", 0, Long.MAX_VALUE);
      assertEquals(STEPS, calls.size(), "every jitted call recorded");
      assertEquals(List.of(0L, (long) STEPS - 1), List.of(calls.get(0).step(), calls.get(STEPS - 1).step()));
      assertTrue(store.isFinished(), "the program's shutdown hook closed the run");
    }
  }

  @Test
  void aProgramThatNeverConnectsEndsTheLaunchWhenItExits() throws Exception {
    IJavaProject javaProject = createProject("sl-training-nojit");
    project.build(IncrementalProjectBuilder.FULL_BUILD, null);
    assertEquals(List.of(), TestJavaProjects.compileErrors(javaProject));
    launch = launch(javaProject, "demo.NoJit", dir.resolve("nojit.db"));
    await("the StateLens debug target", 10_000,
        () -> Arrays.stream(launch.getDebugTargets()).anyMatch(t -> t instanceof RunDebugTarget), () -> "");
    RunDebugTarget target = (RunDebugTarget) Arrays.stream(launch.getDebugTargets())
        .filter(t -> t instanceof RunDebugTarget).findFirst().orElseThrow();
    // the session waits up to 2 minutes for a connection; the process's exit must end it at once
    await("the launch to end with its process", 30_000, () -> launch.isTerminated() && target.isTerminated(),
        () -> target.session().label());
    assertEquals("finished: the program exited before its first jitted call", target.session().label());
    assertEquals(target.session().label(), dev.statelens.debugger.ui.RunsView.status(target.session().run()),
        "the Runs view says why the run is empty (was a blank Status)");
  }

  /**
   * The Console of a launch does not open with the JVM's red "Using incubator modules" line for the
   * --add-modules the launch adds: the document the Console shows holds the program's own lines of
   * each stream in order, its own identical warning line included, and nothing else. The saved
   * configuration names no process factory (made before StateLens set one at creation) and is not
   * written to by the launch (it was, on its first launch).
   */
  @Test
  void theConsoleShowsTheProgramsLinesWithoutTheJvmsIncubatorWarning() throws Exception {
    IJavaProject javaProject = createProject("sl-training-console");
    project.build(IncrementalProjectBuilder.FULL_BUILD, null);
    assertEquals(List.of(), TestJavaProjects.compileErrors(javaProject));
    ILaunchConfiguration saved = configuration(javaProject, "demo.ConsoleLines", dir.resolve("console.db")).doSave();
    launch = saved.launch(ILaunchManager.RUN_MODE, null, false);
    IProcess process = launch.getProcesses()[0];
    assertTrue(String.valueOf(process.getAttribute(IProcess.ATTR_CMDLINE)).contains("--add-modules jdk.incubator.vector"),
        "the JVM is started with the incubator module, so it does print the warning: "
            + process.getAttribute(IProcess.ATTR_CMDLINE));
    assertEquals(saved, launch.getLaunchConfiguration(), "the launch is of the saved configuration");
    assertEquals(null, saved.getAttribute(DebugPlugin.ATTR_PROCESS_FACTORY_ID, (String) null),
        "the launch did not write the process factory into the user's configuration");
    assertEquals(launch, process.getLaunch(), "the process belongs to the launch itself");
    await("the program's end", 30_000, launch::isTerminated, () -> output(process));
    java.util.function.Supplier<String> console = () -> {
      var c = (org.eclipse.ui.console.TextConsole) DebugUITools.getConsole(process);
      return c == null ? "" : Ui.<String>call(() -> c.getDocument().get());
    };
    await("the Console's last lines", 20_000, () -> console.get().contains("err 2") && console.get().contains("out 2"),
        () -> "console:\n" + console.get());
    List<String> lines = console.get().lines().toList();
    String warning = "WARNING: Using incubator modules: jdk.incubator.vector";
    assertEquals(List.of("err 1", warning, "err 2"),
        lines.stream().filter(l -> l.startsWith("err") || l.startsWith("WARNING")).toList(), console.get());
    assertEquals(List.of("out 1", "out 2"), lines.stream().filter(l -> l.startsWith("out")).toList(), console.get());
    assertEquals(5, lines.stream().filter(l -> !l.isBlank()).count(), "nothing but the program's lines: " + console.get());
    assertEquals(0, process.getExitValue());
  }

  /** With STATELENS_SCREENSHOTS=dir: the Console of that launch as dir/debugger-launch-console.png (1600x1000 Xvfb). */
  private static void captureConsoleIfAsked(org.eclipse.ui.console.TextConsole console) throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out == null) {
      return;
    }
    Ui.run(() -> {
      var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
      window.getShell().setBounds(window.getShell().getDisplay().getBounds()); // no window manager under Xvfb
      org.eclipse.ui.console.ConsolePlugin.getDefault().getConsoleManager().showConsoleView(console);
    });
    Ui.settle();
    Thread.sleep(1_000);
    Ui.run(() -> { });
    ScreenshotTest.capture(Files.createDirectories(Path.of(out)).resolve("debugger-launch-console.png"));
  }

  /**
   * Launches {@code mainType} through Debug As &gt; StateLens Training: the shortcut's configuration
   * for the type (created, then reused; the test points its run file at {@code db}), launched by the
   * shortcut itself in its launch job, paused before its first jitted call for this launch only.
   */
  private ILaunch launchFromShortcut(IJavaProject javaProject, String mainType, Path db) throws Exception {
    IType type = javaProject.findType(mainType);
    assertNotNull(type, mainType);
    // the Run As / Debug As menus offer the shortcut on a type with main, not on one without
    assertEquals(EvaluationResult.TRUE, shortcutEnablement(type), "offered on " + mainType);
    assertEquals(EvaluationResult.FALSE, shortcutEnablement(type.getType("Params")), "offered on a record without main");
    TrainingLaunchShortcut shortcut = new TrainingLaunchShortcut();
    config = shortcut.configurationFor(type);
    assertNotNull(config, "the shortcut creates a configuration for " + mainType);
    assertEquals(TrainingLaunchDelegate.TYPE_ID, config.getType().getIdentifier());
    assertEquals(mainType, config.getAttribute(IJavaLaunchConfigurationConstants.ATTR_MAIN_TYPE_NAME, ""));
    assertEquals(javaProject.getElementName(), config.getAttribute(IJavaLaunchConfigurationConstants.ATTR_PROJECT_NAME, ""));
    ILaunchConfigurationWorkingCopy wc = config.getWorkingCopy();
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_VM_ARGUMENTS, "-Xmx256m");
    wc.setAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, db.toString());
    config = wc.doSave();
    assertEquals(config, shortcut.configurationFor(type), "the shortcut reuses the configuration of its main type");
    assertFalse(config.getAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, false),
        "the saved configuration does not pause: Debug As (debug mode) does");

    // Debug As > StateLens Training on the type: what the menu runs once JDT's main-type search (not
    // called here: it waits for the JDK's first indexing, a minute on a loaded 2-core box) found it
    ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
    Set<ILaunch> before = Set.of(manager.getLaunches());
    Ui.run(() -> shortcut.launch(type, ILaunchManager.DEBUG_MODE));
    String name = config.getName();
    java.util.function.Supplier<ILaunch> started = () -> Arrays.stream(manager.getLaunches())
        .filter(l -> !before.contains(l) && l.getLaunchConfiguration() != null
            && l.getLaunchConfiguration().getName().equals(name)
            && Arrays.stream(l.getDebugTargets()).anyMatch(t -> t instanceof RunDebugTarget))
        .findFirst().orElse(null);
    await("the shortcut's launch with its debug target", 40_000, () -> started.get() != null,
        () -> Arrays.toString(manager.getLaunches()));
    // in debug mode, so Debug History and F11 have it (the JVM itself runs without JDWP)
    assertEquals(ILaunchManager.DEBUG_MODE, started.get().getLaunchMode());
    return started.get();
  }

  /** The shortcut's contextual-launch enablement (plugin.xml) for a selection of {@code element}, as the menus evaluate it. */
  private static EvaluationResult shortcutEnablement(Object element) throws CoreException {
    IConfigurationElement shortcut = Arrays.stream(Platform.getExtensionRegistry()
            .getConfigurationElementsFor("org.eclipse.debug.ui.launchShortcuts"))
        .filter(e -> "dev.statelens.debugger.training.shortcut".equals(e.getAttribute("id"))).findFirst().orElseThrow();
    Expression enablement = ExpressionConverter.getDefault()
        .perform(shortcut.getChildren("contextualLaunch")[0].getChildren("enablement")[0]);
    List<Object> selection = List.of(element);
    EvaluationContext context = new EvaluationContext(null, selection);
    context.addVariable("selection", selection);
    context.setAllowPluginActivation(true);
    return enablement.evaluate(context);
  }

  /** The outputs of {@code update}'s call {@code call} in the run file, by path. */
  private static Map<String, LeafSample> recorded(Path db, long call) {
    try (RunStore store = RunStore.open(db)) {
      return store.state("update", call).stream().filter(l -> l.role().equals("out"))
          .collect(Collectors.toMap(LeafSample::path, l -> l, (a, b) -> a, TreeMap::new));
    }
  }

  /**
   * The paused thread's top frame holds, by path, the state the next call receives: the outputs of
   * call {@code call} in the run file, with their values, each labelled {@code path  f32()  value}.
   */
  private static void assertVariablesMatchRunFile(IThread thread, Path db, long call, IDebugModelPresentation p)
      throws Exception {
    Map<String, LeafVariable> shown = new TreeMap<>();
    collectLeaves(thread.getTopStackFrame().getVariables(), shown);
    Map<String, LeafSample> recorded = recorded(db, call);
    assertEquals(Set.of("loss", "params.b", "params.w"), recorded.keySet(), "outputs of call " + call);
    assertEquals(recorded.keySet(), shown.keySet(), "the top frame's variables, by path");
    for (Map.Entry<String, LeafSample> e : recorded.entrySet()) {
      LeafVariable v = shown.get(e.getKey());
      assertArrayEquals(e.getValue().values(), v.node().sample().values(), e.getKey() + " at call " + call);
      assertEquals(e.getKey() + "  f32()  " + Format.num(e.getValue().values()[0]), p.getText(v));
    }
  }

  /**
   * Selects the top frame in the Debug view (the Debug UI then asks the frame's ISourceDisplay) and
   * waits for Train.java's editor with the selection on the line the run file records for
   * {@code update} (the first array operation of its lambda).
   */
  private void assertFrameOpensRecordedSource(RunDebugTarget target, IThread thread, Path db) throws Exception {
    SourceRef ref;
    try (RunStore store = RunStore.open(db)) {
      ref = store.functions().stream().filter(f -> f.name().equals("update")).findFirst().orElseThrow().source()
          .orElseThrow(() -> new AssertionError("no source position recorded for update"));
    }
    assertEquals("demo.Train", ref.className());
    assertTrue(ref.hasLine(), ref.toString());
    assertEquals("Array err = p.w().mul(x).add(p.b()).sub(y);", TRAIN.lines().toList().get(ref.line() - 1).trim(),
        "the recorded line is the lambda's first array operation");
    IStackFrame frame = thread.getTopStackFrame();
    Ui.run(() -> ((AbstractDebugView) Ui.page().findView(IDebugUIConstants.ID_DEBUG_VIEW)).getViewer()
        .setSelection(new TreeSelection(new TreePath(new Object[] {launch, target, thread, frame})), true));
    await("Train.java open at line " + ref.line(), 20_000, () -> Ui.call(() -> editorLine("Train.java") == ref.line()),
        () -> "editor line " + Ui.call(() -> editorLine("Train.java")) + ", outcome " + FrameSourceDisplay.lastOutcome());
    assertTrue(FrameSourceDisplay.lastOutcome().opened(), String.valueOf(FrameSourceDisplay.lastOutcome()));
    assertFalse(Ui.call(() -> Ui.page().getActivePart() instanceof ITextEditor),
        "the views keep the focus (the editor opens without activation, the keys stay with stepping)");
  }

  /** The 1-based line of the selection in the open editor on file {@code name}; -1 when none is open. */
  private static int editorLine(String name) {
    for (IEditorReference r : Ui.page().getEditorReferences()) {
      if (r.getEditor(false) instanceof ITextEditor editor && editor.getEditorInput() instanceof IFileEditorInput in
          && in.getFile().getName().equals(name)
          && editor.getSelectionProvider().getSelection() instanceof ITextSelection sel) {
        return sel.getStartLine() + 1;
      }
    }
    return -1;
  }

  private static void collectLeaves(IVariable[] variables, Map<String, LeafVariable> out) throws DebugException {
    for (IVariable v : variables) {
      LeafVariable leaf = (LeafVariable) v;
      if (leaf.node().isLeaf()) {
        out.put(leaf.node().path(), leaf);
      } else {
        collectLeaves(leaf.getValue().getVariables(), out);
      }
    }
  }

  private static void showDebugViews() {
    Ui.run(() -> {
      IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
      try {
        page.showView(IDebugUIConstants.ID_DEBUG_VIEW);
        page.showView(IDebugUIConstants.ID_VARIABLE_VIEW);
      } catch (PartInitException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Waits until the debug view {@code viewId} shows an item (in any column) labelled {@code text}. */
  private static void awaitViewText(String what, String viewId, String text) throws InterruptedException {
    await(what, 30_000, () -> viewTexts(viewId).contains(text), () -> viewId + " shows " + viewTexts(viewId));
  }

  /** The labels, every column, of the items a debug view's tree shows now (expanded ones' children too). */
  private static List<String> viewTexts(String viewId) {
    return Ui.call(() -> {
      List<String> out = new ArrayList<>();
      var view = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().findView(viewId);
      if (view instanceof AbstractDebugView dv && dv.getViewer() != null && dv.getViewer().getControl() instanceof Tree t) {
        collectTexts(t.getItems(), Math.max(1, t.getColumnCount()), out);
      }
      return out;
    });
  }

  private static void collectTexts(TreeItem[] items, int columns, List<String> out) {
    for (TreeItem item : items) {
      for (int c = 0; c < columns; c++) {
        out.add(item.getText(c));
      }
      if (item.getExpanded()) {
        collectTexts(item.getItems(), columns, out);
      }
    }
  }

  /** Presses a button of the State Flow view's Live row, as a click does. */
  private static void clickLive(String label) {
    Ui.run(() -> {
      Button b = liveButton(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), label);
      assertNotNull(b, "the State Flow view's Live row has no button '" + label + "'");
      assertTrue(b.getParent().getVisible() && b.isEnabled(), "the Live row is shown for a live run");
      b.notifyListeners(SWT.Selection, new Event());
    });
  }

  private static Button liveButton(Composite parent, String label) {
    boolean liveRow = Arrays.stream(parent.getChildren()).anyMatch(c -> c instanceof Label l && "Live:".equals(l.getText()));
    for (Control c : parent.getChildren()) {
      if (liveRow && c instanceof Button b && label.equals(b.getText())) {
        return b;
      }
      if (c instanceof Composite inner) {
        Button b = liveButton(inner, label);
        if (b != null) {
          return b;
        }
      }
    }
    return null;
  }

  /**
   * With STATELENS_SCREENSHOTS=dir: the Debug perspective on this paused run (Debug view, Variables
   * view with params.w's detail) as dir/debugger-live-debug-view.png. Run under
   * {@code xvfb-run -s "-screen 0 1600x1000x24"}; needs ImageMagick's import.
   */
  private static void captureIfAsked() throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out == null) {
      return;
    }
    var before = Ui.call(() -> Ui.page().getPerspective());
    Ui.run(() -> {
      var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
      window.getShell().setBounds(window.getShell().getDisplay().getBounds()); // no window manager under Xvfb
      try {
        PlatformUI.getWorkbench().showPerspective("org.eclipse.debug.ui.DebugPerspective", window);
      } catch (org.eclipse.ui.WorkbenchException e) {
        throw new IllegalStateException(e);
      }
    });
    showDebugViews();
    awaitViewText("the Variables view's params", IDebugUIConstants.ID_VARIABLE_VIEW, "params");
    Ui.run(() -> { // expand params, as a click on its twistie does
      Tree tree = (Tree) ((AbstractDebugView) Ui.page().findView(IDebugUIConstants.ID_VARIABLE_VIEW)).getViewer()
          .getControl();
      TreeItem params = tree.getItem(0);
      if (!params.getExpanded()) {
        Event e = new Event();
        e.item = params;
        tree.notifyListeners(SWT.Expand, e);
        params.setExpanded(true);
      }
    });
    awaitViewText("the Variables view's w", IDebugUIConstants.ID_VARIABLE_VIEW, "w");
    Ui.run(() -> { // select params.w, as a click does, for the detail pane; room for the Value column
      var view = (AbstractDebugView) Ui.page().findView(IDebugUIConstants.ID_VARIABLE_VIEW);
      Tree tree = (Tree) view.getViewer().getControl();
      tree.getColumn(0).setWidth(110);
      tree.getColumn(1).setWidth(Math.max(200, tree.getClientArea().width - 110));
      TreeItem w = tree.getItem(0).getItem(0);
      tree.setSelection(w);
      Event e = new Event();
      e.item = w;
      tree.notifyListeners(SWT.Selection, e);
    });
    Ui.settle();
    Thread.sleep(2_000); // label jobs and the detail pane
    Ui.run(() -> { });
    ScreenshotTest.capture(Files.createDirectories(Path.of(out)).resolve("debugger-live-debug-view.png"));
    Ui.run(() -> Ui.page().setPerspective(before)); // back to the State Flow view's Live row
  }

  /** Launches {@code mainType} through a "StateLens Training" configuration, paused at start. */
  private static ILaunch launch(IJavaProject javaProject, String mainType, Path db) throws Exception {
    return configuration(javaProject, mainType, db).launch(ILaunchManager.RUN_MODE, null, false);
  }

  /** A configuration as the tests (and StateLens before it named the process factory at creation) make it. */
  private static ILaunchConfigurationWorkingCopy configuration(IJavaProject javaProject, String mainType, Path db)
      throws Exception {
    ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
    ILaunchConfigurationType type = manager.getLaunchConfigurationType(TrainingLaunchDelegate.TYPE_ID);
    ILaunchConfigurationWorkingCopy wc = type.newInstance(null, javaProject.getElementName());
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_PROJECT_NAME, javaProject.getElementName());
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_MAIN_TYPE_NAME, mainType);
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_VM_ARGUMENTS, "-Xmx256m");
    wc.setAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, db.toString());
    wc.setAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, true);
    return wc;
  }

  private final StringBuffer captured = new StringBuffer();

  /** The program's output since the test started listening, for assertions and failure messages. */
  private String output(IProcess process) {
    if (process.getStreamsProxy() == null) {
      return "(no output captured)";
    }
    return "--- program output ---\n" + process.getStreamsProxy().getOutputStreamMonitor().getContents()
        + process.getStreamsProxy().getErrorStreamMonitor().getContents() + captured;
  }

  /** A Java project with src/demo/Train.java, NoJit.java and the "StateLens Engine" library on its build path. */
  private IJavaProject createProject(String name) throws Exception {
    TestJavaProjects.disableAutoBuild(); // the test builds explicitly
    assertNotNull(Platform.getBundle("dev.statelens.plugin"),
        "the StateLens plugin bundle (it contributes the StateLens Engine library)");
    IJavaProject javaProject = TestJavaProjects.create(name,
        List.of(TestJavaProjects.engineContainerEntry()),
        Map.of("demo/Train.java", TRAIN, "demo/NoJit.java", NO_JIT, "demo/ConsoleLines.java", CONSOLE_LINES));
    project = javaProject.getProject();
    Map<String, String> options = javaProject.getOptions(false);
    // the running JRE's own level (no --release emulation through ct.sym)
    String jre = Integer.toString(Runtime.version().feature());
    String latest = JavaCore.latestSupportedJavaVersion();
    JavaCore.setComplianceOptions(JavaCore.compareJavaVersions(latest, jre) < 0 ? latest : jre, options);
    options.put(JavaCore.COMPILER_RELEASE, JavaCore.DISABLED);
    javaProject.setOptions(options);
    return javaProject;
  }
}
