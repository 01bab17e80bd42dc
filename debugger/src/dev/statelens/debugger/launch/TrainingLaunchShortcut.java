package dev.statelens.debugger.launch;

import dev.statelens.debugger.DebuggerPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.jdt.core.IType;
import org.eclipse.jdt.debug.ui.launchConfigurations.JavaApplicationLaunchShortcut;

/**
 * Run As / Debug As &gt; StateLens Training on a Java type with a {@code main} method (or its file,
 * package, project): reuses the StateLens Training configuration of that project and main type or
 * creates one, as JDT's Java Application shortcut does, and launches it. The training type has one
 * mode, run (its own debug target pauses and steps the program); Debug As also pauses the program
 * before its first jitted call, for this launch only.
 */
public final class TrainingLaunchShortcut extends JavaApplicationLaunchShortcut {
  @Override
  protected ILaunchConfigurationType getConfigurationType() {
    return DebugPlugin.getDefault().getLaunchManager().getLaunchConfigurationType(TrainingLaunchDelegate.TYPE_ID);
  }

  /**
   * The StateLens Training configuration for {@code type}: the existing one of its project and main
   * type (the user picks when there are several), else a new saved one; null when none was chosen.
   */
  public ILaunchConfiguration configurationFor(IType type) {
    ILaunchConfiguration config = findLaunchConfiguration(type, getConfigurationType());
    return config != null ? config : createConfiguration(type);
  }

  /** Launches {@code type}'s configuration (the menus get here after JDT's search for main types). */
  @Override
  public void launch(IType type, String mode) {
    ILaunchConfiguration config = configurationFor(type);
    if (config == null) {
      return;
    }
    try {
      DebugUITools.launch(forMode(config, mode), ILaunchManager.RUN_MODE);
    } catch (CoreException e) {
      DebuggerPlugin.log("cannot launch " + config.getName(), e);
    }
  }

  /** Debug mode: the configuration, paused before the first jitted call (not saved). */
  public static ILaunchConfiguration forMode(ILaunchConfiguration config, String mode) throws CoreException {
    if (!ILaunchManager.DEBUG_MODE.equals(mode) || config.getAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, false)) {
      return config;
    }
    ILaunchConfigurationWorkingCopy wc = config.getWorkingCopy();
    wc.setAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, true);
    return wc;
  }
}
