package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * Overhead of one call of a jitted function on a tiny graph (3 ops on a scalar): flatten the
 * arguments, check the cached signature, run the compiled graph, wrap and unflatten the result.
 * Target: at most 2 µs per call. The eager version (3 separate primitive binds) is shown beside it.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBench extends EngineBench {
  private Function<Array, Array> jitted;
  private Function<StatePair, StatePair> jittedTree;
  private Array x;
  private StatePair state;

  /** A two-leaf pytree, like a small model state. */
  public record StatePair(Array a, Array b) {}

  @Setup
  public void setup() {
    jitted = Transforms.jit("small", (Array v) -> v.mul(2).add(1).tanh());
    jittedTree = Transforms.jit("small_tree", (StatePair s) -> new StatePair(s.a().add(s.b()), s.b().mul(0.5)));
    x = Array.scalar(0.5);
    state = new StatePair(Array.scalar(1.0), Array.scalar(2.0));
    jitted.apply(x); // trace and compile outside the measurement
    jittedTree.apply(state);
  }

  @Benchmark
  public Array jittedThreeOpsOnScalar() {
    return jitted.apply(x);
  }

  @Benchmark
  public StatePair jittedRecordInRecordOut() {
    return jittedTree.apply(state);
  }

  @Benchmark
  public Array eagerThreeOpsOnScalar() {
    return x.mul(2).add(1).tanh();
  }
}
