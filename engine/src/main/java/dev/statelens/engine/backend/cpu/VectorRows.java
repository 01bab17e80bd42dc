package dev.statelens.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Short f32 rows moved and added a vector at a time, for {@code gather} and {@code scatter_add}
 * along an axis whose rows are a few vectors long (a gnn edge's 16 features): a
 * {@code System.arraycopy} per 16-float row cost ~9 ns, most of it the call; a scalar add loop that
 * short ran mostly in its unvectorized tail. Element for element the same float operations (a
 * lane add is the scalar add). Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorRows {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** True when the rows are on the Vector API (present, 8 float lanes or more). */
  static final boolean AVAILABLE = available();

  private VectorRows() {}

  private static boolean available() {
    if (!Matmul.vectorized()) {
      return false; // also honours -Dstatelens.cpu.vector=false
    }
    try {
      return S.length() >= 8;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** {@code d[dOff + q] = x[xOff + q]} for {@code q < len}. */
  static void copy(float[] x, int xOff, float[] d, int dOff, int len) {
    int q = 0;
    for (; q + S.length() <= len; q += S.length()) {
      FloatVector.fromArray(S, x, xOff + q).intoArray(d, dOff + q);
    }
    for (; q < len; q++) {
      d[dOff + q] = x[xOff + q];
    }
  }

  /** {@code r[rOff + q] += u[uOff + q]} for {@code q < len}. */
  static void add(float[] r, int rOff, float[] u, int uOff, int len) {
    int q = 0;
    for (; q + S.length() <= len; q += S.length()) {
      FloatVector.fromArray(S, r, rOff + q).add(FloatVector.fromArray(S, u, uOff + q)).intoArray(r, rOff + q);
    }
    for (; q < len; q++) {
      r[rOff + q] += u[uOff + q];
    }
  }
}
