package dev.statelens.plugin.tests;

import dev.statelens.plugin.fix.FixProposal;
import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.test.support.TestJavaProjects;
import dev.statelens.test.support.Walk;
import dev.statelens.test.support.Widgets;
import dev.statelens.test.support.WorkbenchUi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.internal.ui.javaeditor.IJavaAnnotation;
import org.eclipse.jdt.ui.text.java.IJavaCompletionProposal;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.texteditor.ITextEditorActionConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Not a check: a newcomer's walk through the linter's path as the README tells it — a project with
 * jitted code, a side effect typed into a jitted step and its squiggle, the hover, Ctrl+1 and the
 * fixed code, Convert to explicit state, the Problems view, the preference and property pages,
 * as-you-type latency on a 1,000-line file, the CLI's text/JSON/SARIF — one screenshot per step and
 * walk.txt of what each step said, for a person to read. Runs only with
 * {@code STATELENS_WALK=<folder>} under {@code xvfb-run -s "-screen 0 1600x1000x24"}.
 */
class LintWalkTest {

  static final String TRAIN = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Pair;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Train {
        public static void main(String[] args) {
          Function<Array, Pair<Array, Array>> step = Transforms.jit((Array w) -> {
            Array loss = w.mul(w).sum();
            return Pair.of(loss, w.sub(w.mul(0.1)));
          });
          Array w = Array.of(1f, 2f, 3f);
          for (int i = 0; i < 3; i++) {
            Pair<Array, Array> r = step.apply(w);
            w = r.second();
          }
        }
      }
      """;

  private static final int W = 1600;
  private static final int H = 1000;

  private Walk walk;
  private IJavaProject project;
  private final List<ITextEditor> editors = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    editors.forEach(Editors::close);
    TestJavaProjects.delete(project);
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "STATELENS_WALK", matches = ".+",
      disabledReason = "a walk only on request: set STATELENS_WALK=<folder>")
  void walkTheLintPath() throws Exception {
    walk = new Walk(Walk.requested(), W, H);
    WorkbenchUi.sizeWindow(W, H);
    WorkbenchUi.showPerspective("org.eclipse.jdt.ui.JavaPerspective");
    Editors.onUi(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().closeAllEditors(false));

    // 1. a project with jitted code: the Counter, its jit call, a training step
    Map<String, String> files = new LinkedHashMap<>();
    files.put("demo/Counter.java", TestProjects.COUNTER);
    files.put("demo/Main.java", TestProjects.MAIN);
    files.put("demo/Train.java", TRAIN);
    project = TestProjects.create("lint-walk", files);
    TestJavaProjects.fullBuild(project);
    IFile counter = project.getProject().getFile("src/demo/Counter.java");
    IFile train = project.getProject().getFile("src/demo/Train.java");
    ITextEditor counterEditor = open(counter);
    WorkbenchUi.settle(1500);
    capture("counter-sl001");
    noteMarkers("markers after the first build");

    // 2. as you type: a println in the jitted step
    ITextEditor trainEditor = open(train);
    String loss = "      Array loss = w.mul(w).sum();\n";
    long typed = type(trainEditor, TRAIN.indexOf(loss) + loss.length(),
        "      System.out.println(\"loss \" + loss);\n");
    IJavaAnnotation io = awaitRule(trainEditor, "SL003");
    note("typed a println into the jitted step: [SL003] shown " + (System.nanoTime() - typed) / 1_000_000
        + " ms after the keystroke (includes the reconciler's delay)");
    note("  squiggle text: " + (io == null ? "NONE" : io.getText()));
    WorkbenchUi.settle(800);
    capture("typed-println");

    // 3. hover (F2, Show Tooltip Description, at the squiggle)
    int ioAt = Editors.position(trainEditor, (Annotation) io).getOffset();
    Editors.onUi(() -> {
      trainEditor.selectAndReveal(ioAt + 3, 0);
      trainEditor.getAction(ITextEditorActionConstants.SHOW_INFORMATION).run();
    });
    WorkbenchUi.settle(1500);
    capture("hover");
    closePopups(trainEditor);
    hoverWithTheMouse(trainEditor, ioAt + 3);
    capture("mouse-hover");
    closePopups(trainEditor);

    // 4. Ctrl+1 at the squiggle, then the first fix applied
    Editors.openQuickAssist(trainEditor, ioAt + 3);
    WorkbenchUi.settle(2000);
    capture("ctrl1-sl003");
    List<IJavaCompletionProposal> proposals = Editors.ctrl1Proposals(trainEditor, ioAt + 3);
    note("Ctrl+1 on the println: " + proposals.stream().map(IJavaCompletionProposal::getDisplayString).toList());
    closePopups(trainEditor);
    FixProposal first = (FixProposal) proposals.stream().filter(p -> p instanceof FixProposal).findFirst()
        .orElseThrow(() -> new AssertionError("no StateLens proposal"));
    Editors.onUi(() -> first.apply(Editors.document(trainEditor)));
    WorkbenchUi.settle(2000);
    capture("after-debug-print");
    note("Train.java after '" + first.getDisplayString() + "':\n" + Walk.indent(text(trainEditor)));
    Editors.onUi(() -> trainEditor.doSave(null));
    TestJavaProjects.incrementalBuild(project);
    note("  compile errors after save: " + TestJavaProjects.compileErrors(project));

    // 5. Convert to explicit state on the Counter (Ctrl+1 on the build marker)
    Editors.onUi(() -> counterEditor.getSite().getPage().activate(counterEditor));
    int write = TestProjects.COUNTER.indexOf("n = n.add(1)") + 1;
    Editors.openQuickAssist(counterEditor, write);
    WorkbenchUi.settle(2000);
    capture("ctrl1-sl001");
    List<IJavaCompletionProposal> counterFixes = Editors.ctrl1Proposals(counterEditor, write);
    note("Ctrl+1 on the Counter's write: " + counterFixes.stream().map(IJavaCompletionProposal::getDisplayString).toList());
    closePopups(counterEditor);
    IJavaCompletionProposal explicit = counterFixes.get(0);
    Editors.onUi(() -> explicit.apply(Editors.document(counterEditor)));
    WorkbenchUi.settle(2000);
    capture("after-explicit-state");
    note("after '" + explicit.getDisplayString() + "':");
    note("Counter.java (editor):\n" + Walk.indent(text(counterEditor)));
    note("Main.java (disk):\n" + Walk.indent(TestJavaProjects.read(project.getProject().getFile("src/demo/Main.java"))));
    Editors.onUi(() -> counterEditor.doSave(null));
    TestJavaProjects.incrementalBuild(project);
    note("  compile errors after save: " + TestJavaProjects.compileErrors(project));
    noteMarkers("markers after the fixes");

    // 6. the Problems view, with findings back in (undo the fixes on disk)
    TestJavaProjects.write(counter, TestProjects.COUNTER);
    TestJavaProjects.write(project.getProject().getFile("src/demo/Main.java"), TestProjects.MAIN);
    TestJavaProjects.write(train, TRAIN.replace(loss, loss + "      System.out.println(\"loss \" + loss);\n"
        + "      double noise = Math.random();\n"));
    TestJavaProjects.fullBuild(project);
    Editors.onUi(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
        .showView("org.eclipse.ui.views.ProblemView"));
    WorkbenchUi.settle(1000);
    WorkbenchUi.expandGroups("Warnings (");
    WorkbenchUi.settle(1000);
    capture("problems-view");
    noteMarkers("markers in the Problems view");

    // 7. preferences and the project's properties
    PreferenceDialog prefs = WorkbenchUi.call(() -> PreferencesUtil.createPreferenceDialogOn(shell(),
        "dev.statelens.plugin.preferences", null, null));
    Editors.onUi(() -> {
      prefs.setBlockOnOpen(false);
      prefs.open();
    });
    WorkbenchUi.settle(1500);
    WorkbenchUi.centreDialogs();
    capture("preferences");
    Editors.onUi(() -> noteControls(prefs.getShell(), "  "));
    // About on SL003: the rule's section of the shipped docs, over the preferences
    WorkbenchUi.click(WorkbenchUi.call(() -> Widgets.one(prefs.getShell(), org.eclipse.swt.widgets.Link.class,
        l -> l.getData(dev.statelens.plugin.prefs.LintPreferencePage.ABOUT_RULE) == dev.statelens.lint.Rule.SL003)));
    WorkbenchUi.settle(1500);
    WorkbenchUi.centreDialogs();
    capture("about-sl003");
    Editors.onUi(() -> {
      for (Shell s : Display.getDefault().getShells()) {
        if (s.getText().startsWith("StateLens rule ")) {
          s.close();
        }
      }
    });
    Editors.onUi(prefs::close);
    PreferenceDialog props = WorkbenchUi.call(() -> PreferencesUtil.createPropertyDialogOn(shell(), project.getProject(),
        "dev.statelens.plugin.properties", null, null));
    Editors.onUi(() -> {
      props.setBlockOnOpen(false);
      props.open();
    });
    WorkbenchUi.settle(1500);
    WorkbenchUi.centreDialogs();
    capture("properties");
    Editors.onUi(props::close);

    // 8. as you type in a 1,000-line file
    IFile model = project.getProject().getFile("src/demo/Model.java");
    TestJavaProjects.write(model, KeptLinterCostTest.thousandLineFile());
    TestJavaProjects.fullBuild(project);
    ITextEditor modelEditor = open(model);
    WorkbenchUi.settle(3000);
    String helper = "      Array h = helper30(x);\n"; // a jitted lambda in the middle of the file
    int at = KeptLinterCostTest.thousandLineFile().indexOf(helper) + helper.length();
    for (int round = 0; round < 4; round++) {
      String line = "      System.out.println(\"h" + round + "\");\n";
      long t = type(modelEditor, at, line);
      IJavaAnnotation shown = awaitRuleAt(modelEditor, "SL003", at);
      note("1,000-line Model.java: typed a println in step30's jit, [SL003] shown after "
          + (System.nanoTime() - t) / 1_000_000 + " ms" + (shown == null ? " (NOT SHOWN)" : ""));
      long t2 = System.nanoTime();
      Editors.onUi(() -> Editors.document(modelEditor).replace(at, line.length(), ""));
      awaitNoRuleAt(modelEditor, "SL003", at);
      note("  removed: gone after " + (System.nanoTime() - t2) / 1_000_000 + " ms");
    }
    // the baseline: JDT's own warning for an unused local typed at the same place, same reconcile
    for (int round = 0; round < 3; round++) {
      String name = "unusedWalk" + round;
      String line = "      int " + name + " = 1;\n";
      long t = type(modelEditor, at, line);
      boolean shown = awaitJdtProblem(modelEditor, name);
      note("1,000-line Model.java: typed an unused local, JDT's own warning shown after "
          + (System.nanoTime() - t) / 1_000_000 + " ms" + (shown ? "" : " (NOT SHOWN)"));
      Editors.onUi(() -> Editors.document(modelEditor).replace(at, line.length(), ""));
      WorkbenchUi.settle(1500);
    }
    capture("model-1000-lines");

    // 9. the sources, for the CLI's walk (./statelens lint <folder>/src [--format json|sarif]): the
    // CLI's picocli is not in the workbench test runtime
    for (var entry : files.entrySet()) {
      Path to = walk.folder().resolve("src").resolve(entry.getKey());
      Files.createDirectories(to.getParent());
      Files.writeString(to, entry.getValue());
    }
  }

  /** Moves the pointer onto {@code offset}'s character and waits for the hover, as a user resting the mouse there. */
  private static void hoverWithTheMouse(ITextEditor editor, int offset) throws InterruptedException {
    Editors.onUi(() -> {
      var viewer = (org.eclipse.jface.text.source.ISourceViewer) editor.getAdapter(
          org.eclipse.jface.text.ITextOperationTarget.class);
      var text = viewer.getTextWidget();
      int widgetOffset = ((org.eclipse.jface.text.ITextViewerExtension5) viewer).modelOffset2WidgetOffset(offset);
      var at = text.toDisplay(text.getLocationAtOffset(widgetOffset)); // folded imports shift the widget's offsets
      var move = new org.eclipse.swt.widgets.Event();
      move.type = org.eclipse.swt.SWT.MouseMove;
      move.x = at.x + 4;
      move.y = at.y + text.getLineHeight() / 2;
      text.getDisplay().post(move);
    });
    WorkbenchUi.settle(2500);
  }

  private ITextEditor open(IFile file) {
    ITextEditor editor = Editors.openJava(file);
    editors.add(editor);
    return editor;
  }

  /** Inserts {@code text} at {@code offset} as one keystroke would; returns when (System.nanoTime). */
  private static long type(ITextEditor editor, int offset, String text) {
    AtomicReference<Long> when = new AtomicReference<>();
    Editors.onUi(() -> {
      editor.selectAndReveal(offset, 0);
      when.set(System.nanoTime());
      Editors.document(editor).replace(offset, 0, text);
    });
    return when.get();
  }

  private static IJavaAnnotation awaitRule(ITextEditor editor, String rule) throws InterruptedException {
    return awaitRuleAt(editor, rule, -1);
  }

  /** The editor's {@code rule} problem (on {@code offset}'s line's neighbourhood when >= 0), waited for up to 30 s. */
  private static IJavaAnnotation awaitRuleAt(ITextEditor editor, String rule, int offset) throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      IJavaAnnotation a = ruleAt(editor, rule, offset);
      if (a != null) {
        return a;
      }
      Thread.sleep(10);
    }
    return null;
  }

  /** Waits up to 30 s for a JDT problem whose text names {@code name}. */
  private static boolean awaitJdtProblem(ITextEditor editor, String name) throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      AtomicReference<Boolean> found = new AtomicReference<>(false);
      Display.getDefault().syncExec(() -> {
        IAnnotationModel model = editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput());
        for (Iterator<Annotation> it = model.getAnnotationIterator(); it.hasNext();) {
          if (it.next() instanceof IJavaAnnotation ja && ja.getText() != null && ja.getText().contains(name)
              && !LintMarkers.PROBLEM.equals(ja.getMarkerType())) {
            found.set(true);
          }
        }
      });
      if (found.get()) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  private static void awaitNoRuleAt(ITextEditor editor, String rule, int offset) throws InterruptedException {
    for (int i = 0; i < 3000 && ruleAt(editor, rule, offset) != null; i++) {
      Thread.sleep(10);
    }
  }

  private static IJavaAnnotation ruleAt(ITextEditor editor, String rule, int offset) {
    AtomicReference<IJavaAnnotation> found = new AtomicReference<>();
    Display.getDefault().syncExec(() -> {
      IAnnotationModel model = editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput());
      for (Iterator<Annotation> it = model.getAnnotationIterator(); it.hasNext();) {
        Annotation a = it.next();
        var p = model.getPosition(a);
        if (a instanceof IJavaAnnotation ja && !a.isMarkedDeleted() && LintMarkers.PROBLEM.equals(ja.getMarkerType())
            && ja.getText() != null && ja.getText().startsWith("[" + rule + "]")
            && (offset < 0 || p != null && Math.abs(p.getOffset() - offset) < 60)) {
          found.set(ja);
        }
      }
    });
    return found.get();
  }

  private static String text(ITextEditor editor) {
    AtomicReference<String> t = new AtomicReference<>();
    Editors.onUi(() -> t.set(Editors.document(editor).get()));
    return t.get();
  }

  private void noteMarkers(String heading) throws Exception {
    note(heading + ":");
    for (IMarker m : TestProjects.lintMarkers(project.getProject())) {
      note("  " + m.getResource().getName() + ":" + m.getAttribute(IMarker.LINE_NUMBER, -1) + " "
          + m.getAttribute(IMarker.MESSAGE, ""));
      for (var r : WorkbenchUi.call(() -> IDE.getMarkerHelpRegistry().getResolutions(m))) {
        note("      fix: " + r.getLabel());
      }
    }
  }

  /** Each check box of a dialog with its tooltip, as a reader of the page sees them. */
  private void noteControls(Composite parent, String indent) {
    for (Control c : parent.getChildren()) {
      if (c instanceof Button b && (b.getStyle() & org.eclipse.swt.SWT.CHECK) != 0 && b.isVisible()) {
        note(indent + "[" + (b.getSelection() ? "x" : " ") + "] " + b.getText()
            + (b.getToolTipText() == null ? "" : "   (tooltip: " + b.getToolTipText() + ")"));
      }
      if (c instanceof Composite child) {
        noteControls(child, indent);
      }
    }
  }

  private static void closePopups(ITextEditor editor) throws InterruptedException {
    Editors.onUi(() -> {
      for (Shell s : Display.getDefault().getShells()) {
        if (s != PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell() && s.isVisible()) {
          s.setVisible(false);
        }
      }
      editor.setFocus();
    });
    WorkbenchUi.settle(300);
  }

  private static Shell shell() {
    return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
  }

  private void capture(String what) throws Exception {
    walk.capture(what);
  }

  private void note(String line) {
    walk.note(line);
  }
}
