package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Aval;
import java.util.Arrays;

/**
 * {@code sort}: per line along the dimension, a stable sort (TimSort of the positions) of the
 * first operand, NumPy's order (NaN last, -0.0 == 0.0, u32 unsigned, false &lt; true), and every
 * operand permuted alike.
 */
final class Sorting {
  private Sorting() {}

  static void registerAll() {
    CpuKernels.register(ArrayPrims.SORT, (p, in, out) -> {
      Aval a = in[0].aval();
      int axis = p.getInt("dimension");
      int n = a.dim(axis);
      int inner = 1;
      for (int d = axis + 1; d < a.rank(); d++) {
        inner *= a.dim(d);
      }
      int outer = n == 0 || inner == 0 ? 0 : a.size() / (n * inner);
      Object[] results = new Object[in.length];
      for (int k = 0; k < in.length; k++) {
        results[k] = HostArrays.allocate(in[k].aval().dtype(), a.size());
      }
      Integer[] perm = new Integer[n];
      for (int o = 0; o < outer; o++) {
        for (int q = 0; q < inner; q++) {
          int base = o * n * inner + q;
          for (int i = 0; i < n; i++) {
            perm[i] = i;
          }
          int stride = inner;
          Arrays.sort(perm, (i, j) -> compare(in[0], base + i * stride, base + j * stride));
          for (int k = 0; k < in.length; k++) {
            for (int i = 0; i < n; i++) {
              System.arraycopy(in[k].data(), base + perm[i] * inner, results[k], base + i * inner, 1);
            }
          }
        }
      }
      CpuBuffer[] r = new CpuBuffer[in.length];
      for (int k = 0; k < in.length; k++) {
        r[k] = new CpuBuffer(out[k], results[k]);
      }
      return r;
    });
  }

  /** NumPy's sort order; equal keys compare 0 (the sort is stable). */
  static int compare(CpuBuffer keys, int i, int j) {
    return switch (keys.data()) {
      case float[] v -> compareFloats(v[i], v[j]);
      case double[] v -> compareFloats(v[i], v[j]);
      case int[] v -> keys.aval().dtype() == DType.U32 ? Integer.compareUnsigned(v[i], v[j]) : Integer.compare(v[i], v[j]);
      case boolean[] v -> Boolean.compare(v[i], v[j]);
      default -> throw new IllegalArgumentException("sort: unsupported keys " + keys.aval());
    };
  }

  private static int compareFloats(double a, double b) {
    boolean an = Double.isNaN(a);
    boolean bn = Double.isNaN(b);
    if (an || bn) {
      return Boolean.compare(an, bn);
    }
    return a < b ? -1 : (a > b ? 1 : 0);
  }
}
