package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Aval;
import java.util.Arrays;

/**
 * {@code sort}: per line along the dimension, a stable sort of the first operand in NumPy's order
 * (NaN last, -0.0 == 0.0, u32 unsigned, false &lt; true), every operand permuted alike. 32-bit
 * keys sort as primitive longs {@code (orderedKey << 32) | position} (the position breaks ties,
 * so the result is stable without a stable algorithm or boxing); f64 keys sort boxed positions.
 */
final class Sorting {
  private Sorting() {}

  static void registerAll() {
    CpuKernels.register(ArrayPrims.SORT, (p, in, out) -> {
      Aval a = in[0].aval();
      int axis = p.getInt("dimension");
      int n = a.dim(axis);
      int innerSize = 1;
      for (int d = axis + 1; d < a.rank(); d++) {
        innerSize *= a.dim(d);
      }
      int inner = innerSize;
      int outer = n == 0 || inner == 0 ? 0 : a.size() / (n * inner);
      Object[] results = new Object[in.length];
      for (int k = 0; k < in.length; k++) {
        results[k] = HostArrays.allocate(in[k].aval().dtype(), a.size());
      }
      int[] perm = new int[n];
      long[] packed = a.dtype() == DType.F64 ? null : new long[n];
      Integer[] boxed = a.dtype() == DType.F64 ? new Integer[n] : null;
      for (int o = 0; o < outer; o++) {
        for (int q = 0; q < inner; q++) {
          int base = o * n * inner + q;
          if (packed != null) {
            for (int i = 0; i < n; i++) {
              packed[i] = ((long) orderedKey(in[0], base + i * inner) << 32) | i;
            }
            Arrays.sort(packed);
            for (int i = 0; i < n; i++) {
              perm[i] = (int) packed[i];
            }
          } else {
            double[] keys = in[0].f64();
            for (int i = 0; i < n; i++) {
              boxed[i] = i;
            }
            Arrays.sort(boxed, (i, j) -> compareDoubles(keys[base + i * inner], keys[base + j * inner]));
            for (int i = 0; i < n; i++) {
              perm[i] = boxed[i];
            }
          }
          for (int k = 0; k < in.length; k++) {
            permute(in[k].data(), results[k], perm, base, inner);
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

  /** A signed int whose order is the sort order of a 32-bit key (f32, i32, u32, bool). */
  static int orderedKey(CpuBuffer keys, int i) {
    return switch (keys.data()) {
      case float[] v -> {
        float x = v[i];
        if (Float.isNaN(x)) {
          yield Integer.MAX_VALUE; // after +inf (0x7F800000), every NaN alike
        }
        int bits = Float.floatToRawIntBits(x == 0f ? 0f : x); // -0.0 sorts as 0.0
        yield bits >= 0 ? bits : bits ^ 0x7FFFFFFF; // negative floats: larger magnitude first
      }
      case int[] v -> keys.aval().dtype() == DType.U32 ? v[i] ^ 0x80000000 : v[i];
      case boolean[] v -> v[i] ? 1 : 0;
      default -> throw new IllegalArgumentException("sort: unsupported keys " + keys.aval());
    };
  }

  private static int compareDoubles(double a, double b) {
    boolean an = Double.isNaN(a);
    boolean bn = Double.isNaN(b);
    if (an || bn) {
      return Boolean.compare(an, bn);
    }
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  private static void permute(Object src, Object dst, int[] perm, int base, int inner) {
    switch (src) {
      case float[] s -> {
        float[] d = (float[]) dst;
        for (int i = 0; i < perm.length; i++) {
          d[base + i * inner] = s[base + perm[i] * inner];
        }
      }
      case double[] s -> {
        double[] d = (double[]) dst;
        for (int i = 0; i < perm.length; i++) {
          d[base + i * inner] = s[base + perm[i] * inner];
        }
      }
      case int[] s -> {
        int[] d = (int[]) dst;
        for (int i = 0; i < perm.length; i++) {
          d[base + i * inner] = s[base + perm[i] * inner];
        }
      }
      case boolean[] s -> {
        boolean[] d = (boolean[]) dst;
        for (int i = 0; i < perm.length; i++) {
          d[base + i * inner] = s[base + perm[i] * inner];
        }
      }
      default -> throw new IllegalArgumentException("sort: unsupported operand");
    }
  }
}
