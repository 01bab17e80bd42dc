package dev.statelens.plugin.lint;

import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jdt.core.IClasspathAttribute;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.IJavaElement;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.IPackageFragment;
import org.eclipse.jdt.core.IPackageFragmentRoot;
import org.eclipse.jdt.core.JavaCore;

/**
 * The Java sources of a project as the analyzer sees them: file system path to text, from disk,
 * skipping derived (generated) files and source folders marked as generated
 * ({@code ignore_optional_problems}, as m2e and APT mark them). Also the classpath used to
 * resolve types.
 */
public final class ProjectSources {

  private final Map<Path, IFile> files = new LinkedHashMap<>();
  private final List<SourceFile> sources = new ArrayList<>();
  private final List<Path> classpath = new ArrayList<>();

  private ProjectSources() {}

  public static ProjectSources read(IJavaProject project) throws CoreException {
    return read(project, files(project));
  }

  /** Reads these files (as {@link #files} lists them) from disk. */
  static ProjectSources read(IJavaProject project, Map<Path, IFile> files) throws CoreException {
    List<SourceFile> texts = new ArrayList<>(files.size());
    for (Map.Entry<Path, IFile> e : files.entrySet()) {
      texts.add(new SourceFile(e.getKey(), readText(e.getValue())));
    }
    return of(files, texts, classpathOf(project));
  }

  /** Sources already read: {@code texts} in the order of {@code files}. */
  static ProjectSources of(Map<Path, IFile> files, List<SourceFile> texts, List<Path> classpath) {
    ProjectSources result = new ProjectSources();
    result.files.putAll(files);
    result.sources.addAll(texts);
    result.classpath.addAll(classpath);
    return result;
  }

  /**
   * The project's analyzed source files, path to workspace file, in the order a lint visits them,
   * without reading them (from JDT's model: no file access).
   */
  static Map<Path, IFile> files(IJavaProject project) throws CoreException {
    Map<Path, IFile> files = new LinkedHashMap<>();
    for (IPackageFragmentRoot root : project.getPackageFragmentRoots()) {
      if (root.getKind() != IPackageFragmentRoot.K_SOURCE || !root.getJavaProject().equals(project)
          || isGenerated(root)) {
        continue;
      }
      for (IJavaElement child : root.getChildren()) {
        for (ICompilationUnit unit : ((IPackageFragment) child).getCompilationUnits()) {
          IFile file = (IFile) unit.getResource();
          if (file == null || isDerived(file) || file.getLocation() == null) {
            continue;
          }
          files.put(pathOf(file), file);
        }
      }
    }
    return files;
  }

  public static boolean isDerived(IResource resource) {
    return resource.isDerived(IResource.CHECK_ANCESTORS);
  }

  static boolean isGenerated(IPackageFragmentRoot root) throws CoreException {
    IClasspathEntry entry = root.getRawClasspathEntry();
    if (entry != null) {
      for (IClasspathAttribute a : entry.getExtraAttributes()) {
        if (IClasspathAttribute.IGNORE_OPTIONAL_PROBLEMS.equals(a.getName())
            && "true".equals(a.getValue())) {
          return true;
        }
      }
    }
    IResource folder = root.getResource();
    return folder != null && isDerived(folder);
  }

  public static Path pathOf(IFile file) {
    return file.getLocation().toFile().toPath().toAbsolutePath().normalize();
  }

  static String readText(IFile file) throws CoreException {
    try (InputStream in = file.getContents(true)) {
      return new String(in.readAllBytes(), Charset.forName(file.getCharset()));
    } catch (IOException e) {
      throw new CoreException(org.eclipse.core.runtime.Status.error(
          "Cannot read " + file.getFullPath() + ": " + e.getMessage(), e));
    }
  }

  /** Libraries and other projects' output folders: what JDT compiles this project against. */
  static List<Path> classpathOf(IJavaProject project) throws CoreException {
    List<Path> out = new ArrayList<>();
    for (IClasspathEntry entry : project.getResolvedClasspath(true)) {
      switch (entry.getEntryKind()) {
        case IClasspathEntry.CPE_LIBRARY -> add(out, entry.getPath());
        case IClasspathEntry.CPE_PROJECT -> {
          IJavaProject other = JavaCore.create(
              project.getProject().getWorkspace().getRoot().getProject(entry.getPath().lastSegment()));
          if (other.exists()) {
            add(out, other.getOutputLocation());
          }
        }
        default -> { }
      }
    }
    return out;
  }

  private static void add(List<Path> out, IPath path) {
    IResource inWorkspace = org.eclipse.core.resources.ResourcesPlugin.getWorkspace().getRoot()
        .findMember(path);
    IPath location = inWorkspace != null ? inWorkspace.getLocation() : path;
    if (location != null && location.toFile().exists()) {
      out.add(location.toFile().toPath());
    }
  }

  public List<SourceFile> sources() {
    return sources;
  }

  public List<Path> classpath() {
    return classpath;
  }

  /** The workspace file for an analyzed path, or null when the path is not one of these sources. */
  public IFile file(Path path) {
    return files.get(path);
  }

  /** The same sources with one file's text replaced (an editor buffer). */
  public List<SourceFile> withBuffer(Path path, String text) {
    List<SourceFile> out = new ArrayList<>(sources.size() + 1);
    boolean replaced = false;
    for (SourceFile s : sources) {
      if (s.path().equals(path)) {
        out.add(new SourceFile(path, text));
        replaced = true;
      } else {
        out.add(s);
      }
    }
    if (!replaced) {
      out.add(new SourceFile(path, text));
    }
    return out;
  }
}
