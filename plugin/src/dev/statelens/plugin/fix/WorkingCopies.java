package dev.statelens.plugin.fix;

import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.IBuffer;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Writes fix results through JDT's working copies: an open editor shares the buffer (its undo
 * and dirty state stay right), a closed file is saved.
 */
public final class WorkingCopies {

  private WorkingCopies() {}

  /** Applies one change to the file's compilation unit. */
  public static void apply(IFile file, FileChange change, IProgressMonitor monitor) throws CoreException {
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
      if (!wasWorkingCopy) {
        unit.commitWorkingCopy(false, monitor); // nobody else has it open: save it
      }
      unit.reconcile(ICompilationUnit.NO_AST, false, null, monitor);
    } finally {
      unit.discardWorkingCopy();
    }
  }

  public static void applyAll(java.util.function.Function<java.nio.file.Path, IFile> files,
      List<FileChange> changes, IProgressMonitor monitor) throws CoreException {
    for (FileChange change : changes) {
      IFile file = files.apply(change.file());
      if (file == null) {
        throw new CoreException(org.eclipse.core.runtime.Status.error(
            "StateLens: the fix changes " + change.file() + ", which is not in the workspace."));
      }
      apply(file, change, monitor);
    }
  }
}
