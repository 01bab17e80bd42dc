package dev.statelens.test.support;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IContainer;
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
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.IJavaModelMarker;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.launching.JavaRuntime;

/**
 * Java projects in the test workspace for the workbench test fragments: {@code src/} (output
 * {@code bin/}) on the default JRE, the StateLens engine as a jar or as the plugin's classpath
 * container, sources written under {@code src/}, builds, and the markers the tests assert on.
 */
public final class TestJavaProjects {

  /** The StateLens Engine classpath container that dev.statelens.plugin contributes. */
  public static final String ENGINE_CONTAINER = "dev.statelens.plugin.ENGINE";

  private TestJavaProjects() {}

  public static IWorkspace workspace() {
    return ResourcesPlugin.getWorkspace();
  }

  /** Builds only when a test asks, so it decides when JDT's build (and any participant) runs. */
  public static void disableAutoBuild() throws CoreException {
    IWorkspaceDescription d = workspace().getDescription();
    if (d.isAutoBuilding()) {
      d.setAutoBuilding(false);
      workspace().setDescription(d);
    }
  }

  /**
   * (Re)creates project {@code name} with {@code src/} (output {@code bin/}), the default JRE and
   * {@code extraClasspath}, and writes {@code sources} (paths relative to {@code src/}, UTF-8).
   */
  public static IJavaProject create(String name, List<IClasspathEntry> extraClasspath,
      Map<String, String> sources) throws CoreException {
    // JDT's start-up work (classpath containers, the JRE's modules) before the first build: without
    // it a build soon after other tests could fail inside JDT ("Bug 529367 ... iModule null")
    JavaCore.initializeAfterLoad(null);
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
    classpath.addAll(extraClasspath);
    javaProject.setRawClasspath(classpath.toArray(IClasspathEntry[]::new), project.getFolder("bin").getFullPath(), null);
    for (Map.Entry<String, String> e : sources.entrySet()) {
      write(src.getFile(IPath.fromPortableString(e.getKey())), e.getValue());
    }
    return javaProject;
  }

  /** Sets the project's compliance, source and target level ({@code JavaCore.VERSION_21}, ...). */
  public static void setCompliance(IJavaProject project, String version) {
    Map<String, String> options = project.getOptions(false);
    JavaCore.setComplianceOptions(version, options);
    project.setOptions(options);
  }

  /** The engine bundle's jar (or class folder, when run from a workspace) as a library entry. */
  public static IClasspathEntry engineJarEntry() {
    return JavaCore.newLibraryEntry(IPath.fromOSString(engineJar().getAbsolutePath()), null, null);
  }

  /** The StateLens Engine container entry; needs dev.statelens.plugin in the test runtime. */
  public static IClasspathEntry engineContainerEntry() {
    return JavaCore.newContainerEntry(IPath.fromOSString(ENGINE_CONTAINER));
  }

  /** The engine bundle's jar (or class folder, when run from a workspace). */
  public static File engineJar() {
    return FileLocator.getBundleFileLocation(Platform.getBundle("dev.statelens.engine"))
        .orElseThrow(() -> new IllegalStateException("dev.statelens.engine bundle not installed: "
            + "add it to the test fragment's Require-Bundle"));
  }

  /** Writes {@code text} (UTF-8) to {@code file}, creating it and its folders where missing. */
  public static void write(IFile file, String text) throws CoreException {
    createFolders(file.getParent());
    ByteArrayInputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    if (file.exists()) {
      file.setContents(in, IResource.FORCE, null);
    } else {
      file.create(in, IResource.FORCE, null);
      file.setCharset("UTF-8", null);
    }
  }

  private static void createFolders(IContainer container) throws CoreException {
    if (container instanceof IFolder folder && !folder.exists()) {
      createFolders(folder.getParent());
      folder.create(true, true, null);
    }
  }

  public static String read(IFile file) throws Exception {
    try (var in = file.getContents(true)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs the project's builders ({@link IncrementalProjectBuilder} kind) in this thread. */
  public static void build(IJavaProject project, int kind) throws CoreException {
    project.getProject().build(kind, null);
  }

  public static void fullBuild(IJavaProject project) throws CoreException {
    build(project, IncrementalProjectBuilder.FULL_BUILD);
  }

  public static void incrementalBuild(IJavaProject project) throws CoreException {
    build(project, IncrementalProjectBuilder.INCREMENTAL_BUILD);
  }

  /** Markers of {@code type} (and its subtypes) on {@code resource} and everything under it. */
  public static List<IMarker> markers(IResource resource, String type) throws CoreException {
    return Arrays.asList(resource.findMarkers(type, true, IResource.DEPTH_INFINITE));
  }

  /** Java compiler errors as "File.java:line message": a fix must leave code that compiles. */
  public static List<String> compileErrors(IJavaProject project) throws CoreException {
    List<String> errors = new ArrayList<>();
    for (IMarker m : markers(project.getProject(), IJavaModelMarker.JAVA_MODEL_PROBLEM_MARKER)) {
      if (m.getAttribute(IMarker.SEVERITY, 0) == IMarker.SEVERITY_ERROR) {
        errors.add(m.getResource().getName() + ":" + m.getAttribute(IMarker.LINE_NUMBER, 0) + " " + m.getAttribute(IMarker.MESSAGE, ""));
      }
    }
    return errors;
  }

  /** One "File.java:line message" line per marker, for assertion messages. */
  public static String describe(List<IMarker> markers) {
    StringBuilder b = new StringBuilder();
    for (IMarker m : markers) {
      b.append(m.getResource().getName()).append(':').append(m.getAttribute(IMarker.LINE_NUMBER, 0))
          .append(' ').append(m.getAttribute(IMarker.MESSAGE, "")).append('\n');
    }
    return b.toString();
  }

  /** Deletes the project and its contents; null or already gone is fine (for tear-down). */
  public static void delete(IJavaProject project) throws CoreException {
    if (project != null && project.getProject().exists()) {
      project.getProject().delete(true, true, null);
    }
  }
}
