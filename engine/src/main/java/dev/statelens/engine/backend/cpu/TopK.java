package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Aval;

/**
 * {@code top_k}: per line of the last axis, a selection of the k largest through a bounded
 * min-heap of size k (O(n log k); on random data most elements lose against the heap's root in
 * one comparison, so it is close to one pass), then the heap sorted in place. Lines run in
 * parallel.
 *
 * <p>Order: each element's key is a signed long whose order is {@code sort}'s (NaN largest,
 * {@code -0.0} equal to {@code 0.0}, u32 unsigned, false &lt; true); equal keys rank lower index
 * first. This is the order the former composition (a stable sort of the reversed line) produced,
 * so results are identical to it.
 */
final class TopK {
  private TopK() {}

  /** Lines per parallel part: a line of 1024 is ~1 µs of work, so group them. */
  private static final int GRAIN_ELEMENTS = 16_384;

  static void registerAll() {
    CpuKernels.register(ArrayPrims.TOP_K, (p, in, out) -> {
      CpuBuffer x = in[0];
      Aval a = x.aval();
      int k = p.getInt("k");
      int n = a.dim(a.rank() - 1);
      int lines = lineCount(a);
      Object values = HostArrays.allocate(a.dtype(), lines * k);
      int[] indices = new int[lines * k];
      if (k > 0) {
        Parallel.forRange(lines, Parallel.parts((long) lines * n, GRAIN_ELEMENTS), 1, (from, to) -> {
          long[] lineKeys = new long[n];
          long[] heapKeys = new long[k];
          int[] heapIdx = new int[k];
          for (int line = from; line < to; line++) {
            keys(x, line * n, lineKeys);
            select(lineKeys, k, heapKeys, heapIdx);
            System.arraycopy(heapIdx, 0, indices, line * k, k);
            gather(x.data(), values, line * n, heapIdx, line * k);
          }
        });
      }
      return new CpuBuffer[] {new CpuBuffer(out[0], values), new CpuBuffer(out[1], indices)};
    });
  }

  /** Lines of a shape whose last axis is empty: the product of the other dimensions. */
  private static int lineCount(Aval a) {
    int lines = 1;
    for (int d = 0; d < a.rank() - 1; d++) {
      lines *= a.dim(d);
    }
    return lines;
  }

  /** The ordered keys of one line, from {@code base}: one tight loop per storage type. */
  static void keys(CpuBuffer x, int base, long[] out) {
    int n = out.length;
    switch (x.data()) {
      case float[] v -> {
        for (int i = 0; i < n; i++) {
          out[i] = orderedKey(v[base + i]);
        }
      }
      case double[] v -> {
        for (int i = 0; i < n; i++) {
          out[i] = orderedKey(v[base + i]);
        }
      }
      case int[] v -> {
        long mask = x.aval().dtype() == DType.U32 ? 0xFFFF_FFFFL : -1L; // u32 compares unsigned
        for (int i = 0; i < n; i++) {
          out[i] = v[base + i] & mask;
        }
      }
      case boolean[] v -> {
        for (int i = 0; i < n; i++) {
          out[i] = v[base + i] ? 1 : 0;
        }
      }
      default -> throw new IllegalArgumentException("top_k: unsupported operand " + x.aval()
          + "; top_k takes f32, f64, i32, u32 or bool");
    }
  }

  /** A signed int whose order is sort's order of floats (NaN largest, -0.0 as 0.0). */
  static long orderedKey(float x) {
    if (Float.isNaN(x)) {
      return Integer.MAX_VALUE;
    }
    int bits = Float.floatToRawIntBits(x == 0f ? 0f : x);
    return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
  }

  /** A signed long whose order is sort's order of doubles (NaN largest, -0.0 as 0.0). */
  static long orderedKey(double x) {
    if (Double.isNaN(x)) {
      return Long.MAX_VALUE;
    }
    long bits = Double.doubleToRawLongBits(x == 0.0 ? 0.0 : x);
    return bits >= 0 ? bits : bits ^ 0x7FFF_FFFF_FFFF_FFFFL;
  }

  /** True if (ka, ia) ranks before (kb, ib): a larger key, or an equal key at a lower index. */
  private static boolean before(long ka, int ia, long kb, int ib) {
    return ka > kb || (ka == kb && ia < ib);
  }

  /**
   * The k best of a line's keys into {@code heapIdx} (positions in the line), best first. The heap is a min-heap in rank order: its root is the worst kept element.
   */
  static void select(long[] keys, int k, long[] heapKeys, int[] heapIdx) {
    int n = keys.length;
    for (int i = 0; i < k; i++) {
      heapKeys[i] = keys[i];
      heapIdx[i] = i;
      siftUp(heapKeys, heapIdx, i);
    }
    for (int i = k; i < n; i++) {
      long key = keys[i];
      // a later index never beats an equal key, so only a strictly larger key enters
      if (key > heapKeys[0]) {
        heapKeys[0] = key;
        heapIdx[0] = i;
        siftDown(heapKeys, heapIdx, 0, k);
      }
    }
    // heap sort: repeatedly move the worst to the end, which leaves the best first
    for (int end = k - 1; end > 0; end--) {
      swap(heapKeys, heapIdx, 0, end);
      siftDown(heapKeys, heapIdx, 0, end);
    }
  }

  private static void siftUp(long[] keys, int[] idx, int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(keys[parent], idx[parent], keys[i], idx[i])) {
        return;
      }
      swap(keys, idx, i, parent);
      i = parent;
    }
  }

  private static void siftDown(long[] keys, int[] idx, int i, int size) {
    while (true) {
      int worst = i;
      int l = 2 * i + 1;
      int r = l + 1;
      if (l < size && before(keys[worst], idx[worst], keys[l], idx[l])) {
        worst = l;
      }
      if (r < size && before(keys[worst], idx[worst], keys[r], idx[r])) {
        worst = r;
      }
      if (worst == i) {
        return;
      }
      swap(keys, idx, i, worst);
      i = worst;
    }
  }

  private static void swap(long[] keys, int[] idx, int a, int b) {
    long tk = keys[a];
    keys[a] = keys[b];
    keys[b] = tk;
    int ti = idx[a];
    idx[a] = idx[b];
    idx[b] = ti;
  }

  private static void gather(Object src, Object dst, int base, int[] idx, int at) {
    switch (src) {
      case float[] s -> {
        float[] d = (float[]) dst;
        for (int j = 0; j < idx.length; j++) {
          d[at + j] = s[base + idx[j]];
        }
      }
      case double[] s -> {
        double[] d = (double[]) dst;
        for (int j = 0; j < idx.length; j++) {
          d[at + j] = s[base + idx[j]];
        }
      }
      case int[] s -> {
        int[] d = (int[]) dst;
        for (int j = 0; j < idx.length; j++) {
          d[at + j] = s[base + idx[j]];
        }
      }
      case boolean[] s -> {
        boolean[] d = (boolean[]) dst;
        for (int j = 0; j < idx.length; j++) {
          d[at + j] = s[base + idx[j]];
        }
      }
      default -> throw new IllegalArgumentException("top_k: unsupported operand");
    }
  }
}
