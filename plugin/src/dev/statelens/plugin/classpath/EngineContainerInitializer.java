package dev.statelens.plugin.classpath;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jdt.core.ClasspathContainerInitializer;
import org.eclipse.jdt.core.IClasspathContainer;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;

/** Resolves {@link EngineContainer#PATH} to the installed engine bundle and its libraries. */
public final class EngineContainerInitializer extends ClasspathContainerInitializer {

  @Override
  public void initialize(IPath containerPath, IJavaProject project) throws CoreException {
    JavaCore.setClasspathContainer(containerPath, new IJavaProject[] {project},
        new IClasspathContainer[] {new EngineContainer()}, null);
  }

  @Override
  public String getDescription(IPath containerPath, IJavaProject project) {
    return "StateLens Engine";
  }
}
