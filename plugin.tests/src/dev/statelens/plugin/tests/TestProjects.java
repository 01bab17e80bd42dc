package dev.statelens.plugin.tests;

import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.plugin.lint.ReanalyzeJob;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.IWorkspaceDescription;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.IJavaModelMarker;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.launching.JavaRuntime;

/** Java projects in the test workspace, with the StateLens engine bundle's jar on the build path. */
final class TestProjects {

  static final String COUNTER = """
      package demo;

      import dev.statelens.engine.Array;

      public class Counter {
        Array n = Array.scalar(0);

        public Array count() {
          n = n.add(1);
          return n;
        }
      }
      """;

  static final String MAIN = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Supplier;

      public class Main {
        public static void main(String[] args) {
          Counter counter = new Counter();
          Supplier<Array> fast = Transforms.jit(counter::count);
          System.out.println(fast.get());
        }
      }
      """;

  /** The seed's CounterV2 and its jit call: explicit state, nothing to report. */
  static final String COUNTER_V2 = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Pair;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class CounterV2 {
        public Pair<Array, Array> count(Array n) {
          Array next = n.add(1);
          return Pair.of(next, next);
        }

        public static void main(String[] args) {
          CounterV2 counter = new CounterV2();
          Function<Array, Pair<Array, Array>> fast = Transforms.jit(counter::count);
          Array state = Array.scalar(0);
          for (int i = 0; i < 3; i++) {
            Pair<Array, Array> r = fast.apply(state);
            state = r.second();
          }
        }
      }
      """;

  private TestProjects() {}

  static IWorkspace workspace() {
    return ResourcesPlugin.getWorkspace();
  }

  /** Builds only when asked: the tests decide when JDT's build (and so the participant) runs. */
  static void disableAutoBuild() throws CoreException {
    IWorkspaceDescription d = workspace().getDescription();
    if (d.isAutoBuilding()) {
      d.setAutoBuilding(false);
      workspace().setDescription(d);
    }
  }

  /** A new Java project {@code name} with {@code files} (path under src/ to text). */
  static IJavaProject create(String name, Map<String, String> files) throws CoreException {
    disableAutoBuild();
    IProject project = workspace().getRoot().getProject(name);
    if (project.exists()) {
      project.delete(true, true, null);
    }
    project.create(null);
    project.open(null);
    IProjectDescription description = project.getDescription();
    description.setNatureIds(new String[] {JavaCore.NATURE_ID});
    project.setDescription(description, null);
    IJavaProject javaProject = JavaCore.create(project);
    IFolder src = project.getFolder("src");
    src.create(true, true, null);
    List<IClasspathEntry> classpath = new ArrayList<>();
    classpath.add(JavaCore.newSourceEntry(src.getFullPath()));
    classpath.add(JavaRuntime.getDefaultJREContainerEntry());
    classpath.add(JavaCore.newLibraryEntry(IPath.fromOSString(engineJar().getAbsolutePath()), null, null));
    javaProject.setRawClasspath(classpath.toArray(IClasspathEntry[]::new), project.getFolder("bin").getFullPath(), null);
    Map<String, String> options = javaProject.getOptions(false);
    JavaCore.setComplianceOptions(JavaCore.VERSION_21, options);
    javaProject.setOptions(options);
    for (Map.Entry<String, String> e : files.entrySet()) {
      write(project.getFile("src/" + e.getKey()), e.getValue());
    }
    return javaProject;
  }

  /** The engine bundle's jar (or class folder, when run from a workspace). */
  static File engineJar() {
    return FileLocator.getBundleFileLocation(Platform.getBundle("dev.statelens.engine"))
        .orElseThrow(() -> new IllegalStateException("dev.statelens.engine bundle not installed"));
  }

  static void write(IFile file, String text) throws CoreException {
    IResource parent = file.getParent();
    if (parent instanceof IFolder folder && !folder.exists()) {
      mkdirs(folder);
    }
    ByteArrayInputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    if (file.exists()) {
      file.setContents(in, IResource.FORCE, null);
    } else {
      file.create(in, IResource.FORCE, null);
      file.setCharset("UTF-8", null);
    }
  }

  private static void mkdirs(IFolder folder) throws CoreException {
    if (folder.getParent() instanceof IFolder p && !p.exists()) {
      mkdirs(p);
    }
    folder.create(true, true, null);
  }

  static String read(IFile file) throws Exception {
    try (var in = file.getContents(true)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static void build(IJavaProject project, int kind) throws CoreException {
    project.getProject().build(kind, null);
  }

  static void fullBuild(IJavaProject project) throws CoreException {
    build(project, IncrementalProjectBuilder.FULL_BUILD);
  }

  static void incrementalBuild(IJavaProject project) throws CoreException {
    build(project, IncrementalProjectBuilder.INCREMENTAL_BUILD);
  }

  /** Waits for pending StateLens re-analyses (settings changes). */
  static void joinAnalyses() throws InterruptedException {
    Job.getJobManager().join(ReanalyzeJob.FAMILY, null);
  }

  static List<IMarker> lintMarkers(IResource resource) throws CoreException {
    return Arrays.asList(resource.findMarkers(LintMarkers.PROBLEM, true, IResource.DEPTH_INFINITE));
  }

  /** Java compiler errors: a fix must leave code that compiles. */
  static List<String> compileErrors(IJavaProject project) throws CoreException {
    List<String> errors = new ArrayList<>();
    for (IMarker m : project.getProject().findMarkers(IJavaModelMarker.JAVA_MODEL_PROBLEM_MARKER, true, IResource.DEPTH_INFINITE)) {
      if (m.getAttribute(IMarker.SEVERITY, 0) == IMarker.SEVERITY_ERROR) {
        errors.add(m.getResource().getName() + ":" + m.getAttribute(IMarker.LINE_NUMBER, 0) + " " + m.getAttribute(IMarker.MESSAGE, ""));
      }
    }
    return errors;
  }

  static String describe(List<IMarker> markers) {
    StringBuilder b = new StringBuilder();
    for (IMarker m : markers) {
      b.append(m.getResource().getName()).append(':').append(m.getAttribute(IMarker.LINE_NUMBER, 0))
          .append(' ').append(m.getAttribute(IMarker.MESSAGE, "")).append('\n');
    }
    return b.toString();
  }

  static void delete(IJavaProject project) throws CoreException {
    if (project != null && project.getProject().exists()) {
      project.getProject().delete(true, true, null);
    }
  }
}
