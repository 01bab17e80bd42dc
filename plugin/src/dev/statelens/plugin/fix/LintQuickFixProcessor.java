package dev.statelens.plugin.fix;

import dev.statelens.lint.Rule;
import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.lint.LintMarkers;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.ui.text.java.IInvocationContext;
import org.eclipse.jdt.ui.text.java.IJavaCompletionProposal;
import org.eclipse.jdt.ui.text.java.IProblemLocation;
import org.eclipse.jdt.ui.text.java.IQuickFixProcessor;

/**
 * Ctrl+1 in the Java editor on a StateLens problem reported while typing (registered for the
 * StateLens marker type). Where the same finding already has a build marker, the editor lists the
 * marker's resolutions ({@link LintMarkerResolutionGenerator}) and this processor stays quiet, so
 * each fix appears once.
 */
public final class LintQuickFixProcessor implements IQuickFixProcessor {

  @Override
  public boolean hasCorrections(ICompilationUnit unit, int problemId) {
    return LintMarkers.ruleOf(problemId) != null;
  }

  @Override
  public IJavaCompletionProposal[] getCorrections(IInvocationContext context, IProblemLocation[] locations) {
    List<IJavaCompletionProposal> proposals = new ArrayList<>();
    ICompilationUnit unit = context.getCompilationUnit();
    for (IProblemLocation location : locations) {
      Rule rule = LintMarkers.ruleOf(location.getProblemId());
      if (rule == null || !LintMarkers.PROBLEM.equals(location.getMarkerType())
          || hasMarker(unit, rule, location.getOffset())) {
        continue;
      }
      String[] args = location.getProblemArguments();
      List<String> ids = args != null && args.length > 1 && !args[1].isEmpty()
          ? List.of(args[1].split(",")) : List.of();
      for (FixId fix : LintFixes.offered(ids)) {
        // checked now that the user asks (SL010's rewrites are re-linted): a fix that would
        // not hold is not listed
        String label = LintFixes.verifiedLabel(fix, source(unit), location.getOffset());
        if (label != null) {
          proposals.add(new FixProposal(unit, rule, location.getOffset(), fix, label));
        }
      }
    }
    return proposals.toArray(IJavaCompletionProposal[]::new);
  }

  private static String source(ICompilationUnit unit) {
    try {
      return unit.getSource();
    } catch (org.eclipse.jdt.core.JavaModelException e) {
      return "";
    }
  }

  /** Whether a build marker of this rule starts at this offset (its resolutions are listed). */
  static boolean hasMarker(ICompilationUnit unit, Rule rule, int offset) {
    IResource resource = unit.getResource();
    if (resource == null || !resource.exists()) {
      return false;
    }
    try {
      for (IMarker m : resource.findMarkers(LintMarkers.PROBLEM, false, IResource.DEPTH_ZERO)) {
        if (rule.id().equals(m.getAttribute(LintMarkers.RULE_ID, null))
            && m.getAttribute(IMarker.CHAR_START, -1) == offset) {
          return true;
        }
      }
    } catch (CoreException e) {
      return false;
    }
    return false;
  }
}
