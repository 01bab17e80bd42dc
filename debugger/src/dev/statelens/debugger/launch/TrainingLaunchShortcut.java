package dev.statelens.debugger.launch;

import dev.statelens.debugger.DebuggerPlugin;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.jdt.core.IType;
import org.eclipse.jdt.debug.ui.launchConfigurations.JavaApplicationLaunchShortcut;

/**
 * Run As / Debug As &gt; StateLens Training on a Java type with a {@code main} method (or its file,
 * package, project): reuses the StateLens Training configuration of that project and main type or
 * creates one, as JDT's Java Application shortcut does, and launches it in the menu's mode: Debug As
 * also pauses the program before its first jitted call (its own debug target pauses and steps the
 * program; the configuration is not changed).
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

  /** JDT's new configuration for {@code type}, naming the StateLens process factory (the Console without the JVM's warning). */
  @Override
  protected ILaunchConfiguration createConfiguration(IType type) {
    ILaunchConfiguration config = super.createConfiguration(type);
    if (config == null) {
      return null;
    }
    try {
      ILaunchConfigurationWorkingCopy wc = config.getWorkingCopy();
      TrainingLaunchDelegate.useTrainingProcessFactory(wc);
      return wc.doSave();
    } catch (CoreException e) {
      DebuggerPlugin.log("cannot name the StateLens process factory in " + config.getName(), e);
      return config;
    }
  }

  /** Launches {@code type}'s configuration (the menus get here after JDT's search for main types). */
  @Override
  public void launch(IType type, String mode) {
    ILaunchConfiguration config = configurationFor(type);
    if (config == null) {
      return;
    }
    try {
      // in its mode: a debug launch pauses before the first jitted call (the delegate) and is listed
      // in Debug History; it was launched in run mode, so Debug Configurations and F11 never had it
      DebugUITools.launch(config, mode);
    } catch (RuntimeException e) {
      DebuggerPlugin.log("cannot launch " + config.getName(), e);
    }
  }
}
