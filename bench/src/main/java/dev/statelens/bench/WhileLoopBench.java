package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * docs/control-flow.md's {@code Lax.whileLoop} on the CPU backend: the cost per step of a jitted
 * {@code while} against a jitted {@code forI} (one {@code scan}) running the same 256 steps of
 * {@code c = c * 0.999 + x} on an F32[64] carry, and a {@code vmap}ped while whose 32 examples
 * stop after 0..248 steps (mapped predicate: the loop runs 248 steps for every example, selecting
 * per example), against a Java loop of 32 jitted single-example calls (each its own trip count).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WhileLoopBench extends EngineBench {
  static final int STEPS = 256;
  static final int WIDTH = 64;
  static final int LANES = 32;

  private Array carry;
  private Array x;
  private Array limits;
  private BiFunction<Array, Array, Array> forI;
  private BiFunction<Array, Array, Array> whileLoop;
  private Function<Array, Array> vmapWhile;
  private Function<Array, Array> oneLane;
  private Array[] laneLimits;

  @Setup
  public void setup() {
    carry = Array.zeros(WIDTH);
    x = Array.arange(WIDTH).astype(DType.F32).mul(0.01f);
    forI = Transforms.jit((Array c0, Array x0) -> Lax.forI(0, STEPS, (i, c) -> c.mul(0.999f).add(x0), c0));
    whileLoop = Transforms.jit((Array c0, Array x0) -> Lax.whileLoop(
        (Pair<Array, Array> s) -> s.first().lt(STEPS),
        (Pair<Array, Array> s) -> Pair.of(s.first().add(1), s.second().mul(0.999f).add(x0)),
        Pair.of(Array.scalar(DType.I32, 0), c0)).second());
    int[] perLane = new int[LANES];
    for (int k = 0; k < LANES; k++) {
      perLane[k] = k * 8; // 0, 8, ..., 248 steps
    }
    limits = Array.of(perLane);
    Array xRow = x;
    vmapWhile = Transforms.jit(Transforms.vmap((Array limit) -> Lax.whileLoop(
        (Pair<Array, Array> s) -> s.first().lt(limit),
        (Pair<Array, Array> s) -> Pair.of(s.first().add(1), s.second().mul(0.999f).add(xRow)),
        Pair.of(Array.scalar(DType.I32, 0), Array.zeros(WIDTH))).second()));
    oneLane = Transforms.jit((Array limit) -> Lax.whileLoop(
        (Pair<Array, Array> s) -> s.first().lt(limit),
        (Pair<Array, Array> s) -> Pair.of(s.first().add(1), s.second().mul(0.999f).add(xRow)),
        Pair.of(Array.scalar(DType.I32, 0), Array.zeros(WIDTH))).second());
    laneLimits = new Array[LANES];
    for (int k = 0; k < LANES; k++) {
      laneLimits[k] = Array.scalar(DType.I32, perLane[k]);
    }
    if (!Array.allClose(forI.apply(carry, x), whileLoop.apply(carry, x), 0, 0)) {
      throw new IllegalStateException("while and forI disagree");
    }
    Array lanes = vmapWhile.apply(limits);
    if (!Array.allClose(lanes.get(LANES - 1), Transforms.jit((Array c0, Array x0) -> Lax.forI(0, 248,
        (i, c) -> c.mul(0.999f).add(x0), c0)).apply(carry, x), 0, 0) || lanes.get(0).abs().sum().floatValue() != 0) {
      throw new IllegalStateException("vmap(while) lanes are wrong");
    }
  }

  /**
   * Thread CPU time per call next to wall time ({@link CpuTimeProbe#measure}), for a shared,
   * overloaded machine: {@code java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1
   * -cp bench/target/benchmarks.jar dev.statelens.bench.WhileLoopBench}.
   */
  public static void main(String[] args) {
    WhileLoopBench b = new WhileLoopBench();
    b.setup();
    java.util.Map<String, java.util.function.Supplier<Object>> ops = new java.util.LinkedHashMap<>();
    ops.put("forI256", b::forI256);
    ops.put("while256", b::while256);
    ops.put("vmapWhile32Lanes", b::vmapWhile32Lanes);
    ops.put("javaLoopOver32Lanes", b::javaLoopOver32Lanes);
    ops.forEach((name, op) -> {
      int calls = name.contains("32Lanes") ? 20 : 400;
      double[] r = CpuTimeProbe.measure(op, calls, 7);
      System.out.printf("%-18s wall %10.1f us/op   cpu %10.1f us/op%n", name, r[0] / 1e3, r[1] / 1e3);
    });
  }

  @Benchmark
  public Array forI256() {
    return forI.apply(carry, x);
  }

  @Benchmark
  public Array while256() {
    return whileLoop.apply(carry, x);
  }

  @Benchmark
  public Array vmapWhile32Lanes() {
    return vmapWhile.apply(limits);
  }

  /** The same 32 examples one jitted while call each (their own trip counts, no select). */
  @Benchmark
  public Array javaLoopOver32Lanes() {
    Array last = null;
    for (Array limit : laneLimits) {
      last = oneLane.apply(limit);
    }
    return last;
  }
}
