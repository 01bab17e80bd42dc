package dev.statelens.debugger.tests;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.launching.JavaRuntime;

/** Java projects in the test workspace: {@code src/} on the JRE, sources written under it. */
final class TestJavaProjects {
  private TestJavaProjects() {}

  /**
   * (Re)creates project {@code name} with {@code src/} (output {@code bin/}), the default JRE and
   * {@code extraClasspath}, and writes {@code sources} (paths relative to {@code src/}, UTF-8).
   */
  static IJavaProject create(String name, List<IClasspathEntry> extraClasspath, Map<String, String> sources)
      throws Exception {
    // JDT's start-up work (classpath containers, the JRE's modules) before the first build: without
    // it a build soon after other tests could fail inside JDT ("Bug 529367 ... iModule null")
    JavaCore.initializeAfterLoad(null);
    IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(name);
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
      IFile file = src.getFile(IPath.fromPortableString(e.getKey()));
      createFolders(file.getParent());
      file.create(new ByteArrayInputStream(e.getValue().getBytes(StandardCharsets.UTF_8)), IResource.FORCE, null);
      file.setCharset("UTF-8", null);
    }
    return javaProject;
  }

  private static void createFolders(IContainer container) throws Exception {
    if (container instanceof IFolder folder && !folder.exists()) {
      createFolders(folder.getParent());
      folder.create(true, true, null);
    }
  }
}
