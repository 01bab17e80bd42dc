package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.rules.JitPerCallRule;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.Statement;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * "Create the jit once, before the loop" for SL011: {@code var step = Transforms.jit(...);} moves
 * from the loop body to just before the loop, so one jitted function (and its compile cache)
 * serves every iteration. Offered where the rule found the declaration movable: a statement of
 * the loop's body whose jit uses nothing the loop declares, its name free in the enclosing block.
 */
final class HoistJitFix {

  private HoistJitFix() {}

  static FixOutcome apply(Finding finding, QuickFixes.Files files) {
    Edits edits = files.of(finding.file());
    ASTNode node = QuickFixes.nodeAt(edits.cu, finding);
    JitPerCallRule.PerCall found = JitPerCallRule.find(edits.cu, finding.file().getFileName().toString()).stream()
        .filter(p -> p.jit().getStartPosition() == node.getStartPosition()).findFirst().orElse(null);
    if (found == null || found.hoistable() == null) {
      return new FixOutcome.NotApplicable(FixId.HOIST_JIT, found == null
          ? "the finding is not at a jit made in a loop any more (the code changed); lint again"
          : "the jit uses a variable of the loop, or is not declared on its own in the loop body; "
              + "move it out by hand, passing what changes as an argument");
    }
    VariableDeclarationStatement declaration = found.hoistable();
    Statement before = JitPerCallRule.placement(found.loop());
    String source = edits.source;
    // the declaration's whole line(s) when it stands alone there, else just the statement
    int start = declaration.getStartPosition();
    int end = start + declaration.getLength();
    int lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
    int lineEnd = source.indexOf('\n', end);
    String rest = lineEnd < 0 ? source.substring(end) : source.substring(end, lineEnd);
    boolean alone = source.substring(lineStart, start).isBlank()
        && (rest.isBlank() || rest.strip().startsWith("//"));
    // a comment after it on its line goes with it
    String moved = alone ? edits.text(declaration) + rest.stripTrailing() : edits.text(declaration);
    if (alone) {
      edits.replace(lineStart, (lineEnd < 0 ? source.length() : lineEnd + 1) - lineStart, "");
    } else {
      edits.replace(declaration, "");
    }
    int beforeLine = source.lastIndexOf('\n', Math.max(0, before.getStartPosition() - 1)) + 1;
    if (source.substring(beforeLine, before.getStartPosition()).isBlank()) {
      edits.insert(beforeLine, edits.indentAt(before.getStartPosition()) + moved + "\n");
    } else { // code before the loop on its line: the declaration goes right before the loop
      edits.insert(before.getStartPosition(), edits.text(declaration) + " ");
    }
    return files.applied(FixId.HOIST_JIT, FixId.HOIST_JIT.label());
  }
}
