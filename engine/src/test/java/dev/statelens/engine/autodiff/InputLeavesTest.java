package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The whole message of each transform that refuses an input leaf ({@link InputLeaves}: one check,
 * the advice by transform): grad's and jacrev's name their own allow_int variant, jacfwd's points
 * to jvp and refuses complex leaves too; a variant's own name ("valueAndGrad", "hessian") is the
 * subject. The texts are the ones the transforms gave before the check was shared.
 */
class InputLeavesTest {
  record State(Array x, Array n) {}

  static final State AT = new State(Array.of(1f, 2f, 3f), Array.of(2, 3, 4));

  static Array f(State s) {
    return s.x().mul(s.n()).sum();
  }

  static String reverse(String what, String variant) {
    return what + " requires float inputs, but arg0.n is i32[3] (complex64 works too); convert it with "
        + "astype(DType.F32), pass integer values in a later argument (" + what + " differentiates only with respect "
        + "to the first), or differentiate the float leaves with " + variant + " allow_int=True) or vjp, which give "
        + "the integer ones zeros (JAX's float0)";
  }

  static String refusal(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void gradAndJacrevNameTheirOwnAllowIntVariant() {
    assertEquals(reverse("grad", "Transforms.gradAllowInt (jax.grad's"),
        refusal(() -> Transforms.grad(InputLeavesTest::f).apply(AT)));
    assertEquals(reverse("valueAndGrad", "Transforms.gradAllowInt (jax.grad's"),
        refusal(() -> Transforms.valueAndGrad(InputLeavesTest::f).apply(AT)));
    Function<State, Array> vector = s -> s.x().mul(s.n());
    assertEquals(reverse("jacrev", "Transforms.jacrevAllowInt (jax.jacrev's"),
        refusal(() -> Transforms.jacrev(vector).apply(AT)));
  }

  @Test
  void jacfwdPointsToJvpAndRefusesComplexLeaves() {
    assertEquals("jacfwd requires float inputs, but arg0.n is i32[3]; convert it with astype(DType.F32), or take the "
        + "derivatives along the float leaves with jvp directly (an integer or bool leaf's tangent is zeros of its "
        + "dtype), or use Transforms.jacrevAllowInt, which gives the integer leaves zeros (jax.jacfwd has no allow_int)",
        refusal(() -> Transforms.jacfwd((State s) -> s.x().mul(s.n())).apply(AT)));
    assertEquals("jacfwd requires real-valued inputs, got c64[2]; for holomorphic differentiation pass "
        + "holomorphic=true, and for a non-holomorphic function of complex inputs use jvp directly",
        refusal(() -> Transforms.jacfwd((Array z) -> z.abs()).apply(Array.zeros(DType.C64, 2))));
    // hessian is jacfwd of jacrev: the outer check speaks, under hessian's name
    assertEquals("hessian requires float inputs, but arg0 is i32[2]; convert it with astype(DType.F32), or take the "
        + "derivatives along the float leaves with jvp directly (an integer or bool leaf's tangent is zeros of its "
        + "dtype), or use Transforms.jacrevAllowInt, which gives the integer leaves zeros (jax.jacfwd has no allow_int)",
        refusal(() -> Transforms.hessian((Array n) -> n.astype(DType.F32).square().sum()).apply(Array.of(1, 2))));
  }

  @Test
  void vjpTakesAnyLeaf() {
    assertEquals(DType.I32, Transforms.vjp(InputLeavesTest::f, AT).pullback().apply(Array.scalar(1f)).n().dtype());
  }
}
