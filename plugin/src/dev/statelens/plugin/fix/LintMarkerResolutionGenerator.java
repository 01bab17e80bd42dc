package dev.statelens.plugin.fix;

import dev.statelens.lint.Rule;
import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.lint.LintMarkers;
import java.util.List;
import org.eclipse.core.resources.IMarker;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolutionGenerator2;

/** Quick Fix on StateLens markers in the Problems view (one or several at once). */
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
    List<FixId> fixes = LintFixes.offered(fixIds(marker));
    return fixes.stream().map(f -> new LintMarkerResolution(f, rule)).toArray(IMarkerResolution[]::new);
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
