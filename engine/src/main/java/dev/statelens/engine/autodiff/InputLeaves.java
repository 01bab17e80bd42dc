package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.Tree;
import java.util.List;

/**
 * Which input leaves a transform differentiates, and the fix its error advises for a leaf it
 * refuses — JAX's three checks: {@code jax.grad} and {@code jax.jacrev} take float and complex
 * leaves and name their own {@code allow_int}; {@code jax.jacfwd} (no {@code allow_int}) takes real
 * floats only and points to {@code jvp}; vjp, jvp, linearize and the {@code allow_int} variants take
 * any leaf (integer and bool ones go in untraced, JAX's float0).
 */
enum InputLeaves {
  /** Any dtype: integer and bool leaves are constants of the trace. */
  ANY,
  GRAD {
    @Override
    String integerAdvice(String what) {
      return reverseAdvice(what, "Transforms.gradAllowInt (jax.grad's");
    }
  },
  JACREV {
    @Override
    String integerAdvice(String what) {
      return reverseAdvice(what, "Transforms.jacrevAllowInt (jax.jacrev's");
    }
  },
  /** Real floats only (a complex leaf needs holomorphic=true, checked before). */
  JACFWD {
    @Override
    String integerAdvice(String what) {
      // JAX 0.10.2: "jacfwd requires real-valued inputs ..., but got int32. ... For differentiation of
      // non-holomorphic functions involving complex inputs or integer inputs, use jax.jvp directly."
      return "; convert it with astype(DType.F32), or take the derivatives along the float leaves with jvp directly "
          + "(an integer or bool leaf's tangent is zeros of its dtype), or use Transforms.jacrevAllowInt, which gives "
          + "the integer leaves zeros (jax.jacfwd has no allow_int)";
    }

    @Override
    boolean refusesComplex() {
      return true;
    }
  };

  /** Refuses the first leaf of {@code x}'s flattening this transform cannot differentiate, saying what to do. */
  void check(String what, Tree.Flat flat) {
    if (this == ANY) {
      return;
    }
    List<String> paths = flat.def().paths("arg0");
    for (int i = 0; i < flat.leaves().size(); i++) {
      Array leaf = flat.leaves().get(i);
      if (refusesComplex() && leaf.dtype().isComplex()) {
        throw new IllegalArgumentException(what + " requires real-valued inputs, got " + leaf.aval()
            + "; for holomorphic differentiation pass holomorphic=true, and for a non-holomorphic function of "
            + "complex inputs use jvp directly");
      }
      if (!leaf.dtype().isInexact()) {
        throw new IllegalArgumentException(what + " requires float inputs, but " + paths.get(i) + " is "
            + leaf.aval() + integerAdvice(what));
      }
    }
  }

  /** The message's rest after "{@code what} requires float inputs, but arg0.n is i32[3]". */
  String integerAdvice(String what) {
    throw new IllegalStateException(this + " accepts integer leaves");
  }

  boolean refusesComplex() {
    return false;
  }

  /**
   * grad's and jacrev's advice, which differ only in the allow_int variant named. JAX 0.10.2: "grad
   * requires real- or complex-valued inputs ..., but got int32. If you want to use Boolean- or
   * integer-valued inputs, use vjp or set allow_int to True."
   */
  private static String reverseAdvice(String what, String allowIntVariant) {
    return " (complex64 works too); convert it with astype(DType.F32), pass integer values in a later argument ("
        + what + " differentiates only with respect to the first), or differentiate the float leaves with "
        + allowIntVariant + " allow_int=True) or vjp, which give the integer ones zeros (JAX's float0)";
  }
}
