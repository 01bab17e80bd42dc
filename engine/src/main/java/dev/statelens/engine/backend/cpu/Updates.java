package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.Elementwise.one;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Primitive;

/**
 * CPU kernels of the functional-update primitives ({@link ArrayPrims}): the scatter family
 * (indices outside {@code [0, n)} drop their update; updates apply in row-major order, so the
 * last duplicate of a {@code scatter} wins) and {@code dynamic_slice}/{@code dynamic_update_slice}
 * (start indices clamped so the block fits).
 */
final class Updates {
  private Updates() {}

  private enum Op { SET, MUL, MIN, MAX }

  static void registerAll() {
    scatter(ArrayPrims.SCATTER, Op.SET);
    scatter(ArrayPrims.SCATTER_MUL, Op.MUL);
    scatter(ArrayPrims.SCATTER_MIN, Op.MIN);
    scatter(ArrayPrims.SCATTER_MAX, Op.MAX);
    CpuKernels.register(ArrayPrims.DYNAMIC_SLICE, (p, in, out) -> {
      Aval x = in[0].aval();
      int[] start = clampedStarts(in, 1, x, out[0].shape());
      int[] strides = Strided.rowMajor(x.shape());
      int base = 0;
      for (int d = 0; d < start.length; d++) {
        base += start[d] * strides[d];
      }
      return one(out[0], Strided.gather(in[0].data(), x.dtype(), out[0].shape(), strides, base));
    });
    CpuKernels.register(ArrayPrims.DYNAMIC_UPDATE_SLICE, (p, in, out) -> dynamicUpdateSlice(in, out, false));
  }

  /**
   * Elements copied from an operand into a fresh output by {@code dynamic_update_slice} and the
   * scatters, and updates done in place instead (see {@link #inPlace}): the check that loop
   * carries are not copied per step ({@code InPlaceUpdateTest}), not a timing.
   */
  static final java.util.concurrent.atomic.LongAdder COPIED_ELEMENTS = new java.util.concurrent.atomic.LongAdder();
  static final java.util.concurrent.atomic.LongAdder IN_PLACE_UPDATES = new java.util.concurrent.atomic.LongAdder();

  /**
   * The kernel of {@code p} that writes into its operand's array (input 0) and returns it as the
   * output, or null when {@code p} has none. Only for operands the caller owns and never reads
   * again ({@link CpuExecutable}'s donation rules).
   */
  static CpuKernel inPlace(Primitive p) {
    if (p == ArrayPrims.DYNAMIC_UPDATE_SLICE) {
      return (params, in, out) -> dynamicUpdateSlice(in, out, true);
    }
    Op op = p == ArrayPrims.SCATTER ? Op.SET : p == ArrayPrims.SCATTER_MUL ? Op.MUL
        : p == ArrayPrims.SCATTER_MIN ? Op.MIN : p == ArrayPrims.SCATTER_MAX ? Op.MAX : null;
    return op == null ? null : (params, in, out) -> scatter(op, params, in, out, true);
  }

  /** The operand's array to write: itself when donated, else a copy. */
  private static Object target(CpuBuffer operand, boolean inPlace) {
    if (inPlace) {
      IN_PLACE_UPDATES.increment();
      return operand.data();
    }
    COPIED_ELEMENTS.add(operand.aval().size());
    return HostArrays.copy(operand.data());
  }

  private static CpuBuffer[] dynamicUpdateSlice(CpuBuffer[] in, Aval[] out, boolean inPlace) {
      Aval x = in[0].aval();
      Aval u = in[1].aval();
      int[] start = clampedStarts(in, 2, x, u.shape());
      Object r = target(in[0], inPlace);
      if (u.size() == 0) {
        return one(out[0], r);
      }
      int rank = x.rank();
      int[] xs = Strided.rowMajor(x.shape());
      int row = rank == 0 ? 1 : u.dim(rank - 1);
      int rows = u.size() / row;
      int[] c = new int[Math.max(rank - 1, 0)]; // the update row's coordinates on the leading axes
      for (int k = 0; k < rows; k++) {
        int dst = rank == 0 ? 0 : start[rank - 1];
        for (int d = 0; d < rank - 1; d++) {
          dst += (start[d] + c[d]) * xs[d];
        }
        System.arraycopy(in[1].data(), k * row, r, dst, row);
        for (int d = rank - 2; d >= 0 && ++c[d] == u.dim(d); d--) {
          c[d] = 0;
        }
      }
      return one(out[0], r);
  }

  /** lax's clamp: each start in {@code [0, dim - size]} (u32 read as unsigned). */
  static int[] clampedStarts(CpuBuffer[] in, int from, Aval x, int[] sizes) {
    int[] s = new int[x.rank()];
    for (int d = 0; d < s.length; d++) {
      CpuBuffer b = in[from + d];
      int raw = b.i32()[0];
      long v = b.aval().dtype() == DType.U32 ? Integer.toUnsignedLong(raw) : raw;
      s[d] = (int) Math.max(0, Math.min((long) x.dim(d) - sizes[d], v));
    }
    return s;
  }

  private static void scatter(Primitive prim, Op op) {
    CpuKernels.register(prim, (p, in, out) -> scatter(op, p, in, out, false));
  }

  private static CpuBuffer[] scatter(Op op, dev.statelens.engine.ir.Params p, CpuBuffer[] in, Aval[] out, boolean inPlace) {
    {
      Aval xa = in[0].aval();
      int axis = p.getInt("axis");
      int n = xa.dim(axis);
      int outer = 1;
      for (int d = 0; d < axis; d++) {
        outer *= xa.dim(d);
      }
      int inner = 1;
      for (int d = axis + 1; d < xa.rank(); d++) {
        inner *= xa.dim(d);
      }
      int[] raw = in[1].i32();
      boolean unsigned = in[1].aval().dtype() == DType.U32;
      int m = raw.length;
      Object r = target(in[0], inPlace);
      Object u = in[2].data();
      boolean u32 = xa.dtype() == DType.U32;
      for (int o = 0; o < outer; o++) {
        for (int j = 0; j < m; j++) {
          long k = unsigned ? Integer.toUnsignedLong(raw[j]) : raw[j];
          if (k < 0 || k >= n) {
            continue; // JAX's default for scatters: an out-of-bounds update is dropped
          }
          int dst = (int) ((o * (long) n + k) * inner);
          int src = (o * m + j) * inner;
          combine(op, r, dst, u, src, inner, u32);
        }
      }
      return one(out[0], r);
    }
  }

  /** {@code r[dst..dst+len) = op(r[dst..], u[src..])}, max/min NaN-propagating as lax.max/min. */
  private static void combine(Op op, Object r, int dst, Object u, int src, int len, boolean u32) {
    if (op == Op.SET) {
      System.arraycopy(u, src, r, dst, len);
      return;
    }
    switch (r) {
      case float[] a -> {
        float[] b = (float[]) u;
        for (int q = 0; q < len; q++) {
          a[dst + q] = switch (op) {
            case MUL -> a[dst + q] * b[src + q];
            case MIN -> Math.min(a[dst + q], b[src + q]);
            default -> Math.max(a[dst + q], b[src + q]);
          };
        }
      }
      case double[] a -> {
        double[] b = (double[]) u;
        for (int q = 0; q < len; q++) {
          a[dst + q] = switch (op) {
            case MUL -> a[dst + q] * b[src + q];
            case MIN -> Math.min(a[dst + q], b[src + q]);
            default -> Math.max(a[dst + q], b[src + q]);
          };
        }
      }
      case int[] a -> {
        int[] b = (int[]) u;
        for (int q = 0; q < len; q++) {
          int x = a[dst + q];
          int y = b[src + q];
          int cmp = u32 ? Integer.compareUnsigned(x, y) : Integer.compare(x, y);
          a[dst + q] = switch (op) {
            case MUL -> x * y; // wraps, i32 and u32 alike
            case MIN -> cmp <= 0 ? x : y;
            default -> cmp >= 0 ? x : y;
          };
        }
      }
      default -> throw new IllegalArgumentException("scatter_" + op.name().toLowerCase() + ": unsupported operand");
    }
  }
}
