package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.Rule;
import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.fix.FixProposal;
import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.test.support.TestJavaProjects;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.internal.ui.javaeditor.IJavaAnnotation;
import org.eclipse.jdt.internal.ui.text.correction.ProblemLocation;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.texteditor.ITextEditor;
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
    Editors.close(editor);
    TestJavaProjects.delete(project);
  }

  @Test
  void typingShowsTheProblemAndCtrl1SuppressesIt() throws Exception {
    String pure = TestProjects.COUNTER.replace("n = n.add(1);\n    return n;", "return n.add(1);");
    project = TestProjects.create("editor",
        Map.of("demo/Counter.java", pure, "demo/Main.java", TestProjects.MAIN));
    IFile file = project.getProject().getFile("src/demo/Counter.java");
    editor = Editors.openJava(file);
    IDocument document = Editors.document(editor);
    Editors.onUi(() -> document.set(TestProjects.COUNTER));

    IJavaAnnotation annotation = Editors.waitForStateLensAnnotation(editor);
    assertNotNull(annotation, "no StateLens annotation after typing the field write");
    assertTrue(annotation.getText().startsWith("[SL001]"), annotation.getText());
    assertTrue(editor.isDirty(), "the problem came from the unsaved buffer");

    // Ctrl+1: JDT's correction processor with a problem location for the annotation
    int offset = TestProjects.COUNTER.indexOf("n = n.add(1)");
    ProblemLocation location = new ProblemLocation(offset, "n = n.add(1)".length(),
        LintMarkers.problemId(Rule.SL001), new String[] {"SL001", "explicit-state,suppress"}, false,
        LintMarkers.PROBLEM);
    FixProposal suppress = Editors.proposal(Editors.quickFixes(editor, location), FixId.SUPPRESS);
    Editors.onUi(() -> suppress.apply(document));
    String fixed = document.get();
    assertTrue(fixed.contains("@SuppressWarnings(\"statelens:SL001\")\n  public Array count()"), fixed);
    assertTrue(Editors.waitForNoStateLensAnnotation(editor), "the annotation goes away after the fix");
  }
}
