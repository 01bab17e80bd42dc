package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Debug;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * What a host callback costs in a jitted step (the operands copied into fresh arrays, the Java
 * call), and what {@code linearize} saves over calling {@code jvp} once per tangent, eagerly, on
 * JacobianBench's map {@code tanh(W2 tanh(W1 x))}, R^64 -> R^64 (f32).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CallbackBench extends EngineBench {
  static final int N = 64;

  private Array w1;
  private Array w2;
  private Array x;
  private Array v;
  private Function<Array, Array> step;
  private Function<Array, Array> stepWithCallback;
  private Function<Array, Array> linearized;
  private double sink;

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
    step = Transforms.jit(this::f);
    stepWithCallback = Transforms.jit((Array in) -> {
      Array out = f(in);
      Debug.callback(vals -> sink += vals[0].size(), out); // a logger's share: read the array
      return out;
    });
    linearized = Transforms.linearize(this::f, x).second();
    BiFunction<Array, Array, Array> jvp = (p, t) -> Transforms.jvp(this::f, p, t).second();
    if (!Array.allClose(jvp.apply(x, v), linearized.apply(v), 1e-5, 1e-6)) {
      throw new IllegalStateException("linearize and jvp disagree");
    }
    step.apply(x);
    stepWithCallback.apply(x);
  }

  @Benchmark
  public Array jitStep() {
    return step.apply(x);
  }

  @Benchmark
  public Array jitStepWithDebugCallback() {
    return stepWithCallback.apply(x);
  }

  /** jax.jvp per tangent: forward pass, recorded pullback and its sweep every time. */
  @Benchmark
  public Array eagerJvpPerTangent() {
    return Transforms.jvp(this::f, x, v).second();
  }

  /** The function linearize returned, applied to one more tangent: one sweep. */
  @Benchmark
  public Array eagerLinearizedPerTangent() {
    return linearized.apply(v);
  }

  /** linearize itself (paid once per point). */
  @Benchmark
  public Pair<Array, Function<Array, Array>> eagerLinearize() {
    return Transforms.linearize(this::f, x);
  }
}
