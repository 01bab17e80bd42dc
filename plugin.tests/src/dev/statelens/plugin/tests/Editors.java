package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.fix.FixProposal;
import dev.statelens.plugin.lint.LintMarkers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.resources.IFile;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.internal.ui.javaeditor.IJavaAnnotation;
import org.eclipse.jdt.internal.ui.text.correction.AssistContext;
import org.eclipse.jdt.internal.ui.text.correction.JavaCorrectionProcessor;
import org.eclipse.jdt.internal.ui.text.correction.ProblemLocation;
import org.eclipse.jdt.ui.JavaUI;
import org.eclipse.jdt.ui.text.java.IJavaCompletionProposal;
import org.eclipse.jdt.ui.text.java.IProblemLocation;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextOperationTarget;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * The Java editor in workbench tests: open and close it, wait for the StateLens problems the
 * reconciler shows, and ask for Ctrl+1 proposals. Tests run off the UI thread; these calls run
 * the UI parts on it and rethrow what failed there.
 */
final class Editors {

  private Editors() {}

  interface UiAction {
    void run() throws Exception;
  }

  /** Runs {@code action} on the UI thread; what it throws fails the test with that cause. */
  static void onUi(UiAction action) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Display.getDefault().syncExec(() -> {
      try {
        action.run();
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  /** Opens JDT's Java editor on {@code file} in the active page. */
  static ITextEditor openJava(IFile file) {
    AtomicReference<ITextEditor> opened = new AtomicReference<>();
    try {
      onUi(() -> {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        opened.set((ITextEditor) IDE.openEditor(page, file, JavaUI.ID_CU_EDITOR, true));
      });
    } catch (AssertionError e) {
      throw new AssertionError("cannot open the Java editor", e.getCause());
    }
    return opened.get();
  }

  static IDocument document(ITextEditor editor) {
    return editor.getDocumentProvider().getDocument(editor.getEditorInput());
  }

  /** Closes {@code editor} without saving; null (the test failed before opening it) is fine. */
  static void close(ITextEditor editor) {
    if (editor != null) {
      Display.getDefault().syncExec(() -> editor.getSite().getPage().closeEditor(editor, false));
    }
  }

  /**
   * Ctrl+1 at {@code location}: the proposals of JDT's correction processor, which finds the
   * StateLens processor through plugin.xml.
   */
  static List<IJavaCompletionProposal> quickFixes(ITextEditor editor, IProblemLocation location) {
    List<IJavaCompletionProposal> proposals = new ArrayList<>();
    onUi(() -> {
      ICompilationUnit unit = JavaUI.getWorkingCopyManager().getWorkingCopy(editor.getEditorInput());
      if (unit == null) {
        unit = JavaCore.createCompilationUnitFrom(editor.getEditorInput().getAdapter(IFile.class));
      }
      JavaCorrectionProcessor.collectCorrections(new AssistContext(unit, location.getOffset(), 0),
          new IProblemLocation[] {location}, proposals);
    });
    return proposals;
  }

  /** The StateLens proposal for {@code fix}; fails naming the proposals there are. */
  static FixProposal proposal(List<IJavaCompletionProposal> proposals, FixId fix) {
    return proposals.stream().filter(p -> p instanceof FixProposal f && f.fix() == fix)
        .map(p -> (FixProposal) p).findFirst()
        .orElseThrow(() -> new AssertionError("no " + fix.id() + " proposal in "
            + proposals.stream().map(IJavaCompletionProposal::getDisplayString).toList()));
  }

  /** Where {@code annotation} is in the editor's document (read on the UI thread). */
  static Position position(ITextEditor editor, Annotation annotation) {
    AtomicReference<Position> at = new AtomicReference<>();
    onUi(() -> at.set(editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput())
        .getPosition(annotation)));
    return at.get();
  }

  /** The editor's StateLens problem annotation (the last one, when there are several), or null. */
  private static IJavaAnnotation find(ITextEditor editor) {
    AtomicReference<IJavaAnnotation> found = new AtomicReference<>();
    Display.getDefault().syncExec(() -> {
      IAnnotationModel model = editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput());
      for (Iterator<Annotation> it = model.getAnnotationIterator(); it.hasNext();) {
        Annotation a = it.next();
        if (a instanceof IJavaAnnotation ja && !a.isMarkedDeleted()
            && LintMarkers.PROBLEM.equals(ja.getMarkerType())) {
          found.set(ja);
        }
      }
    });
    return found.get();
  }

  static IJavaAnnotation waitForStateLensAnnotation(ITextEditor editor) throws InterruptedException {
    for (int i = 0; i < 300; i++) { // up to 30 s: CI machines are slow
      IJavaAnnotation a = find(editor);
      if (a != null) {
        return a;
      }
      Thread.sleep(100);
    }
    return null;
  }

  /**
   * The StateLens problem the editor shows: its text starts with {@code [rule]} and it lists
   * {@code fixIds} (e.g. {@code "use-result,suppress"}; null: not checked). Fails saying what is there.
   */
  static IJavaAnnotation awaitFinding(ITextEditor editor, String rule, String fixIds)
      throws InterruptedException {
    IJavaAnnotation annotation = waitForStateLensAnnotation(editor);
    assertNotNull(annotation, "no StateLens annotation (expected " + rule + ")");
    assertTrue(annotation.getText().startsWith("[" + rule + "]"), annotation.getText());
    if (fixIds != null) {
      assertTrue(Arrays.asList(annotation.getArguments()).contains(fixIds),
          "the problem lists its fixes: " + Arrays.toString(annotation.getArguments()));
    }
    return annotation;
  }

  /** Ctrl+1 on {@code annotation}, at its position, with its own problem id and arguments. */
  static List<IJavaCompletionProposal> quickFixes(ITextEditor editor, IJavaAnnotation annotation) {
    Position at = position(editor, (Annotation) annotation);
    return quickFixes(editor, new ProblemLocation(at.getOffset(), at.getLength(), annotation));
  }

  /**
   * Ctrl+1's list at {@code offset} as the editor builds it ({@code JavaCorrectionProcessor}'s
   * {@code collectProposals} on the annotations there): quick fix processors for the problems the
   * reconciler reported, marker resolutions for build markers that no problem covers. Each
   * proposal's label, in JDT's order (relevance, then label).
   */
  static List<String> ctrl1Labels(ITextEditor editor, int offset) {
    return ctrl1Proposals(editor, offset).stream().map(IJavaCompletionProposal::getDisplayString).toList();
  }

  /** Ctrl+1's proposals at {@code offset} (see {@link #ctrl1Labels}), in JDT's order. */
  static List<IJavaCompletionProposal> ctrl1Proposals(ITextEditor editor, int offset) {
    List<IJavaCompletionProposal> proposals = new ArrayList<>();
    onUi(() -> {
      IAnnotationModel model = editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput());
      List<Annotation> here = new ArrayList<>();
      for (Iterator<Annotation> it = model.getAnnotationIterator(); it.hasNext();) {
        Annotation a = it.next();
        Position p = model.getPosition(a);
        if (p != null && JavaCorrectionProcessor.isQuickFixableType(a) && p.getOffset() <= offset
            && offset <= p.getOffset() + p.getLength()) {
          here.add(a);
        }
      }
      ICompilationUnit unit = JavaUI.getWorkingCopyManager().getWorkingCopy(editor.getEditorInput());
      JavaCorrectionProcessor.collectProposals(new AssistContext(unit, offset, 0), model,
          here.toArray(Annotation[]::new), true, false, proposals);
    });
    return proposals.stream()
        .sorted(java.util.Comparator.comparingInt(IJavaCompletionProposal::getRelevance).reversed()
            .thenComparing(IJavaCompletionProposal::getDisplayString))
        .toList();
  }

  /** Whether the editor shows {@code marker} (a build marker of the saved file) as an annotation. */
  static boolean showsMarker(ITextEditor editor, org.eclipse.core.resources.IMarker marker) {
    AtomicReference<Boolean> found = new AtomicReference<>(false);
    onUi(() -> found.set(editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput())
        instanceof org.eclipse.ui.texteditor.AbstractMarkerAnnotationModel markers
        && markers.getMarkerAnnotation(marker) != null));
    return found.get();
  }

  /** Waits up to 30 s until the editor shows {@code marker} (the build's marker reaches its annotation model). */
  static boolean waitForMarker(ITextEditor editor, org.eclipse.core.resources.IMarker marker)
      throws InterruptedException {
    for (int i = 0; i < 300 && !showsMarker(editor, marker); i++) {
      Thread.sleep(100);
    }
    return showsMarker(editor, marker);
  }

  /** Puts the caret at {@code offset} and opens Ctrl+1's popup, as a user does. */
  static void openQuickAssist(ITextEditor editor, int offset) {
    onUi(() -> {
      editor.selectAndReveal(offset, 0);
      ((ITextOperationTarget) editor.getAdapter(ITextOperationTarget.class))
          .doOperation(ISourceViewer.QUICK_ASSIST);
    });
  }

  static boolean waitForNoStateLensAnnotation(ITextEditor editor) throws InterruptedException {
    for (int i = 0; i < 300; i++) { // up to 30 s: CI machines are slow
      if (find(editor) == null) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
