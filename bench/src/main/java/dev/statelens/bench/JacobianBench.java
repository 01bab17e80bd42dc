package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * The cost of vjp, jvp (computed by transposing the pullback), jacrev, jacfwd and hessian, all
 * jitted, relative to the forward pass, on a two-layer tanh map R^64 -> R^64 (f32).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JacobianBench extends EngineBench {
  static final int N = 64;

  private Array w1;
  private Array w2;
  private Array x;
  private Array v;
  private Function<Array, Array> forward;
  private BiFunction<Array, Array, Array> vjp;
  private BiFunction<Array, Array, Array> jvp;
  private Function<Array, Array> jacrev;
  private Function<Array, Array> jacfwd;
  private Function<Array, Array> hessian;

  Array f(Array in) {
    return w2.matmul(w1.matmul(in).tanh()).tanh();
  }

  @Setup
  public void setup() {
    java.util.Random rnd = new java.util.Random(0);
    w1 = Fixtures.randn(rnd, 0.2, N, N);
    w2 = Fixtures.randn(rnd, 0.2, N, N);
    x = Fixtures.randn(rnd, 1, N);
    v = Fixtures.randn(rnd, 1, N);
    forward = Transforms.jit(this::f);
    vjp = Transforms.jit((p, ct) -> Transforms.vjp(this::f, p).pullback(ct));
    jvp = Transforms.jit((p, t) -> Transforms.jvp(this::f, p, t).second());
    jacrev = Transforms.jit(Transforms.jacrev(this::f));
    jacfwd = Transforms.jit(Transforms.jacfwd(this::f));
    hessian = Transforms.jit(Transforms.hessian((Array p) -> f(p).sum()));
    // trace + compile outside the measurement; jacrev and jacfwd must agree
    if (!Array.allClose(jacrev.apply(x), jacfwd.apply(x), 1e-4, 1e-5)) {
      throw new IllegalStateException("jacrev and jacfwd disagree");
    }
    forward.apply(x);
    vjp.apply(x, v);
    jvp.apply(x, v);
    hessian.apply(x);
  }

  @Benchmark
  public Array jitForward() {
    return forward.apply(x);
  }

  @Benchmark
  public Array jitVjp() {
    return vjp.apply(x, v);
  }

  @Benchmark
  public Array jitJvp() {
    return jvp.apply(x, v);
  }

  @Benchmark
  public Array jitJacrev() {
    return jacrev.apply(x);
  }

  @Benchmark
  public Array jitJacfwd() {
    return jacfwd.apply(x);
  }

  @Benchmark
  public Array jitHessian() {
    return hessian.apply(x);
  }
}
