package dev.statelens.plugin.fix;

import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.IBuffer;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;

/**
 * Writes fix results through JDT's working copies: an open editor shares the buffer (its undo
 * and dirty state stay right), a closed file is saved. A fix that changes several files leaves
 * them all in one state ({@link #applyTogether}).
 */
public final class WorkingCopies {

  private WorkingCopies() {}

  /** Applies one change to the file's compilation unit: saved when no editor has it open, else left in the editor. */
  public static void apply(IFile file, FileChange change, IProgressMonitor monitor) throws CoreException {
    apply(file, change, false, monitor);
  }

  /**
   * Applies a fix's changes so that its files end up alike, as JDT's rename leaves them
   * ({@code TextFileChange.KEEP_SAVE_STATE} after the refactoring's "save all first"): when none of
   * the files has unsaved changes, every one is saved, an open editor's too; when one has (the
   * user was typing in it), none is saved and each opens in an editor, dirty, beside it. Before, a
   * closed caller was saved while the edited file waited unsaved in its editor, so the build
   * compiled the new call against the old file and showed errors until that file was saved too.
   * One file: {@link #apply(IFile, FileChange, IProgressMonitor)}.
   */
  public static void applyTogether(java.util.function.Function<java.nio.file.Path, IFile> files,
      List<FileChange> changes, IProgressMonitor monitor) throws CoreException {
    if (changes.size() == 1) {
      apply(file(files, changes.getFirst()), changes.getFirst(), monitor);
      return;
    }
    boolean unsaved = false;
    for (FileChange change : changes) {
      ICompilationUnit unit = JavaCore.createCompilationUnitFrom(file(files, change));
      unsaved |= unit.isWorkingCopy() && unit.hasUnsavedChanges();
    }
    if (unsaved) {
      for (FileChange change : changes) {
        openBeside(file(files, change)); // the changes wait in editors, as the typed one does
      }
    }
    boolean save = !unsaved;
    // one resource delta for all of them: the build sees the files changed together
    JavaCore.run(m -> {
      for (FileChange change : changes) {
        apply(file(files, change), change, save, m);
      }
    }, null, monitor);
  }

  private static IFile file(java.util.function.Function<java.nio.file.Path, IFile> files, FileChange change)
      throws CoreException {
    IFile file = files.apply(change.file());
    if (file == null) {
      throw new CoreException(org.eclipse.core.runtime.Status.error(
          "StateLens: the fix changes " + change.file() + ", which is not in the workspace."));
    }
    return file;
  }

  private static void apply(IFile file, FileChange change, boolean save, IProgressMonitor monitor)
      throws CoreException {
    ICompilationUnit unit = JavaCore.createCompilationUnitFrom(file);
    boolean wasWorkingCopy = unit.isWorkingCopy();
    unit.becomeWorkingCopy(monitor);
    try {
      IBuffer buffer = unit.getBuffer();
      if (!buffer.getContents().equals(change.oldText())) {
        throw new CoreException(org.eclipse.core.runtime.Status.error("StateLens: " + file.getName()
            + " changed while the fix was computed; run the quick fix again."));
      }
      FileChange.Replacement r = change.minimal();
      buffer.replace(r.offset(), r.length(), r.text());
      if (save || !wasWorkingCopy) {
        unit.commitWorkingCopy(false, monitor); // asked to, or nobody else has it open: save it
      }
      unit.reconcile(ICompilationUnit.NO_AST, false, null, monitor);
    } finally {
      unit.discardWorkingCopy();
    }
  }

  /**
   * Opens {@code file} in an editor beside the active one, not activating it (on the UI thread): the
   * fix's change then waits there unsaved. Not opened (no workbench window): the change is saved,
   * since a working copy nobody holds would lose it.
   */
  private static void openBeside(IFile file) {
    PlatformUI.getWorkbench().getDisplay().syncExec(() -> {
      IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
      if (window != null && window.getActivePage() != null) {
        try {
          IDE.openEditor(window.getActivePage(), file, false);
        } catch (PartInitException e) {
          // left closed: apply saves it
        }
      }
    });
  }
}
