package dev.statelens.engine;

import static dev.statelens.engine.HelperChecks.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@code top_k} primitive: bit for bit what the former composition (a stable sort of the
 * reversed line, read backwards) returned, on every dtype, with NaN, signed zeros, ties, k = 0
 * and k = n, on lines that the CPU kernel splits over threads; its jaxpr spelling; its gradient
 * (first and second order), jvp and vmap.
 */
class TopKPrimitiveTest {
  private final Random rnd = new Random(11);

  /** The composition Lax.topK was before the primitive (session 7), kept as the reference. */
  private static Pair<Array, Array> sortComposition(Array x, int k) {
    int axis = x.ndim() - 1;
    int n = x.dim(axis);
    Array iota = Prims.IOTA.bind1(Params.of("dtype", DType.I32, "shape", x.shape(), "dimension", axis));
    Array reversedIndex = iota.rsub(n - 1);
    var sorted = ArrayPrims.SORT.bind(Params.of("dimension", axis, "is_stable", true, "num_keys", 1),
        x.flip(axis), reversedIndex);
    return Pair.of(sorted.get(0).sliceAxis(axis, n - k, n).flip(axis),
        sorted.get(1).sliceAxis(axis, n - k, n).flip(axis));
  }

  /** Same shapes, dtypes, indices, and values bit for bit (NaN payloads and zero signs included). */
  private static void assertSameAsComposition(String what, Array x, int k) {
    Pair<Array, Array> want = sortComposition(x, k);
    Pair<Array, Array> got = Lax.topK(x, k);
    assertEquals(want.first().aval(), got.first().aval(), what + ": values type");
    assertEquals(DType.I32, got.second().dtype(), what + ": indices dtype");
    assertArrayEquals(want.second().shape(), got.second().shape(), what + ": indices shape");
    assertArrayEquals(want.second().toIntArray(), got.second().toIntArray(), what + ": indices");
    assertArrayEquals(bits(want.first()), bits(got.first()), what + ": values");
  }

  private static long[] bits(Array a) {
    return switch (a.dtype()) {
      case F32, BF16, F16 -> {   // 16-bit floats widen to f32 exactly
        float[] v = a.toFloatArray();
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
          r[i] = Float.floatToRawIntBits(v[i]);
        }
        yield r;
      }
      case F64 -> {
        double[] v = a.toDoubleArray();
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
          r[i] = Double.doubleToRawLongBits(v[i]);
        }
        yield r;
      }
      case BOOL -> {
        boolean[] v = a.toBooleanArray();
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
          r[i] = v[i] ? 1 : 0;
        }
        yield r;
      }
      default -> java.util.Arrays.stream(a.toIntArray()).asLongStream().toArray();
    };
  }

  /** Few distinct values (many ties), signed zeros, infinities and NaNs. */
  private float[] awkwardFloats(int size) {
    float[] pool = {0f, -0f, 1f, -1f, 2.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0xFFC00001), Float.MIN_VALUE};   // the second NaN is negative, with a payload
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = pool[rnd.nextInt(pool.length)];
    }
    return v;
  }

  @Test
  void matchesTheSortCompositionOnEveryDtype() {
    int[][] shapes = {{1}, {7}, {3, 9}, {2, 3, 16}, {4, 1}};
    for (int[] shape : shapes) {
      int n = shape[shape.length - 1];
      int size = 1;
      for (int d : shape) {
        size *= d;
      }
      float[] f = awkwardFloats(size);
      double[] d = new double[size];
      int[] ints = new int[size];
      boolean[] bools = new boolean[size];
      for (int i = 0; i < size; i++) {
        d[i] = f[i];
        ints[i] = rnd.nextInt(5) - 2 + (rnd.nextInt(10) == 0 ? Integer.MIN_VALUE : 0);
        bools[i] = rnd.nextBoolean();
      }
      List<Array> xs = List.of(Array.of(DType.F32, shape, f), Array.of(DType.F64, shape, d),
          Array.of(DType.I32, shape, ints), Array.of(DType.I32, shape, ints).astype(DType.U32),
          Array.of(DType.BOOL, shape, bools), random(rnd, shape).astype(DType.F32),
          Array.of(DType.F32, shape, f).astype(DType.BF16), Array.of(DType.F32, shape, f).astype(DType.F16));
      for (Array x : xs) {
        for (int k : new int[] {0, 1, n / 2, n - 1 < 0 ? 0 : n - 1, n}) {
          assertSameAsComposition(x.aval() + " k=" + k, x, k);
        }
      }
    }
  }

  @Test
  void nanIsLargestAndSignedZerosKeepIndexOrder() {
    Array x = Array.of(0f, -0f, Float.NaN, 1f, Float.NaN, -0f, Float.NEGATIVE_INFINITY);
    Pair<Array, Array> r = Lax.topK(x, 7);
    assertArrayEquals(new int[] {2, 4, 3, 0, 1, 5, 6}, r.second().toIntArray());
    float[] v = r.first().toFloatArray();
    assertTrue(Float.isNaN(v[0]) && Float.isNaN(v[1]));
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(v[3]), "0.0 at index 0 comes first");
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(v[4]));
    assertArrayEquals(new int[] {2, 4}, Lax.topK(x, 2).second().toIntArray());
    // ties: lower index first, whatever the value's position in the line
    Array ties = Array.of(DType.F64, new int[] {2, 5}, 3, 3, 1, 3, 0, 0, 0, 0, 0, 0);
    assertArrayEquals(new int[] {0, 1, 3, 0, 1, 2}, Lax.topK(ties, 3).second().toIntArray());
  }

  @Test
  void largeLinesSplitOverThreadsStayIdentical() {
    // 300 lines of 1000: more than one part for the kernel's parallel split
    float[] f = new float[300 * 1000];
    for (int i = 0; i < f.length; i++) {
      f[i] = rnd.nextInt(50) == 0 ? Float.NaN : (float) Math.floor(rnd.nextGaussian() * 20) / 4;
    }
    Array x = Array.of(DType.F32, new int[] {300, 1000}, f);
    for (int k : new int[] {1, 10, 999, 1000}) {
      assertSameAsComposition("[300,1000] k=" + k, x, k);
    }
    assertSameAsComposition("jit-free f64", x.astype(DType.F64), 37);
    Array jitted = Transforms.jit((Array a) -> Lax.topK(a, 10).second()).apply(x);
    assertArrayEquals(sortComposition(x, 10).second().toIntArray(), jitted.toIntArray(), "jit");
  }

  @Test
  void badKIsAClearError() {
    ShapeError e = assertThrows(ShapeError.class, () -> Lax.topK(Array.zeros(2, 3), 4));
    assertTrue(e.getMessage().contains("k=4") && e.getMessage().contains("between 0 and 3"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Lax.topK(Array.zeros(3), -1));
    assertTrue(e.getMessage().contains("k=-1"), e.getMessage());
    // the primitive checks too (bound directly, as a user-defined rule might)
    e = assertThrows(ShapeError.class, () -> ArrayPrims.TOP_K.bind(Params.of("k", 5), Array.zeros(2, 3)));
    assertTrue(e.getMessage().startsWith("top_k: k=5") && e.getMessage().contains("between 0 and 3"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> ArrayPrims.TOP_K.bind(Params.of("k", 0), Array.scalar(1f)));
    assertTrue(e.getMessage().contains("rank-0"), e.getMessage());
  }

  @Test
  void jaxprShowsOneTopKEquation() {
    String text = Transforms.makeJaxpr((Array a) -> Lax.topK(a, 2), Array.zeros(3, 5)).toString();
    assertEquals("{ lambda ; a:f32[3,5]. let b:f32[3,2] c:i32[3,2] = top_k[k=2] a in (b, c) }", text);
  }

  @Test
  void gradientGoesToTheSelectedPositions() {
    Array x = Array.of(DType.F64, new int[] {2, 4}, 1, 4, 2, 3, 7, 7, -1, 0);
    Array g = Transforms.grad((Array a) -> Lax.topK(a, 2).first().mul(Array.of(DType.F64, new int[] {2}, 10, 1)).sum())
        .apply(x);
    assertArrayEquals(new double[] {0, 10, 0, 1, 10, 1, 0, 0}, g.toDoubleArray());
    // jvp: the tangent gathered at the indices
    Array t = Array.of(DType.F64, new int[] {2, 4}, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8);
    Pair<Array, Array> jvp = Transforms.jvp((Array a) -> Lax.topK(a, 3).first(), x, t);
    assertArrayEquals(new double[] {0.2, 0.4, 0.3, 0.5, 0.6, 0.8}, jvp.second().toDoubleArray(), 1e-15);
    // second order: d/dx of grad(sum(top2(x)^2)) . v is 2 v on the selected positions
    Array v = Array.of(DType.F64, new int[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8);
    Array hv = Transforms.grad((Array a) ->
        Transforms.grad((Array b) -> Lax.topK(b, 2).first().square().sum()).apply(a).mul(v).sum()).apply(x);
    assertArrayEquals(new double[] {0, 4, 0, 8, 10, 12, 0, 0}, hv.toDoubleArray(), 1e-12);
    // k = 0 has a zero gradient of the input's shape
    Array g0 = Transforms.grad((Array a) -> Lax.topK(a, 0).first().sum()).apply(x);
    assertArrayEquals(new double[8], g0.toDoubleArray());
    HelperChecks.gradCheck("top_k values", a -> Lax.topK(a.get(0), 3).first(), random(rnd, 3, 2, 6));
  }

  @Test
  void vmapBatchesTheLinesAndItsGradient() {
    Array xs = random(rnd, 4, 3, 6);
    HelperChecks.vmapMatchesLoop("vmap top_k values", a -> Lax.topK(a, 2).first(), xs);
    HelperChecks.vmapMatchesLoop("vmap top_k indices", a -> Lax.topK(a, 2).second().astype(DType.F64), xs);
    HelperChecks.vmapMatchesLoop("vmap of 1-D lines", a -> Lax.topK(a, 4).first(), random(rnd, 5, 6));
    HelperChecks.vmapMatchesLoop("vmap grad", a -> Transforms.grad((Array b) -> Lax.topK(b, 2).first().sum()).apply(a),
        xs);
  }
}
