package dev.statelens.plugin.fix;

import dev.statelens.lint.Rule;
import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.lint.LintMarkers;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.ui.text.java.IInvocationContext;
import org.eclipse.jdt.ui.text.java.IJavaCompletionProposal;
import org.eclipse.jdt.ui.text.java.IProblemLocation;
import org.eclipse.jdt.ui.text.java.IQuickFixProcessor;

/** Ctrl+1 in the Java editor on a StateLens problem (registered for its marker type). */
public final class LintQuickFixProcessor implements IQuickFixProcessor {

  @Override
  public boolean hasCorrections(ICompilationUnit unit, int problemId) {
    return LintMarkers.ruleOf(problemId) != null;
  }

  @Override
  public IJavaCompletionProposal[] getCorrections(IInvocationContext context, IProblemLocation[] locations) {
    List<IJavaCompletionProposal> proposals = new ArrayList<>();
    for (IProblemLocation location : locations) {
      Rule rule = LintMarkers.ruleOf(location.getProblemId());
      if (rule == null || !LintMarkers.PROBLEM.equals(location.getMarkerType())) {
        continue;
      }
      for (FixId fix : fixes(location.getProblemArguments())) {
        proposals.add(new FixProposal(context.getCompilationUnit(), rule, location.getOffset(), fix));
      }
    }
    return proposals.toArray(IJavaCompletionProposal[]::new);
  }

  /** The fix ids a problem carries (argument 1, comma-separated), filtered to what applies. */
  static List<FixId> fixes(String[] arguments) {
    List<String> ids = arguments != null && arguments.length > 1 && !arguments[1].isEmpty()
        ? List.of(arguments[1].split(",")) : List.of();
    List<FixId> out = new ArrayList<>();
    for (String id : ids) {
      try {
        FixId fix = FixId.parse(id);
        if (LintFixes.supported(fix)) {
          out.add(fix);
        }
      } catch (IllegalArgumentException unknown) {
        // fix from a newer lint: not offered
      }
    }
    if (!out.contains(FixId.SUPPRESS)) {
      out.add(FixId.SUPPRESS);
    }
    return out;
  }
}
