package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CPU {@code pad} kernel copies each source row as one run when the last axis has no interior
 * padding: every mix of positive and negative (cropping) low/high padding, interior padding on the
 * other axes, and whole rows cropped away must still put each element where lax.pad puts it
 * (checked against the definition, element by element).
 */
class PadKernelTest {
  @Test
  void paddedArraysPutEveryElementWhereLaxPadDoes() {
    Random rnd = new Random(5);
    int checked = 0;
    for (int trial = 0; trial < 300; trial++) {
      int rank = 1 + trial % 3;
      int[] shape = new int[rank];
      int[] lo = new int[rank];
      int[] hi = new int[rank];
      int[] interior = new int[rank];
      int[] outShape = new int[rank];
      for (int d = 0; d < rank; d++) {
        shape[d] = rnd.nextInt(6);
        interior[d] = d < rank - 1 || trial % 5 == 0 ? rnd.nextInt(3) : 0; // the last axis mostly without
        int span = shape[d] == 0 ? 0 : shape[d] + (shape[d] - 1) * interior[d];
        lo[d] = rnd.nextInt(5) - 2;
        hi[d] = rnd.nextInt(5) - 2;
        if (span + lo[d] + hi[d] < 0) {
          hi[d] = -span - lo[d];
        }
        outShape[d] = span + lo[d] + hi[d];
      }
      int size = 1;
      for (int s : shape) size *= s;
      float[] x = new float[size];
      for (int i = 0; i < size; i++) x[i] = i + 1;
      Array padded = Prims.PAD.bind1(Params.of("low", lo, "high", hi, "interior", interior),
          Array.of(DType.F32, shape, x), Array.scalar(DType.F32, -0.5));
      assertArrayEquals(outShape, padded.shape());
      assertArrayEquals(expected(x, shape, lo, interior, outShape), padded.toFloatArray(),
          java.util.Arrays.toString(shape) + " lo " + java.util.Arrays.toString(lo) + " hi "
              + java.util.Arrays.toString(hi) + " interior " + java.util.Arrays.toString(interior));
      checked++;
    }
    assertEquals(300, checked);
  }

  /** lax.pad by its definition: element idx of x goes to lo + idx * (interior + 1) on each axis, if inside. */
  private static float[] expected(float[] x, int[] shape, int[] lo, int[] interior, int[] outShape) {
    int outSize = 1;
    for (int s : outShape) outSize *= s;
    float[] out = new float[outSize];
    java.util.Arrays.fill(out, -0.5f);
    int rank = shape.length;
    int[] idx = new int[rank];
    for (int i = 0; i < x.length; i++) {
      int off = 0;
      boolean inside = true;
      for (int d = 0; d < rank; d++) {
        int pos = lo[d] + idx[d] * (interior[d] + 1);
        inside &= pos >= 0 && pos < outShape[d];
        off = off * outShape[d] + pos;
      }
      if (inside) {
        out[off] = x[i];
      }
      for (int d = rank - 1; d >= 0 && ++idx[d] == shape[d]; d--) {
        idx[d] = 0;
      }
    }
    return out;
  }
}
