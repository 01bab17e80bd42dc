package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.fix.FixProposal;
import dev.statelens.plugin.lint.ProjectLinters;
import dev.statelens.plugin.lint.ProjectSources;
import dev.statelens.test.support.TestJavaProjects;
import java.util.Map;
import java.util.Set;
import org.eclipse.core.resources.IFile;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.internal.ui.javaeditor.IJavaAnnotation;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ctrl+1 computes its fix through the project's kept linter ({@link ProjectLinters}), not a
 * whole-project lint, and the fix is that of the editor's unsaved buffer: the finding exists only
 * in the buffer, the rewrite lands in the document, the file on disk is untouched, and only the
 * buffer's transform calls were analyzed again (the other file's jit call kept its outcome).
 */
class KeptQuickFixTest {

  private static final String DISK = UseResultFixTest.ROWS.replace("    state.at(0)",
      "    Array s = state.at(0)");
  private static final String EXPECTED = UseResultFixTest.ROWS.replace("    state.at(0)",
      "    state = state.at(0)");

  private IJavaProject project;
  private ITextEditor editor;

  @AfterEach
  void tearDown() throws Exception {
    Editors.close(editor);
    TestJavaProjects.delete(project);
  }

  @Test
  void ctrl1OnAnUnsavedBufferUsesTheKeptLinter() throws Exception {
    project = TestProjects.create("kept-quick-fix", Map.of("demo/Rows.java", DISK,
        "demo/Counter.java", TestProjects.COUNTER, "demo/Main.java", TestProjects.MAIN));
    TestJavaProjects.fullBuild(project);
    IFile file = project.getProject().getFile("src/demo/Rows.java");
    editor = Editors.openJava(file);
    IDocument document = Editors.document(editor);
    Editors.onUi(() -> document.set(UseResultFixTest.ROWS)); // unsaved: the result dropped

    IJavaAnnotation annotation = Editors.awaitFinding(editor, "SL009", null); // the unsaved buffer's
    FixProposal use = Editors.proposal(Editors.quickFixes(editor, annotation), FixId.USE_RESULT);

    long fresh = ProjectLinters.freshLints();
    Editors.onUi(() -> use.apply(document));
    assertEquals(EXPECTED, document.get(), "the fix applies to the buffer's text");
    assertEquals(fresh, ProjectLinters.freshLints(), "Ctrl+1 ran no whole-project lint");
    assertEquals(Set.of(ProjectSources.pathOf(file)),
        ProjectLinters.lastReanalyzedFiles(project.getProject()),
        "only the buffer's calls were analyzed again; Main's jit call kept its outcome");
    assertEquals(DISK, TestJavaProjects.read(file), "the file on disk is untouched until saved");
  }
}
