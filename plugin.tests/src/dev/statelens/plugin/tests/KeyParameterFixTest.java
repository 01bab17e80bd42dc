package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.fix.FixProposal;
import dev.statelens.test.support.TestJavaProjects;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.internal.ui.javaeditor.IJavaAnnotation;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SL004 "Add a Key parameter" through the workbench, both ways a user reaches it: Ctrl+1 on the
 * problem the editor shows while typing (JDT's correction processor with the annotation's own
 * problem location), and Quick Fix on the build marker in the Problems view. Each ends in the
 * expected source (the lint module's rewrite), a project that JDT builds without errors, and no
 * StateLens finding left.
 */
class KeyParameterFixTest {

  /** Scenario: an implicit random draw in a jitted method, baked in once at trace time. */
  private static final String NOISE = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;

      public class Noise {
        Array noisy(Array x) {
          double noise = Math.random();
          return x.add(noise);
        }

        Object jitted() {
          return Transforms.jit(this::noisy);
        }
      }
      """;

  /**
   * Expected: the method takes a Key and draws with the engine's keyed Random (the imports go in
   * name order among the existing ones). The jit call site compiles unchanged, as a BiFunction.
   */
  private static final String EXPECTED = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;
      import dev.statelens.engine.Transforms;

      public class Noise {
        Array noisy(Array x, Key key) {
          Array noise = Random.uniform(key);
          return x.add(noise);
        }

        Object jitted() {
          return Transforms.jit(this::noisy);
        }
      }
      """;

  private static final String LABEL = "Add a Key parameter (StateLens)";

  private IJavaProject project;
  private ITextEditor editor;

  @AfterEach
  void tearDown() throws Exception {
    Editors.close(editor);
    TestJavaProjects.delete(project);
  }

  @Test
  void ctrl1InTheEditorAddsAKeyParameterAndTheProjectBuilds() throws Exception {
    // start from a constant draw and type the implicit one: the finding comes from the reconciler
    String constant = NOISE.replace("Math.random()", "0.5");
    project = TestProjects.create("key-editor", Map.of("demo/Noise.java", constant));
    IFile file = project.getProject().getFile("src/demo/Noise.java");
    editor = Editors.openJava(file);
    IDocument document = Editors.document(editor);
    Editors.onUi(() -> document.set(NOISE));

    IJavaAnnotation annotation = Editors.awaitFinding(editor, "SL004", "key-parameter,suppress");
    assertEquals(List.of(), TestJavaProjects.markers(file, IMarker.PROBLEM),
        "no build ran: the editor's processor, not a marker resolution, offers the fix");

    // Ctrl+1 on the annotation, at its position, with its own problem id and arguments
    FixProposal addKey = Editors.proposal(Editors.quickFixes(editor, annotation), FixId.KEY_PARAMETER);
    assertEquals(LABEL, addKey.getDisplayString());
    Editors.onUi(() -> addKey.apply(document));

    assertEquals(EXPECTED, document.get());
    assertTrue(Editors.waitForNoStateLensAnnotation(editor), "the annotation goes away after the fix");
    Editors.onUi(() -> editor.doSave(new NullProgressMonitor()));
    assertEquals(EXPECTED, TestJavaProjects.read(file));
    TestProjects.assertBuildsClean(project);
  }

  @Test
  void problemsViewQuickFixAddsAKeyParameterAndTheProjectBuilds() throws Exception {
    project = TestProjects.create("key-marker", Map.of("demo/Noise.java", NOISE));
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project), "the scenario compiles before the fix");
    IFile file = project.getProject().getFile("src/demo/Noise.java");
    IMarker random = TestProjects.lintMarker(file, "SL004");
    assertEquals(8, random.getAttribute(IMarker.LINE_NUMBER, 0), "on the line of Math.random()");

    TestProjects.resolution(random, LABEL).run(random);

    assertEquals(EXPECTED, TestJavaProjects.read(file));
    TestProjects.assertBuildsClean(project);
  }

}
