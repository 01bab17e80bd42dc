package dev.statelens.plugin.lint;

import dev.statelens.lint.Finding;
import dev.statelens.plugin.StateLensPlugin;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;

/**
 * Re-lints projects and replaces their StateLens markers, after a settings change. Runs in the
 * background, one analysis at a time and without a resource lock, so builds and editing never wait
 * on an analysis. Only the marker write takes the project's resource rule:
 * a build writes the same markers through the compilation participant, and two unsynchronized
 * delete-then-create writers left each finding marked twice.
 */
public final class ReanalyzeJob extends Job {

  /** Family for {@code IJobManager.join}: tests and shutdown wait for pending analyses. */
  public static final Object FAMILY = ReanalyzeJob.class;

  private final Set<IProject> projects = new LinkedHashSet<>();

  private ReanalyzeJob(Set<IProject> projects) {
    super("StateLens: analyzing " + projects.size() + " project(s)");
    this.projects.addAll(projects);
    // no job rule: a job rule would have to contain the project rule the marker write takes below
    // (and holding project rules for the whole analysis would block saves and builds)
    setSystem(false);
    setPriority(DECORATE);
  }

  private static final Object ANALYSES = new Object();

  /** Jobs scheduled but not started, by project set: a burst of setting changes runs once. */
  private static final Map<Set<IProject>, ReanalyzeJob> PENDING =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Schedules a re-analysis of these projects (all open projects when empty). */
  public static Job schedule(Set<IProject> projects) {
    Set<IProject> targets = Set.copyOf(projects.isEmpty() ? allProjects() : projects);
    ReanalyzeJob job = PENDING.computeIfAbsent(targets, ReanalyzeJob::new);
    job.schedule(200); // no effect while it already waits: changes coalesce
    return job;
  }

  static Set<IProject> allProjects() {
    Set<IProject> all = new LinkedHashSet<>();
    for (IProject p : ResourcesPlugin.getWorkspace().getRoot().getProjects()) {
      if (p.isOpen()) {
        all.add(p);
      }
    }
    return all;
  }

  @Override
  public boolean belongsTo(Object family) {
    return family == FAMILY;
  }

  @Override
  protected IStatus run(IProgressMonitor monitor) {
    PENDING.remove(Set.copyOf(projects), this);
    SubMonitor progress = SubMonitor.convert(monitor, projects.size());
    List<IStatus> problems = new ArrayList<>();
    for (IProject project : projects) {
      if (progress.isCanceled()) {
        return Status.CANCEL_STATUS;
      }
      try {
        synchronized (ANALYSES) { // one StateLens analysis at a time (settings changes are rare)
          reanalyze(project);
        }
      } catch (CoreException | RuntimeException e) {
        problems.add(Status.error("StateLens could not analyze " + project.getName() + ": " + e.getMessage(), e));
      }
      progress.worked(1);
    }
    return problems.isEmpty() ? Status.OK_STATUS : problems.get(0);
  }

  static void reanalyze(IProject project) throws CoreException {
    if (!project.isOpen() || !project.hasNature(JavaCore.NATURE_ID)) {
      return;
    }
    IJavaProject javaProject = JavaCore.create(project);
    IWorkspace workspace = project.getWorkspace();
    if (!Activation.isActive(javaProject)) {
      ProjectLinters.discard(project);
      workspace.run(m -> project.deleteMarkers(LintMarkers.PROBLEM, true, IResource.DEPTH_INFINITE),
          project, IWorkspace.AVOID_UPDATE, null);
      return;
    }
    ProjectAnalysis analysis = ProjectLinters.rebuild(javaProject); // settings changed: afresh
    Map<IFile, List<Finding>> byFile = analysis.byFile();
    // One batched change: the Problems view and editors update once.
    workspace.run(m -> {
      for (IMarker old : project.findMarkers(LintMarkers.PROBLEM, true, IResource.DEPTH_INFINITE)) {
        if (!byFile.containsKey(old.getResource())) {
          old.delete();
        }
      }
      for (Map.Entry<IFile, List<Finding>> e : byFile.entrySet()) {
        MarkerWriter.replace(e.getKey(), e.getValue());
      }
    }, project, IWorkspace.AVOID_UPDATE, null); // waits for a running build of the project (see above)
  }

  static void log(Throwable e) {
    StateLensPlugin.log("StateLens analysis failed", e);
  }
}
