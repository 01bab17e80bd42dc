package dev.statelens.engine;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ReciprocalDivision;
import dev.statelens.engine.trace.Trace;
import dev.statelens.engine.trace.Tracer;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * When an unstaged {@code a / b} is XLA's {@code a * broadcast(1/b)}. JAX runs each eager
 * {@code jnp.divide} as a small jitted graph, {@code div(a, broadcast(b))}, whose one division XLA
 * rewrites ({@link ReciprocalDivision}) when the broadcast adds elements. Under {@code vmap} the
 * graph XLA compiles is the batched one, so the shapes that count are the computed ones, batch axes
 * included: JAX's {@code vmap(lambda x: x / -3.)(jnp.array([-2.5, 1.]))} is {@code [0.8333334, ...]}
 * though eager {@code -2.5 / -3} is 0.8333333. Grad tracers compute their primal, so {@code grad}'s
 * forward and backward divisions follow the same rule (JAX 0.10.2's eager {@code grad} and
 * {@code linearize} tangents do). Inside {@code jit} nothing is decided here: the staged graph gets
 * the pass when it is compiled.
 */
final class EagerReciprocal {
  private EagerReciprocal() {}

  /** True when {@code a / b} (promoted, not yet broadcast) is computed as {@code a * (1/b)}. */
  static boolean applies(Array a, Array b, int[] resultShape) {
    if (!ReciprocalDivision.ENABLED || !ReciprocalDivision.invertsBroadcast(a.dtype())) {
      return false;
    }
    if (a.isConcrete() && b.isConcrete()) { // plain eager: no vmap level to count, no maps to fill
      return b.aval().size() < Aval.of(a.dtype(), resultShape).size();
    }
    Map<Trace, Long> batchA = new IdentityHashMap<>();
    Map<Trace, Long> batchB = new IdentityHashMap<>();
    if (!batchFactors(a, batchA) || !batchFactors(b, batchB)) {
      return false; // staged: ReciprocalDivision decides on the compiled graph
    }
    long divisor = b.aval().size();
    for (long f : batchB.values()) {
      divisor *= f;
    }
    batchA.putAll(batchB);
    long quotient = Aval.of(a.dtype(), resultShape).size();
    for (long f : batchA.values()) {
      quotient *= f;
    }
    return divisor < quotient;
  }

  /**
   * True when {@code x / n} by a constant count {@code n} (jnp.mean's) is computed as {@code x * (1/n)}:
   * XLA inverts a constant divisor whatever its shape, so everywhere but inside jit, whose graph
   * gets the rewrite from its literal divisor.
   */
  static boolean invertsCount(Array x) {
    return ReciprocalDivision.ENABLED && (x.isConcrete() || batchFactors(x, new IdentityHashMap<>()));
  }

  /**
   * Collects, per vmap level, how many times the computed array is larger than {@code x}'s aval
   * (its batch size); false when {@code x} is staged (a jit or shape-only tracer underneath).
   */
  private static boolean batchFactors(Array x, Map<Trace, Long> factors) {
    Array current = x;
    while (!current.isConcrete()) {
      Tracer t = current.tracer();
      Array computed = t.computedValue();
      if (computed == null) {
        return false;
      }
      long perExample = t.aval().size();
      long factor = perExample == 0 ? 1 : computed.aval().size() / perExample;
      if (factor > 1) {
        factors.put(t.trace(), factor);
      }
      current = computed;
    }
    return true;
  }
}
