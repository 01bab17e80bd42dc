package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.fix.FixId;
import java.util.List;

/** SL001: a field of an object from outside the function is assigned, compound-assigned, ++/--. */
final class FieldWriteRule implements RuleCheck {

  @Override
  public Rule rule() {
    return Rule.SL001;
  }

  @Override
  public void check(List<Effect> effects, FindingSink sink) {
    for (Effect effect : effects) {
      if (effect instanceof Effect.FieldWrite write
          && Mutations.classify(write).orElse(null) == Rule.SL001) {
        String kind = write.field().isStatic() ? "Static field " : "Field ";
        sink.report(Rule.SL001, effect, effect.node(),
            kind + write.field().display() + " is written " + write.context().where() + ": "
                + Phrases.runsWhen(write.context(), "the write") + ". Fix: " + Phrases.EXPLICIT_STATE + ".",
            dev.statelens.lint.fix.ExplicitStateFix.offeredFor(effect.node(), effect.context().isEntry(),
                    ownerName(write))
                ? List.of(FixId.EXPLICIT_STATE, FixId.SUPPRESS)
                : List.of(FixId.SUPPRESS));
      }
    }
  }

  /** The simple name of the class declaring the written field, or null when not in the project. */
  static String ownerName(Effect.FieldWrite write) {
    return write.field().ownerSummary() == null ? null : write.field().ownerSummary().simpleName();
  }
}
