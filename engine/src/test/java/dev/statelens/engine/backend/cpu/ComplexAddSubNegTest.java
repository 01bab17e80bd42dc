package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * c64 add, sub and neg run on the interleaved arrays ({@link ComplexKernels}' own kernels) and give
 * the bits of the per-part path they replaced ({@link ComplexKernels#perPart}: the f32 kernel on the
 * real parts and on the imaginary parts, interleaved): dense and scalar operands on either side,
 * edge values (subnormals are kept by these per-part ops, not flushed), large enough to split over
 * threads.
 */
class ComplexAddSubNegTest {
  private static final float[] EDGES = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -3e-39f, Float.MIN_NORMAL, Float.MAX_VALUE,
      -Float.MAX_VALUE, 3e38f, 2.5f};
  private static final int N = 100_003; // above two elementwise grains: several threads where there are cores

  @Test
  void addSubAndNegGiveThePerPartBits() {
    Random rnd = new Random(28);
    CpuBuffer x = c64(operands(rnd, N), N);
    CpuBuffer y = c64(operands(rnd, N), N);
    for (float re : EDGES) {
      CpuBuffer s = new CpuBuffer(Aval.of(DType.C64), new float[] {re, EDGES[rnd.nextInt(EDGES.length)]});
      for (Primitive p : new Primitive[] {Prims.ADD, Prims.SUB}) {
        same(p + " dense, dense", p, x, y);
        same(p + " dense, scalar " + re, p, x, s);
        same(p + " scalar " + re + ", dense", p, s, y);
        same(p + " scalar, scalar " + re, p, s, s);
      }
      same("neg scalar " + re, Prims.NEG, s);
    }
    same("neg dense", Prims.NEG, x);
  }

  private static void same(String what, Primitive p, CpuBuffer... in) {
    int n = 1;
    for (CpuBuffer b : in) {
      n = Math.max(n, b.aval().size());
    }
    Aval[] out = {n == 1 ? Aval.of(DType.C64) : Aval.of(DType.C64, n)};
    CpuKernel kernel = CpuKernels.lookup(p);
    float[] want = ComplexKernels.perPart(kernel, Params.EMPTY, in, out)[0].f32();
    float[] got = kernel.apply(Params.EMPTY, in, out)[0].f32();
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
        fail(what + ": element " + i / 2 + (i % 2 == 0 ? " re" : " im") + " is " + got[i] + ", per part " + want[i]);
      }
    }
  }

  private static CpuBuffer c64(float[] pairs, int n) {
    return new CpuBuffer(Aval.of(DType.C64, n), pairs);
  }

  /** Interleaved pairs: mostly normal values, one part in eight an edge value. */
  private static float[] operands(Random rnd, int n) {
    float[] v = new float[2 * n];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextInt(8) == 0 ? EDGES[rnd.nextInt(EDGES.length)] : (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 8));
    }
    return v;
  }
}
