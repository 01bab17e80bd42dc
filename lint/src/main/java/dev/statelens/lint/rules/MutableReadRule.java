package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.analysis.FieldInfo;
import dev.statelens.lint.analysis.Origin;
import dev.statelens.lint.fix.FixId;
import dev.statelens.lint.source.ProjectIndex;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SL006: a field that can change after construction is read by jitted code; its value at trace
 * time is baked into the compiled graph. Final and effectively final fields are fine, and so are
 * fields the same function writes (those are SL001). Reported once per field and function.
 */
final class MutableReadRule implements RuleCheck {

  private final ProjectIndex index;

  MutableReadRule(ProjectIndex index) {
    this.index = index;
  }

  @Override
  public Rule rule() {
    return Rule.SL006;
  }

  @Override
  public void check(List<Effect> effects, FindingSink sink) {
    Set<String> written = new HashSet<>();
    for (Effect effect : effects) {
      if (effect instanceof Effect.FieldWrite w) {
        written.add(w.field().key());
      }
    }
    Set<String> reported = new HashSet<>();
    for (Effect effect : effects) {
      if (!(effect instanceof Effect.FieldRead read) || read.receiver() != Origin.OUTER
          || !read.context().site().underJit()) {
        continue;
      }
      FieldInfo field = read.field();
      if (!isMutable(field) || written.contains(field.key())
          || !reported.add(field.key() + "@" + read.context().function())) {
        continue;
      }
      sink.report(Rule.SL006, effect, effect.node(),
          "Mutable field " + field.display() + " is read " + read.context().where()
              + ": its value at trace time is baked into the compiled graph; if the field changes "
              + "later, calls keep using the old value. Fix: pass it in as an argument, or make "
              + "it final.",
          List.of(FixId.SUPPRESS));
    }
  }

  private boolean isMutable(FieldInfo field) {
    if (field.isFinal() || field.ownerSummary() == null || field.summary() == null) {
      return false; // library fields: finality unknown by name, stay silent
    }
    return index.isAssignedAfterInit(field.ownerSummary(), field.summary());
  }
}
