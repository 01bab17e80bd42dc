package dev.statelens.engine.record.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.DType;
import org.junit.jupiter.api.Test;

/**
 * {@link RunStore#diff(LeafSample, LeafSample)} on leaves whose values go non-finite: a diverging
 * run's weight from -1.06e38 to +Inf changed infinitely (it read max |Δ| 0, ‖Δ‖ 0, rel 0%).
 */
class LeafDiffTest {
  private static LeafSample leaf(double... values) {
    double sq = 0;
    for (double v : values) {
      sq += Double.isFinite(v) ? v * v : 0;
    }
    return new LeafSample("out", "weight", 0, 0, DType.F32, new int[] {values.length}, values.length,
        null, null, null, null, Math.sqrt(sq), 0, 0, false, values);
  }

  @Test
  void aValueThatOverflowsToInfChangedInfinitely() {
    LeafDiff d = RunStore.diff(leaf(-1.0557e38, 2), leaf(Double.POSITIVE_INFINITY, 2));
    assertTrue(d.changed());
    assertEquals(Double.POSITIVE_INFINITY, d.maxAbsDelta());
    assertEquals(Double.POSITIVE_INFINITY, d.deltaNorm());
    assertEquals(Double.POSITIVE_INFINITY, d.relativeChange());
  }

  @Test
  void aValueThatTurnsNaNHasAChangeWithNoSize() {
    LeafDiff d = RunStore.diff(leaf(1, 2), leaf(Double.NaN, 2));
    assertTrue(d.changed());
    assertTrue(Double.isNaN(d.maxAbsDelta()));
    assertTrue(Double.isNaN(d.deltaNorm()));
    assertTrue(Double.isNaN(d.relativeChange()));
  }

  @Test
  void infWinsOverNaNAndUnchangedNonFiniteElementsAreNoChange() {
    LeafDiff both = RunStore.diff(leaf(1, 2, 3), leaf(Double.NaN, Double.NEGATIVE_INFINITY, 3));
    assertEquals(Double.POSITIVE_INFINITY, both.deltaNorm());
    LeafDiff same = RunStore.diff(leaf(Double.POSITIVE_INFINITY, Double.NaN, 3), leaf(Double.POSITIVE_INFINITY, Double.NaN, 3));
    assertFalse(same.changed());
    assertEquals(0, same.deltaNorm());
    assertEquals(0, same.relativeChange());
    LeafDiff finite = RunStore.diff(leaf(3, 4), leaf(3, 5));
    assertEquals(1, finite.maxAbsDelta());
    assertEquals(1, finite.deltaNorm());
    assertEquals(0.2, finite.relativeChange(), 1e-12);
  }
}
