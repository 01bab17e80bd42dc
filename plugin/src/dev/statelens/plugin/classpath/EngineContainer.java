package dev.statelens.plugin.classpath;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.Platform;
import org.eclipse.jdt.core.IClasspathContainer;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.JavaCore;
import org.osgi.framework.Bundle;

/**
 * The "StateLens Engine" library: the engine bundle installed with the plugin and the libraries
 * its programs use (SQLite JDBC and Jackson for run recording, JFreeChart, picocli), so a project
 * can use StateLens without Maven. Add it with Build Path &gt; Add Library, or as the classpath
 * entry {@code <classpathentry kind="con" path="dev.statelens.plugin.ENGINE"/>}.
 */
public final class EngineContainer implements IClasspathContainer {

  public static final String ID = "dev.statelens.plugin.ENGINE";
  public static final IPath PATH = IPath.fromOSString(ID);

  /** Bundles on the library, by symbolic name; those not installed are left out. */
  static final List<String> BUNDLES = List.of(
      "dev.statelens.engine",
      "org.xerial.sqlite-jdbc",
      "com.fasterxml.jackson.core.jackson-core",
      "com.fasterxml.jackson.core.jackson-databind",
      "com.fasterxml.jackson.core.jackson-annotations",
      "wrapped.org.jfree.jfreechart",
      "picocli");

  private final IClasspathEntry[] entries;

  EngineContainer() {
    List<IClasspathEntry> list = new ArrayList<>();
    for (String name : BUNDLES) {
      jarOf(name).ifPresent(f -> list.add(
          JavaCore.newLibraryEntry(IPath.fromOSString(f.getAbsolutePath()), null, null)));
    }
    entries = list.toArray(IClasspathEntry[]::new);
  }

  static Optional<File> jarOf(String symbolicName) {
    Bundle bundle = Platform.getBundle(symbolicName);
    return bundle == null ? Optional.empty() : FileLocator.getBundleFileLocation(bundle);
  }

  @Override
  public IClasspathEntry[] getClasspathEntries() {
    return entries.clone();
  }

  @Override
  public String getDescription() {
    return "StateLens Engine";
  }

  @Override
  public int getKind() {
    return K_APPLICATION;
  }

  @Override
  public IPath getPath() {
    return PATH;
  }
}
