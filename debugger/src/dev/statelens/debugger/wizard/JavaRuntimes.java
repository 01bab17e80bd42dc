package dev.statelens.debugger.wizard;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jdt.launching.IVMInstall;
import org.eclipse.jdt.launching.IVMInstall2;
import org.eclipse.jdt.launching.IVMInstallType;
import org.eclipse.jdt.launching.JavaRuntime;

/** Which of the workspace's installed JREs can run the engine (Java 25 or newer). */
public final class JavaRuntimes {
  /** The engine's bytecode level and API (java.lang.foreign, the Vector API) need this release. */
  public static final int REQUIRED = 25;

  /** The page's message when none qualifies: the problem and where to fix it. */
  public static final String MISSING = "The StateLens engine needs Java " + REQUIRED
      + ", and this workspace has no Java " + REQUIRED + " JRE. Add a JDK " + REQUIRED
      + " (or newer) in Window > Preferences > Java > Installed JREs.";

  private JavaRuntimes() {}

  /** Every JRE the workspace knows (Preferences &gt; Java &gt; Installed JREs). */
  public static List<IVMInstall> installed() {
    List<IVMInstall> all = new ArrayList<>();
    for (IVMInstallType type : JavaRuntime.getVMInstallTypes()) {
      all.addAll(List.of(type.getVMInstalls()));
    }
    return all;
  }

  /**
   * The JRE for a new StateLens project: the workspace default when it is Java {@value #REQUIRED} or
   * newer (so the project follows the user's default), else the first installed one that is.
   */
  public static Optional<IVMInstall> pick(List<IVMInstall> installed, IVMInstall workspaceDefault) {
    if (workspaceDefault != null && fits(workspaceDefault)) {
      return Optional.of(workspaceDefault);
    }
    return installed.stream().filter(JavaRuntimes::fits).findFirst();
  }

  /** {@link #pick} over this workspace's JREs. */
  public static Optional<IVMInstall> pick() {
    return pick(installed(), JavaRuntime.getDefaultVMInstall());
  }

  static boolean fits(IVMInstall vm) {
    return feature(vm) >= REQUIRED;
  }

  /** The JRE's feature release (25 for "25.0.1", 8 for "1.8.0_402"), 0 when it does not say. */
  public static int feature(IVMInstall vm) {
    String version = vm instanceof IVMInstall2 v2 ? v2.getJavaVersion() : null;
    if (version == null || version.isBlank()) {
      return 0;
    }
    String[] parts = version.split("[._+-]");
    try {
      int first = Integer.parseInt(parts[0]);
      return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** "Temurin 25 (25.0.1)": how the page names a JRE. */
  public static String describe(IVMInstall vm) {
    String version = vm instanceof IVMInstall2 v2 ? v2.getJavaVersion() : null;
    return version == null ? vm.getName() : vm.getName() + " (Java " + version + ")";
  }
}
