package dev.statelens.debugger;

import dev.statelens.debugger.model.Runs;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.osgi.framework.BundleContext;

/** The state debugger bundle: owns the registry of opened runs. */
public final class DebuggerPlugin extends AbstractUIPlugin {
  public static final String ID = "dev.statelens.debugger";
  private static DebuggerPlugin instance;
  private final Runs runs = new Runs();

  @Override
  public void start(BundleContext context) throws Exception {
    super.start(context);
    instance = this;
    dev.statelens.debugger.ui.OpenRunsMemory.track(runs); // runs open at the last exit come back with the views
    // Charts are JFreeChart images drawn on SWT canvases: AWT never opens a window, and a headless
    // AWT cannot clash with SWT's GTK (docs/decisions.md, "Debugger charts").
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  @Override
  public void stop(BundleContext context) throws Exception {
    runs.closeAll();
    instance = null;
    super.stop(context);
  }

  public static DebuggerPlugin getDefault() {
    return instance;
  }

  /** The runs open in this workbench (Runs view, State Flow view, launches). */
  public static Runs runs() {
    return instance.runs;
  }

  public static IStatus error(String message, Throwable t) {
    return new Status(IStatus.ERROR, ID, message, t);
  }

  public static void log(String message, Throwable t) {
    DebuggerPlugin p = instance;
    if (p != null) {
      p.getLog().log(error(message, t));
    }
  }
}
