package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;

/**
 * {@code cumsum} and {@code cumprod}: one sequential pass per line along the axis (O(n), exact in
 * the sense that element j is the left-to-right sum of elements 0..j in the array's own dtype, as
 * a loop would compute it; the GPU kernel adds in the same order). i32 wraps.
 */
final class Cumulative {
  private Cumulative() {}

  static void registerAll() {
    CpuKernels.register(ArrayPrims.CUMSUM, (p, in, out) -> one(out[0], scan(p, in[0], false)));
    CpuKernels.register(ArrayPrims.CUMPROD, (p, in, out) -> one(out[0], scan(p, in[0], true)));
  }

  private static Object scan(Params p, CpuBuffer x, boolean product) {
    Aval a = x.aval();
    int axis = p.getInt("axis");
    boolean reverse = p.getBoolean("reverse");
    int n = a.dim(axis);
    int inner = 1;
    for (int d = axis + 1; d < a.rank(); d++) {
      inner *= a.dim(d);
    }
    int outer = n == 0 || inner == 0 ? 0 : a.size() / (n * inner);
    Object r = HostArrays.allocate(a.dtype(), a.size());
    for (int o = 0; o < outer; o++) {
      for (int q = 0; q < inner; q++) {
        int base = o * n * inner + q;
        int first = reverse ? n - 1 : 0;
        int step = reverse ? -inner : inner;
        switch (x.data()) {
          case float[] v -> {
            float[] w = (float[]) r;
            float acc = product ? 1f : 0f;
            for (int k = 0, at = base + first * inner; k < n; k++, at += step) {
              acc = product ? acc * v[at] : acc + v[at];
              w[at] = acc;
            }
          }
          case double[] v -> {
            double[] w = (double[]) r;
            double acc = product ? 1 : 0;
            for (int k = 0, at = base + first * inner; k < n; k++, at += step) {
              acc = product ? acc * v[at] : acc + v[at];
              w[at] = acc;
            }
          }
          case int[] v -> { // i32 and u32 wrap alike
            int[] w = (int[]) r;
            int acc = product ? 1 : 0;
            for (int k = 0, at = base + first * inner; k < n; k++, at += step) {
              acc = product ? acc * v[at] : acc + v[at];
              w[at] = acc;
            }
          }
          default -> throw new IllegalArgumentException("cumulative op on " + a + " (bool is not numeric)");
        }
      }
    }
    return r;
  }

}
