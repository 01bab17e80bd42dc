package dev.statelens.plugin.fix;

import dev.statelens.lint.Rule;
import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.lint.LintMarkers;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolutionGenerator2;

/**
 * Quick Fix on StateLens markers in the Problems view (one or several at once), and Ctrl+1 in the
 * Java editor on a finding that has a build marker (a saved file: JDT lists the marker's
 * resolutions there, and {@link LintQuickFixProcessor} stays quiet). In the editor a resolution is
 * labelled as the processor labels the same fix of an unsaved buffer, with what it writes ("Use the
 * result: state = state.at(0).set(v)"); in the Problems view, which may apply it to several
 * markers, plainly ("Use the result").
 */
public final class LintMarkerResolutionGenerator implements IMarkerResolutionGenerator2 {

  @Override
  public boolean hasResolutions(IMarker marker) {
    return rule(marker) != null;
  }

  @Override
  public IMarkerResolution[] getResolutions(IMarker marker) {
    Rule rule = rule(marker);
    if (rule == null) {
      return new IMarkerResolution[0];
    }
    List<IMarkerResolution> out = new ArrayList<>();
    String text = text(marker);
    int offset = marker.getAttribute(IMarker.CHAR_START, -1);
    ICompilationUnit editorUnit = askedByJavaEditor() ? unit(marker) : null;
    for (FixId fix : LintFixes.offered(fixIds(marker))) {
      // checked now that the user asks (SL010's rewrites are re-linted): one that would not
      // hold is not listed
      String verified = LintFixes.verifiedLabel(fix, text, offset);
      if (verified != null) {
        String label = editorUnit == null ? null
            : new FixProposal(editorUnit, rule, offset, fix, verified).getDisplayString();
        out.add(new LintMarkerResolution(fix, rule, label));
      }
    }
    return out.toArray(IMarkerResolution[]::new);
  }

  /**
   * Whether JDT's Ctrl+1 in the Java editor asks: its correction processor lists a saved file's
   * marker resolutions beside the proposals of {@link LintQuickFixProcessor}. The registry gives a
   * generator no context, and the same marker's Problems view Quick Fix wants the plain labels.
   */
  static boolean askedByJavaEditor() {
    return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().equals(JAVA_EDITOR_CTRL1)));
  }

  private static final String JAVA_EDITOR_CTRL1 = "org.eclipse.jdt.internal.ui.text.correction.JavaCorrectionProcessor";

  private static ICompilationUnit unit(IMarker marker) {
    return marker.getResource() instanceof IFile file && JavaCore.create(file) instanceof ICompilationUnit unit
        ? unit : null;
  }

  /** The current text of the marker's file: the editor's buffer when it is open, else the file. */
  static String text(IMarker marker) {
    try {
      if (marker.getResource() instanceof IFile file
          && JavaCore.create(file) instanceof ICompilationUnit unit) {
        return unit.getSource();
      }
    } catch (CoreException | RuntimeException e) {
      // no text: the checked fixes are not listed
    }
    return "";
  }

  static List<String> fixIds(IMarker marker) {
    String ids = marker.getAttribute(LintMarkers.FIX_IDS, "");
    return ids.isEmpty() ? List.of() : List.of(ids.split(","));
  }

  static Rule rule(IMarker marker) {
    try {
      String id = marker.getAttribute(LintMarkers.RULE_ID, null);
      return id == null ? null : Rule.parse(id);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }
}
