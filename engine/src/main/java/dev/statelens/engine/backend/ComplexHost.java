package dev.statelens.engine.backend;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;

/**
 * Host-side helpers for {@link DType#C64}: storage is one {@code float[]} of {@code 2 * size}
 * floats, real and imaginary parts interleaved (NumPy's complex64 layout), so a c64 array of
 * shape {@code S} has the bytes of an f32 array of shape {@code S + [2]}.
 */
public final class ComplexHost {
  private ComplexHost() {}

  /** Interleaves two f32 arrays of one length into c64 storage. */
  public static float[] interleave(float[] re, float[] im) {
    float[] out = new float[2 * re.length];
    for (int i = 0; i < re.length; i++) {
      out[2 * i] = re[i];
      out[2 * i + 1] = im[i];
    }
    return out;
  }

  /** The real ({@code part == 0}) or imaginary ({@code part == 1}) parts of c64 storage. */
  public static float[] part(float[] c, int part) {
    float[] out = new float[c.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = c[2 * i + part];
    }
    return out;
  }

  /**
   * {@code convert_element_type} to or from c64, as NumPy/JAX: a real value becomes {@code v+0j}
   * (through f32); c64 to a real dtype keeps the real part (JAX warns and drops the imaginary
   * part); c64 to bool is true where either part is nonzero.
   */
  static Object convert(Object src, DType from, DType to) {
    if (to.isComplex()) {
      float[] re = (float[]) HostArrays.convert(src, from, DType.F32);
      return interleave(re, new float[re.length]);
    }
    float[] c = (float[]) src;
    if (to == DType.BOOL) {
      boolean[] out = new boolean[c.length / 2];
      for (int i = 0; i < out.length; i++) {
        out[i] = c[2 * i] != 0 || c[2 * i + 1] != 0;
      }
      return out;
    }
    return HostArrays.convert(part(c, 0), DType.F32, to);
  }

  /** NumPy's text of a shaped c64 array: {@code [1.+2.j  , 3.-4.5j ]}. */
  static String format(Object data, Aval aval, String sep, int indent) {
    float[] c = (float[]) data;
    int n = aval.size();
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = c[2 * i];
      im[i] = c[2 * i + 1];
    }
    // NumPy formats the real parts together and the imaginary parts together (sign always shown),
    // then moves the imaginary part's right padding after the 'j'
    String[] reText = n == 0 ? new String[0] : NumpyFloats.format(re, DType.F32);
    String[] imText = n == 0 ? new String[0] : NumpyFloats.format(im, DType.F32);
    int imWidth = 0;
    for (int i = 0; i < n; i++) {
      String t = imText[i].stripLeading();
      imText[i] = t.startsWith("-") ? t : "+" + t;
      imWidth = Math.max(imWidth, imText[i].length());
    }
    String[] cells = new String[n];
    int width = 0;
    for (int i = 0; i < n; i++) {
      String t = " ".repeat(imWidth - imText[i].length()) + imText[i];
      String digits = t.stripTrailing();
      cells[i] = reText[i] + digits + "j" + " ".repeat(t.length() - digits.length());
      width = Math.max(width, cells[i].length());
    }
    if (aval.isScalar()) {
      return cells[0].stripTrailing();
    }
    StringBuilder sb = new StringBuilder();
    HostArrays.render(sb, aval.shape(), 0, 0, cells, width, sep, indent, false);
    return sb.toString();
  }

  /** A c64 scalar as Python's str of a complex: {@code (1+2j)}, {@code 0.25j}. */
  public static String scalarStr(float[] c) {
    String im = pythonPart(c[1]) + "j";
    if (c[0] == 0 && 1 / c[0] > 0) {
      return im;
    }
    return "(" + pythonPart(c[0]) + (im.startsWith("-") ? "" : "+") + im + ")";
  }

  /** Python's repr of one part: {@code 1}, {@code 2.5}, {@code 1e-05}, {@code nan}, {@code inf}. */
  private static String pythonPart(float v) {
    String s = HostArrays.pythonFloat(v, true); // Python writes a complex's parts without ".0": (1+2j)
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
