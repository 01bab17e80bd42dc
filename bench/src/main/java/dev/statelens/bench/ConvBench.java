package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * A first CNN layer: 32 images of 28 x 28 x 1 (NHWC) through 32 filters of 3 x 3 (HWIO), SAME,
 * F32 — {@code Nn.conv2d} jitted forward, and forward + backward (the gradients of
 * {@code sum(conv^2)} for the input and the kernel: one forward, the lhs and rhs transposed
 * convolutions), then 2 x 2 max pooling forward + backward; and, as the yardstick, the same
 * forward convolution as a plain Java loop over output, channel and tap (what the im2col + matmul
 * kernel replaces).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvBench extends EngineBench {
  static final int N = 32;
  static final int H = 28;
  static final int W = 28;
  static final int C = 1;
  static final int O = 32;
  static final int K = 3;

  private Array x;
  private Array w;
  private float[] xHost;
  private float[] wHost;
  private BiFunction<Array, Array, Array> forward;
  private BiFunction<Array, Array, Pair<Array, Array>> forwardBackward;
  private java.util.function.Function<Array, Array> poolForwardBackward;
  private Array activations;

  @Setup
  public void setup() {
    x = Random.normal(Random.key(1), N, H, W, C);
    w = Random.normal(Random.key(2), K, K, C, O).mul(1.0 / 3);
    xHost = x.toFloatArray();
    wHost = w.toFloatArray();
    forward = Transforms.jit((Array a, Array b) -> Nn.conv2d(a, b, new int[] {1, 1}, "SAME"));
    // one forward, then the input's and the kernel's cotangents (grad of a pytree of both)
    var grads = Transforms.grad((Pair<Array, Array> xw) ->
        Nn.conv2d(xw.first(), xw.second(), new int[] {1, 1}, "SAME").square().sum());
    forwardBackward = Transforms.jit((Array a, Array b) -> grads.apply(Pair.of(a, b)));
    poolForwardBackward = Transforms.jit(Transforms.grad((Array a) ->
        Nn.maxPool(a, new int[] {2, 2}, new int[] {2, 2}, "VALID").square().sum()));
    activations = forward.apply(x, w);
    forwardBackward.apply(x, w);
    poolForwardBackward.apply(activations);
    float[] direct = directLoop();
    if (!Array.allClose(Array.of(dev.statelens.engine.DType.F32, new int[] {N, H, W, O}, direct), activations,
        1e-4, 1e-4)) {
      throw new IllegalStateException("conv2d and the direct loop disagree");
    }
  }

  @Benchmark
  public Array convForward() {
    return forward.apply(x, w);
  }

  @Benchmark
  public Pair<Array, Array> convForwardBackward() {
    return forwardBackward.apply(x, w);
  }

  @Benchmark
  public Array maxPoolForwardBackward() {
    return poolForwardBackward.apply(activations);
  }

  @Benchmark
  public float[] directLoopForward() {
    return directLoop();
  }

  /** NHWC x HWIO, SAME (pad 1 on each side for 3 x 3), one output element at a time. */
  private float[] directLoop() {
    float[] out = new float[N * H * W * O];
    for (int n = 0; n < N; n++) {
      for (int i = 0; i < H; i++) {
        for (int j = 0; j < W; j++) {
          int base = ((n * H + i) * W + j) * O;
          for (int a = 0; a < K; a++) {
            int y = i + a - 1;
            if (y < 0 || y >= H) {
              continue;
            }
            for (int b = 0; b < K; b++) {
              int z = j + b - 1;
              if (z < 0 || z >= W) {
                continue;
              }
              for (int c = 0; c < C; c++) {
                float v = xHost[((n * H + y) * W + z) * C + c];
                int wRow = ((a * K + b) * C + c) * O;
                for (int o = 0; o < O; o++) {
                  out[base + o] += v * wHost[wRow + o];
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Thread CPU time per operation on one thread (best of 5 rounds; {@link CpuTimeProbe#measure}),
   * for an overloaded shared machine where JMH's wall times are mostly waiting for a core:
   * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
   *   -cp bench/target/benchmarks.jar dev.statelens.bench.ConvBench</pre>
   */
  public static void main(String[] args) {
    ConvBench b = new ConvBench();
    b.setup();
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    java.util.Map<String, java.util.function.Supplier<Object>> work = new java.util.LinkedHashMap<>();
    work.put("convForward", b::convForward);
    work.put("convForwardBackward", b::convForwardBackward);
    work.put("maxPoolForwardBackward", b::maxPoolForwardBackward);
    work.put("directLoopForward", b::directLoopForward);
    work.forEach((name, op) -> {
      double[] t = CpuTimeProbe.measure(op, ops, 5);
      System.out.printf("%-24s wall %10.1f us/op   cpu %10.1f us/op%n", name, t[0] / 1000, t[1] / 1000);
    });
  }
}
