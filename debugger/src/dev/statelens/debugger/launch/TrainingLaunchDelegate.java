package dev.statelens.debugger.launch;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.prefs.BackendPreference;
import dev.statelens.debugger.ui.DebuggerPerspective;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.jdt.launching.JavaLaunchDelegate;

/**
 * "StateLens Training": a Java application launch (main class, classpath, JRE and arguments as
 * usual) that records the run and is controlled live. It adds {@code -Dstatelens.record=<run file>}
 * and the control channel's port and per-launch token to the VM arguments, starts a
 * {@link LiveSession} for it and puts a {@link RunDebugTarget} on the launch, so the Debug view's
 * Suspend/Resume/Step drive training at jit-call boundaries. It has both modes: debug also pauses
 * before the first jitted call (and is listed in Debug Configurations and Debug History); both run
 * the JVM without JDWP.
 */
public final class TrainingLaunchDelegate extends JavaLaunchDelegate {
  public static final String TYPE_ID = "dev.statelens.debugger.training";
  /** Attribute: the run file to write (default: a new file under {@code <workspace>/runs/}). */
  public static final String ATTR_RUN_FILE = "dev.statelens.debugger.runFile";
  /** Attribute: pause before the first jitted call (default false). */
  public static final String ATTR_PAUSE_AT_START = "dev.statelens.debugger.pauseAtStart";
  /** The compute backend (cpu, auto, cuda, rocm) as -Dstatelens.backend; absent: the engine's default. */
  public static final String ATTR_BACKEND = "dev.statelens.debugger.backend";

  private static final ThreadLocal<LiveSession> LAUNCHING = new ThreadLocal<>();

  @Override
  public void launch(ILaunchConfiguration config, String mode, ILaunch launch, IProgressMonitor monitor)
      throws CoreException {
    Path file = runFile(config);
    Run run = DebuggerPlugin.runs().open(file);
    LiveSession session;
    try {
      Files.createDirectories(file.getParent());
      session = LiveSession.start(run);
    } catch (IOException e) {
      throw new CoreException(DebuggerPlugin.error("Cannot open the StateLens control channel on 127.0.0.1: "
          + e.getMessage(), e));
    }
    LiveSessions.put(run, session);
    // Debug (Debug As, Debug Configurations, F11) pauses before the first jitted call; either way the
    // JVM runs as in run mode, without JDWP: StateLens' own debug target pauses and steps it
    boolean debug = ILaunchManager.DEBUG_MODE.equals(mode);
    session.acceptAsync(Duration.ofMinutes(2), debug || config.getAttribute(ATTR_PAUSE_AT_START, false));
    LAUNCHING.set(session);
    try {
      super.launch(config, ILaunchManager.RUN_MODE, ProcessFactoryLaunch.of(launch, config), monitor);
    } catch (CoreException | RuntimeException e) {
      session.close(); // no program will connect: free the port, end the session
      LiveSessions.remove(run);
      throw e;
    } finally {
      LAUNCHING.remove();
    }
    IProcess[] processes = launch.getProcesses();
    launch.addDebugTarget(new RunDebugTarget(launch, processes.length == 0 ? null : processes[0], session));
    showInView(run);
  }

  /**
   * Names {@link TrainingProcessFactory} as the process factory of a configuration being created
   * (the StateLens tab's defaults, the New Project wizard, Run As, the IDE's example configurations),
   * so the Console leaves out the JVM's incubator-module warning. A configuration without it (made by
   * an older StateLens, or by hand) gets the factory for each launch without being written to:
   * {@link ProcessFactoryLaunch}.
   */
  public static void useTrainingProcessFactory(ILaunchConfigurationWorkingCopy config) {
    config.setAttribute(DebugPlugin.ATTR_PROCESS_FACTORY_ID, TrainingProcessFactory.ID);
  }

  private static void showInView(Run run) {
    var wb = org.eclipse.ui.PlatformUI.getWorkbench();
    wb.getDisplay().asyncExec(() -> {
      var window = wb.getActiveWorkbenchWindow();
      if (window == null || window.getActivePage() == null) {
        return;
      }
      try {
        // as a Java debug launch opens the Debug perspective: State Flow, Debug, Variables, Console
        var perspective = window.getActivePage().getPerspective();
        if (perspective == null || !DebuggerPerspective.ID.equals(perspective.getId())) {
          wb.showPerspective(DebuggerPerspective.ID, window);
        }
        ((dev.statelens.debugger.ui.StateFlowView) window.getActivePage()
            .showView(dev.statelens.debugger.ui.StateFlowView.ID)).show(run);
      } catch (org.eclipse.ui.WorkbenchException e) {
        DebuggerPlugin.log("cannot show the State Flow view", e);
      }
    });
  }

  /**
   * None: Java breakpoints do not apply to a StateLens Training launch (its JVM runs without JDWP),
   * so a run-mode launch must not offer "Breakpoints are set: launch in debug mode?" for them.
   */
  @Override
  protected IBreakpoint[] getBreakpoints(ILaunchConfiguration configuration) {
    return null;
  }

  /**
   * The configured VM arguments plus recording, the control channel of this launch and the backend:
   * the launch's own, else the workspace default ({@link BackendPreference}; left out when the VM
   * arguments already name one), else none (the JVM reads STATELENS_BACKEND, else runs on cpu).
   */
  @Override
  public String getVMArguments(ILaunchConfiguration config) throws CoreException {
    String args = withSession(super.getVMArguments(config), LAUNCHING.get());
    args = withVectorApi(args, jreHome(config));
    String own = config.getAttribute(ATTR_BACKEND, "");
    String backend = BackendPreference.property(own);
    if (backend == null || own.isBlank() && args.contains("-Dstatelens.backend=")) {
      return args;
    }
    return (args + " -Dstatelens.backend=" + backend).trim();
  }

  /**
   * {@code base} plus {@code --add-modules jdk.incubator.vector} when the launch's JRE has that
   * module and the arguments don't name it: the CPU backend's matmul kernels then run on the Vector
   * API as under {@code ./statelens} (several times faster for big products, and the same bits, so
   * a run resumed from the command line continues the IDE's exactly). The JVM prints one
   * "Using incubator modules" line for it. A JRE without the module (a jlinked one) is left alone:
   * adding it there would stop the JVM from starting.
   */
  public static String withVectorApi(String base, Path jreHome) {
    String args = base == null ? "" : base;
    if (args.contains("jdk.incubator.vector") || jreHome == null || !hasModule(jreHome, "jdk.incubator.vector")) {
      return args;
    }
    return (args + " --add-modules jdk.incubator.vector").trim();
  }

  /** Whether the JDK/JRE at {@code home} lists {@code module} in its {@code release} file. */
  static boolean hasModule(Path home, String module) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("MODULES=")) {
          return java.util.Arrays.asList(line.substring("MODULES=".length()).replace("\"", "").split(" ")).contains(module);
        }
      }
    } catch (IOException e) {
      // no release file: not a JDK layout we can read, so don't add the option
    }
    return false;
  }

  private Path jreHome(ILaunchConfiguration config) {
    try {
      java.io.File home = getVMInstall(config).getInstallLocation();
      return home == null ? null : home.toPath();
    } catch (CoreException e) {
      return null; // the launch itself reports a missing JRE
    }
  }

  /** {@code base} plus the session's options (recording, control port and token); quoted when needed. */
  public static String withSession(String base, LiveSession s) {
    if (s == null) {
      return base;
    }
    StringBuilder b = new StringBuilder(base == null ? "" : base);
    for (String o : s.jvmOptions()) {
      b.append(' ').append(quote(o));
    }
    return b.toString().trim();
  }

  private static String quote(String arg) {
    return arg.contains(" ") ? "\"" + arg + "\"" : arg;
  }

  /** The configured run file, or a new one under {@code <workspace>/runs/}. */
  public static Path runFile(ILaunchConfiguration config) throws CoreException {
    String f = config.getAttribute(ATTR_RUN_FILE, "");
    if (!f.isBlank()) {
      return Path.of(f);
    }
    Path root = ResourcesPlugin.getWorkspace().getRoot().getLocation().toPath();
    String name = config.getName().replaceAll("[^A-Za-z0-9._-]", "_") + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".db";
    return root.resolve("runs").resolve(name);
  }
}
