package dev.statelens.engine.random;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.backend.cpu.CpuBuffer;
import dev.statelens.engine.backend.cpu.CpuKernels;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The two primitives the random functions need beyond the standard ones, named as in JAX so that
 * jaxprs read alike and GPU backends can generate code by name:
 *
 * <ul>
 *   <li>{@code threefry2x32(k1, k2, x1, x2) -> (y1, y2)}: the {@link Threefry} block hash,
 *       elementwise; all operands U32, each rank-0 or of the common shape;
 *   <li>{@code erf_inv(x)}: {@link ErfInv}, elementwise on F32 or F64.
 * </ul>
 *
 * Their CPU kernels are registered when this class initializes, which happens before either
 * primitive can be bound.
 */
public final class RandomPrimitives {

  /** Blocks per parallel chunk of the threefry kernel; smaller requests run on one thread. */
  private static final int PARALLEL_CHUNK = 1 << 16;

  public static final Primitive THREEFRY2X32 =
      new Primitive("threefry2x32", RandomPrimitives::threefryShapes);

  public static final Primitive ERF_INV = new Primitive("erf_inv", RandomPrimitives::erfInvShapes);

  static {
    CpuKernels.register(THREEFRY2X32, (params, in, out) -> threefryKernel(in, out));
    CpuKernels.register(ERF_INV, (params, in, out) -> erfInvKernel(in[0], out[0]));
  }

  private RandomPrimitives() {}

  /** Binds {@code threefry2x32}: two U32 arrays of the operands' common shape. */
  public static List<Array> threefry2x32(Array k1, Array k2, Array x1, Array x2) {
    return THREEFRY2X32.bind(Params.EMPTY, k1, k2, x1, x2);
  }

  /** Binds {@code erf_inv}: the inverse error function, elementwise, as JAX on CPU. */
  public static Array erfInv(Array x) {
    return ERF_INV.bind1(Params.EMPTY, x);
  }

  private static List<Aval> threefryShapes(List<Aval> in, Params params) {
    if (in.size() != 4) {
      throw new ShapeError(
          "threefry2x32: expects (k1, k2, x1, x2), got " + in.size() + " operands");
    }
    Aval shaped = null;
    for (Aval a : in) {
      if (a.dtype() != DType.U32) {
        throw new ShapeError(
            "threefry2x32: operands must be uint32, got " + in
                + "; convert with astype(DType.U32) or bitcast(DType.U32)");
      }
      if (!a.isScalar()) {
        if (shaped != null && !shaped.sameShape(a)) {
          throw new ShapeError(
              "threefry2x32: operand shapes " + shaped.shapeString() + " and " + a.shapeString()
                  + " differ; each operand must be rank-0 or of the common shape");
        }
        shaped = a;
      }
    }
    Aval result = shaped != null ? shaped : in.get(2);
    return List.of(result, result);
  }

  private static List<Aval> erfInvShapes(List<Aval> in, Params params) {
    if (in.size() != 1) {
      throw new ShapeError("erf_inv: expects one operand, got " + in.size());
    }
    Aval x = in.get(0);
    if (!x.dtype().isFloating()) {
      throw new ShapeError(
          "erf_inv: needs a float32 or float64 array, got " + x + "; convert with astype(DType.F32)");
    }
    return List.of(x);
  }

  private static CpuBuffer[] threefryKernel(CpuBuffer[] in, Aval[] out) {
    int n = out[0].size();
    int[] k1 = in[0].i32();
    int[] k2 = in[1].i32();
    int[] x1 = broadcast(in[2].i32(), n);
    int[] x2 = broadcast(in[3].i32(), n);
    int[] y1 = new int[n];
    int[] y2 = new int[n];
    if (k1.length == 1 && k2.length == 1) {
      int key1 = k1[0];
      int key2 = k2[0];
      int chunks = (n + PARALLEL_CHUNK - 1) / PARALLEL_CHUNK;
      IntStream range = IntStream.range(0, chunks);
      (chunks > 1 ? range.parallel() : range)
          .forEach(c -> Threefry.hash(key1, key2, x1, x2, y1, y2,
              c * PARALLEL_CHUNK, Math.min(n, (c + 1) * PARALLEL_CHUNK)));
    } else {
      Threefry.hash(broadcast(k1, n), broadcast(k2, n), x1, x2, y1, y2);
    }
    return new CpuBuffer[] {new CpuBuffer(out[0], y1), new CpuBuffer(out[1], y2)};
  }

  /** A rank-0 operand read as n copies; a full one as is. */
  private static int[] broadcast(int[] words, int n) {
    if (words.length == n) {
      return words;
    }
    int[] copies = new int[n];
    Arrays.fill(copies, words[0]);
    return copies;
  }

  private static CpuBuffer[] erfInvKernel(CpuBuffer x, Aval out) {
    Object result;
    if (out.dtype() == DType.F32) {
      float[] values = new float[out.size()];
      ErfInv.erfInv(x.f32(), values);
      result = values;
    } else {
      double[] values = new double[out.size()];
      ErfInv.erfInv(x.f64(), values);
      result = values;
    }
    return new CpuBuffer[] {new CpuBuffer(out, result)};
  }
}
