package dev.statelens.debugger.launch;

import dev.statelens.debugger.DebuggerPlugin;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;

/**
 * The launch as JDT's VM runner sees it when the configuration names no process factory (one made
 * by an older StateLens, or by hand): every call goes to the real launch but
 * {@code getLaunchConfiguration()}, which answers an unsaved copy of the configuration naming
 * {@link TrainingProcessFactory}, because {@code DebugPlugin.newProcess} looks the factory up there
 * only. The factory makes the process on the real launch ({@link #real}), so the Console, the Debug
 * view and Relaunch see the launch and configuration as they are. Before, the delegate wrote the
 * factory into the user's configuration on its first launch (see docs/decisions.md).
 */
final class ProcessFactoryLaunch implements InvocationHandler {
  private final ILaunch launch;
  private final ILaunchConfiguration configuration;

  private ProcessFactoryLaunch(ILaunch launch, ILaunchConfiguration configuration) {
    this.launch = launch;
    this.configuration = configuration;
  }

  /** {@code launch} itself when {@code config} names a factory (ours, or the user's own), else the carrier. */
  static ILaunch of(ILaunch launch, ILaunchConfiguration config) {
    try {
      if (config.getAttribute(DebugPlugin.ATTR_PROCESS_FACTORY_ID, (String) null) != null) {
        return launch; // the user's own factory wins; the Console then shows the warning
      }
      ILaunchConfigurationWorkingCopy copy = config.getWorkingCopy(); // never saved
      TrainingLaunchDelegate.useTrainingProcessFactory(copy);
      return (ILaunch) Proxy.newProxyInstance(ProcessFactoryLaunch.class.getClassLoader(), new Class<?>[] {ILaunch.class},
          new ProcessFactoryLaunch(launch, copy));
    } catch (CoreException e) {
      DebuggerPlugin.log("cannot name the StateLens process factory for " + config.getName()
          + ": the Console shows the JVM's incubator-module warning", e);
      return launch;
    }
  }

  /** The launch a carrier stands for ({@code launch} itself otherwise). */
  static ILaunch real(ILaunch launch) {
    return launch != null && Proxy.isProxyClass(launch.getClass())
        && Proxy.getInvocationHandler(launch) instanceof ProcessFactoryLaunch carrier ? carrier.launch : launch;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("getLaunchConfiguration") && method.getParameterCount() == 0) {
      return configuration;
    }
    if (method.getName().equals("equals") && method.getParameterCount() == 1) {
      return args[0] instanceof ILaunch other && launch.equals(real(other));
    }
    try {
      return method.invoke(launch, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
