package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.engine.Array;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.SourceRef;
import dev.statelens.test.support.TestJavaProjects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IProject;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go to Source in the State Flow view: a run recorded in this JVM from {@link SourceProgram}, whose
 * source (same binary names) is in a Java project of the test workspace. From {@code params.weight}
 * to the record component, from {@code jit step} to the recorded line, and one clear message when
 * the class is not in the workspace or no record holds the leaf.
 */
class GoToSourceTest {
  static final String PROJECT = "sl-goto-source";
  static final String FILE = "src/dev/statelens/debugger/tests/SourceProgram.java";

  @TempDir
  static Path dir;
  static Path run;
  static Path otherRun;
  static SourceRef stepSource;
  static IProject project;
  StateFlowView view;

  @BeforeAll
  static void recordAndCreateProject() throws Exception {
    run = recordSourceProgram(dir.resolve("source.db"));
    try (RunStore st = RunStore.open(run)) {
      stepSource = st.functions().getFirst().source().orElseThrow();
    }
    // Fixtures' records are not in the workspace
    otherRun = Fixtures.linreg(dir.resolve("other.db"), 3, 0.02, -1, -1);
    project = createProject(workspaceSource(stepSource.line()));
  }

  /** Records 3 steps of {@link SourceProgram}'s jitted step to {@code db} (its equations keep their lines); returns it. */
  static Path recordSourceProgram(Path db) {
    var step = SourceProgram.jitted();
    try (Recorder r = Recorder.open(db)) {
      SourceProgram.Params p = new SourceProgram.Params(Array.of(1f, 2f), Array.scalar(0));
      for (int i = 0; i < 3; i++) {
        p = step.apply(p, Array.of(0.5f, 0.25f));
      }
    }
    return db;
  }

  /**
   * SourceProgram's declarations, with {@code step}'s first array operation moved to {@code line}
   * (the line the run recorded from the compiled class), so the editor's line can be checked.
   */
  static String workspaceSource(int line) {
    List<String> lines = new ArrayList<>(List.of(
        "package dev.statelens.debugger.tests;",
        "import dev.statelens.engine.Array;",
        "public final class SourceProgram {",
        "  public record Params(Array weight, Array bias) {}",
        "  static Params step(Params p, Array x) {"));
    while (lines.size() < line - 1) {
      lines.add(3, "");
    }
    assertEquals(line - 1, lines.size(), "the recorded line " + line + " leaves room for the declarations above it");
    lines.add("    Array g = p.weight().mul(x).sum(); // FIRST_OP");
    lines.add("    return new Params(p.weight().sub(g.mul(0.1)), p.bias().sub(g.mul(0.1)));");
    lines.add("  }");
    lines.add("}");
    return String.join("\n", lines) + "\n";
  }

  static IProject createProject(String source) throws Exception {
    return TestJavaProjects.create(PROJECT, List.of(), Map.of(FILE.substring("src/".length()), source)).getProject();
  }

  @BeforeEach
  void open() {
    Ui.run(() -> Ui.page().closeAllEditors(false));
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    view = StateFlowViewTest.show(run);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    closeAllAndDelete(project);
  }

  /** Closes the editors, the State Flow view and every run, then deletes {@code project} (if made). */
  static void closeAllAndDelete(IProject project) throws Exception {
    Ui.run(() -> Ui.page().closeAllEditors(false));
    Ui.closeStateFlowView();
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    if (project != null && project.exists()) {
      project.delete(true, true, null);
    }
  }

  private void select(String key) {
    Ui.run(() -> {
      StateNode n = StateNode.find(view.stepState().roots(), key);
      assertNotNull(n, key);
      view.tree().setSelection(new StructuredSelection(n), true);
    });
  }

  /** The active editor: its file, the selected text and the selection's 1-based line. */
  record EditorAt(String file, String selected, int line, String lineText) {}

  static EditorAt activeEditor() {
    return Ui.call(() -> {
      IEditorPart e = Ui.page().getActiveEditor();
      if (!(e instanceof ITextEditor te) || !(e.getEditorInput() instanceof IFileEditorInput in)) {
        return null;
      }
      ITextSelection sel = (ITextSelection) te.getSelectionProvider().getSelection();
      IDocument doc = te.getDocumentProvider().getDocument(te.getEditorInput());
      try {
        int line = doc.getLineOfOffset(sel.getOffset());
        String text = doc.get(doc.getLineOffset(line), doc.getLineLength(line));
        return new EditorAt(in.getFile().getFullPath().toString(), sel.getText(), line + 1, text);
      } catch (org.eclipse.jface.text.BadLocationException ex) {
        throw new IllegalStateException(ex);
      }
    });
  }

  @Test
  void leafOpensItsRecordComponent() {
    assertEquals("step", Ui.call(view::function));
    select("in:params.weight");
    Ui.run(view::goToSource);
    Ui.settle();
    EditorAt at = activeEditor();
    assertNotNull(at, "an editor on the workspace file; status: " + Ui.call(view::status));
    assertEquals("/" + PROJECT + "/" + FILE, at.file());
    assertEquals("weight", at.selected(), "the record component's name is selected");
    assertTrue(at.lineText().contains("record Params(Array weight"), at.lineText());
    // says what was opened and in which file (it said the project's name before)
    assertEquals("Opened Params.weight (record component) in SourceProgram.java.", Ui.call(view::status));

    // an output leaf, through the flow picture's leaf menu target
    Ui.run(() -> Ui.page().closeAllEditors(false));
    Ui.run(() -> view.goToSource(StateNode.find(view.stepState().roots(), "out:bias")));
    Ui.settle();
    EditorAt bias = activeEditor();
    assertNotNull(bias, Ui.call(view::status));
    assertEquals("bias", bias.selected());
  }

  @Test
  void groupOpensItsRecord() {
    select("in:params");
    Ui.run(view::goToSource);
    Ui.settle();
    EditorAt at = activeEditor();
    assertNotNull(at, "an editor on the workspace file; status: " + Ui.call(view::status));
    assertEquals("Params", at.selected(), "the record's name is selected");
    assertTrue(at.lineText().contains("record Params("), at.lineText());
    assertEquals("Opened Params (record) in SourceProgram.java.", Ui.call(view::status));
  }

  @Test
  void functionOpensTheRecordedLine() {
    Ui.run(view::goToFunctionSource);
    Ui.settle();
    EditorAt at = activeEditor();
    assertNotNull(at, "an editor on the workspace file; status: " + Ui.call(view::status));
    assertEquals("/" + PROJECT + "/" + FILE, at.file());
    assertEquals(stepSource.line(), at.line(), "the line the run recorded for jit step");
    assertTrue(at.lineText().contains("p.weight().mul(x).sum()"), at.lineText());
    assertTrue(at.selected().contains("FIRST_OP"), "the whole line is selected: " + at.selected());
    assertEquals("step", stepSource.member());
    assertEquals("SourceProgram.java", stepSource.fileName());
  }

  @Test
  void aClassOutsideTheWorkspaceGivesOneClearMessage() {
    view = StateFlowViewTest.show(otherRun);
    select("in:params.w");
    Ui.run(view::goToSource);
    Ui.settle();
    assertNull(activeEditor(), "nothing opened");
    assertEquals("Go to Source: " + Fixtures.class.getName() + "$Params is not in any open Java project of the "
        + "workspace — import the project that produced this run.", Ui.call(view::status));
  }

  @Test
  void aLeafNoRecordHoldsSaysSo() {
    select("in:arg1");
    Ui.run(view::goToSource);
    Ui.settle();
    assertNull(activeEditor());
    String status = Ui.call(view::status);
    assertTrue(status.startsWith("Go to Source: no record component holds arg1"), status);
  }

  @Test
  void treeAndFlowOfferGoToSource() {
    // the tree's context menu has the action
    boolean inMenu = Ui.call(() -> {
      var menu = view.tree().getTree().getMenu();
      menu.notifyListeners(org.eclipse.swt.SWT.Show, new org.eclipse.swt.widgets.Event());
      for (var item : menu.getItems()) {
        if (item.getText().replace("&", "").equals("Go to Source")) {
          return true;
        }
      }
      return false;
    });
    assertTrue(inMenu, "Go to Source in the state tree's context menu");

    // the flow picture's function box: right-click offers Go to Source, which opens the recorded line
    Ui.run(() -> view.selectTab("State flow"));
    Ui.settle();
    List<String> items = Ui.call(() -> {
      var flow = view.flowCanvas();
      flow.redraw();
      flow.update(); // paint now: the boxes are laid out while painting
      var box = flow.functionBox();
      assertNotNull(box, "the function box was drawn");
      var p = flow.toDisplay(box.x + box.width / 2, box.y + box.height / 2);
      var e = new org.eclipse.swt.widgets.Event();
      e.x = p.x;
      e.y = p.y;
      flow.notifyListeners(org.eclipse.swt.SWT.MenuDetect, e);
      List<String> texts = new ArrayList<>();
      for (var item : flow.getMenu().getItems()) {
        texts.add(item.getText());
      }
      flow.getMenu().getItems()[0].notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
      return texts;
    });
    assertEquals(List.of("Go to Source", "Show Traced Graph"), items);
    Ui.settle();
    EditorAt at = activeEditor();
    assertNotNull(at, Ui.call(view::status));
    assertEquals(stepSource.line(), at.line());
  }
}
