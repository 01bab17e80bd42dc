package dev.statelens.debugger.ui;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.RunDebugTarget;
import dev.statelens.debugger.model.Run;
import dev.statelens.engine.record.store.FunctionInfo;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.jdt.core.IField;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.IMethod;
import org.eclipse.jdt.core.IType;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.JavaModelException;
import org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants;
import org.eclipse.jdt.ui.JavaUI;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * "Go to Source" in the State Flow view: from a leaf to the declaration of the record component
 * that holds it ({@code params.weight} → {@code record Params(Array weight, ...)}), and from a
 * jitted function to the line of its code the run recorded (run store schema 2, see
 * docs/run-store.md). The record class is looked up by name in the workspace's open Java
 * projects (the project of the launch that recorded the run first) and opened in the Java editor.
 *
 * <p>The run store is read in a Job; the editor is opened on the UI thread. Whatever cannot be
 * resolved (a run recorded before source positions, a leaf no record holds, a class that is in no
 * open project) ends in one message naming the reason and what to do, never an exception.
 */
public final class SourceNavigator {
  /** The outcome of one Go to Source: an element was opened, or why not (a sentence for the status line). */
  public record Outcome(boolean opened, String message) {
    static Outcome opened(String message) {
      return new Outcome(true, message);
    }

    static Outcome failed(String message) {
      return new Outcome(false, "Go to Source: " + message);
    }
  }

  private final RunJobs.Slot slot = new RunJobs.Slot("Finding source");
  private final Consumer<Outcome> onOutcome;

  /** @param onOutcome told every outcome, on the UI thread (the view shows it in its status line) */
  public SourceNavigator(Consumer<Outcome> onOutcome) {
    this.onOutcome = onOutcome;
  }

  /** What the run store says about one Go to Source request (read in the Job). */
  private record Found(boolean runHasSources, List<SourceRef> candidates) {}

  /** Opens the record component that holds leaf {@code path} ({@code role} "in" or "out") of {@code function}. */
  public void goToLeaf(Run run, Control owner, String function, String role, String path) {
    slot.submit(run, owner, st -> new Found(st.hasSources(), st.leafSource(function, role, path).stream().toList()),
        found -> onOutcome.accept(found.runHasSources()
            ? openLeaf(found.candidates(), path, preferredProject(run))
            : noSources(run)),
        error -> onOutcome.accept(Outcome.failed(error)));
  }

  /** Opens the code of jitted function {@code function}: the recorded method line, else the jit call. */
  public void goToFunction(Run run, Control owner, String function) {
    function(run, owner, function, true);
  }

  /**
   * As {@link #goToFunction}, but leaves the focus where it is: the Debug view showing a paused
   * frame's source, as it does for a Java frame (the view keeps the keys for stepping).
   */
  public void showFunction(Run run, Control owner, String function) {
    function(run, owner, function, false);
  }

  private void function(Run run, Control owner, String function, boolean activate) {
    slot.submit(run, owner, st -> new Found(st.hasSources(), functionSources(st, function)),
        found -> onOutcome.accept(found.runHasSources()
            ? openFunction(found.candidates(), function, preferredProject(run), activate)
            : noSources(run)),
        error -> onOutcome.accept(Outcome.failed(error)));
  }

  /**
   * Opens the declaration of group {@code groupPath} ({@code params}, {@code opt_state.mu}) of the
   * state tree, found through {@code leafPath}, one of its leaves: the record class when the group
   * is a record ({@code record Params}), else the record component that holds it (a list or map).
   */
  public void goToGroup(Run run, Control owner, String function, String role, String groupPath, String leafPath) {
    slot.submit(run, owner, st -> new Found(st.hasSources(), st.leafSource(function, role, leafPath).stream().toList()),
        found -> onOutcome.accept(found.runHasSources()
            ? openGroup(found.candidates(), groupPath, leafPath, preferredProject(run))
            : noSources(run)),
        error -> onOutcome.accept(Outcome.failed(error)));
  }

  private static List<SourceRef> functionSources(RunStore st, String function) {
    Optional<FunctionInfo> f = st.functions().stream().filter(i -> i.name().equals(function)).findFirst();
    List<SourceRef> out = new ArrayList<>(2);
    f.flatMap(FunctionInfo::source).ifPresent(out::add);
    f.flatMap(FunctionInfo::jitSite).ifPresent(out::add);
    return out;
  }

  private static Outcome noSources(Run run) {
    return Outcome.failed(run.name() + " was recorded before StateLens stored source positions (run store "
        + "schema 1); record the run again to jump from it to the source.");
  }

  // ---- resolving in the workspace (UI thread) ---------------------------------------------------

  /**
   * Opens the record component {@code candidates} names (the first; empty when no record holds the
   * leaf). Public for tests; call on the UI thread.
   */
  public static Outcome openLeaf(List<SourceRef> candidates, String path, String preferredProject) {
    if (candidates.isEmpty()) {
      return Outcome.failed("no record component holds " + path + " (a plain array argument or result); "
          + "pass the state as a record to jump to its declaration.");
    }
    SourceRef ref = candidates.getFirst();
    try {
      IType type = findType(ref.className(), preferredProject);
      if (type == null) {
        return notInWorkspace(ref.className());
      }
      IField component = component(type, ref.member());
      if (component == null) {
        JavaUI.openInEditor(type, true, true);
        return Outcome.failed(ref.simpleClassName() + " has no component '" + ref.member() + "' any more (the "
            + "source changed since the run was recorded); opened the record instead.");
      }
      JavaUI.openInEditor(component, true, true);
      return Outcome.opened("Opened " + ref.simpleClassName() + "." + ref.member() + " (record component) in "
          + fileName(type) + ".");
    } catch (CoreException e) {
      DebuggerPlugin.log("Go to Source failed for " + ref, e);
      return Outcome.failed("cannot open " + ref.className() + ": " + e.getMessage());
    }
  }

  /**
   * Opens what declares group {@code groupPath}, given the source of {@code leafPath}, a leaf
   * directly inside it. Public for tests; call on the UI thread.
   */
  public static Outcome openGroup(List<SourceRef> candidates, String groupPath, String leafPath,
      String preferredProject) {
    if (candidates.isEmpty()) {
      return Outcome.failed("no record holds " + groupPath + "; pass the state as a record to jump to its declaration.");
    }
    SourceRef ref = candidates.getFirst();
    String leafSegment = leafPath.substring(leafPath.lastIndexOf('.') + 1);
    if (!ref.member().equals(leafSegment)) {
      return openLeaf(candidates, groupPath, preferredProject); // a list or map: the component holding it
    }
    try { // the leaf is a component of the group's own record
      IType type = findType(ref.className(), preferredProject);
      if (type == null) {
        return notInWorkspace(ref.className());
      }
      JavaUI.openInEditor(type, true, true);
      return Outcome.opened("Opened " + ref.simpleClassName() + " (record) in " + fileName(type) + ".");
    } catch (CoreException e) {
      DebuggerPlugin.log("Go to Source failed for " + ref, e);
      return Outcome.failed("cannot open " + ref.className() + ": " + e.getMessage());
    }
  }

  /**
   * Opens the first of {@code candidates} (the traced method, then the jit call site) whose class
   * is in the workspace, at its recorded line. Public for tests; call on the UI thread.
   */
  public static Outcome openFunction(List<SourceRef> candidates, String function, String preferredProject) {
    return openFunction(candidates, function, preferredProject, true);
  }

  /** As {@link #openFunction(List, String, String)}; {@code activate} false opens the editor without focusing it. */
  public static Outcome openFunction(List<SourceRef> candidates, String function, String preferredProject,
      boolean activate) {
    if (candidates.isEmpty()) {
      return Outcome.failed("the run has no source position for jit " + function + " (it did no array "
          + "operation while traced, or its frames had no line numbers).");
    }
    return openAtLine(candidates, "jit " + function, preferredProject, activate);
  }

  /**
   * Opens the Java line that made a group of the traced graph's equations ({@code heading} names it
   * in the message: {@code Transformer.block line 88 — 37 equations}). Call on the UI thread.
   */
  public static Outcome openEquations(SourceRef line, String heading, String preferredProject) {
    return openAtLine(List.of(line), heading, preferredProject, true);
  }

  /** Go to Source on an equation group of the run shown (the view's Traced graph tab). */
  public void goToEquations(Run run, SourceRef line, String heading) {
    onOutcome.accept(openEquations(line, heading, preferredProject(run)));
  }

  /**
   * The file that declares {@code type} ({@code Params.java}, or the outer class's file for a nested
   * record), for the status line: the project's name said nothing about where the editor went.
   */
  private static String fileName(IType type) {
    if (type.getCompilationUnit() != null) {
      return type.getCompilationUnit().getElementName();
    }
    return type.getClassFile() != null ? type.getClassFile().getElementName() : type.getElementName();
  }

  /** Opens the first of {@code candidates} whose class is in the workspace at its line; {@code what} for the messages. */
  private static Outcome openAtLine(List<SourceRef> candidates, String what, String preferredProject, boolean activate) {
    String function = what;
    for (SourceRef ref : candidates) {
      try {
        IType type = findType(ref.className(), preferredProject);
        if (type == null) {
          continue;
        }
        String where = type.getElementName() + (ref.hasLine() ? ":" + ref.line() : "");
        if (ref.hasLine()) {
          IEditorPart editor = JavaUI.openInEditor(type, activate, false);
          if (editor instanceof ITextEditor text && selectLine(text, ref.line())) {
            return Outcome.opened("Opened " + function + " at " + where + ".");
          }
        }
        IMethod method = ref.isLambda() ? null : method(type, ref.member());
        JavaUI.openInEditor(method != null ? method : type, activate, true);
        return Outcome.opened("Opened " + function + " at " + type.getElementName()
            + (method != null ? "." + method.getElementName() : "") + ".");
      } catch (CoreException e) {
        DebuggerPlugin.log("Go to Source failed for " + ref, e);
        return Outcome.failed("cannot open " + ref.className() + ": " + e.getMessage());
      }
    }
    return notInWorkspace(candidates.getFirst().className());
  }

  private static Outcome notInWorkspace(String className) {
    return Outcome.failed(className + " is not in any open Java project of the workspace — import the "
        + "project that produced this run.");
  }

  /** Selects line {@code line} (1-based) of the editor's document; false when it has no such line. */
  private static boolean selectLine(ITextEditor editor, int line) {
    IDocument doc = editor.getDocumentProvider().getDocument(editor.getEditorInput());
    if (doc == null || line > doc.getNumberOfLines()) {
      return false;
    }
    try {
      IRegion r = doc.getLineInformation(line - 1);
      editor.selectAndReveal(r.getOffset(), r.getLength());
      return true;
    } catch (BadLocationException e) {
      return false;
    }
  }

  /**
   * The type with binary name {@code binaryName} ({@code com.example.LinReg$Params}) in an open
   * Java project: {@code preferredProject} first, then the others; a type from source before one
   * from a library. Null when none has it.
   */
  static IType findType(String binaryName, String preferredProject) throws JavaModelException {
    String name = binaryName.replace('$', '.'); // JDT names member types with dots
    IType binary = null;
    for (IJavaProject p : projects(preferredProject)) {
      IType t = p.findType(name);
      if (t != null && t.exists()) {
        if (!t.isBinary()) {
          return t;
        }
        if (binary == null) {
          binary = t;
        }
      }
    }
    return binary;
  }

  private static List<IJavaProject> projects(String preferred) throws JavaModelException {
    List<IJavaProject> out = new ArrayList<>();
    for (IJavaProject p : JavaCore.create(ResourcesPlugin.getWorkspace().getRoot()).getJavaProjects()) {
      if (p.getProject().isOpen()) {
        if (p.getElementName().equals(preferred)) {
          out.addFirst(p);
        } else {
          out.add(p);
        }
      }
    }
    return out;
  }

  private static IField component(IType type, String name) throws JavaModelException {
    if (type.isRecord()) {
      for (IField f : type.getRecordComponents()) {
        if (f.getElementName().equals(name)) {
          return f;
        }
      }
    }
    IField f = type.getField(name); // a record compiled without component attributes, or a class
    return f.exists() ? f : null;
  }

  private static IMethod method(IType type, String name) throws JavaModelException {
    for (IMethod m : type.getMethods()) {
      if (m.getElementName().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** The Java project of the StateLens Training launch that records {@code run}, or null when unknown. */
  static String preferredProject(Run run) {
    for (ILaunch launch : DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
      for (IDebugTarget t : launch.getDebugTargets()) {
        if (t instanceof RunDebugTarget rt && rt.session().run() == run && launch.getLaunchConfiguration() != null) {
          try {
            return launch.getLaunchConfiguration().getAttribute(IJavaLaunchConfigurationConstants.ATTR_PROJECT_NAME,
                (String) null);
          } catch (CoreException e) {
            return null;
          }
        }
      }
    }
    return null;
  }
}
