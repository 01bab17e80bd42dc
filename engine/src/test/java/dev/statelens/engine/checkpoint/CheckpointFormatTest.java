package dev.statelens.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.DType;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The .npy header: written byte for byte as np.save writes it (NumPy 2.4), read in its variants. */
class CheckpointFormatTest {

  /** np.save's header for {@code dict}: magic, version 1.0, length, dict, padding, newline. */
  private static byte[] numpyHeader(String dict, int headerLength) {
    String text = dict + " ".repeat(headerLength - 1 - dict.length()) + "\n";
    byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[10 + t.length];
    System.arraycopy(Npy.MAGIC, 0, out, 0, 6);
    out[6] = 1;
    out[8] = (byte) headerLength;
    out[9] = (byte) (headerLength >> 8);
    System.arraycopy(t, 0, out, 10, t.length);
    return out;
  }

  @Test
  void headersAreTheBytesNpSaveWrites() {
    // the dicts and lengths (118 = 128-byte header) printed by np.save in NumPy 2.4.6
    assertArrayEquals(numpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 118),
        Npy.header(DType.F32, new int[] {3}));
    assertArrayEquals(numpyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 118),
        Npy.header(DType.F64, new int[0]));
    assertArrayEquals(numpyHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 0, 3), }", 118),
        Npy.header(DType.I32, new int[] {2, 0, 3}));
    assertArrayEquals(numpyHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (5,), }", 118),
        Npy.header(DType.BOOL, new int[] {5}));
    assertArrayEquals(numpyHeader("{'descr': '<u4', 'fortran_order': False, 'shape': (2, 3), }", 118),
        Npy.header(DType.U32, new int[] {2, 3}));
  }

  @Test
  void everyHeaderEndsOnA64ByteBoundaryWithANewline() {
    int[][] shapes = {{}, {1}, {123456789}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {2147483647, 1, 1}};
    for (int[] shape : shapes) {
      byte[] h = Npy.header(DType.F32, shape);
      assertEquals(0, h.length % 64, java.util.Arrays.toString(shape));
      assertEquals('\n', h[h.length - 1]);
      Npy.Header back = Npy.readHeader(h);
      assertArrayEquals(shape, back.shape());
      assertEquals(h.length, back.dataOffset());
    }
  }

  @Test
  void readsOtherSpellingsOfTheHeader() {
    // keys in another order, double quotes, no trailing comma, Python 2 longs, version 2.0
    Npy.Header h = Npy.readHeader(CheckpointsTest.npy("{\"shape\": (2L, 3L), \"fortran_order\": True, \"descr\": \">u4\"}", new byte[0]));
    assertEquals(DType.U32, h.dtype());
    assertEquals(ByteOrder.BIG_ENDIAN, h.order());
    assertTrue(h.fortranOrder());
    assertArrayEquals(new int[] {2, 3}, h.shape());

    byte[] dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n".getBytes(StandardCharsets.ISO_8859_1);
    var v2 = java.nio.ByteBuffer.allocate(12 + dict.length).order(ByteOrder.LITTLE_ENDIAN);
    v2.put(Npy.MAGIC).put((byte) 2).put((byte) 0).putInt(dict.length).put(dict);
    Npy.Header h2 = Npy.readHeader(v2.array());
    assertEquals(DType.F64, h2.dtype());
    assertFalse(h2.fortranOrder());
    assertEquals(12 + dict.length, h2.dataOffset());
  }

  @Test
  void badHeadersSayWhatIsWrong() {
    assertTrue(message(new byte[] {1, 2, 3}).contains("does not start with the .npy magic"));
    assertTrue(message(CheckpointsTest.npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[0]))
        .contains("structured (record) dtype"));
    assertTrue(message(CheckpointsTest.npy("{'descr': '<f4', 'shape': (1,), }", new byte[0]))
        .contains("lacks one of 'descr', 'fortran_order', 'shape'"));
    assertTrue(message(CheckpointsTest.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", new byte[0]))
        .contains("not a tuple of non-negative ints"));
    String shortData = assertThrows(IllegalArgumentException.class, () -> {
      byte[] npy = CheckpointsTest.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", new byte[8]);
      Npy.readData(Npy.readHeader(npy), npy);
    }).getMessage();
    assertTrue(shortData.contains("needs 12 data bytes, but it holds 8"), shortData);
  }

  private static String message(byte[] npy) {
    return assertThrows(IllegalArgumentException.class, () -> Npy.readHeader(npy)).getMessage();
  }
}
