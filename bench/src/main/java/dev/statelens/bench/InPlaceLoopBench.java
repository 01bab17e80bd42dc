package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-place loop carries on the CPU backend (docs/cpu-backend.md "Buffer donation"): ArrayUpdateBench's
 * jitted {@code Lax.forI} that writes row t of a {@code [rows, width]} F32 buffer per step, as
 * {@code dynamic_update_slice} and as {@code at(t).set}, with donation on and off
 * ({@code statelens.cpu.donate}, set in the forked JVM). Off, every step copies the whole buffer.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class InPlaceLoopBench extends EngineBench {
  @Param({"true", "false"})
  public String donate;

  @Param({"256x64", "1024x256"})
  public String shape;

  private Array buf;
  private Array xs;
  private BiFunction<Array, Array, Array> dynamicUpdate;
  private BiFunction<Array, Array, Array> atSet;

  @Setup
  public void setup() {
    System.setProperty("statelens.cpu.donate", donate);
    String[] d = shape.split("x");
    int rows = Integer.parseInt(d[0]);
    int width = Integer.parseInt(d[1]);
    buf = Array.zeros(rows, width);
    xs = Random.normal(Random.key(1), rows, width);
    dynamicUpdate = Transforms.jit((Array b, Array x) -> Lax.forI(0, rows, (t, c) ->
        Lax.dynamicUpdateSliceInDim(c, Lax.dynamicSliceInDim(x, t, 1, 0).mul(2), t, 0), b));
    atSet = Transforms.jit((Array b, Array x) -> Lax.forI(0, rows, (t, c) ->
        c.at(t).set(Lax.dynamicSliceInDim(x, t, 1, 0).mul(2).reshape(width)), b));
    Array expected = xs.mul(2);
    if (!Array.allClose(dynamicUpdate.apply(buf, xs), expected, 0, 0) || !Array.allClose(atSet.apply(buf, xs), expected, 0, 0)
        || !Array.allClose(buf, Array.zeros(rows, width), 0, 0)) {
      throw new IllegalStateException("the row writers disagree or wrote the caller's buffer");
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
}
