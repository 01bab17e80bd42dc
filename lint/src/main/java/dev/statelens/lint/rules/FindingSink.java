package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.fix.FixId;
import java.util.List;
import org.eclipse.jdt.core.dom.ASTNode;

/** Where rules put what they find. */
public interface FindingSink {

  /**
   * Reports a finding at {@code at}, in the context (function, call chain) of {@code effect}.
   */
  void report(Rule rule, Effect effect, ASTNode at, String message, List<FixId> fixes);
}
