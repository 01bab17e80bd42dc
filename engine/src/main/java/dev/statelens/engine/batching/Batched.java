package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Aval;
import java.util.Arrays;

/**
 * A value as a batching rule sees it: either mapped (its batch dimension is axis 0 of
 * {@code value}) or unmapped (the same value for every batch element).
 */
public record Batched(Array value, boolean mapped) {

  public static Batched mapped(Array value) {
    return new Batched(value, true);
  }

  public static Batched unmapped(Array value) {
    return new Batched(value, false);
  }

  /** The aval of one batch element: {@code value}'s aval without axis 0 when mapped. */
  public Aval exampleAval() {
    Aval a = value.aval();
    if (!mapped) {
      return a;
    }
    int[] s = a.shape();
    return a.withShape(Arrays.copyOfRange(s, 1, s.length));
  }
}
