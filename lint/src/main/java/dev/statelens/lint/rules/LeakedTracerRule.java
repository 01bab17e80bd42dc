package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.fix.FixId;
import java.util.List;

/** SL008: a traced value (derived from the parameters) is stored where it outlives the trace. */
final class LeakedTracerRule implements RuleCheck {

  @Override
  public Rule rule() {
    return Rule.SL008;
  }

  @Override
  public void check(List<Effect> effects, FindingSink sink) {
    for (Effect effect : effects) {
      if (Mutations.classify(effect).orElse(null) != Rule.SL008) {
        continue;
      }
      String where = switch (effect) {
        case Effect.FieldWrite w -> (w.field().isStatic() ? "static field " : "field ")
            + w.field().display();
        case Effect.ElementWrite w -> "an element of outside array '" + Snippets.code(w.array()) + "'";
        case Effect.Call c -> "an outside object through " + Snippets.call(c);
        default -> "outside the function";
      };
      sink.report(Rule.SL008, effect, effect.node(),
          "Traced value stored into " + where + " " + effect.context().where()
              + ": the stored value is a tracer that escapes its trace; using it after the call "
              + "throws UnexpectedTracerError. Fix: return the value from the function "
              + "(explicit state, Pair<Output, State>) instead of storing it.",
          effect instanceof Effect.FieldWrite write
              && dev.statelens.lint.fix.ExplicitStateFix.offeredFor(effect.node(), effect.context().isEntry(),
                  FieldWriteRule.ownerName(write))
              ? List.of(FixId.EXPLICIT_STATE, FixId.SUPPRESS)
              : List.of(FixId.SUPPRESS));
    }
  }
}
