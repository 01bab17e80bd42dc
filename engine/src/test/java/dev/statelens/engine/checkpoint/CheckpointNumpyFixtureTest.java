package dev.statelens.engine.checkpoint;

import static dev.statelens.engine.checkpoint.CheckpointTestArrays.assertSameBits;
import static dev.statelens.engine.checkpoint.CheckpointTestArrays.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Files written by NumPy itself (src/test/resources/checkpoint/make_fixtures.py, committed, so no
 * Python is needed): every dtype, a scalar, a 0-length 3-d array, Fortran order, big-endian and
 * a compressed {@code np.savez_compressed} file.
 */
class CheckpointNumpyFixtureTest {

  static Path fixture(String name) throws Exception {
    return Path.of(CheckpointNumpyFixtureTest.class.getResource("/checkpoint/" + name).toURI());
  }

  @Test
  void loadsWhatNpSavezWrote() throws Exception {
    Map<String, Array> z = Checkpoints.load(fixture("numpy-savez.npz"));
    assertEquals(List.of("f32", "f64", "i32", "u32", "flags", "scalar", "empty", "fortran", "bigendian"),
        List.copyOf(z.keySet()), "np.savez's keyword order");
    assertSameBits(raw(DType.F32, new int[] {5}, new float[] {1.5f, -0.0f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NaN}), z.get("f32"), "f32");
    double[] sevenths = new double[6];
    for (int i = 0; i < 6; i++) {
      sevenths[i] = i / 7.0;
    }
    assertSameBits(raw(DType.F64, new int[] {2, 3}, sevenths), z.get("f64"), "f64");
    assertSameBits(raw(DType.I32, new int[] {1, 2}, new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}), z.get("i32"), "i32");
    assertSameBits(raw(DType.U32, new int[] {3}, new int[] {0, -1, 123}), z.get("u32"), "u32");
    assertSameBits(raw(DType.BOOL, new int[] {3}, new boolean[] {true, false, true}), z.get("flags"), "flags");
    assertSameBits(raw(DType.F32, new int[0], new float[] {3.25f}), z.get("scalar"), "scalar");
    assertSameBits(raw(DType.F32, new int[] {2, 0, 3}, new float[0]), z.get("empty"), "empty");
    int[] counting = new int[24];
    for (int i = 0; i < 24; i++) {
      counting[i] = i;
    }
    assertSameBits(raw(DType.I32, new int[] {2, 3, 4}, counting), z.get("fortran"), "Fortran order read as C order");
    assertSameBits(raw(DType.F64, new int[] {3}, new double[] {1.0, 2.5, -3.0}), z.get("bigendian"), "big-endian");
  }

  @Test
  void restoresACompressedUnnamedArrayIntoALoneArrayTemplate() throws Exception {
    float[] counting = new float[100];
    for (int i = 0; i < 100; i++) {
      counting[i] = i;
    }
    Array x = Checkpoints.restore(fixture("numpy-savez-compressed.npz"), Array.zeros(100));
    assertSameBits(raw(DType.F32, new int[] {100}, counting), x, "arr_0");
  }
}
