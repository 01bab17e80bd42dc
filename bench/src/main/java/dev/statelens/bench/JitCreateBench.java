package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * What {@code Transforms.jit(fn)} costs to create (it notes its call site for the run store's
 * source positions: one stack walk per jit, none per call), beside a cached call of a jitted
 * function for scale. No recorder is open.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JitCreateBench extends EngineBench {
  private final Function<Array, Array> body = x -> x.mul(2).add(1);
  private Function<Array, Array> jitted;
  private Array x;

  @Setup
  public void setup() {
    x = Array.of(1f, 2f, 3f, 4f);
    jitted = Transforms.jit(body);
    jitted.apply(x); // traced outside the measurement
  }

  /** Creating a jitted function (not calling it). */
  @Benchmark
  public Object create() {
    return Transforms.jit(body);
  }

  /** A call that hits the jit cache. */
  @Benchmark
  public Object cachedCall() {
    return jitted.apply(x);
  }
}
