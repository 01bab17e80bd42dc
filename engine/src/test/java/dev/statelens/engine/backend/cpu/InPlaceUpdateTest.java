package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Loop carries updated in place ({@link InPlace}, {@link CarryDonor}): every program gives the
 * same bits with donation on and off (and as the eager run), the caller's arrays are never
 * written, and a 256-step row-writing loop copies its buffer once, not once per step.
 */
class InPlaceUpdateTest {
  private static final int T = 16;
  private static final int W = 8;
  private final Array buf = Random.normal(Random.key(3), T, W);
  private final Array xs = Random.normal(Random.key(4), T, W);

  @AfterEach
  void restore() {
    System.clearProperty("statelens.cpu.donate");
  }

  /** Runs {@code f} with donation on and off (fresh jit each) and eagerly: all the same bits. */
  private static float[] sameBitsOnOff(String what, Supplier<BiFunction<Array, Array, Array>> make, Array a, Array b) {
    float[] before = a.toFloatArray().clone();
    float[] beforeB = b.toFloatArray().clone();
    System.setProperty("statelens.cpu.donate", "true");
    float[] on = make.get().apply(a, b).toFloatArray();
    float[] on2 = make.get().apply(a, b).toFloatArray(); // a second call reuses the compiled body
    System.setProperty("statelens.cpu.donate", "false");
    float[] off = make.get().apply(a, b).toFloatArray();
    assertArrayEquals(off, on, what + ": donation on vs off");
    assertArrayEquals(off, on2, what + ": second call");
    assertArrayEquals(before, a.toFloatArray(), what + ": the caller's first array was written");
    assertArrayEquals(beforeB, b.toFloatArray(), what + ": the caller's second array was written");
    return on;
  }

  private static Map<String, BiFunction<Array, Array, Array>> loops() {
    Map<String, BiFunction<Array, Array, Array>> m = new LinkedHashMap<>();
    m.put("dynamic_update_slice", (b, x) -> Lax.forI(0, T, (t, c) ->
        Lax.dynamicUpdateSliceInDim(c, Lax.dynamicSliceInDim(x, t, 1, 0).mul(2), t, 0), b));
    m.put("scatter set", (b, x) -> Lax.forI(0, T, (t, c) -> c.at(t).set(Lax.dynamicSliceInDim(x, t, 1, 0).reshape(W)), b));
    m.put("scatter mul", (b, x) -> Lax.forI(0, T, (t, c) -> c.at(t).mul(Lax.dynamicSliceInDim(x, t, 1, 0).reshape(W)), b));
    m.put("scatter min", (b, x) -> Lax.forI(0, T, (t, c) -> c.at(t).min(Lax.dynamicSliceInDim(x, t, 1, 0).reshape(W)), b));
    m.put("scatter max", (b, x) -> Lax.forI(0, T, (t, c) -> c.at(t).max(Lax.dynamicSliceInDim(x, t, 1, 0).reshape(W)), b));
    // reads the carry before the update (a fresh dynamic_slice): still in place
    m.put("read before", (b, x) -> Lax.forI(1, T, (t, c) ->
        Lax.dynamicUpdateSliceInDim(c, Lax.dynamicSliceInDim(c, t.sub(1), 1, 0).add(Lax.dynamicSliceInDim(x, t, 1, 0)), t, 0), b));
    // reads the carry after the update in the same step: must copy
    m.put("read after", (b, x) -> Lax.forI(0, T, (t, c) ->
        Lax.dynamicUpdateSliceInDim(c, Lax.dynamicSliceInDim(x, t, 1, 0), t, 0).add(c.mul(0.5)), b));
    // the same carry updated twice: the first update copies, the second may write in place
    m.put("updated twice", (b, x) -> Lax.forI(0, T, (t, c) ->
        c.at(t).set(1.0).sub(c.at(t).mul(Lax.dynamicSliceInDim(x, t, 1, 0).reshape(W))), b));
    // a chain of updates on one value in one step
    m.put("chained", (b, x) -> Lax.forI(0, T - 1, (t, c) ->
        c.at(t).set(2.0).at(t.add(1)).max(Lax.dynamicSliceInDim(x, t, 1, 0).reshape(W)), b));
    // a view of the carry (reshape) read next to the update
    m.put("reshape view", (b, x) -> Lax.forI(0, T, (t, c) -> {
      Array flat = c.reshape(T * W);
      Array n = c.at(t).set(3.0);
      return n.add(flat.reshape(T, W));
    }, b));
    // two carries that start as the same array
    m.put("aliased carries", (b, x) -> {
      Pair<Array, Array> r = Lax.forI(0, T, (t, p) -> Pair.of(p.first().at(t).set(1.0), p.second().at(t).mul(2.0)),
          Pair.of(b, b));
      return r.first().sub(r.second());
    });
    // one value returned as both carries
    m.put("duplicated carry", (b, x) -> {
      Pair<Array, Array> r = Lax.forI(0, T, (t, p) -> {
        Array n = p.first().at(t).set(Lax.dynamicSliceInDim(x, t, 1, 0).reshape(W));
        return Pair.of(n, n);
      }, Pair.of(b, b.mul(1)));
      return r.first().add(r.second().mul(3));
    });
    // a constant closed over and updated: must never be written
    m.put("closed-over operand", (b, x) -> Lax.forI(0, T, (t, c) -> c.add(b.at(t).set(0.0)), x));
    // while loop
    m.put("while", (b, x) -> Lax.whileLoop((Pair<Array, Array> p) -> p.first().lt(T),
        p -> Pair.of(p.first().add(1), Lax.dynamicUpdateSliceInDim(p.second(),
            Lax.dynamicSliceInDim(x, p.first(), 1, 0).neg(), p.first(), 0)), Pair.of(Array.scalar(dev.statelens.engine.DType.I32, 0), b)).second());
    // nested loops: the inner loop updates the outer carry's rows
    m.put("nested", (b, x) -> Lax.forI(0, 3, (k, outer) -> Lax.forI(0, T, (t, c) ->
        Lax.dynamicUpdateSliceInDim(c, Lax.dynamicSliceInDim(c, t, 1, 0).add(Lax.dynamicSliceInDim(x, t, 1, 0)), t, 0),
        outer), b));
    // scan whose ys stack the carry before the update
    m.put("carry as ys", (b, x) -> {
      Pair<Array, Array> r = Lax.scan((Array c, Array row) -> {
        Array n = c.at(0).set(row);
        return Pair.of(n, c.sum(1));
      }, b, x);
      return r.second().add(r.first().sum(1).reshape(1, T).mul(0));
    });
    return m;
  }

  @Test
  void everyLoopGivesTheSameBitsWithDonationOnAndOffAndEagerly() {
    for (var e : loops().entrySet()) {
      float[] jitted = sameBitsOnOff(e.getKey(), () -> Transforms.jit(e.getValue()), buf, xs);
      assertArrayEquals(e.getValue().apply(buf, xs).toFloatArray(), jitted, e.getKey() + ": eager vs jit");
    }
  }

  @Test
  void vmapOfTheLoopGivesTheSameBits() {
    Array bufs = Random.normal(Random.key(5), 3, T, W);
    Array xss = Random.normal(Random.key(6), 3, T, W);
    for (String k : new String[] {"dynamic_update_slice", "scatter set", "read before", "updated twice"}) {
      BiFunction<Array, Array, Array> f = loops().get(k);
      sameBitsOnOff("vmap " + k, () -> Transforms.jit(Transforms.vmap(f)), bufs, xss);
    }
  }

  @Test
  void gradThroughLoopWithUpdatesIsUnchanged() {
    for (String k : new String[] {"dynamic_update_slice", "scatter mul", "read before", "nested", "carry as ys"}) {
      BiFunction<Array, Array, Array> f = loops().get(k);
      sameBitsOnOff("grad " + k, () -> Transforms.jit(Transforms.grad((Array b, Array x) -> f.apply(b, x).square().sum())),
          buf, xs);
    }
  }

  @Test
  void aRowWritingLoopCopiesItsBufferOnceNotEveryStep() {
    int steps = 256;
    Array big = Array.zeros(steps, 64);
    Array rows = Random.normal(Random.key(7), steps, 64);
    BiFunction<Array, Array, Array> f = Transforms.jit((Array b, Array x) -> Lax.forI(0, steps, (t, c) ->
        Lax.dynamicUpdateSliceInDim(c, Lax.dynamicSliceInDim(x, t, 1, 0).mul(2), t, 0), b));
    f.apply(big, rows); // trace and compile
    long copied0 = Updates.COPIED_ELEMENTS.sum();
    long inPlace0 = Updates.IN_PLACE_UPDATES.sum();
    Array r = f.apply(big, rows);
    long copied = Updates.COPIED_ELEMENTS.sum() - copied0;
    long inPlace = Updates.IN_PLACE_UPDATES.sum() - inPlace0;
    assertArrayEquals(rows.mul(2).toFloatArray(), r.toFloatArray());
    // other tests may run at the same time in this JVM: bound by what one copy per step would be
    assertTrue(inPlace >= steps, "updates done in place: " + inPlace);
    assertTrue(copied < (long) steps * 64 * steps / 4, "elements copied: " + copied + " (a copy per step is "
        + (long) steps * steps * 64 + ")");
  }
}
