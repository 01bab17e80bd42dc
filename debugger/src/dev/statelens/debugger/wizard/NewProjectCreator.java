package dev.statelens.debugger.wizard;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.TrainingLaunchDelegate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants;
import org.eclipse.jdt.launching.IVMInstall;
import org.eclipse.jdt.launching.JavaRuntime;

/**
 * What Finish does, without UI (so tests call it directly): a Java project with {@code src/} (output
 * {@code bin/}), the chosen Java 25 JRE and the StateLens Engine library on its build path, the
 * template's source file, and a StateLens Training launch configuration for it.
 */
public final class NewProjectCreator {
  /** The plugin's StateLens Engine classpath container (dev.statelens.plugin's EngineContainer.ID). */
  public static final String ENGINE_CONTAINER = "dev.statelens.plugin.ENGINE";

  /**
   * VM arguments of the launch, as {@code ./statelens} runs the examples: the engine's GPU backends
   * call native code through java.lang.foreign. The delegate adds {@code --add-modules
   * jdk.incubator.vector} itself when the launch's JRE has the module (TrainingLaunchDelegate.withVectorApi).
   */
  public static final String VM_ARGUMENTS = "--enable-native-access=ALL-UNNAMED";

  /** The new project, its program and its launch configuration. */
  public record Created(IJavaProject project, IFile source, ILaunchConfiguration launch) {}

  private NewProjectCreator() {}

  /** Why {@code name} cannot name a new project, or null when it can. */
  public static String validateName(String name) {
    if (name == null || name.isBlank()) {
      return "Enter a project name.";
    }
    IStatus status = ResourcesPlugin.getWorkspace().validateName(name, IResource.PROJECT);
    if (!status.isOK()) {
      return status.getMessage();
    }
    if (ResourcesPlugin.getWorkspace().getRoot().getProject(name).exists()) {
      return "A project named '" + name + "' exists already; choose another name.";
    }
    return null;
  }

  /** Creates the project {@code name} on {@code jre} from {@code template}; run it in a workspace operation. */
  public static Created create(String name, ProjectTemplate template, IVMInstall jre, IProgressMonitor monitor)
      throws CoreException {
    String invalid = validateName(name);
    if (invalid != null) {
      throw new CoreException(DebuggerPlugin.error(invalid, null));
    }
    if (jre == null || JavaRuntimes.feature(jre) < JavaRuntimes.REQUIRED) {
      throw new CoreException(DebuggerPlugin.error(JavaRuntimes.MISSING, null));
    }
    SubMonitor progress = SubMonitor.convert(monitor, "Creating " + name, 4);
    IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(name);
    project.create(progress.split(1));
    project.open(progress.split(1));
    IProjectDescription description = project.getDescription();
    description.setNatureIds(new String[] {JavaCore.NATURE_ID});
    project.setDescription(description, null);

    IJavaProject javaProject = JavaCore.create(project);
    IFolder src = project.getFolder("src");
    src.create(true, true, null);
    IClasspathEntry[] classpath = {
        JavaCore.newSourceEntry(src.getFullPath()),
        jreEntry(jre),
        JavaCore.newContainerEntry(IPath.fromOSString(ENGINE_CONTAINER)),
    };
    javaProject.setRawClasspath(classpath, project.getFolder("bin").getFullPath(), progress.split(1));
    javaProject.setOptions(compilerOptions(javaProject, jre));

    IFile source = src.getFile(IPath.fromPortableString(template.sourcePath()));
    try {
      write(source, template.text());
    } catch (IOException e) {
      throw new CoreException(DebuggerPlugin.error(e.getMessage(), e));
    }
    ILaunchConfiguration launch = createLaunch(name, template, source);
    progress.done();
    return new Created(javaProject, source, launch);
  }

  /** The workspace default JRE's container when {@code jre} is the default (it then follows it), else {@code jre}'s own. */
  static IClasspathEntry jreEntry(IVMInstall jre) {
    if (jre.equals(JavaRuntime.getDefaultVMInstall())) {
      return JavaRuntime.getDefaultJREContainerEntry();
    }
    return JavaCore.newContainerEntry(JavaRuntime.newJREContainerPath(jre));
  }

  /**
   * The JRE's language level (capped at the newest JDT knows), and no warning on StateLens'
   * {@code @SuppressWarnings("statelens:SL001")} tokens, as the examples project has it.
   */
  static Map<String, String> compilerOptions(IJavaProject project, IVMInstall jre) {
    Map<String, String> options = project.getOptions(false);
    int latest = Integer.parseInt(JavaCore.latestSupportedJavaVersion());
    JavaCore.setComplianceOptions(Integer.toString(Math.min(JavaRuntimes.feature(jre), latest)), options);
    options.put(JavaCore.COMPILER_PB_UNHANDLED_WARNING_TOKEN, JavaCore.IGNORE);
    return options;
  }

  /** A StateLens Training configuration named after the project (made unique), running the template's class. */
  static ILaunchConfiguration createLaunch(String project, ProjectTemplate template, IFile source)
      throws CoreException {
    ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
    ILaunchConfigurationType type = manager.getLaunchConfigurationType(TrainingLaunchDelegate.TYPE_ID);
    ILaunchConfigurationWorkingCopy wc = type.newInstance(null, manager.generateLaunchConfigurationName(project));
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_PROJECT_NAME, project);
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_MAIN_TYPE_NAME, template.mainType());
    wc.setAttribute(IJavaLaunchConfigurationConstants.ATTR_VM_ARGUMENTS, VM_ARGUMENTS);
    TrainingLaunchDelegate.useTrainingProcessFactory(wc);
    wc.setMappedResources(new IResource[] {source}); // Run As on the file finds this configuration
    return wc.doSave();
  }

  private static void write(IFile file, String text) throws CoreException {
    createFolders(file.getParent());
    file.create(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), IResource.FORCE, null);
    file.setCharset(StandardCharsets.UTF_8.name(), null);
  }

  private static void createFolders(IContainer container) throws CoreException {
    if (container instanceof IFolder folder && !folder.exists()) {
      createFolders(folder.getParent());
      folder.create(true, true, null);
    }
  }
}
