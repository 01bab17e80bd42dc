package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Aval;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Transforms.linearTranspose refuses a function that is not linear where JAX 0.10.2's
 * linear_transpose does, and transposes the ones JAX transposes (affine ones included: the
 * constant drops out). Every expected value and refusal is real JAX's, from linear_transpose(f,
 * zeros(3)) applied to ones (bench/gpu/callback_reference.py, "linear_transpose" block).
 */
class LinearTransposeTest {
  private static final Array X = ShapeDtype.of(DType.F32, 3);
  private static final Array ONES = Array.of(1f, 1f, 1f);

  private static float[] transposeOfOnes(Function<Array, Array> f) {
    return Transforms.linearTranspose(f, X).apply(ONES).toFloatArray();
  }

  private static String refusal(Function<Array, Array> f) {
    return assertThrows(IllegalArgumentException.class, () -> Transforms.linearTranspose(f, X).apply(ONES))
        .getMessage();
  }

  @Test
  void aStepWithoutATransposeRuleIsRefusedNamingItItsLineAndTheFix() {
    // JAX: NotImplementedError: Transpose rule (for reverse-mode differentiation) for 'sin' not implemented
    Map<String, Function<Array, Array>> noRule = Map.of("sin", Array::sin, "exp", Array::exp, "tanh", Array::tanh,
        "square", Array::square, "max", x -> x.maximum(0), "abs", Array::abs, "pow", x -> Array.scalar(2).pow(x),
        "reduce_max", x -> x.max(), "sort", x -> x.sort(0), "cumprod", x -> x.cumprod(0));
    noRule.forEach((prim, f) -> {
      String m = refusal(f);
      assertTrue(m.contains("linearTranspose: the function is not linear in its argument: " + prim + " (at "
          + "LinearTransposeTest.java:"), m);
      assertTrue(m.contains("Transpose rule (for reverse-mode differentiation) for '" + prim + "' not implemented"), m);
      assertTrue(m.contains("use Transforms.vjp(fn, x).pullback()"), m);
    });
  }

  @Test
  void operandsThatMustStayConstantAreRefusedWithJaxsReason() {
    // JAX: x * x, x @ x and sign(x) * x fail an AssertionError; x / x: nonlinear div can't be transposed;
    // where(x > 0, x, 0) and x[argmax(x)] fail an AssertionError in the transpose of select_n / gather
    assertTrue(refusal(x -> x.mul(x)).contains("mul (at"), "x*x");
    assertTrue(refusal(x -> x.mul(x)).contains("takes two operands that both depend on the argument"), "x*x");
    assertTrue(refusal(x -> x.sign().mul(x)).contains("mul (at"), "sign*x");
    assertTrue(refusal(x -> x.matmul(x)).contains("dot_general (at"), "x@x");
    assertTrue(refusal(x -> x.div(x)).contains("nonlinear div can't be transposed"), "x/x");
    assertTrue(refusal(x -> Array.scalar(1).div(x)).contains("div (at"), "1/x");
    String where = refusal(x -> Array.where(x.gt(0), x, 0));
    assertTrue(where.contains("select_n (at") && where.contains("chooses by a predicate computed from the argument"), where);
    String take = refusal(x -> x.take(x.argmax()).mul(ONES));
    assertTrue(take.contains("indexes with positions computed from the argument"), take);
  }

  @Test
  void linearAndAffineFunctionsTransposeAsJax() {
    assertArrayEquals(new float[] {1, 1, 1}, transposeOfOnes(x -> x.add(1)), "x + 1: the constant drops out");
    assertArrayEquals(new float[] {2, 2, 2}, transposeOfOnes(x -> x.mul(2).add(1)), "2x + 1");
    assertArrayEquals(new float[] {-1, -1, -1}, transposeOfOnes(x -> Array.scalar(1).sub(x)), "1 - x");
    assertArrayEquals(new float[] {0, 1, 2}, transposeOfOnes(x -> x.mul(Array.arange(3).astype(DType.F32))));
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, transposeOfOnes(x -> x.div(2)), "x / 2");
    assertArrayEquals(new float[] {3, 2, 1}, transposeOfOnes(x -> x.cumsum(0)), "cumsum");
    assertArrayEquals(new float[] {0, 0, 0}, transposeOfOnes(x -> x.sub(x)), "x - x");
    assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f}, 
        Transforms.linearTranspose((Array x) -> x.mean(), X).apply(Array.scalar(1)).toFloatArray(), 1e-7f);
    assertArrayEquals(new float[] {0, 1, 1}, transposeOfOnes(x -> Array.where(Array.arange(3).gt(0), x, 0)));
    assertArrayEquals(new float[] {2, 2, 2}, transposeOfOnes(x -> Array.concatenate(0, x, x).reshape(2, 3).sum(0)));
    assertArrayEquals(new float[] {0, 0.84147096f, 0.9092974f},
        transposeOfOnes(x -> x.mul(Array.arange(3).astype(DType.F32).sin())), 1e-6f);
    // JAX looks only where a cotangent reaches: a dropped sin, and a comparison (bool) made into floats
    assertArrayEquals(new float[] {2, 2, 2}, transposeOfOnes(x -> {
      x.sin();
      return x.mul(2);
    }), "dead sin");
    assertArrayEquals(new float[] {0, 0, 0}, transposeOfOnes(x -> x.gt(0).astype(DType.F32)), "(x > 0) as f32");
    assertArrayEquals(new float[] {2, 0, 1}, transposeOfOnes(x -> x.take(Array.of(DType.I32, new int[] {3}, 0, 0, 2))));
  }

  @Test
  void controlFlowAndCallsAsJax() {
    // JAX: cond with a constant predicate [2, 2, 2]; a predicate from x: AssertionError; sin in a branch: refused
    assertArrayEquals(new float[] {2, 2, 2}, transposeOfOnes(x -> Lax.cond(Array.scalar(DType.BOOL, 1), (Array y) -> y.mul(2),
        (Array y) -> y.neg(), x)));
    assertTrue(refusal(x -> Lax.cond(x.get(0).gt(0), (Array y) -> y.mul(2), (Array y) -> y.neg(), x))
        .contains("cond (at"));
    assertTrue(refusal(x -> Lax.cond(Array.scalar(DType.BOOL, 1), (Array y) -> y.sin(), (Array y) -> y.neg(), x))
        .contains("'sin' not implemented"));
    // JAX: scan(lambda c, a: (c + a, 2 * c), 0., x)[1] -> [4, 2, 0]; with sin(a) in the carry: refused
    assertArrayEquals(new float[] {4, 2, 0}, transposeOfOnes(x -> Lax.scan((Array c, Array a) -> Pair.of(c.add(a),
        c.mul(2)), Array.scalar(0), x).second()));
    assertTrue(refusal(x -> Lax.scan((Array c, Array a) -> Pair.of(c.add(a.sin()), c.mul(2)), Array.scalar(0), x)
        .second()).contains("'sin' not implemented"));
    // JAX: fori_loop(0, 3, lambda i, c: c * 2, x) -> [8, 8, 8] (static bounds: a scan); a while_loop is refused
    assertArrayEquals(new float[] {8, 8, 8}, transposeOfOnes(x -> Lax.forI(0, 3, (Array i, Array c) -> c.mul(2), x)));
    String loop = refusal(x -> Lax.whileLoop((Pair<Array, Array> c) -> c.first().lt(3),
        c -> Pair.of(c.first().add(1), c.second().mul(2)), Pair.of(Array.scalar(DType.I32, 0), x)).second());
    assertTrue(loop.contains("Reverse-mode differentiation does not work for lax.while_loop"), loop);
    // checkpoint: its body is transposed; custom_vjp_call and pure_callback have no transpose, as in JAX
    assertArrayEquals(new float[] {2, 2, 2}, transposeOfOnes(Transforms.checkpoint((Array x) -> x.mul(2))));
    assertTrue(refusal(Transforms.checkpoint((Array x) -> x.sin())).contains("'sin' not implemented"));
    Function<Array, Array> twice = Transforms.customVjp((Array x) -> x.mul(2), (Array x) -> Pair.of(x.mul(2), x),
        (Array res, Array g) -> g.mul(2));
    assertTrue(refusal(twice).contains("'custom_vjp_call' not implemented"));
    String cb = refusal(x -> Transforms.pureCallback(in -> in[0], Aval.of(DType.F32, 3), x));
    assertTrue(cb.contains("pure_callback (at") && cb.contains("Pure callbacks do not support transpose"), cb);
  }

  @Test
  void integerDtypesAreRefusedAsJaxMixedOnes() {
    // JAX: TypeError: linear_transpose only supports [float or complex] -> [float or complex], and
    // integer -> integer functions, but got [dtype('float32')] -> [dtype('int32')].
    var e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.linearTranspose((Array x) -> x.astype(DType.I32), X));
    assertTrue(e.getMessage().contains("got [f32] -> [i32]; cast the argument or the result with astype"), e.getMessage());
    // int -> f32 and bool -> bool too (JAX: "but got [dtype('bool')] -> [dtype('bool')]")
    assertThrows(IllegalArgumentException.class, () -> Transforms.linearTranspose((Array x) -> x.astype(DType.F32), XI));
    var b = assertThrows(IllegalArgumentException.class,
        () -> Transforms.linearTranspose((Array x) -> x, ShapeDtype.of(DType.BOOL, 3)));
    assertTrue(b.getMessage().contains("got [bool] -> [bool]"), b.getMessage());
  }

  private static final Array XI = ShapeDtype.of(DType.I32, 3);

  private static int[] intTranspose(Function<Array, Array> f, Array ct) {
    return Transforms.linearTranspose(f, XI).apply(ct).toIntArray();
  }

  @Test
  void integerFunctionsTransposeInWrappingIntegersAsJax() {
    // real JAX 0.10.2: jax.linear_transpose(f, jnp.zeros(3, jnp.int32))(ct), int32 results
    Array ones = Array.of(DType.I32, new int[] {3}, 1, 1, 1);
    Array oneTwoThree = Array.of(DType.I32, new int[] {3}, 1, 2, 3);
    assertArrayEquals(new int[] {2, 2, 2}, intTranspose(x -> x.mul(2), ones));
    assertArrayEquals(new int[] {1, 1, 1}, intTranspose(x -> x.add(1), ones), "x + 1: the constant drops out");
    assertArrayEquals(new int[] {6, 8, 10}, intTranspose(x -> x.mul(3).add(x.flip(0)), oneTwoThree));
    assertArrayEquals(new int[] {-6, -9, -11}, intTranspose(x -> x.cumsum(0).flip(0).sub(x.sum().mul(2)), oneTwoThree));
    assertArrayEquals(new int[] {2, 0, 1}, intTranspose(x -> x.take(Array.of(DType.I32, new int[] {3}, 0, 0, 2)), ones));
    assertArrayEquals(new int[] {1, 0, 1}, intTranspose(x -> Array.where(Array.of(true, false, true), x, 0), ones));
    assertArrayEquals(new int[] {0, 1, 1}, intTranspose(x -> x.sliceAxis(0, 1, 3), Array.of(DType.I32, new int[] {2}, 1, 1)));
    assertArrayEquals(new int[] {0, 0, 0}, intTranspose(x -> x.sub(x), ones));
    // i32 wraps: 4 * 2^30 is 0, 3 * 2^30 is -2^30
    assertArrayEquals(new int[] {0, 1 << 30, -(1 << 30)},
        intTranspose(x -> x.mul(Array.scalar(DType.I32, 1 << 30)), Array.of(DType.I32, new int[] {3}, 4, 1, 3)));
    // u32 too: 3 * (2^32 - 1) is 2^32 - 3
    Array u = Transforms.linearTranspose((Array x) -> x.mul(Array.scalar(DType.U32, 3)), ShapeDtype.of(DType.U32, 3))
        .apply(Array.of(DType.U32, new int[] {3}, -1, 1, 2));
    assertArrayEquals(new int[] {-3, 3, 6}, u.toIntArray());
    // a pair of outputs: 2 * [1, 1, 1] + broadcast 5
    assertArrayEquals(new int[] {7, 7, 7}, Transforms.linearTranspose((Array x) -> Pair.of(x.mul(2), x.sum()), XI)
        .apply(Pair.of(ones, Array.scalar(DType.I32, 5))).toIntArray());
    // JAX's transpose of an integer dot_general is float0: zeros here
    Array a = Array.arange(6).astype(DType.I32).reshape(2, 3);
    assertArrayEquals(new int[] {0, 0, 0}, intTranspose(x -> a.matmul(x), Array.of(DType.I32, new int[] {2}, 1, 1)));
  }

  @Test
  void integerFunctionsAreRefusedWhereJaxRefusesThem() {
    // JAX: x * x and where(x > 0, x, 0) fail an AssertionError; a cotangent of another dtype a TypeError
    assertTrue(refusalOfInts(x -> x.mul(x)).contains("takes two operands that both depend on the argument"));
    assertTrue(refusalOfInts(x -> Array.where(x.gt(0), x, 0)).contains("chooses by a predicate computed from the argument"));
    var ct = assertThrows(ShapeError.class, () -> Transforms.linearTranspose((Array x) -> x.mul(2), XI).apply(ONES));
    assertTrue(ct.getMessage().contains("takes cotangents of its output's dtype"), ct.getMessage());
    // a scan with an integer carry is refused (JAX's transpose fails an AssertionError on it); a cond
    // with a constant predicate transposes through its branch: JAX 0.10.2 gives [2, 2, 2] and [-1, -1, -1]
    Array ones = Array.of(DType.I32, new int[] {3}, 1, 1, 1);
    assertArrayEquals(new int[] {2, 2, 2}, intTranspose(x -> Lax.cond(
        Array.scalar(DType.BOOL, 1), (Array y) -> y.mul(2), (Array y) -> y.neg(), x), ones));
    assertArrayEquals(new int[] {-1, -1, -1}, intTranspose(x -> Lax.cond(
        Array.scalar(DType.BOOL, 0), (Array y) -> y.mul(2), (Array y) -> y.neg(), x), ones));
    // a constant operand beside the argument (its factor read in the branch): 3 * ct
    Array three = Array.scalar(DType.I32, 3);
    assertArrayEquals(new int[] {3, 3, 3}, intTranspose(x -> Lax.cond(Array.scalar(DType.BOOL, 1),
        (Array y) -> y.mul(three), (Array y) -> y, x), ones));
    String cond = assertThrows(IllegalArgumentException.class, () -> intTranspose(x -> Lax.cond(
        x.get(0).gt(0), (Array y) -> y.mul(2), (Array y) -> y.neg(), x), ones)).getMessage();
    assertTrue(cond.contains("cond"), cond);
    String scan = assertThrows(IllegalArgumentException.class, () -> intTranspose(x -> Lax.scan((Array c, Array a) ->
        Pair.of(c.add(a), c.mul(2)), Array.scalar(DType.I32, 0), x).second(), ones)).getMessage();
    assertTrue(scan.contains("scan (at LinearTransposeTest.java:") && scan.contains("astype(DType.F32)"), scan);
  }

  private static String refusalOfInts(Function<Array, Array> f) {
    return assertThrows(IllegalArgumentException.class, () -> Transforms.linearTranspose(f, XI)).getMessage();
  }

  @Test
  void theFunctionIsTracedOnceAndTheTransposeIsReusable() {
    AtomicInteger traced = new AtomicInteger();
    Function<Array, Array> t = Transforms.linearTranspose((Array x) -> {
      traced.incrementAndGet();
      return x.mul(3).add(x.flip(0));
    }, X);
    assertArrayEquals(new float[] {3 + 3, 6 + 2, 9 + 1}, t.apply(Array.of(1f, 2f, 3f)).toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {4, 4, 4}, t.apply(ONES).toFloatArray(), 1e-6f);
    assertEquals(1, traced.get());
    var e = assertThrows(ShapeError.class, () -> t.apply(Array.of(1f, 2f)));
    assertTrue(e.getMessage().contains("linearTranspose"), e.getMessage());
  }
}
