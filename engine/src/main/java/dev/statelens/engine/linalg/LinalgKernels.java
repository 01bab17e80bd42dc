package dev.statelens.engine.linalg;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.cpu.CpuBuffer;
import dev.statelens.engine.backend.cpu.CpuKernels;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;

/**
 * CPU kernels of {@link LinalgPrims}: each matrix of the batch is copied into a {@code double[]}
 * (row-major), factored by {@link Dense}, and written back in the operand's dtype. F32 is thus
 * computed in F64 and rounded once (more accurate than LAPACK's single-precision routines that
 * XLA calls; docs/decisions.md).
 */
final class LinalgKernels {
  private LinalgKernels() {}

  static void registerAll() {
    CpuKernels.register(LinalgPrims.CHOLESKY, (p, in, out) -> {
      Aval a = in[0].aval();
      int n = a.dim(a.rank() - 1);
      Object r = alloc(out[0]);
      for (int b = 0; b < batches(a); b++) {
        double[] m = read(in[0], b, n * n);
        Dense.cholesky(m, n);
        write(r, out[0].dtype(), b, m);
      }
      return new CpuBuffer[] {new CpuBuffer(out[0], r)};
    });
    CpuKernels.register(LinalgPrims.TRIANGULAR_SOLVE, LinalgKernels::triangularSolve);
    CpuKernels.register(LinalgPrims.LU, (p, in, out) -> {
      Aval a = in[0].aval();
      int m = a.dim(a.rank() - 2);
      int n = a.dim(a.rank() - 1);
      int k = Math.min(m, n);
      Object r = alloc(out[0]);
      int[] pivots = new int[out[1].size()];
      int[] perms = new int[out[2].size()];
      int[] piv = new int[k];
      int[] perm = new int[m];
      for (int b = 0; b < batches(a); b++) {
        double[] x = read(in[0], b, m * n);
        Dense.lu(x, m, n, piv, perm);
        write(r, out[0].dtype(), b, x);
        System.arraycopy(piv, 0, pivots, b * k, k);
        System.arraycopy(perm, 0, perms, b * m, m);
      }
      return new CpuBuffer[] {new CpuBuffer(out[0], r), new CpuBuffer(out[1], pivots), new CpuBuffer(out[2], perms)};
    });
    CpuKernels.register(LinalgPrims.QR, (p, in, out) -> {
      Aval a = in[0].aval();
      int m = a.dim(a.rank() - 2);
      int n = a.dim(a.rank() - 1);
      int kq = out[0].dim(out[0].rank() - 1);
      Object q = alloc(out[0]);
      Object r = alloc(out[1]);
      double[] qb = new double[m * kq];
      double[] rb = new double[kq * n];
      for (int b = 0; b < batches(a); b++) {
        Dense.qr(read(in[0], b, m * n), m, n, kq, qb, rb);
        write(q, out[0].dtype(), b, qb);
        write(r, out[1].dtype(), b, rb);
      }
      return new CpuBuffer[] {new CpuBuffer(out[0], q), new CpuBuffer(out[1], r)};
    });
    CpuKernels.register(LinalgPrims.EIGH, (p, in, out) -> {
      Aval a = in[0].aval();
      int n = a.dim(a.rank() - 1);
      boolean lower = !p.has("lower") || p.getBoolean("lower");
      Object v = alloc(out[0]);
      Object w = alloc(out[1]);
      double[] vb = new double[n * n];
      double[] wb = new double[n];
      for (int b = 0; b < batches(a); b++) {
        Dense.eigh(read(in[0], b, n * n), n, lower, vb, wb);
        write(v, out[0].dtype(), b, vb);
        write(w, out[1].dtype(), b, wb);
      }
      return new CpuBuffer[] {new CpuBuffer(out[0], v), new CpuBuffer(out[1], w)};
    });
    CpuKernels.register(LinalgPrims.SVD, (p, in, out) -> {
      Aval a = in[0].aval();
      int m = a.dim(a.rank() - 2);
      int n = a.dim(a.rank() - 1);
      int k = Math.min(m, n);
      Object s = alloc(out[0]);
      Object u = alloc(out[1]);
      Object vt = alloc(out[2]);
      double[] sb = new double[k];
      double[] ub = new double[m * k];
      double[] vb = new double[k * n];
      for (int b = 0; b < batches(a); b++) {
        Dense.svd(read(in[0], b, m * n), m, n, ub, sb, vb);
        write(s, out[0].dtype(), b, sb);
        write(u, out[1].dtype(), b, ub);
        write(vt, out[2].dtype(), b, vb);
      }
      return new CpuBuffer[] {new CpuBuffer(out[0], s), new CpuBuffer(out[1], u), new CpuBuffer(out[2], vt)};
    });
  }

  private static CpuBuffer[] triangularSolve(Params p, CpuBuffer[] in, Aval[] out) {
    Aval a = in[0].aval();
    Aval bv = in[1].aval();
    int m = a.dim(a.rank() - 1);
    int rows = bv.dim(bv.rank() - 2);
    int cols = bv.dim(bv.rank() - 1);
    boolean left = p.getBoolean("left_side");
    boolean lower = p.getBoolean("lower");
    boolean transpose = p.getBoolean("transpose_a");
    boolean unit = p.getBoolean("unit_diagonal");
    Object r = alloc(out[0]);
    for (int b = 0; b < batches(a); b++) {
      double[] am = read(in[0], b, m * m);
      double[] x = read(in[1], b, rows * cols);
      if (left) {
        Dense.triangularSolveLeft(am, m, x, cols, lower, transpose, unit);
      } else {
        // x op(a) = b  <=>  op(a)^T x^T = b^T
        double[] xt = Dense.transpose(x, rows, cols);
        Dense.triangularSolveLeft(am, m, xt, rows, lower, !transpose, unit);
        x = Dense.transpose(xt, cols, rows);
      }
      write(r, out[0].dtype(), b, x);
    }
    return new CpuBuffer[] {new CpuBuffer(out[0], r)};
  }

  /** The number of matrices: the product of the batch axes. */
  private static int batches(Aval a) {
    int n = 1;
    for (int i = 0; i < a.rank() - 2; i++) {
      n *= a.dim(i);
    }
    return n;
  }

  private static Object alloc(Aval a) {
    return a.dtype() == DType.F64 ? new double[a.size()] : new float[a.size()];
  }

  /** Matrix {@code b} of the batch (of {@code len} elements) as a fresh double[]. */
  private static double[] read(CpuBuffer buf, int b, int len) {
    double[] r = new double[len];
    switch (buf.data()) {
      case double[] d -> System.arraycopy(d, b * len, r, 0, len);
      case float[] f -> {
        for (int i = 0; i < len; i++) {
          r[i] = f[b * len + i];
        }
      }
      default -> throw new IllegalArgumentException("linalg: unsupported operand " + buf.aval());
    }
    return r;
  }

  private static void write(Object target, DType dtype, int b, double[] m) {
    int len = m.length;
    if (target instanceof double[] d) {
      System.arraycopy(m, 0, d, b * len, len);
    } else {
      float[] f = (float[]) target;
      for (int i = 0; i < len; i++) {
        f[b * len + i] = (float) m[i];
      }
    }
  }
}
