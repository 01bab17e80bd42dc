package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a jitted call costs around tiny kernels: a one-equation graph on four floats (the call
 * itself: argument flattening, the compile-cache lookup, output buffers) and a graph of 100
 * integer equations on four ints, which generated code runs as 100 kernel calls (each a registered
 * kernel behind its wrappers, a parameter lookup and an output array). Thread CPU time per call,
 * best of 5 rounds after a warm-up round:
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.KernelCallCostProbe</pre>
 */
public final class KernelCallCostProbe {
  private KernelCallCostProbe() {}

  public static void main(String[] args) {
    Array x = Array.of(1f, 2f, 3f, 4f);
    Array i = Array.of(1, 2, 3, 4);
    Function<Array, Array> addOne = Transforms.jit("add_one", (Array p) -> p.add(1));
    Function<Array, Array> integerChain = Transforms.jit("integer_chain", (Array p) -> {
      Array q = p;
      for (int k = 0; k < 50; k++) {
        q = q.mul(3).add(k);
      }
      return q;
    });
    row("jit(x + 1), f32[4]: one call", () -> addOne.apply(x), 1);
    row("jit(50 x (q * 3 + k)), i32[4]: per kernel call", () -> integerChain.apply(i), 100);
  }

  private static void row(String name, Supplier<Object> op, int kernels) {
    double best = CpuTimeProbe.measure(op, 20_000, 5)[1];
    System.out.printf("%-50s %8.3f us CPU (%.1f ns per %s)%n", name, best / 1e3, best / kernels,
        kernels == 1 ? "call" : "kernel");
  }
}
