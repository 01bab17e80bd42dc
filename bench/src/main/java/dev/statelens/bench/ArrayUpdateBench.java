package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * docs/arrays.md's functions on the CPU backend: a jitted loop (one scan of 256 steps) that writes
 * row t of a {@code [256, 64]} F32 state buffer with a traced t — as {@code dynamic_update_slice},
 * as {@code x.at(t).set}, and as the {@code where(iota == t, row, buf)} mask one writes without
 * them — and jitted {@code sort}, {@code argsort}, {@code cumsum} of {@code [256, 1024]} F32 rows.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ArrayUpdateBench extends EngineBench {
  static final int STEPS = 256;
  static final int WIDTH = 64;

  private Array buf;
  private Array xs;
  private Array rows;
  private BiFunction<Array, Array, Array> dynamicUpdate;
  private BiFunction<Array, Array, Array> atSet;
  private BiFunction<Array, Array, Array> whereMask;
  private Function<Array, Array> sort;
  private Function<Array, Array> argsort;
  private Function<Array, Array> cumsum;

  @Setup
  public void setup() {
    buf = Array.zeros(STEPS, WIDTH);
    xs = Random.normal(Random.key(1), STEPS, WIDTH);
    rows = Random.normal(Random.key(2), 256, 1024);
    dynamicUpdate = Transforms.jit((Array b, Array x) -> Lax.forI(0, STEPS, (t, c) ->
        Lax.dynamicUpdateSliceInDim(c, Lax.dynamicSliceInDim(x, t, 1, 0).mul(2), t, 0), b));
    atSet = Transforms.jit((Array b, Array x) -> Lax.forI(0, STEPS, (t, c) ->
        c.at(t).set(Lax.dynamicSliceInDim(x, t, 1, 0).mul(2).reshape(WIDTH)), b));
    Array iota = Array.arange(STEPS).reshape(STEPS, 1);
    whereMask = Transforms.jit((Array b, Array x) -> Lax.forI(0, STEPS, (t, c) ->
        Array.where(iota.eq(t), Lax.dynamicSliceInDim(x, t, 1, 0).mul(2), c), b));
    sort = Transforms.jit((Array r) -> r.sort(1));
    argsort = Transforms.jit((Array r) -> r.argsort(1));
    cumsum = Transforms.jit((Array r) -> r.cumsum(1));
    Array expected = xs.mul(2);
    for (BiFunction<Array, Array, Array> f : java.util.List.of(dynamicUpdate, atSet, whereMask)) {
      if (!Array.allClose(f.apply(buf, xs), expected, 0, 0)) {
        throw new IllegalStateException("the row writers disagree");
      }
    }
    if (!Array.allClose(rows.takeAlongAxis(argsort.apply(rows), 1), sort.apply(rows), 0, 0)
        || cumsum.apply(rows).dtype() != DType.F32) {
      throw new IllegalStateException("sort and argsort disagree");
    }
  }

  @Benchmark
  public Array rowWritesDynamicUpdateSlice() {
    return dynamicUpdate.apply(buf, xs);
  }

  @Benchmark
  public Array rowWritesAtSet() {
    return atSet.apply(buf, xs);
  }

  @Benchmark
  public Array rowWritesWhereMask() {
    return whereMask.apply(buf, xs);
  }

  @Benchmark
  public Array sortRows() {
    return sort.apply(rows);
  }

  @Benchmark
  public Array argsortRows() {
    return argsort.apply(rows);
  }

  @Benchmark
  public Array cumsumRows() {
    return cumsum.apply(rows);
  }
}
