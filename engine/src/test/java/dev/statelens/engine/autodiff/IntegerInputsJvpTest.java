package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Pair;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Transforms;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Forward mode with integer and bool inputs, as JAX 0.10.2 and with this engine's stand-in for
 * {@code float0} (zeros of the leaf's own dtype, docs/decisions.md): {@code jvp} and
 * {@code linearize} take such zeros as an integer leaf's tangent, {@code jacrevAllowInt} gives the
 * leaf zeros (JAX's {@code jacrev(allow_int=True)} gives int32 zeros too), {@code jacfwd} and
 * {@code hessian} refuse integer inputs (JAX has no {@code allow_int} there). The values are real
 * JAX's, printed by {@code jax.jvp(f, ((x, n),), ((ones, np.zeros(3, float0)),))}; the bit-for-bit
 * comparison is the {@code intinputs/} reference cases (bench/gpu/int_inputs_reference.py).
 */
class IntegerInputsJvpTest {
  record State(Array x, Array n) {}

  /** {@code x * n + float(n)}: JAX at x = [1, 2, 3], n = [2, 3, 4] gives [4, 9, 16], tangent [2, 3, 4]. */
  static Array f(State s) {
    return s.x().mul(s.n()).add(s.n().astype(DType.F32));
  }

  static final State AT = new State(Array.of(1f, 2f, 3f), Array.of(2, 3, 4));
  static final State DIRECTION = new State(Array.of(1f, 1f, 1f), Array.zeros(DType.I32, 3));

  @Test
  void jvpTakesZerosOfTheIntegerLeafsDtypeAsItsTangent() {
    Pair<Array, Array> r = Transforms.jvp(IntegerInputsJvpTest::f, AT, DIRECTION);
    assertArrayEquals(new float[] {4f, 9f, 16f}, r.first().toFloatArray(), 0f);
    assertArrayEquals(new float[] {2f, 3f, 4f}, r.second().toFloatArray(), 0f);
    // an integer function: its tangent is zeros of its dtype (JAX: float0)
    Pair<Array, Array> ints = Transforms.jvp((Array n) -> n.mul(2), Array.of(2, 3, 4), Array.zeros(DType.I32, 3));
    assertArrayEquals(new int[] {4, 6, 8}, ints.first().toIntArray());
    assertEquals(DType.I32, ints.second().dtype());
    assertArrayEquals(new int[] {0, 0, 0}, ints.second().toIntArray());
    // integer in, float out: the float tangent is zeros (JAX: [0., 0., 0.] float32)
    Pair<Array, Array> toFloat = Transforms.jvp((Array n) -> n.astype(DType.F32).mul(2f), Array.of(2, 3, 4),
        Array.zeros(DType.I32, 3));
    assertEquals(DType.F32, toFloat.second().dtype());
    assertArrayEquals(new float[] {0f, 0f, 0f}, toFloat.second().toFloatArray(), 0f);
    // a bool mask: JAX's where(m, 2x, x) tangent [2, 1, 2]
    record Masked(Array x, Array m) {}
    Pair<Array, Array> masked = Transforms.jvp((Masked p) -> Array.where(p.m(), p.x().mul(2f), p.x()),
        new Masked(Array.of(1f, -2f, 3f), Array.of(true, false, true)),
        new Masked(Array.of(1f, 1f, 1f), Array.zeros(DType.BOOL, 3)));
    assertArrayEquals(new float[] {2f, 1f, 2f}, masked.second().toFloatArray(), 0f);
  }

  @Test
  void underJitTheIntegerTangentMayBeTraced() {
    BiFunction<State, State, Pair<Array, Array>> jitted = Transforms.jit((State p, State t) ->
        Transforms.jvp(IntegerInputsJvpTest::f, p, t));
    Pair<Array, Array> r = jitted.apply(AT, DIRECTION);
    assertArrayEquals(new float[] {4f, 9f, 16f}, r.first().toFloatArray(), 0f);
    assertArrayEquals(new float[] {2f, 3f, 4f}, r.second().toFloatArray(), 0f);
  }

  @Test
  void linearizeWithAnIntegerLeafAlsoUnderVmap() {
    Pair<Array, Function<State, Array>> lin = Transforms.linearize(IntegerInputsJvpTest::f, AT);
    assertArrayEquals(new float[] {4f, 9f, 16f}, lin.first().toFloatArray(), 0f);
    assertArrayEquals(new float[] {2f, 3f, 4f}, lin.second().apply(DIRECTION).toFloatArray(), 0f);
    assertArrayEquals(new float[] {-4f, 0f, 2f},
        lin.second().apply(new State(Array.of(-2f, 0f, 0.5f), Array.zeros(DType.I32, 3))).toFloatArray(), 0f);
    // JAX: vmap(lambda t: f_jvp((t, float0 zeros)))(eye(3)) is diag([2, 3, 4])
    Function<Array, Array> columns = Transforms.vmap((Array t) -> lin.second().apply(new State(t, Array.zeros(DType.I32, 3))));
    assertArrayEquals(new float[] {2, 0, 0, 0, 3, 0, 0, 0, 4}, columns.apply(Array.eye(3)).toFloatArray(), 0f);
  }

  @Test
  void anIntegerLeafsTangentMustBeZerosOfItsDtype() {
    var wrongDtype = assertThrows(ShapeError.class, () -> Transforms.jvp(IntegerInputsJvpTest::f, AT,
        new State(Array.of(1f, 1f, 1f), Array.zeros(DType.F32, 3))));
    assertTrue(wrongDtype.getMessage().contains("jvp: tangent.n is f32[3] but the primal leaf it belongs to is i32[3]")
        && wrongDtype.getMessage().contains("Array.zeros(DType.I32, 3)"), wrongDtype.getMessage());
    var nonZero = assertThrows(IllegalArgumentException.class, () -> Transforms.jvp(IntegerInputsJvpTest::f, AT,
        new State(Array.of(1f, 1f, 1f), Array.of(0, 1, 0))));
    assertTrue(nonZero.getMessage().contains("tangent.n (of the i32[3] primal leaf) is not zero")
        && nonZero.getMessage().contains("float0"), nonZero.getMessage());
    Pair<Array, Function<State, Array>> lin = Transforms.linearize(IntegerInputsJvpTest::f, AT);
    var linearized = assertThrows(IllegalArgumentException.class,
        () -> lin.second().apply(new State(Array.of(1f, 1f, 1f), Array.of(0, 0, 7))));
    assertTrue(linearized.getMessage().startsWith("linearize: tangent.n"), linearized.getMessage());
  }

  @Test
  void jacrevAllowIntGivesIntegerLeavesZerosAndJacrevRefusesThem() {
    Function<State, Array> g = s -> f(s);
    State jac = Transforms.jacrevAllowInt(g).apply(AT);
    // JAX: (diag([2, 3, 4]) f32, zeros((3, 3), int32))
    assertArrayEquals(new float[] {2, 0, 0, 0, 3, 0, 0, 0, 4}, jac.x().toFloatArray(), 0f);
    assertEquals(DType.I32, jac.n().dtype());
    assertArrayEquals(new int[] {3, 3}, jac.n().shape());
    assertArrayEquals(new int[9], jac.n().toIntArray());
    // under jit the same
    State jitted = Transforms.jit(Transforms.jacrevAllowInt(g)).apply(AT);
    assertArrayEquals(jac.x().toFloatArray(), jitted.x().toFloatArray(), 0f);
    assertArrayEquals(new int[9], jitted.n().toIntArray());
    var refused = assertThrows(IllegalArgumentException.class, () -> Transforms.jacrev(g).apply(AT));
    assertTrue(refused.getMessage().contains("jacrev requires float inputs, but arg0.n is i32[3]")
        && refused.getMessage().contains("Transforms.jacrevAllowInt"), refused.getMessage());
  }

  @Test
  void jacfwdAndHessianRefuseIntegerInputsAsJax() {
    // JAX: "jacfwd requires real-valued inputs ..., but got int32. ... integer inputs, use jax.jvp directly."
    var jacfwd = assertThrows(IllegalArgumentException.class, () -> Transforms.jacfwd((State s) -> f(s)).apply(AT));
    assertTrue(jacfwd.getMessage().contains("jacfwd requires float inputs, but arg0.n is i32[3]")
        && jacfwd.getMessage().contains("jvp directly"), jacfwd.getMessage());
    var hessian = assertThrows(IllegalArgumentException.class,
        () -> Transforms.hessian((Array n) -> n.astype(DType.F32).square().sum()).apply(Array.of(1, 2)));
    assertTrue(hessian.getMessage().startsWith("hessian requires float inputs, but arg0 is i32[2]"), hessian.getMessage());
  }

  @Test
  void aCustomJvpRuleWithAnIntegerArgumentUnderJvp() {
    // the rule's integer tangent is zeros of its dtype; JAX's x ** n at x = [1, -2, 3], n = 3: [3, 12, 27]
    BiFunction<Array, Array, Array> pow = Transforms.customJvp((Array x, Array n) -> x.pow(n.astype(DType.F32)),
        (x, n, tx, tn) -> Pair.of(x.pow(n.astype(DType.F32)), n.astype(DType.F32).mul(x.pow(n.astype(DType.F32).sub(1f))).mul(tx)));
    Pair<Array, Array> r = Transforms.jvp((Pair<Array, Array> p) -> pow.apply(p.first(), p.second()),
        Pair.of(Array.of(1f, -2f, 3f), Array.scalar(DType.I32, 3)), Pair.of(Array.of(1f, 1f, 1f), Array.zeros(DType.I32)));
    assertArrayEquals(new float[] {1f, -8f, 27f}, r.first().toFloatArray(), 0f);
    assertArrayEquals(new float[] {3f, 12f, 27f}, r.second().toFloatArray(), 0f);
  }
}
