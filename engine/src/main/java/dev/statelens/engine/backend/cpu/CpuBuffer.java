package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;

/**
 * A CPU buffer: a host array ({@code float[]}, {@code double[]}, {@code int[]},
 * {@code boolean[]}, {@code short[]} for 16-bit floats) that nobody modifies after construction, so reshapes can share it.
 */
public record CpuBuffer(Aval aval, Object data) implements Buffer {
  public CpuBuffer {
    HostArrays.check(aval, data);
  }

  public float[] f32() {
    return (float[]) data;
  }

  public double[] f64() {
    return (double[]) data;
  }

  /** I32 values or U32 bits. */
  public int[] i32() {
    return (int[]) data;
  }

  /** BF16/F16 bit patterns (see {@link dev.statelens.engine.backend.HalfFloats}). */
  public short[] bits16() {
    return (short[]) data;
  }

  public boolean[] bool() {
    return (boolean[]) data;
  }

  @Override
  public String toString() {
    return "CpuBuffer" + HostArrays.repr(data, aval).substring("Array".length());
  }
}
