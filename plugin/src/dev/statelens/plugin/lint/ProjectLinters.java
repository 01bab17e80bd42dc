package dev.statelens.plugin.lint;

import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceChangeEvent;
import org.eclipse.core.resources.IResourceChangeListener;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.IJavaProject;

/**
 * One kept {@link Linter} per Java project, so typing and incremental builds re-analyze on the
 * kept index ({@link Linter#updateAll}) instead of reading and indexing the whole project again.
 *
 * <p>Every request first brings the kept linter in line with the project, then analyzes:
 * <ul>
 *   <li>a fresh full lint when there is none yet, or when the StateLens settings, the classpath
 *       or the set of source files (added, deleted, renamed, the project moved) differ from those
 *       it was built with, on a full or clean build, on a settings change ({@link ReanalyzeJob}),
 *       or when more than {@link #MAX_UPDATED_FILES} files changed at once;
 *   <li>otherwise the files whose workspace modification stamp changed are re-read from disk
 *       and replaced; {@link Linter#updateAll} then analyzes again only the transform calls that
 *       can see what changed. A build keeps the linter's ASTs and outcomes unless a jar or class
 *       folder on the classpath changed ({@link #classpathStamp}).
 * </ul>
 * <b>One buffer at a time</b>, as the whole-project analysis had it: a reconcile analyzes its
 * editor buffer with every other file as on disk. The linter remembers which file it holds in
 * buffer form; before another file's buffer, a build or a settings re-analysis, that file goes
 * back to its disk text (so a closed or discarded buffer is forgotten by the next request).
 * Results are those of a fresh {@link ProjectAnalysis} of the same texts (the
 * {@code KeptLinterEquivalenceTest} checks it edit by edit, markers included).
 *
 * <p>Threads: reconcile runs on JDT's reconciler thread, builds in the build job, settings
 * re-analyses in {@link ReanalyzeJob}; one lock per project serializes them (the linter is not
 * thread-safe). Nothing here touches the UI. Closing or deleting a project drops its linter.
 *
 * <p>{@code -Dstatelens.lint.kept=false} switches back to a whole-project lint per request.
 */
public final class ProjectLinters {

  /** More files changed than this in one request: a fresh lint is cheaper than updating each. */
  static final int MAX_UPDATED_FILES = 16;

  /** System property; {@code false}: no kept linter, every request lints the whole project. */
  public static final String KEPT_PROPERTY = "statelens.lint.kept";

  private static final Map<IProject, Slot> SLOTS = new ConcurrentHashMap<>();

  /** Fresh whole-project lints run so far (tests and measurements check the kept path is taken). */
  private static final java.util.concurrent.atomic.AtomicLong FRESH_LINTS =
      new java.util.concurrent.atomic.AtomicLong();

  private static final IResourceChangeListener FORGET = ProjectLinters::resourcesChanged;
  private static volatile boolean listening;

  private ProjectLinters() {}

  /** A project's lock and what it keeps (guarded by the slot's monitor). */
  private static final class Slot {
    Kept kept;
  }

  /** One kept linter and the state of the project it was brought in line with. */
  private static final class Kept {
    final Linter linter;
    final LintConfig config;
    /** The source files, in the order a fresh lint visits them. */
    final Map<Path, IFile> files;
    /** Per file: the workspace modification stamp and the text read at that stamp. */
    final Map<Path, Long> stamps = new HashMap<>();
    final Map<Path, String> disk = new HashMap<>();
    /** Per file: the text the linter holds (the disk text, or for one file a buffer). */
    final Map<Path, String> held = new HashMap<>();
    /** The file held with its editor buffer's text, or null. */
    Path buffered;
    /** The analysis of what the linter holds (returned again while nothing changes). */
    ProjectAnalysis last;
    /** The class path's jars and class folders as last seen ({@link #classpathStamp}). */
    String classpathStamp;

    Kept(Linter linter, LintConfig config, Map<Path, IFile> files) {
      this.linter = linter;
      this.config = config;
      this.files = files;
    }
  }

  /** How many fresh whole-project lints the kept linters ran (none per edit, ideally). */
  public static long freshLints() {
    return FRESH_LINTS.get();
  }

  /** Whether the kept linters are on ({@value #KEPT_PROPERTY}, default true). */
  public static boolean enabled() {
    return !"false".equals(System.getProperty(KEPT_PROPERTY));
  }

  /** The project with one file's text taken from an editor buffer (reconcile). */
  public static ProjectAnalysis withBuffer(IJavaProject project, Path file, String buffer)
      throws CoreException {
    return analyze(project, file, buffer, Mode.RECONCILE);
  }

  /**
   * The project as saved on disk (an incremental build). The analysis runs even if no source
   * changed (a project it depends on was built) and parses with bindings afresh.
   */
  public static ProjectAnalysis onDisk(IJavaProject project) throws CoreException {
    return analyze(project, null, null, Mode.BUILD);
  }

  /** A fresh lint of the project as saved on disk, kept from now on (full build, settings). */
  public static ProjectAnalysis rebuild(IJavaProject project) throws CoreException {
    return analyze(project, null, null, Mode.FRESH);
  }

  private enum Mode { RECONCILE, BUILD, FRESH }

  /** Drops the project's kept linter (the next request lints it afresh). */
  public static void discard(IProject project) {
    SLOTS.remove(project);
  }

  /** Drops every kept linter and stops listening (plugin shutdown). */
  public static void stop() {
    if (listening) {
      ResourcesPlugin.getWorkspace().removeResourceChangeListener(FORGET);
      listening = false;
    }
    SLOTS.clear();
  }

  private static ProjectAnalysis analyze(IJavaProject project, Path file, String buffer,
      Mode mode) throws CoreException {
    if (!enabled()) {
      return file == null ? ProjectAnalysis.run(project) : ProjectAnalysis.runWithBuffer(project, file, buffer);
    }
    listen();
    // JDT model and preferences first, outside the lock: only the linter's work waits on it
    Map<Path, IFile> files = ProjectSources.files(project);
    if (file != null && !files.containsKey(file)) {
      // a buffer outside the analyzed sources (a generated folder): the whole-project way
      return ProjectAnalysis.runWithBuffer(project, file, buffer);
    }
    List<Path> classpath = ProjectSources.classpathOf(project);
    LintConfig config = ProjectAnalysis.config(project, classpath);
    Slot slot = SLOTS.computeIfAbsent(project.getProject(), p -> new Slot());
    synchronized (slot) {
      Kept kept = slot.kept;
      if (mode == Mode.FRESH || kept == null || !kept.config.equals(config)
          || !List.copyOf(kept.files.keySet()).equals(List.copyOf(files.keySet()))) {
        slot.kept = null; // a failing lint leaves nothing half-updated behind
        kept = freshLint(files, config, classpath, file, buffer);
        slot.kept = kept;
        return kept.last;
      }
      if (mode == Mode.BUILD) {
        // class folders of other projects may have changed: then no kept AST or outcome holds
        String stamp = classpathStamp(classpath);
        if (!stamp.equals(kept.classpathStamp)) {
          kept.linter.forgetBindings();
          kept.classpathStamp = stamp;
        }
        kept.last = null;
      }
      ProjectAnalysis updated = update(kept, file, buffer, classpath);
      if (updated == null) {
        slot.kept = null;
        slot.kept = freshLint(files, config, classpath, file, buffer);
        return slot.kept.last;
      }
      return updated;
    }
  }

  private static Kept freshLint(Map<Path, IFile> files, LintConfig config, List<Path> classpath,
      Path file, String buffer) throws CoreException {
    FRESH_LINTS.incrementAndGet();
    Kept kept = new Kept(new Linter(config), config, files);
    kept.classpathStamp = classpathStamp(classpath); // before reading: a later change is seen
    for (Map.Entry<Path, IFile> e : files.entrySet()) {
      kept.stamps.put(e.getKey(), e.getValue().getModificationStamp()); // before reading
    }
    List<SourceFile> saved = new ArrayList<>(files.size());
    for (Map.Entry<Path, IFile> e : files.entrySet()) {
      String text = ProjectSources.readText(e.getValue());
      kept.disk.put(e.getKey(), text);
      saved.add(new SourceFile(e.getKey(), text));
    }
    ProjectSources sources = ProjectSources.of(files, saved, classpath);
    List<SourceFile> texts = file == null ? sources.sources() : sources.withBuffer(file, buffer);
    texts.forEach(s -> kept.held.put(s.path(), s.content()));
    holdBuffer(kept, file, buffer);
    kept.last = new ProjectAnalysis(sources, texts, kept.linter.lint(texts));
    return kept;
  }

  /**
   * Replaces what changed since the last request and re-analyzes on the kept index; null where
   * so many files changed that a fresh lint is the better deal.
   */
  private static ProjectAnalysis update(Kept kept, Path file, String buffer, List<Path> classpath)
      throws CoreException {
    List<Path> candidates = new ArrayList<>();
    for (Map.Entry<Path, IFile> e : kept.files.entrySet()) {
      long stamp = e.getValue().getModificationStamp();
      if (kept.stamps.get(e.getKey()) != stamp) {
        kept.stamps.put(e.getKey(), stamp); // before reading: a later change is seen next time
        kept.disk.put(e.getKey(), ProjectSources.readText(e.getValue()));
        candidates.add(e.getKey());
      }
    }
    if (kept.buffered != null) {
      candidates.add(kept.buffered); // the rule: one buffer at a time, the rest as on disk
    }
    if (file != null) {
      candidates.add(file);
    }
    Map<Path, SourceFile> changed = new LinkedHashMap<>();
    for (Path p : candidates) {
      String target = p.equals(file) ? buffer : kept.disk.get(p);
      if (!target.equals(kept.held.get(p))) {
        changed.put(p, new SourceFile(p, target));
      }
    }
    if (changed.size() > MAX_UPDATED_FILES) {
      return null;
    }
    if (!changed.isEmpty() || kept.last == null) {
      LintResult result = kept.linter.updateAll(List.copyOf(changed.values()));
      changed.forEach((p, f) -> kept.held.put(p, f.content()));
      holdBuffer(kept, file, buffer);
      List<SourceFile> disk = new ArrayList<>(kept.files.size());
      List<SourceFile> analyzed = new ArrayList<>(kept.files.size());
      for (Path p : kept.files.keySet()) {
        disk.add(new SourceFile(p, kept.disk.get(p)));
        analyzed.add(new SourceFile(p, kept.held.get(p)));
      }
      kept.last = new ProjectAnalysis(ProjectSources.of(kept.files, disk, classpath), analyzed,
          result);
    }
    return kept.last;
  }

  /**
   * What the analysis reads of the class path, as sizes and times: each jar, and each class
   * folder's files (another project's output, rewritten by its builds). Equal stamps: the kept
   * ASTs with bindings and the kept outcomes of unchanged files still hold after a build.
   */
  static String classpathStamp(List<Path> classpath) {
    StringBuilder out = new StringBuilder();
    for (Path entry : classpath) {
      out.append(entry).append('|');
      try {
        if (java.nio.file.Files.isDirectory(entry)) {
          try (var walk = java.nio.file.Files.walk(entry)) {
            walk.filter(java.nio.file.Files::isRegularFile).sorted().forEach(f -> {
              try {
                out.append(entry.relativize(f)).append(':').append(java.nio.file.Files.size(f))
                    .append(':').append(java.nio.file.Files.getLastModifiedTime(f).toMillis())
                    .append(';');
              } catch (java.io.IOException e) {
                out.append(f).append(":?;");
              }
            });
          }
        } else if (java.nio.file.Files.exists(entry)) {
          out.append(java.nio.file.Files.size(entry)).append(':')
              .append(java.nio.file.Files.getLastModifiedTime(entry).toMillis());
        }
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        out.append("?").append(System.nanoTime()); // unreadable: never equal, re-analyze
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * The files whose transform calls the project's last kept analysis analyzed again (null: all,
   * or no kept linter): for tests and measurements.
   */
  public static java.util.Set<Path> lastReanalyzedFiles(IProject project) {
    Slot slot = SLOTS.get(project);
    if (slot == null) {
      return null;
    }
    synchronized (slot) {
      return slot.kept == null ? null : slot.kept.linter.lastReanalyzedFiles();
    }
  }

  /** Records which file, if any, the linter now holds in buffer form. */
  private static void holdBuffer(Kept kept, Path file, String buffer) {
    kept.buffered = file != null && !buffer.equals(kept.disk.get(file)) ? file : null;
  }

  private static void listen() {
    if (!listening) {
      synchronized (SLOTS) {
        if (!listening) {
          ResourcesPlugin.getWorkspace().addResourceChangeListener(FORGET,
              IResourceChangeEvent.PRE_CLOSE | IResourceChangeEvent.PRE_DELETE
                  | IResourceChangeEvent.POST_CHANGE);
          listening = true;
        }
      }
    }
  }

  /** Closed, deleted, moved or renamed projects: their linters go (memory, stale paths). */
  private static void resourcesChanged(IResourceChangeEvent event) {
    if (event.getResource() instanceof IProject project) {
      discard(project); // PRE_CLOSE, PRE_DELETE
      return;
    }
    IResourceDelta delta = event.getDelta();
    if (delta == null) {
      return;
    }
    for (IResourceDelta child : delta.getAffectedChildren()) {
      IResource resource = child.getResource();
      if (resource instanceof IProject project && (child.getKind() == IResourceDelta.REMOVED
          || (child.getFlags() & IResourceDelta.OPEN) != 0)) {
        discard(project);
      }
    }
  }
}
