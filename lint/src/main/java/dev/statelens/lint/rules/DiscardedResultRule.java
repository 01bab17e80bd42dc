package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.fix.FixId;
import dev.statelens.lint.fix.UseResultFix;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ExpressionStatement;
import org.eclipse.jdt.core.dom.MethodInvocation;

/**
 * SL009: an engine operation whose result is thrown away, e.g. {@code state.at(0).set(v);} or
 * {@code Optim.applyUpdates(params, updates);}. Arrays are immutable: the call builds a new value
 * and changes nothing, so the statement does nothing — the habit of mutable arrays (NumPy's
 * {@code x[0] = v}) that explicit state replaces.
 */
final class DiscardedResultRule implements RuleCheck {

  private static final String ARRAY = "dev.statelens.engine.Array";
  /** {@code x.at(i)}: with bindings the receiver of {@code set/add/...} is this, not an Array. */
  private static final String INDEX_UPDATE = "dev.statelens.engine.IndexUpdate";
  /** Static engine calls that only compute a value (no registration, no printing). */
  private static final Map<String, Set<String>> PURE_STATICS = Map.of(
      "dev.statelens.engine.Lax", Set.of(),            // every Lax function returns its result
      "dev.statelens.engine.Nn", Set.of(),
      "dev.statelens.engine.Linalg", Set.of(),
      "dev.statelens.engine.Random", Set.of(),
      "dev.statelens.engine.Tree", Set.of("map", "mapWithPath", "unflatten", "flatten", "leaves"),
      "dev.statelens.engine.Optim", Set.of("applyUpdates", "globalNorm"));

  @Override
  public Rule rule() {
    return Rule.SL009;
  }

  @Override
  public void check(List<Effect> effects, FindingSink sink) {
    for (Effect effect : effects) {
      if (effect instanceof Effect.Call call && discarded(call) && (onArray(call) || pureStatic(call))) {
        String snippet = Snippets.call(call);
        sink.report(Rule.SL009, effect, effect.node(),
            "Result of " + snippet + " is discarded " + effect.context().where()
                + ": engine operations return a new value and change nothing, so this statement "
                + "has no effect. Fix: use the result, e.g. " + example(call) + ".",
            useResultApplies(call) ? List.of(FixId.USE_RESULT, FixId.SUPPRESS) : List.of(FixId.SUPPRESS));
      }
    }
  }

  /** The statement can become {@code root = call;} and the result's type fits root. */
  private static boolean useResultApplies(Effect.Call call) {
    MethodInvocation mi = (MethodInvocation) call.node();
    return UseResultFix.check(mi) instanceof UseResultFix.Check.Assignable target
        && UseResultFix.resultFits(mi, target) == null;
  }

  private static boolean discarded(Effect.Call call) {
    return call.node() instanceof MethodInvocation mi && mi.getParent() instanceof ExpressionStatement;
  }

  private static boolean onArray(Effect.Call call) {
    // item(), shape() and the like are not array operations (item() on a tracer is SL007's)
    return call.receiver() != null && !dev.statelens.lint.analysis.KnownApis.isConcreteResult(call.name())
        && (call.receiverType() != null
            ? call.receiverType().is(ARRAY) || call.receiverType().is(INDEX_UPDATE)
            : call.receiver().traced());
  }

  private static boolean pureStatic(Effect.Call call) {
    if (call.receiver() != null) {
      return false;
    }
    for (var owner : PURE_STATICS.entrySet()) {
      if (call.callee().ownerIs(owner.getKey())
          && (owner.getValue().isEmpty() || owner.getValue().contains(call.name()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code state = state.at(0).set(...)}: the variable the chain's value belongs to (the fix's
   * {@link UseResultFix#root}), else {@code var result = ...}.
   */
  private static String example(Effect.Call call) {
    String target = UseResultFix.root((MethodInvocation) call.node())
        .map(org.eclipse.jdt.core.dom.SimpleName::getIdentifier).orElse("var result");
    return target + " = " + Snippets.call(call);
  }
}
