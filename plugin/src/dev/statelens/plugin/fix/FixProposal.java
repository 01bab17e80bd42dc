package dev.statelens.plugin.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.Rule;
import dev.statelens.lint.fix.FixId;
import dev.statelens.lint.fix.KeySplitFix;
import dev.statelens.lint.fix.UseResultFix;
import dev.statelens.plugin.StateLensPlugin;
import dev.statelens.plugin.lint.ProjectAnalysis;
import dev.statelens.plugin.lint.ProjectLinters;
import dev.statelens.plugin.lint.ProjectSources;
import java.nio.file.Path;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.ui.ISharedImages;
import org.eclipse.jdt.ui.JavaUI;
import org.eclipse.jdt.ui.text.java.IJavaCompletionProposal;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.contentassist.IContextInformation;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Point;

/**
 * One StateLens fix in the Ctrl+1 list. Applying analyzes the editor's current text through the
 * project's kept linter ({@link ProjectLinters}), finds the same finding (rule and position) and
 * applies the lint rewrite to the document; a fix that also changes other files (e.g. a
 * {@code jit} call site) writes them all through their working copies, saved or left unsaved
 * together ({@link WorkingCopies#applyTogether}).
 */
public final class FixProposal implements IJavaCompletionProposal {

  private final ICompilationUnit unit;
  private final Rule rule;
  private final int offset;
  private final FixId fix;
  /** SL010's label as checked when the list was built ({@link LintFixes#verifiedLabel}), or null. */
  private final String verifiedLabel;

  public FixProposal(ICompilationUnit unit, Rule rule, int offset, FixId fix) {
    this(unit, rule, offset, fix, null);
  }

  public FixProposal(ICompilationUnit unit, Rule rule, int offset, FixId fix, String verifiedLabel) {
    this.unit = unit;
    this.rule = rule;
    this.offset = offset;
    this.fix = fix;
    this.verifiedLabel = verifiedLabel;
  }

  public FixId fix() {
    return fix;
  }

  @Override
  public void apply(IDocument document) {
    try {
      IFile file = (IFile) unit.getResource();
      Path path = ProjectSources.pathOf(file);
      // the project's kept linter with the document as the buffer: only what the buffer can
      // affect is analyzed again (the same result as a whole-project lint of these texts)
      ProjectAnalysis analysis =
          ProjectLinters.withBuffer(unit.getJavaProject(), path, document.get());
      Finding finding = analysis.find(path, rule, offset);
      if (finding == null) {
        return; // the code changed and the finding is gone: nothing to fix
      }
      LintFixes.Result result = LintFixes.compute(fix, finding, analysis.texts());
      if (result.reason() != null) {
        StateLensPlugin.log(org.eclipse.core.runtime.Status.warning(
            "StateLens: " + fix.label() + " does not apply here: " + result.reason()));
        return;
      }
      if (result.changes().size() == 1 && result.changes().getFirst().file().equals(path)) {
        FileChange.Replacement r = result.changes().getFirst().minimal();
        document.replace(r.offset(), r.length(), r.text()); // the editor's file only: left unsaved, as JDT's own fixes
      } else {
        // several files (explicit state edits the jit call's file): saved together or left
        // unsaved together, the editor's file with them (WorkingCopies.applyTogether)
        WorkingCopies.applyTogether(analysis.sources()::file, result.changes(), null);
      }
      if (fix == FixId.SUPPRESS) {
        SuppressWarningsTokens.quietJdt(unit.getJavaProject());
      }
    } catch (CoreException | BadLocationException | RuntimeException e) {
      StateLensPlugin.log("StateLens quick fix '" + fix.label() + "' failed", e);
    }
  }

  @Override
  public int getRelevance() {
    return switch (fix) {
      case EXPLICIT_STATE -> 10;
      case DEBUG_PRINT, DEBUG_CALLBACK, KEY_PARAMETER, USE_RESULT -> 8;
      case SPLIT_KEY -> 8;
      case FOLD_IN -> 7; // listed after the split: JAX's per-step alternative
      case HOIST_JIT -> 8;
      case SUPPRESS -> 1; // like JDT's own "Add @SuppressWarnings": last
    };
  }

  @Override
  public Point getSelection(IDocument document) {
    return null;
  }

  @Override
  public String getAdditionalProposalInfo() {
    return switch (fix) {
      case EXPLICIT_STATE -> "Moves the mutated fields into a state record that the function takes "
          + "and returns, and threads it through the jit call, so every call sees the new state.";
      case DEBUG_PRINT -> "Prints at run time on every call instead of once at trace time.";
      case DEBUG_CALLBACK -> "Runs the call in Debug.callback, on the host with the run-time values on every call "
          + "instead of once at trace time with tracers; the arrays it reads become the callback's arguments (v[0], ...).";
      case KEY_PARAMETER -> "Takes randomness from an explicit Key argument, so each call can differ.";
      case USE_RESULT -> "Assigns the new value to the variable the call starts from: arrays are "
          + "immutable, so the operation changes nothing unless its result is kept.";
      case SPLIT_KEY -> "Splits the key before it is drawn from, so each draw gets a key nobody "
          + "else drew from (JAX: key, subkey = random.split(key)): reusing a key gives "
          + "correlated, often identical, random numbers.";
      case FOLD_IN -> "Draws from Random.foldIn(key, i), a key derived from the loop index, so "
          + "each iteration gets its own numbers without reassigning the key.";
      case HOIST_JIT -> "Moves the jit's declaration before the loop, so one jitted function and its "
          + "compile cache serve every iteration instead of tracing and compiling it again each time.";
      case SUPPRESS -> "Adds @SuppressWarnings(\"statelens:" + rule.id() + "\") to the enclosing declaration, "
          + "and sets this project's Java compiler option 'Unhandled token in @SuppressWarnings' to Ignore "
          + "(if it is not already), so JDT does not warn about the statelens: token.";
    };
  }

  @Override
  public String getDisplayString() {
    if (fix == FixId.USE_RESULT && unit != null) {
      return useResultLabel() + " (StateLens)";
    }
    if ((fix == FixId.SPLIT_KEY || fix == FixId.FOLD_IN) && verifiedLabel != null) {
      return verifiedLabel + " (StateLens)"; // checked once, when Ctrl+1 built the list
    }
    if ((fix == FixId.SPLIT_KEY || fix == FixId.FOLD_IN) && unit != null) {
      return keySplitLabel() + " (StateLens)";
    }
    return fix == FixId.SUPPRESS
        ? "Suppress " + rule.id() + " with @SuppressWarnings (StateLens)"
        : fix.label() + " (StateLens)";
  }

  /** "Use the result: state = state.at(0).set(v)" from the editor's text (a syntax-only parse). */
  private String useResultLabel() {
    try {
      return UseResultFix.labelAt(unit.getSource(), offset);
    } catch (org.eclipse.jdt.core.JavaModelException | RuntimeException e) {
      return fix.label();
    }
  }

  /** "Split the key before the draw at line 15 (key = keys.first(), draw from keys.second())". */
  private String keySplitLabel() {
    try {
      return KeySplitFix.labelAt(fix, unit.getSource(), offset);
    } catch (org.eclipse.jdt.core.JavaModelException | RuntimeException e) {
      return fix.label();
    }
  }

  @Override
  public Image getImage() {
    String key = switch (fix) {
      case EXPLICIT_STATE -> ISharedImages.IMG_OBJS_CLASS;
      case DEBUG_PRINT, DEBUG_CALLBACK -> ISharedImages.IMG_OBJS_PUBLIC;
      case KEY_PARAMETER, USE_RESULT, SPLIT_KEY, FOLD_IN, HOIST_JIT -> ISharedImages.IMG_OBJS_LOCAL_VARIABLE;
      case SUPPRESS -> ISharedImages.IMG_OBJS_ANNOTATION;
    };
    return JavaUI.getSharedImages().getImage(key);
  }

  @Override
  public IContextInformation getContextInformation() {
    return null;
  }
}
