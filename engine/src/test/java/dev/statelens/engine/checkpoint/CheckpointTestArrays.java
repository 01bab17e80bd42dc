package dev.statelens.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.Aval;
import java.util.LinkedHashMap;
import java.util.Map;

/** Arrays with exact bits for the checkpoint tests, and a bit-for-bit comparison. */
final class CheckpointTestArrays {
  private CheckpointTestArrays() {}

  /** An array holding exactly {@code host} (no conversion through double, so NaN payloads stay). */
  static Array raw(DType dtype, int[] shape, Object host) {
    return Array.fromBuffer(Backends.current().upload(Aval.of(dtype, shape), host));
  }

  /** A NaN with a payload that a float-to-double-to-float trip could lose, and quiet/sign variants. */
  static final float ODD_NAN_F32 = Float.intBitsToFloat(0x7fc01234);
  static final double ODD_NAN_F64 = Double.longBitsToDouble(0xfff8_0000_dead_beefL);

  /** Every dtype, with the awkward values and shapes: scalar, 0-length, 3-d. */
  static Map<String, Array> everyDtype() {
    Map<String, Array> m = new LinkedHashMap<>();
    m.put("f32", raw(DType.F32, new int[] {8}, new float[] {
        1.5f, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, ODD_NAN_F32, Float.MIN_VALUE}));
    m.put("f64", raw(DType.F64, new int[] {2, 3}, new double[] {
        Math.PI, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, ODD_NAN_F64, Double.MIN_VALUE}));
    m.put("i32", raw(DType.I32, new int[] {2, 1, 2}, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}));
    m.put("u32", raw(DType.U32, new int[] {3}, new int[] {0, -1, 0x8000_0000}));
    m.put("bool", raw(DType.BOOL, new int[] {2, 2}, new boolean[] {true, false, false, true}));
    m.put("scalar", raw(DType.F32, new int[0], new float[] {-2.75f}));
    m.put("empty", raw(DType.F32, new int[] {0}, new float[0]));
    m.put("empty3d", raw(DType.I32, new int[] {2, 0, 3}, new int[0]));
    m.put("cube", raw(DType.F64, new int[] {2, 3, 4}, cube()));
    return m;
  }

  private static double[] cube() {
    double[] d = new double[24];
    for (int i = 0; i < d.length; i++) {
      d[i] = i * 1.25 - 7;
    }
    return d;
  }

  /** Same dtype, shape and bits (raw float bits: NaN payloads and the sign of zero count). */
  static void assertSameBits(Array expected, Array actual, String what) {
    assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    switch (expected.dtype()) {
      case F32 -> {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
          assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), what + "[" + i + "]");
        }
      }
      case F64 -> {
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
          assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), what + "[" + i + "]");
        }
      }
      case I32, U32 -> assertArrayEquals(expected.toIntArray(), actual.toIntArray(), what);
      case BOOL -> assertArrayEquals(expected.toBooleanArray(), actual.toBooleanArray(), what);
    }
  }
}
