package dev.statelens.plugin.fix;

import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;

/**
 * JDT warns "Unsupported @SuppressWarnings("statelens:SL001")" on tokens it does not know, so the
 * Suppress fix would trade one warning for another. Applying it therefore also sets the project's
 * "Unhandled token in @SuppressWarnings" to Ignore — the option Checkstyle's and SpotBugs' users
 * set by hand for their own tokens. Only that one key goes to the project's settings
 * (.settings/org.eclipse.jdt.core.prefs); everything else stays inherited.
 */
final class SuppressWarningsTokens {
  private SuppressWarningsTokens() {}

  static void quietJdt(IJavaProject project) {
    if (project != null
        && !JavaCore.IGNORE.equals(project.getOption(JavaCore.COMPILER_PB_UNHANDLED_WARNING_TOKEN, true))) {
      project.setOption(JavaCore.COMPILER_PB_UNHANDLED_WARNING_TOKEN, JavaCore.IGNORE);
    }
  }
}
