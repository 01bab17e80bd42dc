package dev.statelens.engine.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Cache-blocked matrix multiply on the JDK Vector API (GotoBLAS/BLIS structure): B is packed
 * into KC x NR panels, A into MR x KC panels, and a 4 x (2 vectors) register-blocked micro-kernel
 * does the FMAs. 4 x 2 (8 accumulators) rather than the usual 6 x 2: with 12 accumulators C2 runs
 * out of the 16 AVX2 registers and spills (measured: 39 vs 87 GFLOP/s per core in cache). Only loaded when {@code jdk.incubator.vector} is present ({@link Matmul} checks);
 * nothing else in the engine refers to the incubator module.
 *
 * <p>C (row-major m x n at offset {@code co}) is accumulated into, so it must start zeroed.
 */
final class VectorMatmul {
  private VectorMatmul() {}

  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  static final int MR = 4;
  private static final int FL = FS.length();
  private static final int FNR = 2 * FL;
  private static final int DL = DS.length();
  private static final int DNR = 2 * DL;
  static final int KC = 256;
  static final int MC = 144;
  static final int NC = 2048;

  /** Vector lanes of a float register (0 if the platform has no useful vectors). */
  static int floatLanes() {
    return FL;
  }

  // ---- F32 ---------------------------------------------------------------------------------

  /** C[rowFrom:rowTo, :] += A[rowFrom:rowTo, :] @ B for one batch entry. */
  static void f32Rows(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int n,
      int rowFrom, int rowTo) {
    f32Rows(a, ao, false, b, bo, c, co, m, k, n, rowFrom, rowTo);
  }

  /**
   * {@link #f32Rows} with A given as its transpose ({@code k x m} row-major at {@code ao}) when
   * {@code aTransposed}: a weight gradient {@code xᵀ g} contracts x's leading axes, and packing
   * reads its columns in place instead of a transposed copy being made first. Same panels, same
   * bits.
   */
  static void f32Rows(float[] a, int ao, boolean aTransposed, float[] b, int bo, float[] c, int co, int m, int k,
      int n, int rowFrom, int rowTo) {
    float[] ap = new float[MC * KC];
    float[] bp = new float[KC * roundUp(Math.min(NC, n), FNR)];
    float[] tile = new float[MR * FNR];
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        packB(b, bo, n, pc, kc, jc, nc, bp);
        for (int ic = rowFrom; ic < rowTo; ic += MC) {
          int mc = Math.min(MC, rowTo - ic);
          if (aTransposed) {
            packATransposed(a, ao, m, ic, mc, pc, kc, ap);
          } else {
            packA(a, ao, k, ic, mc, pc, kc, ap);
          }
          for (int jr = 0; jr < nc; jr += FNR) {
            int nr = Math.min(FNR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
              int mr = Math.min(MR, mc - ir);
              kernelF32(kc, ap, ir * kc, bp, jr * kc, c, co + (ic + ir) * n + jc + jr, n, mr, nr, tile);
            }
          }
        }
      }
    }
  }

  /**
   * C[entry] = A[entry] @ B[entry] for entries {@code [from, to)} of a batch of small products
   * (attention's per-head {@code [T, H] x [H, T]}): no A panel and no {@link #MC} x {@link #KC}
   * buffers per call, only B copied once per entry into rows padded to whole {@link #FNR} blocks
   * (when n is not already a multiple). Each element is the FMA chain over p in order from zero,
   * added to the zeroed C, exactly as {@link #kernelF32} computes it for k up to {@link #KC}: the
   * same bits as {@link #f32Rows}, whichever path a product's size picks. A longer k stays one
   * chain (XLA's CPU dot computes small products so; the blocked kernel adds a chain per block).
   */
  static void f32Small(float[] a, float[] b, float[] c, int m, int k, int n, int from, int to) {
    int np = roundUp(n, FNR);
    float[] bp = n == np ? null : new float[k * np];
    float[] tile = new float[MR * FNR];
    for (int e = from; e < to; e++) {
      int ao = e * m * k;
      int co = e * m * n;
      float[] panel = b;
      int po = e * k * n;
      if (bp != null) {
        for (int p = 0; p < k; p++) {
          System.arraycopy(b, po + p * n, bp, p * np, n);
        }
        panel = bp;
        po = 0;
      }
      int i = 0;
      for (; i + MR <= m; i += MR) {
        for (int j = 0; j < n; j += FNR) {
          rowsKernelF32(k, a, ao + i * k, panel, po + j, np, c, co + i * n + j, n, MR, Math.min(FNR, n - j), tile);
        }
      }
      for (; i < m; i++) {
        for (int j = 0; j < n; j += FNR) {
          rowsKernelF32(k, a, ao + i * k, panel, po + j, np, c, co + i * n + j, n, 1, Math.min(FNR, n - j), tile);
        }
      }
    }
  }

  /**
   * {@code c (m x n) = atᵀ b} for {@code at} stored k x m (A transposed, as a weight gradient's
   * activations are) and {@code b} k x n: {@link #f32Small}'s result (each element one FMA chain
   * over p = 0 .. k-1 from zero; c is zero, and a chain from +0 never ends in -0, so storing it is
   * adding it) without transposing A: eight rows of C at once are one vector of A's row p, each
   * column of B a broadcast. Rows past the last whole vector run the same chain in scalar FMAs.
   */
  static void f32SmallTransposedA(float[] at, float[] b, float[] c, int m, int k, int n) {
    float[] lanes = new float[4 * FL];
    int i0 = 0;
    for (; i0 + FL <= m; i0 += FL) {
      for (int j0 = 0; j0 < n; j0 += 4) {
        int cols = Math.min(4, n - j0);
        FloatVector c0 = FloatVector.zero(FS), c1 = FloatVector.zero(FS);
        FloatVector c2 = FloatVector.zero(FS), c3 = FloatVector.zero(FS);
        for (int p = 0; p < k; p++) {
          FloatVector av = FloatVector.fromArray(FS, at, p * m + i0);
          int bi = p * n + j0;
          c0 = av.fma(FloatVector.broadcast(FS, b[bi]), c0);
          if (cols > 1) c1 = av.fma(FloatVector.broadcast(FS, b[bi + 1]), c1);
          if (cols > 2) c2 = av.fma(FloatVector.broadcast(FS, b[bi + 2]), c2);
          if (cols > 3) c3 = av.fma(FloatVector.broadcast(FS, b[bi + 3]), c3);
        }
        c0.intoArray(lanes, 0); c1.intoArray(lanes, FL); c2.intoArray(lanes, 2 * FL); c3.intoArray(lanes, 3 * FL);
        for (int l = 0; l < FL; l++) {
          for (int jj = 0; jj < cols; jj++) {
            c[(i0 + l) * n + j0 + jj] = lanes[jj * FL + l];
          }
        }
      }
    }
    for (int i = i0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float acc = 0;
        for (int p = 0; p < k; p++) {
          acc = Math.fma(at[p * m + i], b[p * n + j], acc);
        }
        c[i * n + j] = acc;
      }
    }
  }

  /**
   * {@link #kernelF32} on unpacked operands: {@code mr} (1 or {@link #MR}) rows of A read in place
   * (row stride k), B rows of stride {@code ldb} padded to {@link #FNR} columns.
   */
  private static void rowsKernelF32(int k, float[] a, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
      int mr, int nr, float[] tile) {
    FloatVector c00 = FloatVector.zero(FS), c01 = FloatVector.zero(FS);
    FloatVector c10 = FloatVector.zero(FS), c11 = FloatVector.zero(FS);
    FloatVector c20 = FloatVector.zero(FS), c21 = FloatVector.zero(FS);
    FloatVector c30 = FloatVector.zero(FS), c31 = FloatVector.zero(FS);
    if (mr == MR) {
      for (int p = 0; p < k; p++) {
        int bi = bo + p * ldb;
        FloatVector b0 = FloatVector.fromArray(FS, b, bi);
        FloatVector b1 = FloatVector.fromArray(FS, b, bi + FL);
        int ai = ao + p;
        FloatVector av = FloatVector.broadcast(FS, a[ai]);
        c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
        av = FloatVector.broadcast(FS, a[ai + k]);
        c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
        av = FloatVector.broadcast(FS, a[ai + 2 * k]);
        c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
        av = FloatVector.broadcast(FS, a[ai + 3 * k]);
        c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
      }
    } else {
      for (int p = 0; p < k; p++) {
        int bi = bo + p * ldb;
        FloatVector av = FloatVector.broadcast(FS, a[ao + p]);
        c00 = av.fma(FloatVector.fromArray(FS, b, bi), c00);
        c01 = av.fma(FloatVector.fromArray(FS, b, bi + FL), c01);
      }
    }
    if (nr == FNR) {
      addRow(c, co, c00, c01);
      if (mr == MR) {
        addRow(c, co + ldc, c10, c11);
        addRow(c, co + 2 * ldc, c20, c21);
        addRow(c, co + 3 * ldc, c30, c31);
      }
      return;
    }
    c00.intoArray(tile, 0); c01.intoArray(tile, FL);
    c10.intoArray(tile, FNR); c11.intoArray(tile, FNR + FL);
    c20.intoArray(tile, 2 * FNR); c21.intoArray(tile, 2 * FNR + FL);
    c30.intoArray(tile, 3 * FNR); c31.intoArray(tile, 3 * FNR + FL);
    for (int r = 0; r < mr; r++) {
      for (int j = 0; j < nr; j++) {
        c[co + r * ldc + j] += tile[r * FNR + j];
      }
    }
  }

  private static void packB(float[] b, int bo, int n, int pc, int kc, int jc, int nc, float[] bp) {
    for (int jr = 0; jr < nc; jr += FNR) {
      int nr = Math.min(FNR, nc - jr);
      int dst = jr * kc;
      for (int p = 0; p < kc; p++) {
        int src = bo + (pc + p) * n + jc + jr;
        System.arraycopy(b, src, bp, dst, nr);
        for (int j = nr; j < FNR; j++) {
          bp[dst + j] = 0;
        }
        dst += FNR;
      }
    }
  }

  private static void packA(float[] a, int ao, int k, int ic, int mc, int pc, int kc, float[] ap) {
    for (int ir = 0; ir < mc; ir += MR) {
      int mr = Math.min(MR, mc - ir);
      int dst = ir * kc;
      for (int r = 0; r < MR; r++) {
        int src = ao + (ic + ir + r) * k + pc;
        if (r < mr) {
          for (int p = 0; p < kc; p++) {
            ap[dst + p * MR + r] = a[src + p];
          }
        } else {
          for (int p = 0; p < kc; p++) {
            ap[dst + p * MR + r] = 0;
          }
        }
      }
    }
  }

  /** {@link #packA} from A's transpose ({@code k x m}): the MR values of one p are adjacent. */
  private static void packATransposed(float[] at, int ao, int m, int ic, int mc, int pc, int kc, float[] ap) {
    for (int ir = 0; ir < mc; ir += MR) {
      int mr = Math.min(MR, mc - ir);
      int dst = ir * kc;
      for (int p = 0; p < kc; p++) {
        int src = ao + (pc + p) * m + ic + ir;
        for (int r = 0; r < MR; r++) {
          ap[dst + p * MR + r] = r < mr ? at[src + r] : 0;
        }
      }
    }
  }

  private static void kernelF32(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
      int mr, int nr, float[] tile) {
    FloatVector c00 = FloatVector.zero(FS), c01 = FloatVector.zero(FS);
    FloatVector c10 = FloatVector.zero(FS), c11 = FloatVector.zero(FS);
    FloatVector c20 = FloatVector.zero(FS), c21 = FloatVector.zero(FS);
    FloatVector c30 = FloatVector.zero(FS), c31 = FloatVector.zero(FS);
    for (int p = 0; p < kc; p++) {
      int bi = bo + p * FNR;
      FloatVector b0 = FloatVector.fromArray(FS, bp, bi);
      FloatVector b1 = FloatVector.fromArray(FS, bp, bi + FL);
      int ai = ao + p * MR;
      FloatVector a = FloatVector.broadcast(FS, ap[ai]);
      c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(FS, ap[ai + 1]);
      c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(FS, ap[ai + 2]);
      c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(FS, ap[ai + 3]);
      c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
    }
    if (mr == MR && nr == FNR) {
      addRow(c, co, c00, c01);
      addRow(c, co + ldc, c10, c11);
      addRow(c, co + 2 * ldc, c20, c21);
      addRow(c, co + 3 * ldc, c30, c31);
      return;
    }
    // edge tile: spill the accumulators and add only the valid part
    c00.intoArray(tile, 0); c01.intoArray(tile, FL);
    c10.intoArray(tile, FNR); c11.intoArray(tile, FNR + FL);
    c20.intoArray(tile, 2 * FNR); c21.intoArray(tile, 2 * FNR + FL);
    c30.intoArray(tile, 3 * FNR); c31.intoArray(tile, 3 * FNR + FL);
    for (int r = 0; r < mr; r++) {
      for (int j = 0; j < nr; j++) {
        c[co + r * ldc + j] += tile[r * FNR + j];
      }
    }
  }

  private static void addRow(float[] c, int at, FloatVector v0, FloatVector v1) {
    FloatVector.fromArray(FS, c, at).add(v0).intoArray(c, at);
    FloatVector.fromArray(FS, c, at + FL).add(v1).intoArray(c, at + FL);
  }

  // ---- F64: the same structure on DoubleVector ----------------------------------------------

  static void f64Rows(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n,
      int rowFrom, int rowTo) {
    double[] ap = new double[MC * KC];
    double[] bp = new double[KC * roundUp(Math.min(NC, n), DNR)];
    double[] tile = new double[MR * DNR];
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        packB(b, bo, n, pc, kc, jc, nc, bp);
        for (int ic = rowFrom; ic < rowTo; ic += MC) {
          int mc = Math.min(MC, rowTo - ic);
          packA(a, ao, k, ic, mc, pc, kc, ap);
          for (int jr = 0; jr < nc; jr += DNR) {
            int nr = Math.min(DNR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
              int mr = Math.min(MR, mc - ir);
              kernelF64(kc, ap, ir * kc, bp, jr * kc, c, co + (ic + ir) * n + jc + jr, n, mr, nr, tile);
            }
          }
        }
      }
    }
  }

  private static void packB(double[] b, int bo, int n, int pc, int kc, int jc, int nc, double[] bp) {
    for (int jr = 0; jr < nc; jr += DNR) {
      int nr = Math.min(DNR, nc - jr);
      int dst = jr * kc;
      for (int p = 0; p < kc; p++) {
        int src = bo + (pc + p) * n + jc + jr;
        System.arraycopy(b, src, bp, dst, nr);
        for (int j = nr; j < DNR; j++) {
          bp[dst + j] = 0;
        }
        dst += DNR;
      }
    }
  }

  private static void packA(double[] a, int ao, int k, int ic, int mc, int pc, int kc, double[] ap) {
    for (int ir = 0; ir < mc; ir += MR) {
      int mr = Math.min(MR, mc - ir);
      int dst = ir * kc;
      for (int r = 0; r < MR; r++) {
        int src = ao + (ic + ir + r) * k + pc;
        if (r < mr) {
          for (int p = 0; p < kc; p++) {
            ap[dst + p * MR + r] = a[src + p];
          }
        } else {
          for (int p = 0; p < kc; p++) {
            ap[dst + p * MR + r] = 0;
          }
        }
      }
    }
  }

  private static void kernelF64(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
      int mr, int nr, double[] tile) {
    DoubleVector c00 = DoubleVector.zero(DS), c01 = DoubleVector.zero(DS);
    DoubleVector c10 = DoubleVector.zero(DS), c11 = DoubleVector.zero(DS);
    DoubleVector c20 = DoubleVector.zero(DS), c21 = DoubleVector.zero(DS);
    DoubleVector c30 = DoubleVector.zero(DS), c31 = DoubleVector.zero(DS);
    for (int p = 0; p < kc; p++) {
      int bi = bo + p * DNR;
      DoubleVector b0 = DoubleVector.fromArray(DS, bp, bi);
      DoubleVector b1 = DoubleVector.fromArray(DS, bp, bi + DL);
      int ai = ao + p * MR;
      DoubleVector a = DoubleVector.broadcast(DS, ap[ai]);
      c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
      a = DoubleVector.broadcast(DS, ap[ai + 1]);
      c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
      a = DoubleVector.broadcast(DS, ap[ai + 2]);
      c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
      a = DoubleVector.broadcast(DS, ap[ai + 3]);
      c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
    }
    if (mr == MR && nr == DNR) {
      addRow(c, co, c00, c01);
      addRow(c, co + ldc, c10, c11);
      addRow(c, co + 2 * ldc, c20, c21);
      addRow(c, co + 3 * ldc, c30, c31);
      return;
    }
    c00.intoArray(tile, 0); c01.intoArray(tile, DL);
    c10.intoArray(tile, DNR); c11.intoArray(tile, DNR + DL);
    c20.intoArray(tile, 2 * DNR); c21.intoArray(tile, 2 * DNR + DL);
    c30.intoArray(tile, 3 * DNR); c31.intoArray(tile, 3 * DNR + DL);
    for (int r = 0; r < mr; r++) {
      for (int j = 0; j < nr; j++) {
        c[co + r * ldc + j] += tile[r * DNR + j];
      }
    }
  }

  private static void addRow(double[] c, int at, DoubleVector v0, DoubleVector v1) {
    DoubleVector.fromArray(DS, c, at).add(v0).intoArray(c, at);
    DoubleVector.fromArray(DS, c, at + DL).add(v1).intoArray(c, at + DL);
  }

  private static int roundUp(int x, int m) {
    return (x + m - 1) / m * m;
  }
}
