package dev.statelens.debugger.wizard;

import dev.statelens.debugger.DebuggerPlugin;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.launching.IVMInstall;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.ui.INewWizard;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.actions.WorkspaceModifyOperation;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.wizards.newresource.BasicNewResourceWizard;

/**
 * File &gt; New &gt; Project... &gt; StateLens &gt; StateLens Project: one page (name, Java 25 JRE,
 * template); Finish creates the project with {@link NewProjectCreator}, reveals the program in the Package Explorer and opens the
 * program. Run it with Run As &gt; StateLens Training or the created launch configuration.
 */
public final class NewProjectWizard extends Wizard implements INewWizard {
  public static final String ID = "dev.statelens.debugger.newProject";

  private IWorkbench workbench;
  private NewProjectPage page;
  private NewProjectCreator.Created created;

  private final Supplier<Optional<IVMInstall>> jres;

  public NewProjectWizard() {
    this(JavaRuntimes::pick);
  }

  /** A wizard whose page finds its JRE with {@code jres} (tests: a workspace without Java 25). */
  public NewProjectWizard(Supplier<Optional<IVMInstall>> jres) {
    this.jres = jres;
    setWindowTitle("New StateLens Project");
    setNeedsProgressMonitor(true);
  }

  @Override
  public void init(IWorkbench workbench, IStructuredSelection selection) {
    this.workbench = workbench;
  }

  @Override
  public void addPages() {
    page = new NewProjectPage(jres);
    addPage(page);
  }

  public NewProjectPage page() {
    return page;
  }

  /** What the last Finish created, or null. */
  public NewProjectCreator.Created created() {
    return created;
  }

  @Override
  public boolean performFinish() {
    String name = page.projectName();
    ProjectTemplate template = page.template();
    IVMInstall jre = page.jre().orElse(null);
    AtomicReference<NewProjectCreator.Created> result = new AtomicReference<>();
    WorkspaceModifyOperation op = new WorkspaceModifyOperation(ResourcesPlugin.getWorkspace().getRoot()) {
      @Override
      protected void execute(org.eclipse.core.runtime.IProgressMonitor monitor) throws CoreException {
        result.set(NewProjectCreator.create(name, template, jre, monitor));
      }
    };
    try {
      getContainer().run(true, false, op);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      ErrorDialog.openError(getShell(), "New StateLens Project", "Cannot create the project " + name,
          cause instanceof CoreException ce ? ce.getStatus() : DebuggerPlugin.error(String.valueOf(cause), cause));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    created = result.get();
    open(created);
    return true;
  }

  /** JDT's Java perspective, where Finish opens the program when it was pressed in the StateLens one. */
  public static final String JAVA_PERSPECTIVE = "org.eclipse.jdt.ui.JavaPerspective";

  private void open(NewProjectCreator.Created c) {
    if (workbench == null || workbench.getActiveWorkbenchWindow() == null) {
      return;
    }
    IWorkbenchPage active = workbench.getActiveWorkbenchWindow().getActivePage();
    if (active != null && active.getPerspective() != null
        && dev.statelens.debugger.ui.DebuggerPerspective.ID.equals(active.getPerspective().getId())) {
      // the StateLens perspective keeps the editor to a strip under the charts: the new program opened
      // there about eight lines high. Writing code is the Java perspective's job (a launch comes back here)
      try {
        workbench.showPerspective(JAVA_PERSPECTIVE, workbench.getActiveWorkbenchWindow());
        active = workbench.getActiveWorkbenchWindow().getActivePage();
      } catch (org.eclipse.ui.WorkbenchException e) {
        DebuggerPlugin.log("cannot open the Java perspective", e);
      }
    }
    // the program, not just the project: the Package Explorer expands down to it (src > training > the class)
    BasicNewResourceWizard.selectAndReveal(c.source(), workbench.getActiveWorkbenchWindow());
    try {
      if (active != null) {
        IDE.openEditor(active, c.source(), true);
      }
    } catch (PartInitException e) {
      DebuggerPlugin.log("cannot open " + c.source().getFullPath(), e);
    }
  }
}
