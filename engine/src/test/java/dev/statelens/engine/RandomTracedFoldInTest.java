package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link Random#foldIn(Key, Array)} (JAX's {@code fold_in} of a traced step counter) and
 * {@link Random#splitStacked} (JAX's {@code split} as one key array), both found missing by the
 * REINFORCE port (docs/porting.md). The int {@code foldIn} and {@code split} they must agree with
 * are checked bit for bit against JAX in {@code random/}.
 */
class RandomTracedFoldInTest {

  private static final Key KEY = Random.key(42);

  @Test
  void anArrayCounterGivesTheIntCountersKey() {
    for (int data : new int[] {0, 1, 7, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      assertArrayEquals(Random.foldIn(KEY, data).keyData().toIntArray(),
          Random.foldIn(KEY, Array.scalar(DType.I32, data)).keyData().toIntArray(), "i32 " + data);
    }
    assertArrayEquals(Random.foldIn(KEY, -2).keyData().toIntArray(),
        Random.foldIn(KEY, Array.of(DType.U32, new int[0], new int[] {-2})).keyData().toIntArray(), "u32 0xFFFFFFFE");
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void underJitTheCounterIsTracedNotBakedIn() {
    List<Integer> traces = new ArrayList<>();
    BiFunction<Key, Array, Array> draw = Transforms.jit((Key k, Array step) -> {
      traces.add(1); // runs once per trace
      return Random.normal(Random.foldIn(k, step), 3);
    });
    for (int step = 0; step < 4; step++) {
      assertArrayEquals(Random.normal(Random.foldIn(KEY, step), 3).toFloatArray(),
          draw.apply(KEY, Array.scalar(DType.I32, step)).toFloatArray(), "step " + step);
    }
    assertEquals(1, traces.size(), "one trace serves every step");
  }

  @Test
  void aNonScalarOrFloatCounterIsRefusedWithTheFix() {
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> Random.foldIn(KEY, Array.scalar(1.0)));
    assertTrue(f.getMessage().contains("integer scalar") && f.getMessage().contains("Array.scalar(DType.I32, step)"), f.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Random.foldIn(KEY, Array.of(DType.I32, new int[] {2}, new int[] {1, 2})));
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void splitStackedHoldsSplitsKeysInOrder() {
    List<Key> keys = Random.split(KEY, 5);
    Key stacked = Random.splitStacked(KEY, 5);
    assertArrayEquals(new int[] {5, 2}, stacked.keyData().shape());
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(keys.get(i).keyData().toIntArray(), stacked.keyData().get(i).toIntArray(), "key " + i);
    }
    assertThrows(IllegalArgumentException.class, () -> Random.splitStacked(KEY, 0));
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void aScanOverTheStackedKeysGivesEachStepItsKey() {
    Pair<Array, Array> run = Lax.scan((Array c, Key k) -> Pair.of(c, Random.uniform(k, 2)), Array.scalar(0.0),
        Random.splitStacked(KEY, 3));
    List<Key> keys = Random.split(KEY, 3);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(Random.uniform(keys.get(i), 2).toFloatArray(), run.second().get(i).toFloatArray(), "step " + i);
    }
  }
}
