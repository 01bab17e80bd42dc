package dev.statelens.plugin.lint;

import dev.statelens.lint.Finding;
import dev.statelens.plugin.StateLensPlugin;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaModelException;
import org.eclipse.jdt.core.compiler.BuildContext;
import org.eclipse.jdt.core.compiler.CategorizedProblem;
import org.eclipse.jdt.core.compiler.CompilationParticipant;
import org.eclipse.jdt.core.compiler.ReconcileContext;

/**
 * StateLens in JDT's own pipeline, so its problems behave like the compiler's:
 * <ul>
 *   <li>reconcile (as you type, in JDT's reconciler thread, never the UI thread): findings in the
 *       edited buffer become editor problems ({@link ReconcileContext#putProblems});
 *   <li>build (inside JDT's build job): findings become problems recorded on the compiled files
 *       ({@link BuildContext#recordNewProblems}); the marker type is a managed marker, so JDT
 *       creates the markers and deletes them on rebuild and clean.
 * </ul>
 * No builder or nature of its own. Active for projects {@link Activation} accepts. Both go
 * through the project's kept linter ({@link ProjectLinters}): the result is the whole-project
 * analysis's, without indexing the whole project again.
 */
public final class LintParticipant extends CompilationParticipant {

  @Override
  public boolean isActive(IJavaProject project) {
    if (project != null && project.exists()) {
      dev.statelens.plugin.prefs.SettingsListener.watch(project.getProject());
    }
    return Activation.isActive(project);
  }

  @Override
  public void reconcile(ReconcileContext context) {
    ICompilationUnit unit = context.getWorkingCopy();
    try {
      IResource resource = unit.getResource();
      if (!(resource instanceof IFile file) || file.getLocation() == null
          || ProjectSources.isDerived(file)) {
        return;
      }
      Path path = ProjectSources.pathOf(file);
      ProjectAnalysis analysis =
          ProjectLinters.withBuffer(unit.getJavaProject(), path, unit.getSource());
      context.putProblems(LintMarkers.PROBLEM, problems(analysis.findingsIn(path), file));
    } catch (JavaModelException e) {
      if (!e.isDoesNotExist()) {
        StateLensPlugin.log("StateLens could not analyze " + unit.getElementName(), e);
      }
    } catch (CoreException | RuntimeException e) {
      StateLensPlugin.log("StateLens could not analyze " + unit.getElementName(), e);
    }
  }

  @Override
  public void buildStarting(BuildContext[] files, boolean isBatch) {
    if (files.length == 0) {
      return;
    }
    IFile first = files[0].getFile();  // all files of one build are of one project
    IJavaProject project = org.eclipse.jdt.core.JavaCore.create(first.getProject());
    ProjectAnalysis analysis;
    try {
      // a full or clean build starts the kept linter afresh; an incremental one updates it
      analysis = isBatch ? ProjectLinters.rebuild(project) : ProjectLinters.onDisk(project);
    } catch (CoreException | RuntimeException e) {
      StateLensPlugin.log("StateLens could not analyze project " + project.getElementName(), e);
      return;
    }
    for (BuildContext context : files) {
      IFile file = context.getFile();
      if (file.getLocation() == null || ProjectSources.isDerived(file)) {
        continue;
      }
      CategorizedProblem[] problems =
          problems(analysis.findingsIn(ProjectSources.pathOf(file)), file);
      if (problems.length > 0) {
        context.recordNewProblems(problems);
      }
    }
  }

  static CategorizedProblem[] problems(List<Finding> findings, IFile file) {
    char[] name = file.getFullPath().toString().toCharArray();
    return findings.stream().map(f -> new LintProblem(f, name)).toArray(CategorizedProblem[]::new);
  }
}
