package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Prims;
import java.util.List;

/**
 * dot_general: both operands are laid out as [batch, free, contracting] / [batch, contracting,
 * free] (a strided gather when they are not already), then a batched matmul runs ({@link Matmul}:
 * blocked, vectorized and threaded for float types; a plain loop for I32).
 */
final class DotGeneral {
  private DotGeneral() {}

  static void registerAll() {
    CpuKernels.register(Prims.DOT_GENERAL, (p, in, out) -> {
      List<int[]> dn = p.getList("dimension_numbers");
      // preferred_element_type wider than the operands (f32 x f32 -> f64; bf16 arrive widened
      // to f32 by Widen16): the operands are converted exactly and multiplied in the output type
      CpuBuffer l = toDType(in[0], out[0].dtype());
      CpuBuffer r = toDType(in[1], out[0].dtype());
      return one(out[0], dot(l, r, dn.get(0), dn.get(1), dn.get(2), dn.get(3), out[0]));
    });
  }

  private static CpuBuffer toDType(CpuBuffer b, dev.statelens.engine.DType d) {
    if (b.aval().dtype() == d || !d.isFloating()) {
      return b;
    }
    return new CpuBuffer(b.aval().withDType(d),
        dev.statelens.engine.backend.HostArrays.convert(b.data(), b.aval().dtype(), d));
  }

  static Object dot(CpuBuffer lhs, CpuBuffer rhs, int[] lc, int[] rc, int[] lb, int[] rb, Aval out) {
    Aval l = lhs.aval();
    Aval r = rhs.aval();
    int[] lFree = free(l.rank(), lc, lb);
    int[] rFree = free(r.rank(), rc, rb);
    int batch = prod(l, lb);
    int m = prod(l, lFree);
    int k = prod(l, lc);
    int n = prod(r, rFree);
    Object b = Strided.permuted(rhs, concat(rb, rc, rFree));
    if (lb.length == 0 && lhs.data() instanceof float[] at && isIdentity(concat(lc, lFree, new int[0]))) {
      // lhs stored contracting-axes first (a weight gradient's xᵀ g): the kernel packs its columns
      float[] c = Matmul.f32TransposedA(at, (float[]) b, m, k, n);
      if (c != null) {
        return c;
      }
    }
    Object a = Strided.permuted(lhs, concat(lb, lFree, lc));
    return switch (a) {
      case float[] af -> Matmul.f32(af, (float[]) b, batch, m, k, n);
      case double[] ad -> Matmul.f64(ad, (double[]) b, batch, m, k, n);
      case int[] ai -> matmulI32(ai, (int[]) b, batch, m, k, n);
      default -> throw new IllegalArgumentException("dot_general: unsupported dtype " + l.dtype());
    };
  }

  private static int[] free(int rank, int[] contract, int[] batch) {
    int[] f = new int[rank - contract.length - batch.length];
    int j = 0;
    for (int d = 0; d < rank; d++) {
      if (!has(contract, d) && !has(batch, d)) {
        f[j++] = d;
      }
    }
    return f;
  }

  private static boolean isIdentity(int[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  private static boolean has(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static int prod(Aval a, int[] dims) {
    int p = 1;
    for (int d : dims) {
      p *= a.dim(d);
    }
    return p;
  }

  private static int[] concat(int[] a, int[] b, int[] c) {
    int[] r = new int[a.length + b.length + c.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    System.arraycopy(c, 0, r, a.length + b.length, c.length);
    return r;
  }

  static int[] matmulI32(int[] a, int[] b, int batch, int m, int k, int n) {
    int[] c = new int[batch * m * n];
    for (int bt = 0; bt < batch; bt++) {
      int ao = bt * m * k;
      int bo = bt * k * n;
      int co = bt * m * n;
      for (int i = 0; i < m; i++) {
        int crow = co + i * n;
        for (int p = 0; p < k; p++) {
          int av = a[ao + i * k + p];
          int brow = bo + p * n;
          for (int j = 0; j < n; j++) {
            c[crow + j] += av * b[brow + j];
          }
        }
      }
    }
    return c;
  }
}
