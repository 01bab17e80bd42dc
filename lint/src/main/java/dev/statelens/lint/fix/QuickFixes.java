package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.NodeFinder;

/**
 * Headless quick fixes for findings: each produces text edits (for an editor) and the new
 * sources (for the CLI and tests), or says why it does not apply. Works on syntax-only ASTs, so
 * it needs nothing but the source text.
 */
public final class QuickFixes {

  private QuickFixes() {}

  /**
   * Applies {@code fix} to {@code finding}.
   *
   * @param sources the current text of a file by path (editor buffers or disk); the explicit-
   *     state fix also edits the file of the jit call
   */
  public static FixOutcome apply(FixId fix, Finding finding, Function<Path, SourceFile> sources) {
    if (!finding.fixIds().contains(fix.id())) {
      return new FixOutcome.NotApplicable(fix, fix.label() + " is not offered for "
          + finding.rule().id() + " (offered: " + String.join(", ", finding.fixIds()) + ")");
    }
    Files files = new Files(sources);
    try {
      return switch (fix) {
        case SUPPRESS -> SuppressFix.apply(finding, files);
        case DEBUG_PRINT -> DebugPrintFix.apply(finding, files);
        case DEBUG_CALLBACK -> DebugCallbackFix.apply(finding, files);
        case KEY_PARAMETER -> KeyParameterFix.apply(finding, files);
        case USE_RESULT -> UseResultFix.apply(finding, files);
        case SPLIT_KEY, FOLD_IN -> KeySplitFix.apply(fix, finding, files);
        case EXPLICIT_STATE -> ExplicitStateFix.apply(finding, files);
        case HOIST_JIT -> HoistJitFix.apply(finding, files);
      };
    } catch (RuntimeException e) {
      return new FixOutcome.NotApplicable(fix, "the code around the finding could not be "
          + "rewritten (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }

  /** Reads each file once and parses it once; collects the edits per file. */
  static final class Files {
    private final Function<Path, SourceFile> sources;
    private final Map<Path, Edits> edits = new LinkedHashMap<>();

    Files(Function<Path, SourceFile> sources) {
      this.sources = sources;
    }

    Edits of(Path file) {
      return edits.computeIfAbsent(file, p -> {
        SourceFile source = sources.apply(p);
        CompilationUnit cu = JavaParsing.parseSyntax(source);
        return new Edits(source.content(), cu);
      });
    }

    FixOutcome.Applied applied(FixId fix, String label) {
      Map<Path, org.eclipse.text.edits.TextEdit> textEdits = new LinkedHashMap<>();
      Map<Path, String> newSources = new LinkedHashMap<>();
      edits.forEach((path, e) -> {
        if (!e.isEmpty()) {
          textEdits.put(path, e.toTextEdit());
          newSources.put(path, e.apply());
        }
      });
      return new FixOutcome.Applied(fix, label, textEdits, newSources);
    }
  }

  /** The smallest node covering the finding's range. */
  static ASTNode nodeAt(CompilationUnit cu, Finding finding) {
    NodeFinder finder = new NodeFinder(cu, finding.range().offset(), finding.range().length());
    ASTNode covered = finder.getCoveredNode();
    return covered != null && covered.getStartPosition() == finding.range().offset()
        ? covered
        : finder.getCoveringNode();
  }

  @SuppressWarnings("unchecked")
  static <T extends ASTNode> T ancestor(ASTNode node, Class<T> type) {
    for (ASTNode n = node; n != null; n = n.getParent()) {
      if (type.isInstance(n)) {
        return (T) n;
      }
    }
    return null;
  }
}
