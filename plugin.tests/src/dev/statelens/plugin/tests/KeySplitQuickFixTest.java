package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.fix.FixProposal;
import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.test.support.TestJavaProjects;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.ui.text.java.IJavaCompletionProposal;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SL010 "Split the key" and "Fold in the loop index" through the workbench: Ctrl+1 on the
 * problem in the editor (labelled with what the rewrite writes) and Quick Fix on the build marker.
 * Each ends in code JDT builds without errors and no StateLens finding left.
 */
class KeySplitQuickFixTest {

  /** Two layers' weights drawn from one key (KeyReuseScreenshotTest's scenario). */
  private static final String INIT = KeyReuseScreenshotTest.INIT;

  private static final String SPLIT = INIT.replace("""
          Array w1 = Random.normal(key, 64, 32);
      """, """
          var keys = Random.split(key);
          key = keys.first();
          Array w1 = Random.normal(keys.second(), 64, 32);
      """);

  /** Noise on every step of a loop, from one key. */
  static final String STEPS = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      class Steps {
        static Array walk(Key key, int n) {
          Array x = Array.scalar(0f);
          for (int i = 0; i < n; i++) {
            x = x.add(Random.normal(key));
          }
          return x;
        }
      }
      """;

  private IJavaProject project;
  private ITextEditor editor;

  @AfterEach
  void tearDown() throws Exception {
    Editors.close(editor);
    TestJavaProjects.delete(project);
  }

  @Test
  void ctrl1SplitsTheKeyBeforeTheFirstDrawAndTheProjectBuilds() throws Exception {
    project = TestProjects.create("key-split-editor", Map.of("demo/Init.java", INIT));
    IFile file = project.getProject().getFile("src/demo/Init.java");
    editor = Editors.openJava(file);
    IDocument document = Editors.document(editor);

    List<IJavaCompletionProposal> proposals =
        Editors.quickFixes(editor, Editors.awaitFinding(editor, "SL010", "split-key,suppress"));
    FixProposal split = Editors.proposal(proposals, FixId.SPLIT_KEY);
    assertEquals("Split the key before the draw at line 9 (key = keys.first(), draw from "
        + "keys.second()) (StateLens)", split.getDisplayString());
    Editors.onUi(() -> split.apply(document));

    assertEquals(SPLIT, document.get());
    assertTrue(Editors.waitForNoStateLensAnnotation(editor), "the annotation goes away after the fix");
    Editors.onUi(() -> editor.doSave(new NullProgressMonitor()));
    assertEquals(SPLIT, TestJavaProjects.read(file));
    TestProjects.assertBuildsClean(project);
  }

  @Test
  void ctrl1InALoopOffersBothAndFoldsInTheIndex() throws Exception {
    project = TestProjects.create("key-split-loop", Map.of("demo/Steps.java", STEPS));
    IFile file = project.getProject().getFile("src/demo/Steps.java");
    editor = Editors.openJava(file);
    IDocument document = Editors.document(editor);

    List<IJavaCompletionProposal> proposals =
        Editors.quickFixes(editor, Editors.awaitFinding(editor, "SL010", "split-key,fold-in,suppress"));
    assertEquals("Split the key in each iteration (key = keys.first(), draw from keys.second()) "
        + "(StateLens)", Editors.proposal(proposals, FixId.SPLIT_KEY).getDisplayString());
    FixProposal fold = Editors.proposal(proposals, FixId.FOLD_IN);
    assertEquals("Fold in the loop index (draw from Random.foldIn(key, i)) (StateLens)",
        fold.getDisplayString());
    Editors.onUi(() -> fold.apply(document));

    String expected = STEPS.replace("Random.normal(key)", "Random.normal(Random.foldIn(key, i))");
    assertEquals(expected, document.get());
    assertTrue(Editors.waitForNoStateLensAnnotation(editor), "the annotation goes away after the fix");
    Editors.onUi(() -> editor.doSave(new NullProgressMonitor()));
    TestProjects.assertBuildsClean(project);
  }

  @Test
  void problemsViewQuickFixSplitsTheKeyAndTheMarkerGoes() throws Exception {
    project = TestProjects.create("key-split-marker", Map.of("demo/Init.java", INIT));
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project), "the scenario compiles before the fix");
    IFile file = project.getProject().getFile("src/demo/Init.java");
    IMarker reuse = TestProjects.lintMarker(file, "SL010");
    assertEquals(10, reuse.getAttribute(IMarker.LINE_NUMBER, 0), "on the second draw");

    TestProjects.resolution(reuse, "Split the key (StateLens)").run(reuse);

    assertEquals(SPLIT, TestJavaProjects.read(file));
    TestProjects.assertBuildsClean(project);
  }

  /**
   * Two draws per iteration: splitting at the top of the body would leave them sharing the key,
   * which only linting the fixed text finds. The problem lists split-key (from the syntax, while
   * typing); Ctrl+1 and the Problems view check it when asked and leave it out.
   */
  static final String TWO_PER_STEP = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      class TwoPerStep {
        static Array walk(Key key) {
          Array x = Array.scalar(0f);
          for (int i = 0; i < 3; i++) {
            x = x.add(Random.normal(key));
            x = x.add(Random.uniform(key));
          }
          return x;
        }
      }
      """;

  @Test
  void aListedSplitThatWouldOnlyMoveTheReuseIsNotProposed() throws Exception {
    project = TestProjects.create("key-split-refused", Map.of("demo/TwoPerStep.java", TWO_PER_STEP));
    IFile file = project.getProject().getFile("src/demo/TwoPerStep.java");
    editor = Editors.openJava(file);

    List<IJavaCompletionProposal> proposals =
        Editors.quickFixes(editor, Editors.awaitFinding(editor, "SL010", "split-key,suppress"));
    List<FixId> fixes = proposals.stream().filter(p -> p instanceof FixProposal)
        .map(p -> ((FixProposal) p).fix()).toList();
    assertEquals(List.of(FixId.SUPPRESS), fixes, "Ctrl+1 shows only the fixes that hold");
    Editors.close(editor);
    editor = null;

    TestJavaProjects.fullBuild(project);
    List<IMarker> reuses = TestProjects.lintMarkers(file).stream()
        .filter(m -> "SL010".equals(m.getAttribute(LintMarkers.RULE_ID, ""))).toList();
    assertEquals(2, reuses.size(), TestJavaProjects.describe(reuses));
    for (IMarker m : reuses) {
      assertEquals("split-key,suppress", m.getAttribute(LintMarkers.FIX_IDS, ""));
      List<String> labels = Arrays.stream(IDE.getMarkerHelpRegistry().getResolutions(m))
          .map(IMarkerResolution::getLabel).toList();
      assertTrue(labels.stream().noneMatch(l -> l.startsWith("Split the key")), labels.toString());
      assertTrue(labels.stream().anyMatch(l -> l.startsWith("Suppress SL010")), labels.toString());
    }
    assertEquals(TWO_PER_STEP, TestJavaProjects.read(file), "nothing applied");
  }


}
