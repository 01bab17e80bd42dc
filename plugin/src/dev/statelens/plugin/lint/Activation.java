package dev.statelens.plugin.lint;

import dev.statelens.plugin.prefs.LintPreferences;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.IJavaProject;

/**
 * Which projects StateLens lints: Java projects that can see the engine
 * ({@code dev.statelens.engine.Transforms} on their build path), or that have "check always"
 * switched on in their StateLens properties.
 */
public final class Activation {

  static final String TRANSFORMS = "dev.statelens.engine.Transforms";

  private Activation() {}

  public static boolean isActive(IJavaProject project) {
    if (project == null || !project.exists()) {
      return false;
    }
    if (LintPreferences.alwaysCheck(project.getProject())) {
      return true;
    }
    try {
      return project.findType(TRANSFORMS) != null;
    } catch (CoreException e) {
      return false; // no build path yet: nothing to lint against
    }
  }
}
