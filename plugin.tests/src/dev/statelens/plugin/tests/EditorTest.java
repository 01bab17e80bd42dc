package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.plugin.fix.FixProposal;
import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.test.support.TestJavaProjects;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.resources.IFile;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.internal.ui.text.correction.AssistContext;
import org.eclipse.jdt.internal.ui.text.correction.JavaCorrectionProcessor;
import org.eclipse.jdt.internal.ui.text.correction.ProblemLocation;
import org.eclipse.jdt.ui.text.java.IJavaCompletionProposal;
import org.eclipse.jdt.ui.text.java.IProblemLocation;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.jdt.internal.ui.javaeditor.IJavaAnnotation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Java editor: typing a field write shows a StateLens problem annotation (JDT's reconciler),
 * and Ctrl+1 on it (JDT's correction processor, which finds our processor through plugin.xml)
 * offers the fixes; applying the suppression leaves code without the finding.
 */
class EditorTest {

  private IJavaProject project;
  private ITextEditor editor;

  @AfterEach
  void tearDown() throws Exception {
    if (editor != null) {
      ITextEditor e = editor;
      Display.getDefault().syncExec(() -> e.getSite().getPage().closeEditor(e, false));
    }
    TestJavaProjects.delete(project);
  }

  @Test
  void typingShowsTheProblemAndCtrl1SuppressesIt() throws Exception {
    String pure = TestProjects.COUNTER.replace("n = n.add(1);\n    return n;", "return n.add(1);");
    project = TestProjects.create("editor",
        Map.of("demo/Counter.java", pure, "demo/Main.java", TestProjects.MAIN));
    IFile file = project.getProject().getFile("src/demo/Counter.java");
    AtomicReference<ITextEditor> opened = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Display.getDefault().syncExec(() -> {
      try {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        opened.set((ITextEditor) IDE.openEditor(page, file, JavaUI_ID, true));
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    if (failure.get() != null) {
      throw new AssertionError("cannot open the Java editor", failure.get());
    }
    editor = opened.get();
    IDocument document = editor.getDocumentProvider().getDocument(editor.getEditorInput());
    Display.getDefault().syncExec(() -> document.set(TestProjects.COUNTER));

    IJavaAnnotation annotation = waitForStateLensAnnotation(editor);
    assertNotNull(annotation, "no StateLens annotation after typing the field write");
    assertTrue(annotation.getText().startsWith("[SL001]"), annotation.getText());
    assertTrue(editor.isDirty(), "the problem came from the unsaved buffer");

    // Ctrl+1: JDT's correction processor with a problem location for the annotation
    ICompilationUnit unit = JavaCore.createCompilationUnitFrom(file);
    int offset = TestProjects.COUNTER.indexOf("n = n.add(1)");
    List<IJavaCompletionProposal> proposals = new ArrayList<>();
    AtomicReference<Throwable> applyFailure = new AtomicReference<>();
    Display.getDefault().syncExec(() -> {
      try {
        ICompilationUnit workingCopy = org.eclipse.jdt.ui.JavaUI.getWorkingCopyManager().getWorkingCopy(editor.getEditorInput());
        IProblemLocation location = new ProblemLocation(offset, "n = n.add(1)".length(),
            LintMarkers.problemId(dev.statelens.lint.Rule.SL001),
            new String[] {"SL001", "explicit-state,suppress"}, false, LintMarkers.PROBLEM);
        JavaCorrectionProcessor.collectCorrections(
            new AssistContext(workingCopy != null ? workingCopy : unit, offset, 0),
            new IProblemLocation[] {location}, proposals);
        FixProposal suppress = proposals.stream().filter(p -> p instanceof FixProposal f
            && f.fix() == dev.statelens.lint.fix.FixId.SUPPRESS).map(p -> (FixProposal) p)
            .findFirst().orElseThrow(() -> new AssertionError("no suppress proposal in " + names(proposals)));
        suppress.apply(document);
      } catch (Throwable t) {
        applyFailure.set(t);
      }
    });
    if (applyFailure.get() != null) {
      throw new AssertionError(applyFailure.get());
    }
    String fixed = document.get();
    assertTrue(fixed.contains("@SuppressWarnings(\"statelens:SL001\")\n  public Array count()"), fixed);
    assertTrue(waitForNoStateLensAnnotation(editor), "the annotation goes away after the fix");
  }

  private static final String JavaUI_ID = org.eclipse.jdt.ui.JavaUI.ID_CU_EDITOR;

  private static List<String> names(List<IJavaCompletionProposal> proposals) {
    return proposals.stream().map(p -> p.getDisplayString()).toList();
  }

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

  static boolean waitForNoStateLensAnnotation(ITextEditor editor) throws InterruptedException {
    for (int i = 0; i < 300; i++) { // up to 30 s: CI machines are slow
      if (find(editor) == null) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  static void assertNoErrors(List<String> errors) {
    assertEquals(List.of(), errors);
  }
}
