package dev.statelens.engine.dtype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HalfFloats;
import org.junit.jupiter.api.Test;

/** f32/f64/int to bf16 and f16 bit for bit, on every edge case of round-to-nearest-even. */
class HalfFloatsTest {

  private static short bf16(int floatBits) {
    return HalfFloats.floatToBf16(Float.intBitsToFloat(floatBits));
  }

  private static void assertBits(int expected, short actual) {
    assertEquals(String.format("0x%04X", expected), String.format("0x%04X", actual & 0xFFFF));
  }

  @Test
  void bf16RoundsToNearestEvenOnTheDroppedHalf() {
    assertBits(0x3F80, bf16(0x3F800000)); // 1.0 exact
    assertBits(0x3F80, bf16(0x3F808000)); // tie, 0x3F80 even: down
    assertBits(0x3F82, bf16(0x3F818000)); // tie, 0x3F81 odd: up
    assertBits(0x3F81, bf16(0x3F808001)); // just above the tie
    assertBits(0x3F80, bf16(0x3F807FFF)); // just below
    assertBits(0xBF82, bf16(0xBF818000)); // negative tie: magnitude rounds the same way
  }

  @Test
  void bf16OverflowGoesToInfinity() {
    assertBits(0x7F7F, bf16(0x7F7F7FFF)); // below the tie above bf16's max: max
    assertBits(0x7F80, bf16(0x7F7F8000)); // tie above the max (odd): infinity
    assertBits(0x7F80, bf16(Float.floatToRawIntBits(Float.MAX_VALUE)));
    assertBits(0xFF80, bf16(Float.floatToRawIntBits(-Float.MAX_VALUE)));
    assertBits(0x7F80, HalfFloats.floatToBf16(Float.POSITIVE_INFINITY));
    assertBits(0xFF80, HalfFloats.floatToBf16(Float.NEGATIVE_INFINITY));
    assertEquals(3.3895314e38f, HalfFloats.bf16ToFloat((short) 0x7F7F));
  }

  @Test
  void bf16NanStaysAQuietNanOfItsSign() {
    assertBits(0x7FC0, bf16(0x7FC00000));
    assertBits(0x7FC0, bf16(0x7FC00001)); // payload below the kept bits: must not become inf
    assertBits(0x7FC0, bf16(0x7F800001)); // signalling NaN with a low payload: quiet NaN, not inf
    assertBits(0x7FC0, bf16(0x7FAB0000)); // payload in the kept bits: XLA's canonical NaN
    assertBits(0xFFC0, bf16(0xFF800001));
    assertTrue(Float.isNaN(HalfFloats.bf16ToFloat((short) 0x7FC0)));
  }

  @Test
  void bf16SignedZeroAndSubnormals() {
    assertBits(0x0000, HalfFloats.floatToBf16(0f));
    assertBits(0x8000, HalfFloats.floatToBf16(-0f));
    assertBits(0x0001, bf16(0x00010000)); // bf16's smallest subnormal, exact
    assertBits(0x0000, bf16(0x00008000)); // half of it: tie to even (0)
    assertBits(0x0002, bf16(0x00018000)); // 1.5 of it: tie to even (2)
    assertBits(0x0001, bf16(0x00008001)); // just above half
    assertBits(0x0000, HalfFloats.floatToBf16(Float.MIN_VALUE));
    assertBits(0x8000, HalfFloats.floatToBf16(-Float.MIN_VALUE));
    assertBits(0x0080, bf16(0x00800000)); // smallest normal
    assertEquals(Float.intBitsToFloat(0x00010000), HalfFloats.bf16ToFloat((short) 1));
  }

  @Test
  void bf16WidensExactlyForEveryPattern() {
    for (int b = 0; b < 0x10000; b++) {
      float f = HalfFloats.bf16ToFloat((short) b);
      if (!Float.isNaN(f)) {
        assertBits(b, HalfFloats.floatToBf16(f));
        assertBits(b, HalfFloats.doubleToBf16(f));
      }
    }
  }

  @Test
  void f16RoundsToNearestEven() {
    assertBits(0x3C00, HalfFloats.floatToF16(1f));
    assertBits(0x3C00, HalfFloats.floatToF16(1f + 0x1p-11f)); // tie, even down
    assertBits(0x3C02, HalfFloats.floatToF16(1f + 3 * 0x1p-11f)); // tie, odd up
    assertBits(0x3C01, HalfFloats.floatToF16(Math.nextUp(1f + 0x1p-11f)));
    assertBits(0x7BFF, HalfFloats.floatToF16(65504f)); // max
    assertBits(0x7BFF, HalfFloats.floatToF16(Math.nextDown(65520f)));
    assertBits(0x7C00, HalfFloats.floatToF16(65520f)); // tie above the max: infinity
    assertBits(0xFC00, HalfFloats.floatToF16(-1e6f));
    assertBits(0x7C00, HalfFloats.floatToF16(Float.POSITIVE_INFINITY));
  }

  @Test
  void f16SubnormalsZeroAndNan() {
    assertBits(0x0001, HalfFloats.floatToF16(0x1p-24f)); // smallest subnormal
    assertBits(0x0000, HalfFloats.floatToF16(0x1p-25f)); // half of it: tie to even
    assertBits(0x0001, HalfFloats.floatToF16(Math.nextUp(0x1p-25f)));
    assertBits(0x0002, HalfFloats.floatToF16(3 * 0x1p-25f)); // 1.5 ulp: tie to even (2)
    assertBits(0x03FF, HalfFloats.floatToF16(0x1p-14f - 0x1p-24f)); // largest subnormal
    assertBits(0x0400, HalfFloats.floatToF16(0x1p-14f)); // smallest normal
    assertBits(0x8000, HalfFloats.floatToF16(-0f));
    assertBits(0x7E00, HalfFloats.floatToF16(Float.NaN));
    assertBits(0x7E00, HalfFloats.floatToF16(Float.intBitsToFloat(0x7F800001)));
    assertBits(0xFE00, HalfFloats.floatToF16(Float.intBitsToFloat(0xFFC00123)));
    assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 1));
    for (int b = 0; b < 0x10000; b++) {
      float f = HalfFloats.f16ToFloat((short) b);
      if (!Float.isNaN(f)) {
        assertBits(b, HalfFloats.floatToF16(f));
        assertBits(b, HalfFloats.doubleToF16(f));
      }
    }
  }

  /** 2,500 float32 patterns (random, ties, subnormals, overflow edges, NaNs) as ml_dtypes/NumPy round them. */
  @Test
  void agreesWithMlDtypesAndNumpyOnAFixture() throws Exception {
    var in = HalfFloatsTest.class.getResourceAsStream("/dtype/half_conversions.txt");
    int checked = 0;
    for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split(" ");
      int floatBits = Integer.parseUnsignedInt(f[0], 16);
      assertBits(Integer.parseInt(f[1], 16), bf16(floatBits));
      if (!f[2].equals("-")) {
        assertBits(Integer.parseInt(f[2], 16), HalfFloats.floatToF16(Float.intBitsToFloat(floatBits)));
      }
      checked++;
    }
    assertEquals(2500, checked);
  }

  @Test
  void fromDoubleRoundsOnceNotThroughFloat() {
    double d = 1 + 0x1p-8 + 0x1p-30; // above bf16's tie; (float) d lands exactly on the tie
    assertBits(0x3F80, HalfFloats.floatToBf16((float) d)); // what double rounding would give
    assertBits(0x3F81, HalfFloats.doubleToBf16(d));
    double e = 1 + 0x1p-11 + 0x1p-40; // the same for f16
    assertBits(0x3C00, HalfFloats.floatToF16((float) e));
    assertBits(0x3C01, HalfFloats.doubleToF16(e));
    assertBits(0xBF81, HalfFloats.doubleToBf16(-d));
    assertBits(0x7F80, HalfFloats.doubleToBf16(1e300));
    assertBits(0x7C00, HalfFloats.doubleToF16(1e300));
    assertBits(0x0000, HalfFloats.doubleToBf16(1e-300));
    assertBits(0x8000, HalfFloats.doubleToBf16(-1e-300));
    assertBits(0x7FC0, HalfFloats.doubleToBf16(Double.NaN));
    // exactly on a tie in double: even
    assertBits(0x3F80, HalfFloats.doubleToBf16(1 + 0x1p-8));
    assertBits(0x3F82, HalfFloats.doubleToBf16(1 + 3 * 0x1p-8));
  }

  @Test
  void astypeUsesTheSameRoundingFromEveryDtype() {
    Array f64 = Array.of(DType.F64, new int[] {2}, 1 + 0x1p-8 + 0x1p-30, -(1 + 0x1p-8 + 0x1p-30));
    assertEquals(1 + 0x1p-7, f64.astype(DType.BF16).toDoubleArray()[0]);
    // 2^24 + 2^16 + 1 is just above bf16's tie; through f32 it would tie twice and round down
    Array i32 = Array.of(DType.I32, new int[] {1}, (1 << 24) + (1 << 16) + 1);
    assertEquals((1 << 24) + (1 << 17), i32.astype(DType.BF16).toDoubleArray()[0]);
    Array u32 = Array.of(DType.U32, new int[] {1}, -1); // 4294967295
    assertEquals(4294967296.0, u32.astype(DType.BF16).toDoubleArray()[0]);
    Array b = Array.of(true, false);
    assertEquals(1.0, b.astype(DType.F16).toFloatArray()[0]);
    // bf16 -> f16 rounds once, from the exact value
    Array big = Array.of(DType.BF16, new int[] {1}, 1e5f);
    assertEquals(Float.POSITIVE_INFINITY, big.astype(DType.F16).toFloatArray()[0]);
    // to integers: truncation toward zero from the 16-bit value
    assertEquals(-2, Array.of(DType.BF16, new int[] {1}, -2.75f).astype(DType.I32).toIntArray()[0]);
  }
}
