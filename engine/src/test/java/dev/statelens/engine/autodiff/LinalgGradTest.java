package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Linalg;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.linalg.MatrixOps;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradients of every Linalg function against central finite differences in F64 (the VJPs are
 * the transposes of JAX's JVP rules), under jit and vmap too, and a Gaussian-process negative
 * log marginal likelihood whose gradient in the kernel's hyperparameters matches finite
 * differences.
 */
class LinalgGradTest {

  private static Array spd(Random rnd, int... shape) {
    Array x = GradCheck.random(rnd, shape);
    int n = shape[shape.length - 1];
    return x.matmul(MatrixOps.mT(x)).add(Array.eye(DType.F64, n, n).mul(n));
  }

  /** A well-conditioned general matrix: random plus a diagonal shift. */
  private static Array general(Random rnd, int... shape) {
    int n = shape[shape.length - 1];
    return GradCheck.random(rnd, shape).add(Array.eye(DType.F64, shape[shape.length - 2], n).mul(3));
  }

  @Test
  void cholesky() {
    Random rnd = new Random(1);
    GradCheck.check("cholesky", a -> Linalg.cholesky(a.get(0)), spd(rnd, 4, 4));
    GradCheck.check("cholesky batched", a -> Linalg.cholesky(a.get(0)), spd(rnd, 2, 3, 3));
    // the input is symmetrized, so a non-symmetric perturbation's gradient is symmetric
    Array g = Transforms.grad((Array a) -> Linalg.cholesky(a).get(1, 0)).apply(spd(rnd, 3, 3));
    assertEquals(0, g.sub(MatrixOps.mT(g)).abs().max().doubleValue(), 1e-15);
  }

  @Test
  void triangularSolveInBothOperandsForEveryVariant() {
    Random rnd = new Random(2);
    for (boolean left : new boolean[] {true, false}) {
      for (boolean lower : new boolean[] {true, false}) {
        for (boolean transpose : new boolean[] {true, false}) {
          for (boolean unit : new boolean[] {true, false}) {
            Array a = general(rnd, 4, 4);
            Array b = left ? GradCheck.random(rnd, 4, 2) : GradCheck.random(rnd, 2, 4);
            GradCheck.check("triangular_solve left=" + left + " lower=" + lower + " transpose=" + transpose
                + " unit=" + unit, x -> Linalg.triangularSolve(x.get(0), x.get(1), left, lower, transpose, unit), a, b);
          }
        }
      }
    }
    GradCheck.check("solveTriangular of a vector, batched a", x -> Linalg.solveTriangular(x.get(0), x.get(1), true),
        general(rnd, 2, 3, 3), GradCheck.random(rnd, 2, 3));
  }

  @Test
  void luSolveInvSlogdetDet() {
    Random rnd = new Random(3);
    GradCheck.check("lu", a -> Linalg.lu(a.get(0)).lu(), GradCheck.random(rnd, 4, 4));
    GradCheck.check("lu tall", a -> Linalg.lu(a.get(0)).lu(), GradCheck.random(rnd, 5, 3));
    GradCheck.check("lu wide", a -> Linalg.lu(a.get(0)).lu(), GradCheck.random(rnd, 3, 5));
    GradCheck.check("lu batched", a -> Linalg.lu(a.get(0)).lu(), GradCheck.random(rnd, 2, 3, 3));
    GradCheck.check("solve", a -> Linalg.solve(a.get(0), a.get(1)), general(rnd, 4, 4), GradCheck.random(rnd, 4, 2));
    GradCheck.check("solve vector", a -> Linalg.solve(a.get(0), a.get(1)), general(rnd, 2, 3, 3), GradCheck.random(rnd, 3));
    GradCheck.check("inv", a -> Linalg.inv(a.get(0)), general(rnd, 3, 3));
    GradCheck.check("slogdet", a -> Linalg.slogdet(a.get(0)).logabsdet(), GradCheck.random(rnd, 2, 4, 4));
    GradCheck.check("det", a -> Linalg.det(a.get(0)), GradCheck.random(rnd, 4, 4));
    // d logdet / dA = inv(A)^T
    Array a = general(rnd, 4, 4);
    Array g = Transforms.grad((Array x) -> Linalg.slogdet(x).logabsdet()).apply(a);
    assertTrue(Array.allClose(MatrixOps.mT(Linalg.inv(a)), g, 1e-12, 1e-12), "d logdet = inv(A)^T");
  }

  @Test
  void qr() {
    Random rnd = new Random(4);
    GradCheck.check("qr square", a -> Linalg.qr(a.get(0)).q().sum().add(Linalg.qr(a.get(0)).r().mul(2).sum()),
        GradCheck.random(rnd, 4, 4));
    GradCheck.check("qr q tall", a -> Linalg.qr(a.get(0)).q(), GradCheck.random(rnd, 5, 3));
    GradCheck.check("qr r tall batched", a -> Linalg.qr(a.get(0)).r(), GradCheck.random(rnd, 2, 5, 3));
    String msg = assertThrows(UnsupportedOperationException.class,
        () -> Transforms.grad((Array x) -> Linalg.qr(x).r().sum()).apply(GradCheck.random(rnd, 2, 4))).getMessage();
    assertTrue(msg.contains("rows >= columns") && msg.contains("[2,4]"), msg);
  }

  @Test
  void eigh() {
    Random rnd = new Random(5);
    // eigenvector signs are arbitrary but continuous near a point with distinct eigenvalues:
    // finite differences see the same branch, so the vectors themselves are checked too
    GradCheck.check("eigh values", a -> Linalg.eigh(a.get(0)).eigenvalues(), GradCheck.random(rnd, 4, 4));
    GradCheck.check("eigh vectors", a -> Linalg.eigh(a.get(0)).eigenvectors(), GradCheck.random(rnd, 4, 4));
    GradCheck.check("eigh batched", a -> Linalg.eigh(a.get(0)).eigenvectors().sum(1).add(Linalg.eigh(a.get(0)).eigenvalues()),
        GradCheck.random(rnd, 2, 3, 3));
  }

  @Test
  void svd() {
    Random rnd = new Random(8);
    for (int[] shape : new int[][] {{4, 4}, {5, 3}, {3, 5}, {2, 4, 3}}) {
      GradCheck.check("svd s " + java.util.Arrays.toString(shape), a -> Linalg.svd(a.get(0)).s(), GradCheck.random(rnd, shape));
      // u and vh change sign together: their product per singular pair is sign-free
      GradCheck.check("svd u, vh " + java.util.Arrays.toString(shape), a -> {
        Linalg.Svd svd = Linalg.svd(a.get(0));
        return svd.u().mul(svd.u()).sum(-2).add(svd.vh().mul(svd.vh().mul(2).add(1)).sum(-1))
            .add(svd.u().matmul(svd.vh()).sum(-1).sum(-1).expandDims(-1));
      }, GradCheck.random(rnd, shape));
      GradCheck.check("svd u and vh directly " + java.util.Arrays.toString(shape), a -> {
        Linalg.Svd svd = Linalg.svd(a.get(0));
        return svd.u().sum(-1).sum(-1).add(svd.vh().sum(-1).sum(-1));
      }, GradCheck.random(rnd, shape));
    }
  }

  @Test
  void jitAndVmapOfGradEqualEager() {
    Random rnd = new Random(6);
    Array as = spd(rnd, 3, 4, 4);
    java.util.function.Function<Array, Array> loss = a -> Linalg.slogdet(a).logabsdet()
        .add(Linalg.cholesky(a).sum()).add(Linalg.eigh(a).eigenvalues().max()).add(Linalg.qr(a).r().sum());
    var g = Transforms.grad(loss);
    Array batched = Transforms.vmap(g).apply(as);
    Array jitted = Transforms.jit(Transforms.vmap(g)).apply(as);
    for (int i = 0; i < 3; i++) {
      Array eager = g.apply(as.get(i));
      assertTrue(Array.allClose(eager, batched.get(i), 1e-12, 1e-12), "vmap(grad) element " + i);
      assertTrue(Array.allClose(eager, jitted.get(i), 1e-12, 1e-12), "jit(vmap(grad)) element " + i);
    }
  }

  @Test
  void secondOrderAndForwardModeMatch() {
    Random rnd = new Random(7);
    Array a = spd(rnd, 3, 3);
    // grad of grad: finite differences of the analytic gradient of sum(cholesky) . w
    GradCheck.check("grad of grad through cholesky",
        x -> Transforms.grad((Array m) -> Linalg.cholesky(m).square().sum()).apply(x.get(0)), a);
    GradCheck.check("grad of grad through solve and eigh",
        x -> Transforms.grad((Array m) -> Linalg.solve(m, Array.of(DType.F64, new int[] {3}, 1, 2, 3)).sum()
            .add(Linalg.eigh(m).eigenvalues().square().sum())).apply(x.get(0)), general(rnd, 3, 3));
    // jacfwd (the transposed pullback) equals jacrev
    java.util.function.Function<Array, Array> f = m -> Linalg.solve(m, Array.of(DType.F64, new int[] {3}, 1, 0, 2))
        .add(Linalg.qr(m).r().sum(0)).add(Linalg.lu(m).lu().sum(1));
    Array g = general(rnd, 3, 3);
    assertTrue(Array.allClose(Transforms.jacrev(f).apply(g), Transforms.jacfwd(f).apply(g), 1e-10, 1e-10), "jacfwd == jacrev");
    Array h = Transforms.hessian((Array m) -> Linalg.slogdet(m).logabsdet()).apply(a);
    assertArrayEquals(new int[] {3, 3, 3, 3}, h.shape());
    // d2 logdet / dA_ij dA_kl = -inv(A)_li inv(A)_jk
    double[] inv = Linalg.inv(a).toDoubleArray();
    double[] hv = h.toDoubleArray();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          for (int l = 0; l < 3; l++) {
            assertEquals(-inv[l * 3 + i] * inv[j * 3 + k], hv[((i * 3 + j) * 3 + k) * 3 + l], 1e-12, "hessian of logdet");
          }
        }
      }
    }
  }

  /**
   * The GP's hyperparameters fitted with Adam in a jitted step (cholesky, cho_solve and the
   * log-determinant inside jit(valueAndGrad)): the likelihood improves, the step traces once, and
   * the fitted noise level comes out near the data's.
   */
  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void gaussianProcessHyperparametersFitWithAdamUnderJit() {
    int n = 24;
    double[] x = new double[n];
    double[] y = new double[n];
    Random rnd = new Random(10);
    for (int i = 0; i < n; i++) {
      x[i] = -3 + 6.0 * i / (n - 1);
      y[i] = Math.sin(x[i]) + 0.1 * rnd.nextGaussian();
    }
    Array xs = Array.of(DType.F64, new int[] {n, 1}, x);
    Array ys = Array.of(DType.F64, new int[] {n}, y);
    java.util.function.Function<Array, Array> nll = theta -> {
      Array d2 = xs.sub(MatrixOps.mT(xs)).square();
      Array k = theta.get(1).exp().mul(d2.div(theta.get(0).exp().square()).mul(-0.5).exp())
          .add(Array.eye(DType.F64, n, n).mul(theta.get(2).exp()));
      Array l = Linalg.cholesky(k);
      return ys.mul(Linalg.choSolve(l, ys)).sum().mul(0.5).add(MatrixOps.diagonal(l).log().sum());
    };
    dev.statelens.engine.Optim.Optimizer adam = dev.statelens.engine.Optim.adam(0.05);
    int[] traces = {0};
    var step = Transforms.jit((Array theta, dev.statelens.engine.Optim.OptState<Array> state) -> {
      traces[0]++;
      var vg = Transforms.valueAndGrad(nll).apply(theta);
      var upd = adam.update(vg.second(), state, theta);
      return List.of(vg.first(), dev.statelens.engine.Optim.applyUpdates(theta, upd.first()), upd.second());
    });
    Array theta = Array.of(DType.F64, new int[] {3}, 0.0, 0.0, 0.0);
    dev.statelens.engine.Optim.OptState<Array> state = adam.init(theta);
    double first = nll.apply(theta).doubleValue();
    for (int t = 0; t < 300; t++) {
      List<?> out = step.apply(theta, state);
      theta = (Array) out.get(1);
      @SuppressWarnings("unchecked")
      var next = (dev.statelens.engine.Optim.OptState<Array>) out.get(2);
      state = next;
    }
    double last = nll.apply(theta).doubleValue();
    assertEquals(1, traces[0], "the step traces once");
    assertTrue(last < first - 10, "the likelihood improves: " + first + " -> " + last);
    double noiseStd = Math.sqrt(Math.exp(theta.get(2).doubleValue()));
    assertTrue(noiseStd > 0.03 && noiseStd < 0.3, "fitted noise std " + noiseStd + " near the data's 0.1");
    Array g = Transforms.grad(nll).apply(theta);
    assertTrue(g.abs().max().doubleValue() < 1, "near a stationary point: " + g);
  }

  /**
   * A tiny Gaussian process: RBF kernel with log lengthscale, log signal and log noise variance;
   * the negative log marginal likelihood {@code 0.5 y^T K^-1 y + sum(log diag L) + n/2 log 2 pi}
   * via cholesky + cho_solve, its gradient against finite differences and under jit.
   */
  @Test
  void gaussianProcessLogLikelihoodGradient() {
    Array xs = Array.of(DType.F64, new int[] {6, 1}, -2, -1.2, -0.3, 0.4, 1.1, 2.5);
    Array ys = Array.of(DType.F64, new int[] {6}, 0.8, 0.1, -0.4, -0.2, 0.7, 1.3);
    java.util.function.Function<List<Array>, Array> nll = p -> {
      Array theta = p.get(0);
      Array lengthscale = theta.get(0).exp();
      Array signal = theta.get(1).exp();
      Array noise = theta.get(2).exp();
      Array d2 = xs.sub(MatrixOps.mT(xs)).square();
      Array k = signal.mul(d2.div(lengthscale.square()).mul(-0.5).exp()).add(Array.eye(DType.F64, 6, 6).mul(noise));
      Array l = Linalg.cholesky(k);
      Array alpha = Linalg.choSolve(l, ys);
      return ys.mul(alpha).sum().mul(0.5).add(MatrixOps.diagonal(l).log().sum()).add(3 * Math.log(2 * Math.PI));
    };
    Array theta = Array.of(DType.F64, new int[] {3}, 0.1, -0.2, -1.5);
    GradCheck.check("GP negative log marginal likelihood", nll, theta);
    Array eager = Transforms.grad(nll).apply(List.of(theta)).get(0);
    Array jitted = Transforms.jit(Transforms.grad(nll)).apply(List.of(theta)).get(0);
    assertTrue(Array.allClose(eager, jitted, 1e-12, 1e-12), "jit(grad) == grad");
    // the same value as through slogdet
    Array viaSlogdet = Linalg.slogdet(Linalg.cholesky(Array.eye(DType.F64, 2, 2).mul(4))).logabsdet();
    assertEquals(Math.log(4), viaSlogdet.doubleValue(), 1e-14);
  }
}
