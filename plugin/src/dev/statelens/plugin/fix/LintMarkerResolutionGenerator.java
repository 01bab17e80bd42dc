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
 * markers, plainly ("Use the result"): {@link LintMarkerResolution} tells the two apart by
 * whether it was asked which other markers it fixes.
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
    ICompilationUnit unit = unit(marker);
    for (FixId fix : LintFixes.offered(fixIds(marker))) {
      // checked now that the user asks (SL010's rewrites are re-linted): one that would not
      // hold is not listed
      String verified = LintFixes.verifiedLabel(fix, text, offset);
      if (verified != null) {
        out.add(new LintMarkerResolution(fix, rule, unit == null ? null : new FixProposal(unit, rule, offset, fix, verified)));
      }
    }
    return out.toArray(IMarkerResolution[]::new);
  }

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
