package dev.statelens.engine.dtype;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Random;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.HalfFloats;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** bf16/f16 arrays: promotion, the widen-compute-round rule, reductions, matmul, grad, jit, text. */
class SixteenBitFloatsTest {

  private static final DType[] ALL = {DType.BOOL, DType.I32, DType.U32, DType.BF16, DType.F16, DType.F32, DType.F64};

  /**
   * JAX's jnp.promote_types for the engine's dtypes (jax/_src/dtypes.py lattice; i32 with u32 is
   * the engine's documented departure: i32, JAX would widen to i64). Rows and columns in ALL's order.
   */
  private static final String[][] JAX_TABLE = {
      //        bool    i32    u32    bf16    f16    f32    f64
      /*bool*/ {"bool", "i32", "u32", "bf16", "f16", "f32", "f64"},
      /*i32 */ {"i32", "i32", "i32", "bf16", "f16", "f32", "f64"},
      /*u32 */ {"u32", "i32", "u32", "bf16", "f16", "f32", "f64"},
      /*bf16*/ {"bf16", "bf16", "bf16", "bf16", "f32", "f32", "f64"},
      /*f16 */ {"f16", "f16", "f16", "f32", "f16", "f32", "f64"},
      /*f32 */ {"f32", "f32", "f32", "f32", "f32", "f32", "f64"},
      /*f64 */ {"f64", "f64", "f64", "f64", "f64", "f64", "f64"},
  };

  @Test
  void promotionFollowsJaxsLatticeForEveryPair() {
    for (int i = 0; i < ALL.length; i++) {
      for (int j = 0; j < ALL.length; j++) {
        DType want = DType.parse(JAX_TABLE[i][j]);
        assertEquals(want, DType.promote(ALL[i], ALL[j]), ALL[i] + " with " + ALL[j]);
        // and through an operation on arrays
        Array a = Array.zeros(ALL[i], 2);
        Array b = Array.zeros(ALL[j], 2);
        if (!(ALL[i].isBool() && ALL[j].isBool())) {
          assertEquals(want, a.add(b).dtype(), "add of " + ALL[i] + " and " + ALL[j]);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void aJavaNumberKeepsThe16BitDtype(DType d) {
    Array x = Array.of(d, new int[] {2}, 1f, 2f);
    assertEquals(d, x.add(1).dtype());
    assertEquals(d, x.mul(0.1).dtype());
    assertEquals(d, x.pow(2).dtype());
    assertEquals(DType.F32, Array.of(1, 2).mul(0.5).dtype()); // ints with a fraction: the default float
  }

  @Test
  void namesParseAndTheErrorListsThem() {
    assertEquals(DType.BF16, DType.parse("bfloat16"));
    assertEquals(DType.BF16, DType.parse("bf16"));
    assertEquals(DType.F16, DType.parse("float16"));
    assertEquals(DType.F16, DType.parse("f16"));
    assertEquals(2, DType.BF16.byteSize());
    assertTrue(DType.BF16.isFloating() && DType.F16.isFloating());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.parse("half"));
    assertTrue(e.getMessage().contains("bf16") && e.getMessage().contains("float16"), e.getMessage());
  }

  // ---- the widen-compute-round rule ------------------------------------------------------------

  private static float[] randomValues(int n, long seed, float scale) {
    java.util.Random r = new java.util.Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * scale);
    }
    return v;
  }

  /** The rule written out: widen each input (exact), compute in f32, round once. */
  private static short[] reference(DType d, short[] a, short[] b, BinaryOperator<Float> f) {
    short[] out = new short[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = HalfFloats.fromFloat(d, f.apply(HalfFloats.toFloat(d, a[i]), HalfFloats.toFloat(d, b[i])));
    }
    return out;
  }

  private static short[] bits(Array x) {
    return (short[]) dev.statelens.engine.backend.Backends.current().download(x.buffer());
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void arithmeticRoundsEachOperationFromF32(DType d) {
    Array a = Array.of(d, new int[] {500}, randomValues(500, 1, 3));
    Array b = Array.of(d, new int[] {500}, randomValues(500, 2, 3));
    assertArrayEquals(reference(d, bits(a), bits(b), Float::sum), bits(a.add(b)));
    assertArrayEquals(reference(d, bits(a), bits(b), (x, y) -> x - y), bits(a.sub(b)));
    assertArrayEquals(reference(d, bits(a), bits(b), (x, y) -> x * y), bits(a.mul(b)));
    assertArrayEquals(reference(d, bits(a), bits(b), (x, y) -> x / y), bits(a.div(b)));
    assertArrayEquals(reference(d, bits(a), bits(b), Math::max), bits(a.max(b)));
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void everyOpEqualsTheF32OpOfWidenedInputsRoundedOnce(DType d) {
    Array a = Array.of(d, new int[] {4, 64}, randomValues(256, 3, 2));
    Array b = Array.of(d, new int[] {4, 64}, randomValues(256, 4, 2)).abs().add(0.5);
    List<UnaryOperator<Array>> unary = List.of(Array::exp, Array::tanh, Array::sin, Array::neg, Array::abs,
        Array::square, Array::logistic, x -> x.abs().sqrt(), x -> x.abs().log1p(), Array::floor,
        x -> x.sum(1), x -> x.max(0), x -> x.mean(), x -> x.cumsum(1), x -> x.transpose(1, 0),
        x -> x.reshape(64, 4).sliceAxis(0, 2, 10), x -> Array.where(x.gt(0), x, x.mul(0.375)));
    for (int k = 0; k < unary.size(); k++) {
      UnaryOperator<Array> f = unary.get(k);
      Array got = f.apply(a);
      Array want = f.apply(a.astype(DType.F32)).astype(d);
      assertEquals(d, got.dtype());
      assertArrayEquals(bits(want), bits(got), "unary op #" + k);
    }
    List<BinaryOperator<Array>> binary = List.of(Array::pow, Array::atan2, Array::rem,
        Array::min, (x, y) -> x.matmul(y.transpose(1, 0)));
    for (int k = 0; k < binary.size(); k++) {
      BinaryOperator<Array> f = binary.get(k);
      Array got = f.apply(a, b);
      assertArrayEquals(bits(f.apply(a.astype(DType.F32), b.astype(DType.F32)).astype(d)), bits(got), "binary op #" + k);
    }
    // comparisons and argmax on 16-bit values
    assertArrayEquals(a.astype(DType.F32).lt(b.astype(DType.F32)).toBooleanArray(), a.lt(b).toBooleanArray());
    assertArrayEquals(a.astype(DType.F32).argmax(1).toIntArray(), a.argmax(1).toIntArray());
  }

  @Test
  void aChainRoundsAtEveryStepNotOnceAtTheEnd() {
    // 256 + 1 in bf16 is 256 (8 significant bits); (256 + 1) + 1 stays 256, unlike f32's 258
    Array x = Array.full(DType.BF16, new int[] {1}, 256);
    assertEquals(256f, x.add(1).add(1).toFloatArray()[0]);
    Array jitted = Transforms.jit((Array y) -> y.add(1).add(1)).apply(x);
    assertEquals(256f, jitted.toFloatArray()[0]);
  }

  @Test
  void sumsAccumulateInF32AndRoundOnce() {
    Array ones = Array.full(DType.BF16, new int[] {4096}, 1);
    assertEquals(DType.BF16, ones.sum().dtype());
    assertEquals(4096f, ones.sum().floatValue()); // accumulating in bf16 would stop at 256
    assertEquals(1f, ones.mean().floatValue());
    Array rows = Array.full(DType.F16, new int[] {3, 4096}, 1);
    assertArrayEquals(new float[] {4096, 4096, 4096}, rows.sum(1).toFloatArray());
    assertEquals(4096f, Transforms.jit((Array y) -> y.sum()).apply(ones).floatValue());
  }

  // ---- dot_general's preferred_element_type ------------------------------------------------------

  @Test
  void matmulWithPreferredF32IsTheF32MatmulOfWidenedInputs() {
    Array a = Array.of(DType.BF16, new int[] {8, 33}, randomValues(8 * 33, 5, 1));
    Array b = Array.of(DType.BF16, new int[] {33, 5}, randomValues(33 * 5, 6, 1));
    Array mixed = a.matmul(b, DType.F32);
    assertEquals(DType.F32, mixed.dtype());
    Array wide = a.astype(DType.F32).matmul(b.astype(DType.F32));
    assertArrayEquals(wide.toFloatArray(), mixed.toFloatArray());
    // without it the product is rounded to bf16
    assertEquals(DType.BF16, a.matmul(b).dtype());
    assertArrayEquals(bits(wide.astype(DType.BF16)), bits(a.matmul(b)));
    // batched, and f32 x f32 -> f64
    Array a3 = a.reshape(2, 4, 33);
    assertArrayEquals(wide.reshape(2, 4, 5).toFloatArray(), a3.matmul(b, DType.F32).toFloatArray());
    Array f = a.astype(DType.F32);
    Array g = b.astype(DType.F32);
    assertEquals(DType.F64, f.matmul(g, DType.F64).dtype());
    assertArrayEquals(f.astype(DType.F64).matmul(g.astype(DType.F64)).toDoubleArray(),
        f.matmul(g, DType.F64).toDoubleArray());
  }

  @Test
  void preferredElementTypeIsPrintedAndChecked() {
    Array a = Array.zeros(DType.BF16, 2, 3);
    Array b = Array.zeros(DType.BF16, 3, 4);
    String text = Transforms.makeJaxpr((Array x, Array y) -> x.matmul(y, DType.F32), a, b).toString();
    assertTrue(text.contains("preferred_element_type=float32"), text);
    assertTrue(text.contains("bf16[2,3]") && text.contains("f32[2,4]"), text);
    ShapeError narrower = assertThrows(ShapeError.class, () -> a.astype(DType.F32).matmul(b.astype(DType.F32), DType.BF16));
    assertTrue(narrower.getMessage().contains("preferred_element_type"), narrower.getMessage());
    assertThrows(ShapeError.class, () -> a.matmul(b, DType.F16)); // bf16 and f16 do not nest
  }

  // ---- transforms ----------------------------------------------------------------------------------

  @Test
  void gradOfA16BitFunctionIs16Bit() {
    Array x = Array.of(DType.BF16, new int[] {3}, 0.5f, -1.25f, 3f);
    Array g = Transforms.grad((Array p) -> p.mul(p).sum()).apply(x);
    assertEquals(DType.BF16, g.dtype());
    assertArrayEquals(new float[] {1f, -2.5f, 6f}, g.toFloatArray());
    // f32 master params cast to bf16 inside: the gradient comes back f32 (convert's VJP)
    Array master = Array.of(1.1f, -2.3f, 0.7f);
    Array gm = Transforms.grad((Array p) -> p.astype(DType.BF16).square().sum().astype(DType.F32)).apply(master);
    assertEquals(DType.F32, gm.dtype());
    float[] expected = new float[3];
    for (int i = 0; i < 3; i++) {
      float pb = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(master.toFloatArray()[i]));
      expected[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(2 * pb)); // 2*p rounded to bf16, widened
    }
    assertArrayEquals(expected, gm.toFloatArray());
  }

  @Test
  void gradThroughAMixedPrecisionMatmulGivesOperandDtypes() {
    Array w = Array.of(DType.BF16, new int[] {4, 3}, randomValues(12, 7, 1));
    Array x = Array.of(DType.BF16, new int[] {5, 4}, randomValues(20, 8, 1));
    Array gw = Transforms.grad((Array p) -> x.matmul(p, DType.F32).square().sum()).apply(w);
    assertEquals(DType.BF16, gw.dtype());
    // reference: f32 gradient of the widened problem, rounded once to bf16
    Array xf = x.astype(DType.F32);
    Array gf = Transforms.grad((Array p) -> xf.matmul(p).square().sum()).apply(w.astype(DType.F32));
    assertArrayEquals(bits(gf.astype(DType.BF16)), bits(gw));
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void jitGivesTheEagerBits(DType d) {
    Array a = Array.of(d, new int[] {16, 16}, randomValues(256, 9, 2));
    Array b = Array.of(d, new int[] {16, 16}, randomValues(256, 10, 2));
    java.util.function.BiFunction<Array, Array, Array> f = (x, y) ->
        x.mul(y).add(x.exp()).tanh().sub(y.mean(0)).matmul(y, DType.F32).astype(d).sum(1).add(1);
    Array eager = f.apply(a, b);
    var jitted = Transforms.jit(f);
    for (int call = 0; call < 3; call++) { // the second call runs generated code where it applies
      assertArrayEquals(bits(eager), bits(jitted.apply(a, b)));
    }
    Array vm = Transforms.vmap((Array x) -> x.exp().sum()).apply(a);
    assertEquals(d, vm.dtype());
    assertArrayEquals(bits(a.exp().sum(1)), bits(vm));
  }

  @Test
  void controlFlowCarries16BitValues() {
    Array x = Array.of(DType.BF16, new int[] {3}, 1f, 2f, 3f);
    // forI: 256 + 1 per step rounds back to 256 in bf16 at every iteration, in a jitted loop too
    Array acc = Lax.forI(0, 5, (i, c) -> c.add(1), Array.full(DType.BF16, new int[] {1}, 256));
    assertEquals(256f, acc.floatValue());
    Array jitAcc = Transforms.jit((Array c0) -> Lax.forI(0, 5, (i, c) -> c.add(1), c0))
        .apply(Array.full(DType.BF16, new int[] {1}, 256));
    assertEquals(256f, jitAcc.floatValue());
    // scan with a bf16 carry and f32 outputs
    var r = Lax.scan((Array c, Array xi) -> dev.statelens.engine.Pair.of(c.mul(xi), c.astype(DType.F32)),
        Array.scalar(DType.BF16, 1), x);
    assertEquals(DType.BF16, r.first().dtype());
    assertEquals(6f, r.first().floatValue());
    assertArrayEquals(new float[] {1, 1, 2}, r.second().toFloatArray());
    Array picked = Lax.cond(x.sum().gt(5), () -> x.mul(2), () -> x);
    assertEquals(DType.BF16, picked.dtype());
    assertArrayEquals(new float[] {2, 4, 6}, picked.toFloatArray());
  }

  @Test
  void nanCheckingSees16BitNans() {
    dev.statelens.engine.Debug.setDebugNans(true);
    try {
      Array x = Array.of(DType.BF16, new int[] {2}, -1f, 4f);
      assertThrows(dev.statelens.engine.NanError.class, () -> x.sqrt());
    } finally {
      dev.statelens.engine.Debug.setDebugNans(false);
    }
  }

  // ---- text ---------------------------------------------------------------------------------------

  @Test
  void reprShowsValuesLikeJax() {
    assertEquals("Array([1, 2.5, -0.100098], dtype=bfloat16)",
        Array.of(DType.BF16, new int[] {3}, 1f, 2.5f, -0.1f).toString());
    assertEquals("Array(3, dtype=bfloat16)", Array.scalar(DType.BF16, 3).toString());
    assertEquals("Array([ 1. ,  2.5, -0.1], dtype=float16)",
        Array.of(DType.F16, new int[] {3}, 1f, 2.5f, -0.1f).toString());
    assertEquals("Array([inf, nan], dtype=bfloat16)",
        Array.of(DType.BF16, new int[] {2}, Float.POSITIVE_INFINITY, Float.NaN).toString());
    assertArrayEquals(new float[] {1f, 2.5f, HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(-0.1f))},
        Array.of(DType.BF16, new int[] {3}, 1f, 2.5f, -0.1f).toFloatArray());
  }

  // ---- what is refused, with the way around it ----------------------------------------------------

  /** 16-bit sampling is supported since session 9 (SixteenBitRandomTest checks its bits); bitcast is not. */
  @Test
  void bitcastRefuses16BitWithTheFix() {
    Key key = Random.key(0);
    assertEquals(DType.BF16, Random.normal(key, new int[] {2}, DType.BF16).dtype());
    assertThrows(ShapeError.class, () -> Array.zeros(DType.BF16, 2).bitcast(DType.F16));
  }

  /** The GPU generator now computes 16-bit values on the device (backend/gpu SixteenBitKernelsTest checks the numbers). */
  @Test
  void theGpuGeneratorStores16BitAsBitsAndRoundsEachOp() {
    var jaxpr = Transforms.makeJaxpr((Array x) -> x.add(1).mul(x), Array.zeros(DType.BF16, 4));
    var program = dev.statelens.engine.backend.gpu.KernelGenerator.generate(jaxpr);
    assertEquals(List.of(), dev.statelens.engine.backend.gpu.KernelGenerator.hostSteps(program));
    assertTrue(program.source().contains("const unsigned short* __restrict__")
        && program.source().contains("sl_round_bf16(") && program.source().contains("sl_f32_to_bf16("), program.source());
  }

  @Test
  void recordedStatisticsOf16BitLeavesAreThoseOfTheWidenedValues() {
    Array x = Array.of(DType.BF16, new int[] {4}, 1f, -2.5f, Float.NaN, 0.1f);
    var stats = dev.statelens.engine.record.store.LeafStats.of(DType.BF16, new int[] {4},
        dev.statelens.engine.backend.Backends.current().download(x.buffer()), 100);
    var wide = dev.statelens.engine.record.store.LeafStats.of(DType.F32, new int[] {4}, x.toFloatArray(), 100);
    assertEquals(DType.BF16, stats.dtype());
    assertEquals(wide.mean(), stats.mean());
    assertEquals(wide.max(), stats.max());
    assertEquals(1, stats.nan());
    assertArrayEquals(dev.statelens.engine.record.store.LeafStats.decode(DType.F32, wide.values()),
        dev.statelens.engine.record.store.LeafStats.decode(DType.BF16, stats.values()));
  }
}
