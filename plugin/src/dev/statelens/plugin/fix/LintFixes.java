package dev.statelens.plugin.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.fix.FixId;
import dev.statelens.lint.fix.FixOutcome;
import dev.statelens.lint.fix.KeySplitFix;
import dev.statelens.lint.fix.QuickFixes;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place the plugin turns a finding's fix id into source changes: the lint module's
 * headless rewrites ({@link QuickFixes}), so the IDE, the CLI and the lint tests agree on what a
 * fix produces.
 */
public final class LintFixes {

  private LintFixes() {}

  /** The fixes a finding offers (its fix ids this plugin knows), in the finding's order. */
  public static List<FixId> offered(List<String> fixIds) {
    List<FixId> out = new ArrayList<>();
    for (String id : fixIds) {
      try {
        out.add(FixId.parse(id.trim()));
      } catch (IllegalArgumentException unknown) {
        // a fix from a newer lint this plugin cannot label yet: not offered
      }
    }
    return out;
  }

  /**
   * A listed fix checked when the user asks for fixes (Ctrl+1, the Problems view's Quick Fix):
   * its menu label, or null when it is not to be shown. SL010's split-key and fold-in are listed
   * by the linter from the syntax alone (so linting as you type stays cheap); here the rewrite is
   * applied to {@code text} and linted again, and one that would not hold is not proposed, as
   * Eclipse does with its own fixes. Other fixes need no check: their default label.
   *
   * @param text the file's current text (editor buffer or disk)
   * @param offset where the finding starts
   */
  public static String verifiedLabel(FixId fix, String text, int offset) {
    if (fix != FixId.SPLIT_KEY && fix != FixId.FOLD_IN) {
      return fix.label();
    }
    return checker(text).verify(fix, offset) instanceof KeySplitFix.Verdict.Proposed p
        ? p.label() : null;
  }

  /**
   * The checker of the last text asked about: Ctrl+1 checks each listed fix of a finding, the
   * Problems view each marker's (and again for "other markers"), all on one text — parsed and
   * linted once, each verdict computed once. A new text replaces it.
   */
  private static volatile KeySplitFix.Checker lastChecker;

  private static KeySplitFix.Checker checker(String text) {
    KeySplitFix.Checker last = lastChecker;
    if (last != null && last.source().equals(text)) {
      return last;
    }
    KeySplitFix.Checker fresh = KeySplitFix.Checker.of(text);
    lastChecker = fresh;
    return fresh;
  }

  /**
   * Computes a fix.
   *
   * @param texts the analyzed texts by path (editor buffers included); files not there are read
   *     from disk
   * @return the changed files; empty when the fix does not apply (the reason is in the result)
   */
  public static Result compute(FixId fix, Finding finding, Map<Path, String> texts) {
    FixOutcome outcome = QuickFixes.apply(fix, finding, path -> {
      String text = texts.get(path);
      return text != null ? new SourceFile(path, text) : SourceFile.read(path);
    });
    return switch (outcome) {
      case FixOutcome.Applied applied -> {
        List<FileChange> changes = new ArrayList<>();
        applied.newSources().forEach((path, newText) -> {
          String old = texts.containsKey(path) ? texts.get(path) : SourceFile.read(path).content();
          if (!old.equals(newText)) {
            changes.add(new FileChange(path, old, newText));
          }
        });
        yield new Result(changes, null);
      }
      case FixOutcome.NotApplicable no -> new Result(List.of(), no.reason());
    };
  }

  /** @param reason why nothing changed, or null when {@code changes} is the fix */
  public record Result(List<FileChange> changes, String reason) {}
}
