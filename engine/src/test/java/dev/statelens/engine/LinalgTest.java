package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statelens.engine.autodiff.Vjp;
import dev.statelens.engine.backend.cpu.CpuKernels;
import dev.statelens.engine.batching.Batching;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.linalg.LinalgPrims;
import dev.statelens.engine.linalg.MatrixOps;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Linalg's factorizations and solves: reconstruction (L L^T = A, P L U = A, Q R = A with
 * Q^T Q = I, V diag(w) V^T = A), small cases written out, solves checked by A x = b, batches,
 * jit == eager, vmap == a loop, and the errors for bad shapes.
 */
class LinalgTest {
  private static final Random RND = new Random(11);

  static Array random(DType dt, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = RND.nextGaussian();
    }
    return Array.of(DType.F64, shape, v).astype(dt);
  }

  /** A random symmetric positive-definite stack: x x^T + n I. */
  static Array spd(DType dt, int... shape) {
    Array x = random(dt, shape);
    int n = shape[shape.length - 1];
    return x.matmul(MatrixOps.mT(x)).add(Array.eye(dt, n, n).mul(n));
  }

  static void close(String what, Array expected, Array actual, double tol) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = expected.astype(DType.F64).toDoubleArray();
    double[] a = actual.astype(DType.F64).toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      if (!(Math.abs(e[i] - a[i]) <= tol * (1 + Math.abs(e[i])))) {
        fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (tolerance " + tol + ")");
      }
    }
  }

  private static Array eye(DType dt, int n) {
    return Array.eye(dt, n, n);
  }

  // ---- cholesky ---------------------------------------------------------------------------------

  @Test
  void choleskyOfASmallMatrixWrittenOut() {
    Array l = Linalg.cholesky(Array.of(DType.F64, new int[] {2, 2}, 4, 2, 2, 3));
    assertArrayEquals(new double[] {2, 0, 1, Math.sqrt(2)}, l.toDoubleArray(), 1e-15);
  }

  @Test
  void choleskyReconstructsInF64AndF32AndBatches() {
    for (DType dt : new DType[] {DType.F64, DType.F32}) {
      double tol = dt == DType.F64 ? 1e-12 : 1e-5;
      Array a = spd(dt, 6, 6);
      Array l = Linalg.cholesky(a);
      assertEquals(dt, l.dtype());
      close("L L^T " + dt, a, l.matmul(MatrixOps.mT(l)), tol);
      close("L lower " + dt, MatrixOps.tril(l, 0), l, 0);
      Array batch = spd(dt, 2, 3, 5, 5);
      Array lb = Linalg.cholesky(batch);
      close("batched L L^T " + dt, batch, lb.matmul(MatrixOps.mT(lb)), tol);
      close("batch element", Linalg.cholesky(batch.get(1, 2)), lb.get(1, 2), 0);
    }
  }

  @Test
  void choleskyOfANonPositiveDefiniteMatrixIsNaNAsJaxOnCpu() {
    Array l = Linalg.cholesky(Array.of(DType.F64, new int[] {2, 2}, 1, 2, 2, 1));
    for (double v : l.toDoubleArray()) {
      assertTrue(Double.isNaN(v), "every entry NaN, got " + l);
    }
    // only the failing matrix of a batch is NaN
    Array both = Array.stack(0, Array.of(DType.F64, new int[] {2, 2}, 1, 2, 2, 1), eye(DType.F64, 2));
    Array lb = Linalg.cholesky(both);
    assertTrue(Double.isNaN(lb.get(0).toDoubleArray()[0]));
    assertArrayEquals(new double[] {1, 0, 0, 1}, lb.get(1).toDoubleArray());
  }

  // ---- triangular solves ------------------------------------------------------------------------

  @Test
  void triangularSolveSolvesEveryVariant() {
    int m = 5;
    int k = 3;
    for (DType dt : new DType[] {DType.F64, DType.F32}) {
      double tol = dt == DType.F64 ? 1e-11 : 1e-4;
      Array raw = random(dt, m, m).add(eye(dt, m).mul(4));
      for (boolean lower : new boolean[] {true, false}) {
        for (boolean unit : new boolean[] {false, true}) {
          Array tri = lower ? MatrixOps.tril(raw, unit ? -1 : 0) : MatrixOps.triu(raw, unit ? 1 : 0);
          if (unit) {
            tri = tri.add(eye(dt, m));
          }
          for (boolean transpose : new boolean[] {false, true}) {
            Array op = transpose ? MatrixOps.mT(tri) : tri;
            for (boolean left : new boolean[] {true, false}) {
              Array b = left ? random(dt, m, k) : random(dt, k, m);
              // the other triangle holds garbage: only one triangle may be read
              Array x = Linalg.triangularSolve(raw, b, left, lower, transpose, unit);
              String what = dt + " lower=" + lower + " unit=" + unit + " transpose=" + transpose + " left=" + left;
              close(what, b, left ? op.matmul(x) : x.matmul(op), tol);
            }
          }
        }
      }
    }
  }

  @Test
  void solveTriangularTakesVectorsAndBroadcastsBatches() {
    Array a = MatrixOps.tril(random(DType.F64, 4, 4), 0).add(eye(DType.F64, 4).mul(3));
    Array b = random(DType.F64, 4);
    Array x = Linalg.solveTriangular(a, b, true);
    assertArrayEquals(new int[] {4}, x.shape());
    close("a x = b", b, a.matmul(x), 1e-12);
    Array bs = random(DType.F64, 2, 4, 3);
    Array xs = Linalg.solveTriangular(a, bs, true);
    close("a x = b per batch element", bs, a.matmul(xs), 1e-12);
    Array xt = Linalg.solveTriangular(a, b, true, true, false);
    close("a^T x = b", b, MatrixOps.mT(a).matmul(xt), 1e-12);
  }

  @Test
  void choSolveSolvesWithTheCholeskyFactor() {
    Array a = spd(DType.F64, 5, 5);
    Array b = random(DType.F64, 5, 2);
    Array x = Linalg.choSolve(Linalg.cholesky(a), b);
    close("a x = b", b, a.matmul(x), 1e-11);
    Array u = MatrixOps.mT(Linalg.cholesky(a));
    close("upper factor", x, Linalg.choSolve(u, b, false), 1e-11);
  }

  // ---- lu, solve, inv, slogdet, det -------------------------------------------------------------

  @Test
  void luOfASmallMatrixWrittenOut() {
    Linalg.Lu f = Linalg.lu(Array.of(DType.F64, new int[] {2, 2}, 1, 2, 3, 4));
    assertArrayEquals(new double[] {3, 4, 1.0 / 3, 2 - 4.0 / 3}, f.lu().toDoubleArray(), 1e-15);
    assertArrayEquals(new int[] {1, 1}, f.pivots().toIntArray());
    assertArrayEquals(new int[] {1, 0}, f.permutation().toIntArray());
    assertEquals(DType.I32, f.pivots().dtype());
  }

  @Test
  void luReconstructsSquareTallWideAndBatched() {
    for (int[] shape : new int[][] {{6, 6}, {7, 4}, {3, 5}, {2, 4, 4}}) {
      Array a = random(DType.F64, shape);
      Linalg.Lu f = Linalg.lu(a);
      int m = shape[shape.length - 2];
      int n = shape[shape.length - 1];
      int k = Math.min(m, n);
      int r = shape.length;
      Array l = MatrixOps.tril(f.lu().sliceAxis(r - 1, 0, k), -1).add(Array.eye(DType.F64, m, k));
      Array u = MatrixOps.triu(f.lu().sliceAxis(r - 2, 0, k), 0);
      Array permuted = a.takeAlongAxis(MatrixOps.column(f.permutation()), r - 2);
      close("P A = L U for " + a.aval(), permuted, l.matmul(u), 1e-12);
      // partial pivoting: |L| <= 1
      assertTrue(l.abs().max().doubleValue() <= 1.0, "multipliers bounded by 1");
    }
  }

  @Test
  void solveMatchesADirectCheckForVectorsMatricesAndBatches() {
    Array a = random(DType.F64, 5, 5);
    Array b = random(DType.F64, 5);
    close("a x = b (vector)", b, a.matmul(Linalg.solve(a, b)), 1e-10);
    Array bm = random(DType.F64, 5, 3);
    close("a x = b (matrix)", bm, a.matmul(Linalg.solve(a, bm)), 1e-10);
    Array as = random(DType.F64, 4, 5, 5);
    Array xs = Linalg.solve(as, b);
    assertArrayEquals(new int[] {4, 5}, xs.shape());
    close("a vector against a batch of matrices", as.matmul(MatrixOps.column(xs)).squeeze(2), b.broadcastTo(4, 5), 1e-10);
    Array bb = random(DType.F64, 3, 1, 5, 2);
    Array xb = Linalg.solve(random(DType.F64, 4, 5, 5), bb);
    assertArrayEquals(new int[] {3, 4, 5, 2}, xb.shape());
    Array f32 = Linalg.solve(a.astype(DType.F32), b.astype(DType.F32));
    assertEquals(DType.F32, f32.dtype());
    close("f32", b, a.matmul(f32.astype(DType.F64)), 1e-4);
  }

  @Test
  void invTimesTheMatrixIsTheIdentity() {
    Array a = random(DType.F64, 3, 4, 4);
    close("a inv(a)", eye(DType.F64, 4).broadcastTo(3, 4, 4), a.matmul(Linalg.inv(a)), 1e-10);
    close("inv of a 2x2", Array.of(DType.F64, new int[] {2, 2}, -2, 1, 1.5, -0.5),
        Linalg.inv(Array.of(DType.F64, new int[] {2, 2}, 1, 2, 3, 4)), 1e-14);
  }

  @Test
  void slogdetIsTheProductOfTheLuDiagonalWithThePivotsSign() {
    assertEquals(-2, Linalg.det(Array.of(DType.F64, new int[] {2, 2}, 1, 2, 3, 4)).doubleValue(), 1e-14);
    Array a = random(DType.F64, 3, 6, 6);
    Linalg.Slogdet s = Linalg.slogdet(a);
    Linalg.Lu f = Linalg.lu(a);
    for (int b = 0; b < 3; b++) {
      double[] lu = f.lu().get(b).toDoubleArray();
      int[] piv = f.pivots().get(b).toIntArray();
      double prod = 1;
      for (int i = 0; i < 6; i++) {
        prod *= lu[i * 6 + i];
        if (piv[i] != i) {
          prod = -prod;
        }
      }
      assertEquals(Math.signum(prod), s.sign().get(b).doubleValue(), "sign of batch element " + b);
      assertEquals(Math.log(Math.abs(prod)), s.logabsdet().get(b).doubleValue(), 1e-12);
      assertEquals(prod, Linalg.det(a).get(b).doubleValue(), 1e-10 * Math.abs(prod));
    }
    // a permutation matrix with one swap: det -1
    assertEquals(-1, Linalg.det(Array.of(DType.F64, new int[] {3, 3}, 0, 1, 0, 1, 0, 0, 0, 0, 1)).doubleValue(), 0);
  }

  @Test
  void slogdetOfASingularMatrixIsZeroAndMinusInfinity() {
    Linalg.Slogdet s = Linalg.slogdet(Array.of(DType.F64, new int[] {3, 3}, 1, 2, 3, 2, 4, 6, 1, 1, 1));
    assertEquals(0, s.sign().doubleValue());
    assertEquals(Double.NEGATIVE_INFINITY, s.logabsdet().doubleValue());
    assertEquals(0, Linalg.det(Array.of(DType.F64, new int[] {2, 2}, 1, 2, 2, 4)).doubleValue());
  }

  // ---- qr, eigh --------------------------------------------------------------------------------

  @Test
  void qrReconstructsWithOrthonormalColumnsForSquareTallWideAndBatched() {
    for (int[] shape : new int[][] {{5, 5}, {7, 3}, {3, 6}, {2, 6, 4}}) {
      for (DType dt : new DType[] {DType.F64, DType.F32}) {
        double tol = dt == DType.F64 ? 1e-12 : 1e-5;
        Array a = random(dt, shape);
        Linalg.Qr qr = Linalg.qr(a);
        int k = Math.min(shape[shape.length - 2], shape[shape.length - 1]);
        assertEquals(k, qr.q().dim(qr.q().ndim() - 1));
        close("Q R = A " + a.aval(), a, qr.q().matmul(qr.r()), tol);
        close("Q^T Q = I " + a.aval(), eye(dt, k).broadcastTo(MatrixOps.mT(qr.q()).matmul(qr.q()).shape()),
            MatrixOps.mT(qr.q()).matmul(qr.q()), tol);
        close("R upper " + a.aval(), MatrixOps.triu(qr.r(), 0), qr.r(), 0);
      }
    }
    Array tall = random(DType.F64, 6, 3);
    Linalg.Qr full = Linalg.qr(tall, true);
    assertArrayEquals(new int[] {6, 6}, full.q().shape());
    close("complete mode Q R = A", tall, full.q().matmul(full.r()), 1e-12);
    close("complete mode Q^T Q = I", eye(DType.F64, 6), MatrixOps.mT(full.q()).matmul(full.q()), 1e-12);
  }

  @Test
  void qrFollowsLapackSigns() {
    // geqrf: beta = -sign(alpha) * norm, so the first diagonal entry of R is -5 for the column (3, 4)
    Linalg.Qr qr = Linalg.qr(Array.of(DType.F64, new int[] {2, 2}, 3, 1, 4, 2));
    assertEquals(-5, qr.r().get(0, 0).doubleValue(), 1e-14);
    assertEquals(-0.6, qr.q().get(0, 0).doubleValue(), 1e-14);
  }

  @Test
  void eighOfASmallMatrixWrittenOut() {
    Linalg.Eigh e = Linalg.eigh(Array.of(DType.F64, new int[] {2, 2}, 2, 1, 1, 2));
    assertArrayEquals(new double[] {1, 3}, e.eigenvalues().toDoubleArray(), 1e-14);
    double[] v = e.eigenvectors().toDoubleArray();
    double s = Math.sqrt(0.5);
    // columns +-(1, -1)/sqrt2 and +-(1, 1)/sqrt2; signs are arbitrary
    assertEquals(s, Math.abs(v[0]), 1e-14);
    assertEquals(-Math.signum(v[0]), Math.signum(v[2]));
    assertEquals(Math.signum(v[1]), Math.signum(v[3]));
  }

  @Test
  void eighReconstructsAscendingWithOrthonormalVectors() {
    for (DType dt : new DType[] {DType.F64, DType.F32}) {
      double tol = dt == DType.F64 ? 1e-11 : 1e-4;
      Array x = random(dt, 3, 7, 7);
      Array a = x.add(MatrixOps.mT(x));
      Linalg.Eigh e = Linalg.eigh(a);
      Array v = e.eigenvectors();
      Array w = e.eigenvalues();
      close("V diag(w) V^T = A " + dt, a, v.mul(w.expandDims(1)).matmul(MatrixOps.mT(v)), tol);
      close("V^T V = I " + dt, eye(dt, 7).broadcastTo(3, 7, 7), MatrixOps.mT(v).matmul(v), tol);
      double[] wv = w.astype(DType.F64).toDoubleArray();
      for (int i = 1; i < wv.length; i++) {
        if (i % 7 != 0) {
          assertTrue(wv[i - 1] <= wv[i], "ascending eigenvalues: " + w);
        }
      }
    }
    // repeated eigenvalues: the identity, and a diagonal with a double eigenvalue
    Linalg.Eigh id = Linalg.eigh(eye(DType.F64, 4));
    assertArrayEquals(new double[] {1, 1, 1, 1}, id.eigenvalues().toDoubleArray(), 0);
    Array d = Array.of(DType.F64, new int[] {3, 3}, 2, 0, 0, 0, -1, 0, 0, 0, 2);
    assertArrayEquals(new double[] {-1, 2, 2}, Linalg.eigh(d).eigenvalues().toDoubleArray(), 0);
  }

  @Test
  void eighOfEdgeCasesAndALargerMatrix() {
    assertArrayEquals(new double[] {-3}, Linalg.eigh(Array.of(DType.F64, new int[] {1, 1}, -3)).eigenvalues().toDoubleArray());
    Linalg.Eigh zero = Linalg.eigh(Array.zeros(DType.F64, 3, 3));
    assertArrayEquals(new double[] {0, 0, 0}, zero.eigenvalues().toDoubleArray());
    close("zero matrix: orthonormal vectors", eye(DType.F64, 3), MatrixOps.mT(zero.eigenvectors()).matmul(zero.eigenvectors()), 0);
    Array x = random(DType.F64, 64, 64);
    Array a = x.add(MatrixOps.mT(x));
    Linalg.Eigh e = Linalg.eigh(a);
    Array v = e.eigenvectors();
    close("64x64 V diag(w) V^T = A", a, v.mul(e.eigenvalues().expandDims(0)).matmul(MatrixOps.mT(v)), 1e-12);
    close("64x64 V^T V = I", eye(DType.F64, 64), MatrixOps.mT(v).matmul(v), 1e-12);
    // the trace is the sum of the eigenvalues
    assertEquals(MatrixOps.diagonal(a).sum().doubleValue(), e.eigenvalues().sum().doubleValue(), 1e-10);
    Array nan = Linalg.eigh(Array.of(DType.F64, new int[] {2, 2}, 1, Double.NaN, Double.NaN, 1)).eigenvalues();
    assertTrue(Double.isNaN(nan.toDoubleArray()[0]) && Double.isNaN(nan.toDoubleArray()[1]), "NaN in, NaN out: " + nan);
  }

  @Test
  void eighReadsTheSymmetrizedInput() {
    // jnp.linalg.eigh symmetrizes: (a + a^T) / 2 of [[1, 2], [0, 1]] is [[1, 1], [1, 1]]
    Linalg.Eigh e = Linalg.eigh(Array.of(DType.F64, new int[] {2, 2}, 1, 2, 0, 1));
    assertArrayEquals(new double[] {0, 2}, e.eigenvalues().toDoubleArray(), 1e-14);
  }

  @Test
  void svdReconstructsDescendingWithOrthonormalVectors() {
    for (int[] shape : new int[][] {{5, 5}, {7, 3}, {3, 6}, {2, 6, 4}}) {
      for (DType dt : new DType[] {DType.F64, DType.F32}) {
        double tol = dt == DType.F64 ? 1e-12 : 1e-5;
        Array a = random(dt, shape);
        Linalg.Svd svd = Linalg.svd(a);
        int k = Math.min(shape[shape.length - 2], shape[shape.length - 1]);
        String what = a.aval().toString();
        close("U diag(s) Vh = A " + what, a, svd.u().mul(svd.s().expandDims(svd.s().ndim() - 1)).matmul(svd.vh()), tol);
        Array utu = MatrixOps.mT(svd.u()).matmul(svd.u());
        close("U^T U = I " + what, eye(dt, k).broadcastTo(utu.shape()), utu, tol);
        Array vvt = svd.vh().matmul(MatrixOps.mT(svd.vh()));
        close("Vh Vh^T = I " + what, eye(dt, k).broadcastTo(vvt.shape()), vvt, tol);
        double[] sv = svd.s().astype(DType.F64).toDoubleArray();
        for (int i = 1; i < sv.length; i++) {
          assertTrue(i % k == 0 || sv[i - 1] >= sv[i], "descending: " + svd.s());
        }
      }
    }
    // s^2 are the eigenvalues of A^T A
    Array a = random(DType.F64, 6, 4);
    Array s = Linalg.svdvals(a);
    close("s^2 = eig(A^T A)", Linalg.eigh(MatrixOps.mT(a).matmul(a)).eigenvalues().flip(0), s.square(), 1e-12);
    assertArrayEquals(new double[] {5, 3}, Linalg.svdvals(Array.of(DType.F64, new int[] {2, 2}, 3, 0, 0, -5)).toDoubleArray(), 1e-15);
  }

  @Test
  void svdOfARankDeficientMatrixKeepsOrthonormalVectors() {
    // rank 1: [1 2 3]^T [1 1] ; and the zero matrix
    Array a = Array.of(DType.F64, new int[] {3, 2}, 1, 1, 2, 2, 3, 3);
    Linalg.Svd svd = Linalg.svd(a);
    assertEquals(Math.sqrt(28), svd.s().get(0).doubleValue(), 1e-13);
    assertEquals(0, svd.s().get(1).doubleValue(), 1e-15);
    close("U^T U = I", eye(DType.F64, 2), MatrixOps.mT(svd.u()).matmul(svd.u()), 1e-13);
    close("reconstruction", a, svd.u().mul(svd.s().expandDims(0)).matmul(svd.vh()), 1e-13);
    Linalg.Svd zero = Linalg.svd(Array.zeros(DType.F64, 2, 3));
    assertArrayEquals(new double[] {0, 0}, zero.s().toDoubleArray());
    close("zero: U^T U = I", eye(DType.F64, 2), MatrixOps.mT(zero.u()).matmul(zero.u()), 1e-15);
  }

  // ---- transforms ------------------------------------------------------------------------------

  @Test
  void jitEqualsEager() {
    Array a = spd(DType.F64, 5, 5);
    Array b = random(DType.F64, 5, 2);
    var all = Transforms.jit((Array x, Array y) -> java.util.List.of(Linalg.cholesky(x), Linalg.solve(x, y),
        Linalg.inv(x), Linalg.slogdet(x).logabsdet(), Linalg.qr(x).r(), Linalg.eigh(x).eigenvalues(),
        Linalg.choSolve(Linalg.cholesky(x), y), Linalg.lu(x).lu()));
    var eager = java.util.List.of(Linalg.cholesky(a), Linalg.solve(a, b), Linalg.inv(a), Linalg.slogdet(a).logabsdet(),
        Linalg.qr(a).r(), Linalg.eigh(a).eigenvalues(), Linalg.choSolve(Linalg.cholesky(a), b), Linalg.lu(a).lu());
    var jitted = all.apply(a, b);
    for (int i = 0; i < eager.size(); i++) {
      close("output " + i, eager.get(i), jitted.get(i), 1e-13);
    }
    assertTrue(Transforms.makeJaxpr((Array x) -> Linalg.eigh(x).eigenvalues().sum().add(Linalg.cholesky(x).sum())
        .add(Linalg.qr(x).r().sum()).add(Linalg.solve(x, x).sum()), a).toString()
        .matches("(?s).*eigh\\[.*cholesky .*qr\\[.*lu .*triangular_solve\\[.*"), "jaxpr names as JAX prints them");
  }

  @Test
  void vmapEqualsALoopWithMappedAndUnmappedOperands() {
    Array as = spd(DType.F64, 3, 4, 4);
    Array b = random(DType.F64, 4, 2);
    Array bs = random(DType.F64, 3, 4, 2);
    Array mapped = Transforms.vmap((Array a) -> Linalg.solve(a, b)).apply(as);
    Array both = Transforms.vmap((Array a, Array y) -> Linalg.choSolve(Linalg.cholesky(a), y)).apply(as, bs);
    Array byAxis = Transforms.vmap((Array a, Array y) -> Linalg.triangularSolve(a, y, true, true, false, false), null, 0)
        .apply(as.get(0), bs);
    Array eig = Transforms.vmap((Array a) -> Linalg.eigh(a).eigenvalues().add(Linalg.qr(a).r().sum())
        .add(Linalg.slogdet(a).logabsdet()).add(Linalg.svd(a).u().sum(0))).apply(as);
    // a shared (unmapped) a with batch axes of its own, b mapped: right side and transposed too
    Array a2 = spd(DType.F64, 2, 4, 4);
    Array b2 = random(DType.F64, 3, 2, 5, 4);
    Array right = Transforms.vmap((Array a, Array y) -> Linalg.triangularSolve(a, y, false, true, true, false), null, 0)
        .apply(a2, b2);
    Array b3 = random(DType.F64, 3, 2, 4, 5);
    Array leftT = Transforms.vmap((Array a, Array y) -> Linalg.triangularSolve(a, y, true, false, true, true), null, 0)
        .apply(a2, b3);
    for (int i = 0; i < 3; i++) {
      close("shared a, right side " + i, Linalg.triangularSolve(a2, b2.get(i), false, true, true, false), right.get(i), 1e-12);
      close("shared a, left side " + i, Linalg.triangularSolve(a2, b3.get(i), true, false, true, true), leftT.get(i), 1e-12);
    }
    String folded = Transforms.makeJaxpr((Array y) -> Transforms.vmap((Array v) -> Linalg.solveTriangular(as.get(0), v, true))
        .apply(y), bs).toString();
    assertTrue(folded.contains("f64[4,6] = triangular_solve[") && !folded.contains("broadcast_in_dim"),
        "the shared a is not copied per example; the batch becomes columns of b:\n" + folded);
    // batch axis not in front: vmap over axis 2 of [4, 4, 3]
    Array moved = Transforms.vmap((Array a) -> Linalg.cholesky(a), 2).apply(as.transpose(1, 2, 0));
    for (int i = 0; i < 3; i++) {
      Array a = as.get(i);
      close("solve " + i, Linalg.solve(a, b), mapped.get(i), 1e-12);
      close("choSolve " + i, Linalg.choSolve(Linalg.cholesky(a), bs.get(i)), both.get(i), 1e-12);
      close("unmapped a " + i, Linalg.triangularSolve(as.get(0), bs.get(i), true, true, false, false), byAxis.get(i), 1e-12);
      close("eigh+qr+slogdet+svd " + i, Linalg.eigh(a).eigenvalues().add(Linalg.qr(a).r().sum())
          .add(Linalg.slogdet(a).logabsdet()).add(Linalg.svd(a).u().sum(0)),
          eig.get(i), 1e-12);
      close("cholesky on axis 2 " + i, Linalg.cholesky(a), moved.get(i), 1e-12);
    }
  }

  @Test
  void everyPrimitiveHasAKernelAVjpAndABatchingRule() {
    for (Primitive p : LinalgPrims.all()) {
      assertTrue(CpuKernels.has(p), p + " CPU kernel");
      assertTrue(Vjp.hasRule(p), p + " VJP");
      assertTrue(Batching.hasRule(p), p + " batching rule");
    }
  }

  // ---- errors ----------------------------------------------------------------------------------

  @Test
  void badShapesNameTheOperandsAndTheFix() {
    Array rect = random(DType.F64, 3, 4);
    String notSquare = assertThrows(ShapeError.class, () -> Linalg.cholesky(rect)).getMessage();
    assertTrue(notSquare.contains("Linalg.cholesky") && notSquare.contains("[3,4]") && notSquare.contains("not square"), notSquare);
    String rank = assertThrows(ShapeError.class, () -> Linalg.inv(Array.of(1.0, 2.0))).getMessage();
    assertTrue(rank.contains("rank 1") && rank.contains("[..., m, n]"), rank);
    String mismatch = assertThrows(ShapeError.class, () -> Linalg.solve(random(DType.F64, 3, 3), random(DType.F64, 4, 2)))
        .getMessage();
    assertTrue(mismatch.contains("[3,3]") && mismatch.contains("[4,2]") && mismatch.contains("[..., 3, k]"), mismatch);
    String tri = assertThrows(ShapeError.class,
        () -> Linalg.triangularSolve(random(DType.F64, 3, 3), random(DType.F64, 2, 3), true, true, false, false)).getMessage();
    assertTrue(tri.contains("[3,3]") && tri.contains("[2,3]") && tri.contains("leftSide=false"), tri);
    String batch = assertThrows(ShapeError.class, () -> Linalg.solve(random(DType.F64, 2, 3, 3), random(DType.F64, 4, 3, 1)))
        .getMessage();
    assertTrue(batch.contains("batch axes") && batch.contains("[2,3,3]") && batch.contains("[4,3,1]"), batch);
  }

  @Test
  void emptyMatricesAndEmptyBatchesGiveEmptyResults() {
    assertArrayEquals(new int[] {0, 0}, Linalg.cholesky(Array.zeros(DType.F64, 0, 0)).shape());
    assertArrayEquals(new int[] {0, 2}, Linalg.solve(Array.zeros(DType.F64, 0, 0), Array.zeros(DType.F64, 0, 2)).shape());
    assertEquals(1.0, Linalg.det(Array.zeros(DType.F64, 0, 0)).doubleValue(), "det of the 0 x 0 matrix");
    Linalg.Svd svd = Linalg.svd(Array.zeros(DType.F64, 0, 3));
    assertArrayEquals(new int[] {0, 0}, svd.u().shape());
    assertArrayEquals(new int[] {0, 3}, svd.vh().shape());
    assertArrayEquals(new int[] {0, 4, 4}, Linalg.inv(Array.zeros(DType.F64, 0, 4, 4)).shape());
    assertArrayEquals(new int[] {0, 3}, Linalg.eigh(Array.zeros(DType.F64, 0, 3, 3)).eigenvalues().shape());
  }

  @Test
  void integerInputsAreSolvedInF32() {
    Array a = Array.of(DType.I32, new int[] {2, 2}, 2, 0, 0, 4);
    Array x = Linalg.solve(a, Array.of(DType.I32, new int[] {2}, 2, 2));
    assertEquals(DType.F32, x.dtype());
    assertArrayEquals(new float[] {1, 0.5f}, x.toFloatArray());
  }
}
