package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code lax.scan(..., reverse=True)}: {@link Lax#scan(java.util.function.BiFunction, Object, Object, int, boolean)}. */
class LaxScanReverseTest {

  private static final double GAMMA = 0.5;

  /** {@code G[t] = r[t] + gamma G[t+1]}, the discounted-return recurrence, as a reversed scan. */
  private static Pair<Array, Array> returns(Array rewards) {
    return Lax.scan((Array g, Array r) -> {
      Array next = r.add(g.mul(GAMMA));
      return Pair.of(next, next);
    }, Array.zeros(DType.F64, rewards.shape()[1]), rewards, rewards.shape()[0], true);
  }

  private static final Array REWARDS = Array.of(DType.F64, new int[] {4, 2}, new double[] {1, 0, 2, 1, 3, 0, 4, 2});

  @Test
  void visitsTheLastSliceFirstAndKeepsTheYsInOrder() {
    Pair<Array, Array> r = returns(REWARDS);
    // column 0: rewards 1 2 3 4 -> G = [1 + .5(2 + .5(3 + .5 4)), 2 + .5(3 + .5 4), 3 + .5 4, 4]
    double g3 = 4, g2 = 3 + GAMMA * g3, g1 = 2 + GAMMA * g2, g0 = 1 + GAMMA * g1;
    double h3 = 2, h2 = 0 + GAMMA * h3, h1 = 1 + GAMMA * h2, h0 = 0 + GAMMA * h1;
    assertArrayEquals(new double[] {g0, h0, g1, h1, g2, h2, g3, h3}, r.second().toDoubleArray());
    assertArrayEquals(new double[] {g0, h0}, r.first().toDoubleArray(), "the carry after the first slice");
  }

  @Test
  void forwardWhenNotReversed() {
    Pair<Array, Array> r = Lax.scan((Array c, Array x) -> Pair.of(c.add(x), c.add(x)), Array.zeros(DType.F64, 2),
        REWARDS, 4, false);
    assertArrayEquals(new double[] {1, 0, 3, 1, 6, 1, 10, 3}, r.second().toDoubleArray());
  }

  @Test
  void jitGivesTheEagerValues() {
    Function<Array, Pair<Array, Array>> jitted = Transforms.jit(LaxScanReverseTest::returns);
    assertArrayEquals(returns(REWARDS).second().toDoubleArray(), jitted.apply(REWARDS).second().toDoubleArray());
  }

  @Test
  void gradientFlowsBackThroughTheReversedSteps() {
    // sum of G[0] over columns: d/d r[t] = gamma^t
    Array grad = Transforms.grad((Array r) -> returns(r).first().sum()).apply(REWARDS);
    assertArrayEquals(new double[] {1, 1, GAMMA, GAMMA, GAMMA * GAMMA, GAMMA * GAMMA, Math.pow(GAMMA, 3), Math.pow(GAMMA, 3)},
        grad.toDoubleArray(), 1e-15);
  }

  @Test
  void lengthOnlyScanWithoutXs() {
    Pair<Array, Object> r = Lax.scan((Array c, Object x) -> Pair.of(c.mul(2.0), null), Array.scalar(1.0), null, 3, true);
    assertEquals(8.0, r.first().item());
  }
}
