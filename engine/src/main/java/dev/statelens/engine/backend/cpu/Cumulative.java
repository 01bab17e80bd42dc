package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;

/**
 * {@code cumsum}, {@code cumprod}, {@code cummax}, {@code cummin}: one sequential pass per line
 * along the axis (O(n); element j combines elements 0..j left to right in the array's own dtype,
 * as a loop would; the GPU kernel does the same, so the bits agree). i32 wraps; max/min
 * propagate NaN as {@code lax.max/min}; u32 compares unsigned.
 */
final class Cumulative {
  private Cumulative() {}

  static void registerAll() {
    CpuKernels.register(ArrayPrims.CUMSUM, (p, in, out) -> one(out[0], scan(p, in[0], Op.SUM)));
    CpuKernels.register(ArrayPrims.CUMPROD, (p, in, out) -> one(out[0], scan(p, in[0], Op.PROD)));
    CpuKernels.register(ArrayPrims.CUMMAX, (p, in, out) -> one(out[0], scan(p, in[0], Op.MAX)));
    CpuKernels.register(ArrayPrims.CUMMIN, (p, in, out) -> one(out[0], scan(p, in[0], Op.MIN)));
  }

  private enum Op { SUM, PROD, MAX, MIN }

  /** One line along the scan's axis: its first element in scan order, the step to the next, its length. */
  interface Line {
    void scan(int first, int step, int n);
  }

  /**
   * Calls {@code line} for every line of {@code a} along {@code p}'s {@code axis}, each starting at
   * the end {@code reverse} names ({@link ComplexKernels}' c64 cumprod walks the same lines).
   */
  static void forEachLine(Params p, Aval a, Line line) {
    int axis = p.getInt("axis");
    boolean reverse = p.getBoolean("reverse");
    int n = a.dim(axis);
    int inner = 1;
    for (int d = axis + 1; d < a.rank(); d++) {
      inner *= a.dim(d);
    }
    int outer = n == 0 || inner == 0 ? 0 : a.size() / (n * inner);
    int step = reverse ? -inner : inner;
    int first = reverse ? (n - 1) * inner : 0;
    for (int o = 0; o < outer; o++) {
      for (int q = 0; q < inner; q++) {
        line.scan(o * n * inner + q + first, step, n);
      }
    }
  }

  private static Object scan(Params p, CpuBuffer x, Op op) {
    boolean u32 = x.aval().dtype() == DType.U32;
    Aval a = x.aval();
    Object r = HostArrays.allocate(a.dtype(), a.size());
    forEachLine(p, a, (first, step, n) -> {
      switch (x.data()) {
        case float[] v -> {
          float[] w = (float[]) r;
          float acc = switch (op) { case SUM -> 0f; case PROD -> 1f; case MAX -> Float.NEGATIVE_INFINITY; case MIN -> Float.POSITIVE_INFINITY; };
          for (int k = 0, at = first; k < n; k++, at += step) {
            acc = switch (op) {
              case SUM -> acc + v[at];
              case PROD -> acc * v[at];
              case MAX -> Math.max(acc, v[at]);
              case MIN -> Math.min(acc, v[at]);
            };
            w[at] = acc;
          }
        }
        case double[] v -> {
          double[] w = (double[]) r;
          double acc = switch (op) { case SUM -> 0; case PROD -> 1; case MAX -> Double.NEGATIVE_INFINITY; case MIN -> Double.POSITIVE_INFINITY; };
          for (int k = 0, at = first; k < n; k++, at += step) {
            acc = switch (op) {
              case SUM -> acc + v[at];
              case PROD -> acc * v[at];
              case MAX -> Math.max(acc, v[at]);
              case MIN -> Math.min(acc, v[at]);
            };
            w[at] = acc;
          }
        }
        case int[] v -> { // i32 and u32 wrap alike
          int[] w = (int[]) r;
          int acc = switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> u32 ? 0 : Integer.MIN_VALUE;
            case MIN -> u32 ? -1 : Integer.MAX_VALUE;
          };
          for (int k = 0, at = first; k < n; k++, at += step) {
            int next = v[at];
            acc = switch (op) {
              case SUM -> acc + next;
              case PROD -> acc * next;
              case MAX -> (u32 ? Integer.compareUnsigned(acc, next) : Integer.compare(acc, next)) >= 0 ? acc : next;
              case MIN -> (u32 ? Integer.compareUnsigned(acc, next) : Integer.compare(acc, next)) <= 0 ? acc : next;
            };
            w[at] = acc;
          }
        }
        default -> throw new IllegalArgumentException("cumulative op on " + a + " (bool is not numeric)");
      }
    });
    return r;
  }

}
