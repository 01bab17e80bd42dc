package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.launch.LiveSessions;
import dev.statelens.debugger.launch.RunDebugTarget;
import dev.statelens.debugger.launch.TrainingLaunchDelegate;
import dev.statelens.engine.record.store.CallInfo;
import dev.statelens.engine.record.store.RunStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspaceDescription;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.Platform;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.IJavaModelMarker;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants;
import org.eclipse.jdt.launching.JavaRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "StateLens Training" end to end: a Java project in the test workspace with the StateLens Engine
 * library (the plugin's classpath container) on its build path, built by JDT, launched through a
 * launch configuration of the training type in a separate JVM. The debug target appears, the run
 * pauses before its first jitted call, Step Over runs one call, Resume runs to the end, and the
 * run file holds all 20 calls.
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

        public static void main(String[] args) {
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
          }
          System.out.println("trained: w=" + p.w() + " b=" + p.b());
        }
      }
      """.formatted(STEPS);

  /** A program that never makes a jitted call, so it never connects to the debugger. */
  static final String NO_JIT = """
      package demo;

      public class NoJit {
        public static void main(String[] args) {
          System.out.println("no training here");
        }
      }
      """;

  @TempDir
  Path dir;

  private IProject project;
  private ILaunch launch;

  @AfterEach
  void cleanUp() throws Exception {
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
    assertEquals(List.of(), compileErrors(), "the training project must compile against the StateLens Engine library");

    Path db = dir.resolve("training.db");
    launch = launch(javaProject, "demo.Train", db);

    assertNotNull(launch.getProcesses().length == 0 ? null : launch.getProcesses()[0], "a Java process was started");
    IProcess process = launch.getProcesses()[0];
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
    assertEquals("update — step 0, paused", thread.getName());
    assertTrue(thread.canStepOver() && thread.canResume());

    // Step Over = one jitted call, then paused again
    thread.stepOver();
    await("step 1", 30_000, () -> session.state() == LiveSession.State.PAUSED && session.step() == 1,
        () -> session.label() + "\n" + output(process));
    assertEquals("update — step 1, paused", thread.getName());
    try (RunStore store = RunStore.open(db)) {
      assertEquals(1, store.calls("update", 0, Long.MAX_VALUE).size(), "paused with call 0 flushed to the run file");
    }

    // Resume runs to completion: the program exits, the debug target and the launch terminate
    thread.resume();
    await("the end of training", 40_000, () -> launch.isTerminated() && target.isTerminated(),
        () -> session.label() + "\n" + output(process));
    assertEquals(0, process.getExitValue(), output(process));
    assertTrue(output(process).contains("trained: w="), output(process));

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
    assertEquals(List.of(), compileErrors());
    launch = launch(javaProject, "demo.NoJit", dir.resolve("nojit.db"));
    await("the StateLens debug target", 10_000,
        () -> Arrays.stream(launch.getDebugTargets()).anyMatch(t -> t instanceof RunDebugTarget), () -> "");
    RunDebugTarget target = (RunDebugTarget) Arrays.stream(launch.getDebugTargets())
        .filter(t -> t instanceof RunDebugTarget).findFirst().orElseThrow();
    // the session waits up to 2 minutes for a connection; the process's exit must end it at once
    await("the launch to end with its process", 30_000, () -> launch.isTerminated() && target.isTerminated(),
        () -> target.session().label());
    assertEquals("finished: the program exited before its first jitted call", target.session().label());
  }

  /** Launches {@code mainType} through a "StateLens Training" configuration, paused at start. */
  private static ILaunch launch(IJavaProject javaProject, String mainType, Path db) throws Exception {
    ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
    ILaunchConfigurationType type = manager.getLaunchConfigurationType(TrainingLaunchDelegate.TYPE_ID);
    ILaunchConfigurationWorkingCopy wc = type.newInstance(null, javaProject.getElementName());
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_PROJECT_NAME, javaProject.getElementName());
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_MAIN_TYPE_NAME, mainType);
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_VM_ARGUMENTS, "-Xmx256m");
    wc.setAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, db.toString());
    wc.setAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, true);
    return wc.launch(ILaunchManager.RUN_MODE, null, false);
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
    // JDT's start-up work (classpath containers, the JRE's modules) before the first build: without
    // it a build soon after other tests could fail inside JDT ("Bug 529367 ... iModule null")
    JavaCore.initializeAfterLoad(null);
    var workspace = ResourcesPlugin.getWorkspace();
    IWorkspaceDescription d = workspace.getDescription();
    if (d.isAutoBuilding()) {
      d.setAutoBuilding(false); // the test builds explicitly
      workspace.setDescription(d);
    }
    assertNotNull(Platform.getBundle("dev.statelens.plugin"),
        "the StateLens plugin bundle (it contributes the StateLens Engine library)");
    project = workspace.getRoot().getProject(name);
    if (project.exists()) {
      project.delete(true, true, null);
    }
    project.create(null);
    project.open(null);
    IProjectDescription description = project.getDescription();
    description.setNatureIds(new String[] {JavaCore.NATURE_ID});
    project.setDescription(description, null);
    IJavaProject javaProject = JavaCore.create(project);
    IFolder src = project.getFolder("src");
    src.create(true, true, null);
    List<IClasspathEntry> classpath = new ArrayList<>();
    classpath.add(JavaCore.newSourceEntry(src.getFullPath()));
    classpath.add(JavaRuntime.getDefaultJREContainerEntry());
    classpath.add(JavaCore.newContainerEntry(IPath.fromOSString("dev.statelens.plugin.ENGINE")));
    javaProject.setRawClasspath(classpath.toArray(IClasspathEntry[]::new), project.getFolder("bin").getFullPath(), null);
    Map<String, String> options = javaProject.getOptions(false);
    // the running JRE's own level (no --release emulation through ct.sym)
    String jre = Integer.toString(Runtime.version().feature());
    String latest = JavaCore.latestSupportedJavaVersion();
    JavaCore.setComplianceOptions(JavaCore.compareJavaVersions(latest, jre) < 0 ? latest : jre, options);
    options.put(JavaCore.COMPILER_RELEASE, JavaCore.DISABLED);
    javaProject.setOptions(options);
    IFolder demo = src.getFolder("demo");
    demo.create(true, true, null);
    for (Map.Entry<String, String> e : Map.of("Train.java", TRAIN, "NoJit.java", NO_JIT).entrySet()) {
      IFile file = demo.getFile(e.getKey());
      file.create(new ByteArrayInputStream(e.getValue().getBytes(StandardCharsets.UTF_8)), IResource.FORCE, null);
      file.setCharset("UTF-8", null);
    }
    return javaProject;
  }

  private List<String> compileErrors() throws Exception {
    List<String> errors = new ArrayList<>();
    for (IMarker m : project.findMarkers(IJavaModelMarker.JAVA_MODEL_PROBLEM_MARKER, true, IResource.DEPTH_INFINITE)) {
      if (m.getAttribute(IMarker.SEVERITY, 0) == IMarker.SEVERITY_ERROR) {
        errors.add(m.getResource().getName() + ":" + m.getAttribute(IMarker.LINE_NUMBER, 0) + " "
            + m.getAttribute(IMarker.MESSAGE, ""));
      }
    }
    return errors;
  }
}
