package dev.statelens.plugin;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.osgi.framework.BundleContext;

/** The bundle activator: holds the shared instance and logs to the Error Log. */
public final class StateLensPlugin extends AbstractUIPlugin {

  public static final String PLUGIN_ID = "dev.statelens.plugin";

  private static volatile StateLensPlugin instance;

  @Override
  public void start(BundleContext context) throws Exception {
    super.start(context);
    instance = this;
    dev.statelens.plugin.prefs.SettingsListener.start();
  }

  @Override
  public void stop(BundleContext context) throws Exception {
    dev.statelens.plugin.prefs.SettingsListener.stop();
    dev.statelens.plugin.lint.ProjectLinters.stop();
    instance = null;
    super.stop(context);
  }

  /** The running plugin, or null when the bundle is not active. */
  public static StateLensPlugin getDefault() {
    return instance;
  }

  public static void log(String message, Throwable error) {
    ILog.of(StateLensPlugin.class).log(Status.error(message, error));
  }

  public static void log(IStatus status) {
    ILog.of(StateLensPlugin.class).log(status);
  }
}
