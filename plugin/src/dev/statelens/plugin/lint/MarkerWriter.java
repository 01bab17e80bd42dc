package dev.statelens.plugin.lint;

import dev.statelens.lint.Finding;
import dev.statelens.lint.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;

/**
 * Replaces a file's StateLens markers outside a build (after a settings change). The attributes
 * match those JDT writes for the participant's build problems.
 */
public final class MarkerWriter {

  private MarkerWriter() {}

  public static void replace(IResource resource, List<Finding> findings) throws CoreException {
    resource.deleteMarkers(LintMarkers.PROBLEM, true, IResource.DEPTH_ZERO);
    if (resource instanceof IFile) {
      for (Finding f : findings) {
        resource.createMarker(LintMarkers.PROBLEM, attributes(f));
      }
    }
  }

  static Map<String, Object> attributes(Finding f) {
    LintProblem p = new LintProblem(f, new char[0]);
    Map<String, Object> a = new HashMap<>();
    a.put(IMarker.MESSAGE, p.getMessage());
    a.put(IMarker.SEVERITY, severity(f.severity()));
    a.put(IMarker.CHAR_START, p.getSourceStart());
    a.put(IMarker.CHAR_END, p.getSourceEnd() + 1);
    a.put(IMarker.LINE_NUMBER, p.getSourceLineNumber());
    a.put(IMarker.SOURCE_ID, "StateLens");
    a.put(org.eclipse.jdt.core.IJavaModelMarker.ID, p.getID());
    a.put(org.eclipse.jdt.core.IJavaModelMarker.CATEGORY_ID, p.getCategoryID());
    // JDT's encoding ("count:arg#arg"), read back by CorrectionEngine.getProblemArguments
    a.put(org.eclipse.jdt.core.IJavaModelMarker.ARGUMENTS,
        p.getArguments().length + ":" + String.join("#", p.getArguments()));
    String[] names = p.getExtraMarkerAttributeNames();
    Object[] values = p.getExtraMarkerAttributeValues();
    for (int i = 0; i < names.length; i++) {
      a.put(names[i], values[i]);
    }
    return a;
  }

  static int severity(Severity s) {
    return switch (s) {
      case ERROR -> IMarker.SEVERITY_ERROR;
      case WARNING -> IMarker.SEVERITY_WARNING;
      case INFO -> IMarker.SEVERITY_INFO;
    };
  }
}
