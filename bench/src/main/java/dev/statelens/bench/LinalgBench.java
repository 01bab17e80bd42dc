package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Linalg;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * docs/linalg.md's functions on the CPU backend, jitted, on a 256 x 256 symmetric positive-definite
 * matrix in F64 and F32: {@code Linalg.cholesky}, {@code Linalg.solve} of one right-hand side
 * (LU with partial pivoting + two triangular solves), the GP pair {@code cholesky + choSolve},
 * {@code eigh} (tridiagonal QL), {@code svdvals} (one-sided Jacobi), the gradient of
 * {@code sum(solve(a, b))} in a (forward + backward) and, for scale, the matmul of the same matrices.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LinalgBench extends EngineBench {
  @Param({"F64", "F32"})
  public String dtype;

  static final int N = 256;

  private Array a;
  private Array b;
  private Function<Array, Array> cholesky;
  private BiFunction<Array, Array, Array> solve;
  private BiFunction<Array, Array, Array> choSolve;
  private Function<Array, Array> eigh;
  private Function<Array, Array> matmul;
  private Function<Array, Array> svd;
  private BiFunction<Array, Array, Array> solveGrad;

  @Setup
  public void setup() {
    DType dt = DType.valueOf(dtype);
    Array x = Random.normal(Random.key(3), N, N).astype(dt);
    a = x.matmul(x.T()).add(Array.eye(dt, N, N).mul(N));
    b = Random.normal(Random.key(4), N).astype(dt);
    cholesky = Transforms.jit(Linalg::cholesky);
    solve = Transforms.jit(Linalg::solve);
    choSolve = Transforms.jit((Array m, Array v) -> Linalg.choSolve(Linalg.cholesky(m), v));
    eigh = Transforms.jit((Array m) -> Linalg.eigh(m).eigenvalues());
    matmul = Transforms.jit((Array m) -> m.matmul(m));
    svd = Transforms.jit(Linalg::svdvals);
    // d/da of sum(solve(a, b)): the backward pass of solve (JAX: two triangular solves with the
    // forward's LU factors and one outer product)
    solveGrad = Transforms.jit(Transforms.grad((Array m, Array v) -> Linalg.solve(m, v).sum()));
    double tol = dt == DType.F64 ? 1e-9 : 1e-3;
    if (!Array.allClose(a.matmul(solve.apply(a, b)), b, tol, tol)
        || !Array.allClose(solve.apply(a, b), choSolve.apply(a, b), tol, tol)) {
      throw new IllegalStateException("solve and choSolve disagree with a x = b");
    }
  }

  @Benchmark
  public Array cholesky() {
    return cholesky.apply(a);
  }

  @Benchmark
  public Array solve() {
    return solve.apply(a, b);
  }

  @Benchmark
  public Array choleskyChoSolve() {
    return choSolve.apply(a, b);
  }

  @Benchmark
  public Array eigh() {
    return eigh.apply(a);
  }

  @Benchmark
  public Array svdvals() {
    return svd.apply(a);
  }

  @Benchmark
  public Array solveGrad() {
    return solveGrad.apply(a, b);
  }

  @Benchmark
  public Array matmulSameSize() {
    return matmul.apply(a);
  }
}
