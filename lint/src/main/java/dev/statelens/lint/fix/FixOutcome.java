package dev.statelens.lint.fix;

import java.nio.file.Path;
import java.util.Map;
import org.eclipse.text.edits.TextEdit;

/** What applying a quick fix gave: edits per file, or why the fix does not apply here. */
public sealed interface FixOutcome {

  /**
   * @param fix which fix
   * @param label what it does, for menus ("Convert Counter.count to explicit state")
   * @param edits the text edits per file (for an editor)
   * @param newSources each changed file's content after the edits
   */
  record Applied(FixId fix, String label, Map<Path, TextEdit> edits, Map<Path, String> newSources)
      implements FixOutcome {}

  /** @param reason why not, in one sentence the user can act on */
  record NotApplicable(FixId fix, String reason) implements FixOutcome {}
}
