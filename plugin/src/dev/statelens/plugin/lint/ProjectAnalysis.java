package dev.statelens.plugin.lint;

import dev.statelens.lint.Finding;
import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.source.SourceFile;
import dev.statelens.plugin.prefs.LintPreferences;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.IJavaProject;

/**
 * One lint run over a whole project (interprocedural: a finding can sit in a different file than
 * the {@code jit} call that reaches it), with the project's StateLens settings and classpath.
 *
 * <p>{@link #run} and {@link #runWithBuffer} index the whole project on every call: the reference
 * the kept linters ({@link ProjectLinters}, used by reconcile and builds) must equal, and what
 * quick fixes use. A kept linter's result comes as a {@code ProjectAnalysis} too.
 */
public final class ProjectAnalysis {

  private final ProjectSources sources;
  private final List<SourceFile> analyzed;
  private final LintResult result;

  ProjectAnalysis(ProjectSources sources, List<SourceFile> analyzed, LintResult result) {
    this.sources = sources;
    this.analyzed = analyzed;
    this.result = result;
  }

  /** Lints the project's sources as saved on disk. */
  public static ProjectAnalysis run(IJavaProject project) throws CoreException {
    ProjectSources sources = ProjectSources.read(project);
    List<SourceFile> files = sources.sources();
    return new ProjectAnalysis(sources, files, lint(project, sources, files));
  }

  /** Lints the project with one file's text taken from an editor buffer. */
  public static ProjectAnalysis runWithBuffer(IJavaProject project, Path file, String buffer)
      throws CoreException {
    ProjectSources sources = ProjectSources.read(project);
    List<SourceFile> files = sources.withBuffer(file, buffer);
    return new ProjectAnalysis(sources, files, lint(project, sources, files));
  }

  private static LintResult lint(IJavaProject project, ProjectSources sources, List<SourceFile> files) {
    return new Linter(config(project, sources.classpath())).lint(files);
  }

  /** The project's StateLens settings with this classpath. */
  static LintConfig config(IJavaProject project, List<Path> classpath) {
    return LintPreferences.config(project.getProject()).withClasspath(classpath);
  }

  public LintResult result() {
    return result;
  }

  /** Findings located in one file. */
  public List<Finding> findingsIn(Path file) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : result.findings()) {
      if (f.file().equals(file)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Findings grouped by the workspace file they are in (findings outside the sources dropped). */
  public Map<IFile, List<Finding>> byFile() {
    Map<IFile, List<Finding>> out = new LinkedHashMap<>();
    for (Finding f : result.findings()) {
      IFile file = sources.file(f.file());
      if (file != null) {
        out.computeIfAbsent(file, k -> new ArrayList<>()).add(f);
      }
    }
    return out;
  }

  /** The texts analyzed (editor buffer included), by path: what fixes rewrite. */
  public Map<Path, String> texts() {
    Map<Path, String> out = new LinkedHashMap<>();
    analyzed.forEach(f -> out.put(f.path(), f.content()));
    return out;
  }

  /** The finding of this rule at this offset (as a problem or marker remembers it), or null. */
  public Finding find(Path file, dev.statelens.lint.Rule rule, int offset) {
    Finding containing = null;
    for (Finding f : findingsIn(file)) {
      if (f.rule() == rule) {
        if (f.range().offset() == offset) {
          return f;
        }
        if (containing == null && f.range().contains(offset)) {
          containing = f;
        }
      }
    }
    return containing;
  }

  public ProjectSources sources() {
    return sources;
  }
}
