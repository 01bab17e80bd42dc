package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients of convolution and pooling against central finite differences in F64 (strides 1 and
 * 2, SAME and VALID, dilations, groups), max pooling's cotangent going to the first maximum of a
 * tied window (XLA's select), second order through {@code select_and_gather_add}, jit(grad) ==
 * grad, and vmap == a loop over examples (lhs, rhs and both batched).
 */
class ConvGradTest {
  private static final double EPS = 1e-6;

  private static Array rand(Random rng, int... shape) {
    return ConvReference.array(ConvReference.random(rng, ConvReference.size(shape)), shape);
  }

  /** The loss's gradient at x against central differences, element by element. */
  private static void checkGrad(String what, Function<Array, Array> loss, Array x) {
    Array g = Transforms.grad(loss::apply).apply(x);
    double[] xv = x.toDoubleArray();
    double[] got = g.toDoubleArray();
    for (int i = 0; i < xv.length; i++) {
      double[] plus = xv.clone();
      double[] minus = xv.clone();
      plus[i] += EPS;
      minus[i] -= EPS;
      double fd = (loss.apply(ConvReference.array(plus, x.shape())).item()
          - loss.apply(ConvReference.array(minus, x.shape())).item()) / (2 * EPS);
      assertEquals(fd, got[i], 1e-6 * Math.max(1, Math.abs(fd)), what + " element " + i);
    }
  }

  private record Setup(String name, int[] strides, String padding, int[] dilation, int groups) {}

  @Test
  void conv2dGradsMatchFiniteDifferences() {
    Random rng = new Random(21);
    List<Setup> setups = List.of(
        new Setup("stride 1 SAME", new int[] {1, 1}, "SAME", null, 1),
        new Setup("stride 1 VALID", new int[] {1, 1}, "VALID", null, 1),
        new Setup("stride 2 SAME", new int[] {2, 2}, "SAME", null, 1),
        new Setup("stride 2 VALID", new int[] {2, 2}, "VALID", null, 1),
        new Setup("stride (2,1) SAME dilation 2", new int[] {2, 1}, "SAME", new int[] {2, 2}, 1),
        new Setup("groups 2 stride 2", new int[] {2, 2}, "SAME", null, 2));
    for (Setup s : setups) {
      Array x = rand(rng, 2, 6, 5, 4);
      Array w = rand(rng, 3, 2, 4 / s.groups, 4);
      Array t = rand(rng, 64); // a fixed random direction makes every output element matter
      Function<Array, Array> lossX = a -> weighted(Nn.conv(a, w, s.strides, s.padding, s.dilation, s.groups), t);
      Function<Array, Array> lossW = b -> weighted(Nn.conv(x, b, s.strides, s.padding, s.dilation, s.groups), t);
      checkGrad(s.name + " d/dx", lossX, x);
      checkGrad(s.name + " d/dw", lossW, w);
    }
  }

  @Test
  void lhsDilatedAndBatchGroupedConvGrads() {
    Random rng = new Random(8);
    String[] nchw = {"NCHW", "OIHW", "NCHW"};
    Array x = rand(rng, 4, 3, 4, 3);
    Array w = rand(rng, 4, 3, 2, 2);
    Array t = rand(rng, 200);
    Function<Array, Array> f = a -> weighted(Lax.convGeneralDilated(a, w, new int[] {1, 2}, new int[][] {{1, 0}, {0, 1}},
        new int[] {2, 1}, new int[] {1, 2}, nchw, 1, 1), t);
    checkGrad("lhs dilation d/dx", f, x);
    Function<Array, Array> g = b -> weighted(Lax.convGeneralDilated(x, b, null, new int[][] {{0, 0}, {0, 0}}, null, null,
        nchw, 1, 2), t);
    checkGrad("batch groups d/dw", g, w);
    Function<Array, Array> h = a -> weighted(Lax.convGeneralDilated(a, w, null, new int[][] {{0, 0}, {0, 0}}, null, null,
        nchw, 1, 2), t);
    checkGrad("batch groups d/dx", h, x);
  }

  /** sum(y * t) over y's elements, t cycled: a loss whose gradient reaches every output element. */
  private static Array weighted(Array y, Array t) {
    int n = y.size();
    double[] tv = t.toDoubleArray();
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      c[i] = tv[i % tv.length];
    }
    return y.mul(ConvReference.array(c, y.shape())).sum();
  }

  @Test
  void poolGradsMatchFiniteDifferences() {
    Random rng = new Random(4);
    Array x = rand(rng, 2, 5, 6, 2);
    Array t = rand(rng, 60);
    checkGrad("max pool 2x2/2 VALID", a -> weighted(Nn.maxPool(a, new int[] {2, 2}, new int[] {2, 2}, "VALID"), t), x);
    checkGrad("max pool 3x3/2 SAME", a -> weighted(Nn.maxPool(a, new int[] {3, 3}, new int[] {2, 2}, "SAME"), t), x);
    checkGrad("avg pool 3x2/1 SAME", a -> weighted(Nn.avgPool(a, new int[] {3, 2}, new int[] {1, 1}, "SAME"), t), x);
    checkGrad("avg pool 2x3/(2,3) VALID",
        a -> weighted(Nn.avgPool(a, new int[] {2, 3}, new int[] {2, 3}, "VALID"), t), x);
    checkGrad("avg pool no pad count",
        a -> weighted(Nn.avgPool(a, new int[] {3, 3}, new int[] {2, 2}, "SAME", false), t), x);
  }

  /** A tied window sends its whole cotangent to the first maximum (row-major), as XLA's select. */
  @Test
  void maxPoolTiesGoToTheFirstMaximum() {
    Array x = Array.of(DType.F64, new int[] {1, 2, 4, 1}, 7.0, 7, 1, 2, 7, 7, 2, 2);
    Array g = Transforms.grad((Array a) -> Nn.maxPool(a, new int[] {2, 2}, new int[] {2, 2}, "VALID").sum()).apply(x);
    assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0, 0, 0}, g.toDoubleArray(), 0);
    // overlapping windows add their cotangents at a shared maximum
    Array y = Array.of(DType.F64, new int[] {1, 1, 3, 1}, 1.0, 5, 2);
    Array gy = Transforms.grad((Array a) -> Nn.maxPool(a, new int[] {1, 2}, null, "VALID").sum()).apply(y);
    assertArrayEquals(new double[] {0, 2, 0}, gy.toDoubleArray(), 0);
  }

  /** d/dx of sum(grad(maxpool)) paths: second order goes through select_and_gather_add. */
  @Test
  void secondOrderThroughMaxPool() {
    Array x = Array.of(DType.F64, new int[] {1, 2, 2, 1}, 1.0, 4, 3, 2);
    // f(x) = maxpool(x)^2 = x[1]^2; grad = 2 x[1] at position 1; hessian-vector with v = ones: 2 at position 1
    Function<Array, Array> inner = a -> Nn.maxPool(a, new int[] {2, 2}, null, "VALID").square().sum();
    Array gg = Transforms.grad((Array a) -> Transforms.grad(inner::apply).apply(a).sum()).apply(x);
    assertArrayEquals(new double[] {0, 2, 0, 0}, gg.toDoubleArray(), 0);
  }

  @Test
  void jitOfGradEqualsGrad() {
    Random rng = new Random(9);
    Array x = rand(rng, 2, 7, 7, 3).astype(DType.F32);
    Array w = rand(rng, 3, 3, 3, 4).astype(DType.F32);
    java.util.function.BiFunction<Array, Array, Array> loss = (a, b) -> Nn.maxPool(Nn.relu(Nn.conv2d(a, b,
        new int[] {2, 2}, "SAME")), new int[] {2, 2}, new int[] {2, 2}, "SAME").square().mean();
    var grad = Transforms.grad((Array b, Array a) -> loss.apply(a, b));
    Array eager = grad.apply(w, x);
    Array jitted = Transforms.jit((Array b, Array a) -> grad.apply(b, a)).apply(w, x);
    assertArrayEquals(eager.toFloatArray(), jitted.toFloatArray(), 1e-6f);
  }

  @Test
  void vmapEqualsALoop() {
    Random rng = new Random(12);
    Array xs = rand(rng, 3, 2, 5, 5, 4);   // 3 examples of [2, 5, 5, 4]
    Array ws = rand(rng, 3, 3, 3, 2, 6);   // 3 kernels, groups of 2 channels
    Array x0 = rand(rng, 2, 5, 5, 4);
    Array w0 = rand(rng, 3, 3, 4, 6);
    Array wg0 = rand(rng, 3, 3, 2, 6);
    java.util.function.BiFunction<Array, Array, Array> conv = (a, b) -> Nn.conv2d(a, b, new int[] {2, 1}, "SAME");
    java.util.function.BiFunction<Array, Array, Array> grouped = (a, b) ->
        Nn.conv(a, b, new int[] {1, 1}, "VALID", new int[] {1, 2}, 2);
    // lhs batched
    assertLoop(Transforms.vmap((Array a) -> conv.apply(a, w0)).apply(xs), i -> conv.apply(xs.sliceAxis(0, i, i + 1).reshape(2, 5, 5, 4), w0));
    // rhs batched, one group and two groups
    Array wsFull = rand(rng, 3, 3, 3, 4, 6);
    assertLoop(Transforms.vmap((Array b) -> conv.apply(x0, b)).apply(wsFull),
        i -> conv.apply(x0, wsFull.sliceAxis(0, i, i + 1).reshape(3, 3, 4, 6)));
    assertLoop(Transforms.vmap((Array b) -> grouped.apply(x0, b)).apply(ws),
        i -> grouped.apply(x0, ws.sliceAxis(0, i, i + 1).reshape(3, 3, 2, 6)));
    // both batched, with groups
    assertLoop(Transforms.vmap((Array a, Array b) -> grouped.apply(a, b)).apply(xs, ws),
        i -> grouped.apply(xs.sliceAxis(0, i, i + 1).reshape(2, 5, 5, 4), ws.sliceAxis(0, i, i + 1).reshape(3, 3, 2, 6)));
    // pools and the grads of pools
    Function<Array, Array> pools = a -> Nn.avgPool(Nn.maxPool(a, new int[] {2, 2}, new int[] {1, 2}, "SAME"),
        new int[] {2, 1}, null, "VALID");
    assertLoop(Transforms.vmap(pools::apply).apply(xs), i -> pools.apply(xs.sliceAxis(0, i, i + 1).reshape(2, 5, 5, 4)));
    Function<Array, Array> poolGrad = a -> Transforms.grad((Array z) -> pools.apply(z).square().sum()).apply(a);
    assertLoop(Transforms.vmap(poolGrad::apply).apply(xs), i -> poolGrad.apply(xs.sliceAxis(0, i, i + 1).reshape(2, 5, 5, 4)));
    // per-example gradients of a conv loss w.r.t. the kernel (vmap of grad: transposes batched too)
    Function<Array, Array> perExample = a -> Transforms.grad((Array b) -> conv.apply(a, b).square().sum()).apply(w0);
    assertLoop(Transforms.vmap(perExample::apply).apply(xs), i -> perExample.apply(xs.sliceAxis(0, i, i + 1).reshape(2, 5, 5, 4)));
  }

  private static void assertLoop(Array batched, java.util.function.IntFunction<Array> example) {
    List<Array> rows = new ArrayList<>();
    for (int i = 0; i < batched.shape()[0]; i++) {
      rows.add(example.apply(i));
    }
    Array want = Array.stack(0, rows);
    assertArrayEquals(want.shape(), batched.shape());
    assertArrayEquals(want.toDoubleArray(), batched.toDoubleArray(), 1e-10);
  }
}
