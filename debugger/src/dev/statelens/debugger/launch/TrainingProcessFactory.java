package dev.statelens.debugger.launch;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.IProcessFactory;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.RuntimeProcess;

/**
 * The process of a StateLens Training launch: Eclipse's own {@link RuntimeProcess} (Console,
 * terminate, exit value as for any Java launch) on the JVM whose stderr reads through an
 * {@link IncubatorWarningFilter}, so the Console does not open with the JVM's red "Using incubator
 * modules" line. Registered under {@link #ID} (plugin.xml, org.eclipse.debug.core.processFactories)
 * and named by the launch configuration's {@code DebugPlugin.ATTR_PROCESS_FACTORY_ID} (set when it is
 * created; {@link ProcessFactoryLaunch} for one made without it).
 */
public final class TrainingProcessFactory implements IProcessFactory {
  public static final String ID = "dev.statelens.debugger.trainingProcessFactory";

  @Override
  public IProcess newProcess(ILaunch launch, Process process, String label, Map<String, String> attributes) {
    // on the real launch: a configuration that names no factory reaches here through ProcessFactoryLaunch
    return new RuntimeProcess(ProcessFactoryLaunch.real(launch), new WarningFreeStderr(process), label, attributes);
  }

  /** {@code process} with its stderr filtered; everything else is the process's own. */
  static final class WarningFreeStderr extends Process {
    private final Process process;
    private final InputStream stderr;

    WarningFreeStderr(Process process) {
      this.process = process;
      this.stderr = new IncubatorWarningFilter(process.getErrorStream());
    }

    @Override
    public InputStream getErrorStream() {
      return stderr;
    }

    @Override
    public InputStream getInputStream() {
      return process.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() {
      return process.getOutputStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
      return process.waitFor();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
      return process.waitFor(timeout, unit);
    }

    @Override
    public int exitValue() {
      return process.exitValue();
    }

    @Override
    public void destroy() {
      process.destroy();
    }

    @Override
    public Process destroyForcibly() {
      process.destroyForcibly();
      return this;
    }

    @Override
    public boolean supportsNormalTermination() {
      return process.supportsNormalTermination();
    }

    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public CompletableFuture<Process> onExit() {
      return process.onExit().thenApply(p -> this);
    }

    @Override
    public ProcessHandle toHandle() {
      return process.toHandle();
    }

    @Override
    public ProcessHandle.Info info() {
      return process.info();
    }

    @Override
    public Stream<ProcessHandle> children() {
      return process.children();
    }

    @Override
    public Stream<ProcessHandle> descendants() {
      return process.descendants();
    }
  }
}
