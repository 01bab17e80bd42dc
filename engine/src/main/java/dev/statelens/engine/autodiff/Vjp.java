package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of VJP rules, one per differentiable primitive. {@link #ZERO} marks primitives
 * whose outputs carry no gradient (stop_gradient, floor, sign, ...). A primitive without a rule
 * cannot be differentiated: grad says so, naming it.
 *
 * <pre>{@code
 * Vjp.register(MY_OP, (params, in, out, ct, needed) -> List.of(ct.get(0).mul(2)));
 * }</pre>
 */
public final class Vjp {
  private Vjp() {}

  /** The rule of primitives that are constant almost everywhere: no cotangent flows through. */
  public static final VjpRule ZERO = (params, in, out, ct, needed) -> {
    throw new IllegalStateException("the ZERO rule is never applied");
  };

  /**
   * The rule of a primitive that reverse mode cannot go through (JAX's while): grad and jvp stop
   * where a differentiated value enters it, with {@code reason} (what to use instead).
   */
  public record NotDifferentiable(String reason) implements VjpRule {
    @Override
    public List<Array> apply(Params params, List<Array> inputs, List<Array> outputs, List<Array> outCts,
        boolean[] needed) {
      throw new UnsupportedOperationException(reason);
    }
  }

  private static final Map<Primitive, VjpRule> RULES = new ConcurrentHashMap<>();

  static {
    StandardVjps.registerAll();
    ControlFlowVjps.registerAll();
    ComplexVjps.registerAll();
  }

  /** Registers (or replaces) the rule of {@code p}. */
  public static void register(Primitive p, VjpRule rule) {
    RULES.put(p, rule);
  }

  /** The rule of {@code p}, {@link #ZERO}, or null when none is registered. */
  public static VjpRule rule(Primitive p) {
    return RULES.get(p);
  }

  /** True if {@code p} has a rule (including {@link #ZERO}). */
  public static boolean hasRule(Primitive p) {
    return RULES.containsKey(p);
  }

  /** Zeros shaped and typed like {@code like} (on the trace of no value: a constant). */
  static Array zeros(Array like) {
    Array z = Array.scalar(like.dtype(), 0);
    return like.ndim() == 0 ? z : Prims.BROADCAST_IN_DIM.bind1(
        Params.of("shape", like.shape(), "broadcast_dimensions", new int[0]), z);
  }

  /**
   * One value per leaf of {@code leaves}: the next of {@code floatValues} for each float leaf,
   * zeros for integer and bool leaves (JAX's float0), which have no entry there.
   */
  static List<Array> withZerosForNonFloat(List<Array> leaves, List<Array> floatValues) {
    List<Array> result = new ArrayList<>(leaves.size());
    int k = 0;
    for (Array leaf : leaves) {
      result.add(leaf.dtype().isInexact() ? floatValues.get(k++) : zeros(leaf));
    }
    return result;
  }

  static void checkCotangent(Primitive p, int input, Array primal, Array ct) {
    if (!primal.aval().equals(ct.aval())) {
      throw new IllegalStateException("VJP rule of " + p.name() + " returned a cotangent " + ct.aval()
          + " for input " + input + " of type " + primal.aval() + "; a rule must return the input's type");
    }
  }
}
