package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Linalg;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Thread CPU time of session 8's three workloads ({@link CpuTimeProbe}'s method: best of rounds,
 * one thread, so time spent waiting for a core on the loaded box is left out): EinsumBench's
 * {@code topK(rows, 10)} of [256, 1024]; LinalgBench's {@code solve} and the gradient of
 * {@code sum(solve(a, b))} at 256 x 256 F64; ReluBench's activations on [32, 28, 28, 32] F32 and,
 * through the generated code, on [8, 4096].
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.SelectionProbe</pre>
 */
public final class SelectionProbe {
  private SelectionProbe() {}

  private static void report(String name, Supplier<Object> op, int ops, int rounds) {
    double[] r = CpuTimeProbe.measure(op, ops, rounds);
    System.out.printf("%-28s cpu %10.3f ms/op   wall %10.3f ms/op%n", name, r[1] / 1e6, r[0] / 1e6);
  }

  public static void main(String[] args) {
    Array rows = Random.normal(Random.key(1), 256, 1024);
    Function<Array, Array> topK = Transforms.jit((Array r) -> Lax.topK(r, 10).first());
    report("topK10Rows [256,1024]", () -> topK.apply(rows), 5, 7);

    int n = 256;
    Array x = Random.normal(Random.key(3), n, n).astype(DType.F64);
    Array a = x.matmul(x.T()).add(Array.eye(DType.F64, n, n).mul(n));
    Array b = Random.normal(Random.key(4), n).astype(DType.F64);
    BiFunction<Array, Array, Array> solve = Transforms.jit(Linalg::solve);
    BiFunction<Array, Array, Array> solveGrad = Transforms.jit(Transforms.grad((Array m, Array v) -> Linalg.solve(m, v).sum()));
    report("solve 256 F64", () -> solve.apply(a, b), 5, 5);
    report("solveGrad 256 F64", () -> solveGrad.apply(a, b), 2, 5);

    Array act = Random.normal(Random.key(0), 32, 28, 28, 32);
    Function<Array, Array> relu = Transforms.jit((Array v) -> Nn.relu(v));
    Function<Array, Array> leaky = Transforms.jit((Array v) -> Array.where(v.gt(0), v, v.mul(0.01)));
    Function<Array, Array> reluGrad = Transforms.jit(Transforms.grad((Array v) -> Nn.relu(v).sum()));
    Function<Array, Array> maximum = Transforms.jit((Array v) -> v.maximum(0));
    Function<Array, Array> clip = Transforms.jit((Array v) -> v.clip(-1, 1));
    Function<Array, Array> square = Transforms.jit((Array v) -> v.square());
    for (int round = 0; round < 2; round++) {   // the first round also warms the JIT
      report("relu", () -> relu.apply(act), 20, 7);
      report("leakyRelu", () -> leaky.apply(act), 20, 7);
      report("reluGrad", () -> reluGrad.apply(act), 20, 7);
      report("maximum(x, 0)", () -> maximum.apply(act), 20, 7);
      report("clip(x, -1, 1)", () -> clip.apply(act), 20, 7);
      report("square", () -> square.apply(act), 20, 7);
      // eager single ops (the plain kernels, one loop per operand layout)
      report("eager x * 2", () -> act.mul(2), 20, 7);
      report("eager maximum(x, 0)", () -> act.maximum(0), 20, 7);
      report("eager x + x", () -> act.add(act), 20, 7);
    }
    // [8, 4096]: small enough for the generated code (GraphCodegen) rather than the interpreter
    Array small = Random.normal(Random.key(0), 8, 4096);
    for (int round = 0; round < 2; round++) {
      report("relu [8,4096]", () -> relu.apply(small), 300, 7);
      report("reluGrad [8,4096]", () -> reluGrad.apply(small), 300, 7);
      report("square [8,4096]", () -> square.apply(small), 300, 7);
    }
  }
}
