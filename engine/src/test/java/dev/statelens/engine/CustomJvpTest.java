package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Jaxpr;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code Transforms.customJvp} (jax.custom_jvp): f runs when called, the rule under jvp, its
 * transpose under grad; jit, vmap, nested derivatives, pytrees and the rule's errors.
 */
class CustomJvpTest {

  /** log(1 + e^x) with JAX's docs' rule: the tangent (1 - 1/(1 + e^x)) t stays finite at x = 100. */
  static final Function<Array, Array> LOG1PEXP = Transforms.customJvp(
      (Array x) -> x.exp().log1p(),
      (Array x, Array t) -> Pair.of(x.exp().log1p(), t.mul(x.exp().add(1).reciprocal().rsub(1))));

  /** sin with the derivative 2 (not cos): shows which rule the transforms use. */
  static final Function<Array, Array> SIN_SLOPE_2 = Transforms.customJvp(
      Array::sin, (Array x, Array t) -> Pair.of(x.sin(), t.mul(2)));

  /** sin with its true rule, written with a primal-dependent tangent (for second derivatives). */
  static final Function<Array, Array> SIN = Transforms.customJvp(
      Array::sin, (Array x, Array t) -> Pair.of(x.sin(), x.cos().mul(t)));

  private static void assertClose(Array expected, Array actual, double tol) {
    double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
    assertEquals(e.length, a.length);
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), "element " + i);
    }
  }

  @Test
  void log1pexpGradientIsFiniteWhereTheAutodiffOneIsNaN() {
    Array x = Array.of(0f, 3f, 100f);
    Function<Array, Array> plain = v -> v.exp().log1p();
    // e^100 overflows f32: the derivative e^x / (1 + e^x) is inf/inf
    assertTrue(Float.isNaN(Transforms.grad((Array v) -> plain.apply(v).sum()).apply(x).toFloatArray()[2]));
    Array g = Transforms.grad((Array v) -> LOG1PEXP.apply(v).sum()).apply(x);
    assertArrayEquals(new float[] {0.5f, (float) (1 - 1 / (1 + Math.exp(3))), 1f}, g.toFloatArray(), 1e-6f);
    // the same through jit in both orders and under vmap
    assertArrayEquals(g.toFloatArray(),
        Transforms.jit(Transforms.grad((Array v) -> LOG1PEXP.apply(v).sum())).apply(x).toFloatArray());
    assertArrayEquals(g.toFloatArray(),
        Transforms.grad((Array v) -> Transforms.jit(LOG1PEXP).apply(v).sum()).apply(x).toFloatArray());
    assertArrayEquals(g.toFloatArray(),
        Transforms.vmap(Transforms.grad(LOG1PEXP)).apply(x).toFloatArray());
  }

  @Test
  void callingItRunsFEagerlyAndUnderJitAndVmap() {
    AtomicInteger fCalls = new AtomicInteger();
    AtomicInteger ruleCalls = new AtomicInteger();
    Function<Array, Array> f = Transforms.customJvp((Array x) -> {
      fCalls.incrementAndGet();
      return x.mul(x);
    }, (Array x, Array t) -> {
      ruleCalls.incrementAndGet();
      return Pair.of(x.mul(x), x.mul(t).mul(2));
    });
    Array x = Array.of(1f, 2f, 3f);
    assertArrayEquals(new float[] {1, 4, 9}, f.apply(x).toFloatArray());
    assertArrayEquals(new float[] {1, 4, 9}, Transforms.jit(f).apply(x).toFloatArray());
    assertArrayEquals(new float[] {1, 4, 9}, Transforms.vmap(f).apply(x).toFloatArray());
    assertEquals(3, fCalls.get());
    assertEquals(0, ruleCalls.get(), "the rule runs only under differentiation");
    assertArrayEquals(new float[] {2, 4, 6}, Transforms.grad((Array v) -> f.apply(v).sum()).apply(x).toFloatArray());
    assertTrue(ruleCalls.get() > 0);
  }

  @Test
  void gradJvpAndJacobiansUseTheRuleNotF() {
    Array x = Array.of(0.3f, -1.2f);
    Array t = Array.of(1f, -0.5f);
    assertArrayEquals(new float[] {2, 2}, Transforms.grad((Array v) -> SIN_SLOPE_2.apply(v).sum()).apply(x).toFloatArray());
    Pair<Array, Array> jvp = Transforms.jvp(SIN_SLOPE_2, x, t);
    assertArrayEquals(x.sin().toFloatArray(), jvp.first().toFloatArray());
    assertArrayEquals(new float[] {2, -1}, jvp.second().toFloatArray());
    float[] jac = {2, 0, 0, 2};
    assertArrayEquals(jac, Transforms.jacfwd(SIN_SLOPE_2).apply(x).toFloatArray());
    assertArrayEquals(jac, Transforms.jacrev(SIN_SLOPE_2).apply(x).toFloatArray());
    assertArrayEquals(jac, Transforms.jit(Transforms.jacfwd(SIN_SLOPE_2)).apply(x).toFloatArray());
  }

  @Test
  void secondDerivativesDifferentiateTheRule() {
    Array x = Array.of(DType.F64, new int[] {3}, new double[] {0.2, 1.0, -2.5});
    Function<Array, Array> d1 = Transforms.grad((Array v) -> SIN.apply(v).sum());
    assertClose(x.cos(), d1.apply(x), 1e-12);
    Function<Array, Array> d2 = Transforms.grad((Array v) -> d1.apply(v).sum());
    assertClose(x.sin().neg(), d2.apply(x), 1e-12);
    assertClose(x.sin().neg(), Transforms.jit(d2).apply(x), 1e-12);
    // a Hessian-vector product, forward over reverse
    Array v = Array.of(DType.F64, new int[] {3}, new double[] {1, 2, 3});
    assertClose(x.sin().neg().mul(v), Transforms.jvp(d1, x, v).second(), 1e-12);
  }

  @Test
  void vmapOfGradAndGradOfVmap() {
    Array xs = Array.of(DType.F64, new int[] {2, 3}, new double[] {0.1, 0.2, 0.3, -1, -2, -3});
    Array perRow = Transforms.vmap(Transforms.grad((Array r) -> SIN.apply(r).sum())).apply(xs);
    assertClose(xs.cos(), perRow, 1e-12);
    Array whole = Transforms.grad((Array m) -> Transforms.vmap(SIN).apply(m).sum()).apply(xs);
    assertClose(xs.cos(), whole, 1e-12);
  }

  @Test
  void twoArgumentFormWithPytreesAndAnIntegerArgument() {
    // f(p, n) = p.w * sin(p.b) * n, the rule linear in (tw, tb); n is an integer count
    record P(Array w, Array b) {}
    BiFunction<P, Array, Array> f = Transforms.customJvp(
        (P p, Array n) -> p.w().mul(p.b().sin()).mul(n.astype(DType.F64)),
        (P p, Array n, P tp, Array tn) -> {
          Array nn = n.astype(DType.F64);
          Array y = p.w().mul(p.b().sin()).mul(nn);
          Array ty = tp.w().mul(p.b().sin()).add(p.w().mul(p.b().cos()).mul(tp.b())).mul(nn);
          assertEquals(DType.I32, tn.dtype(), "integer arguments get zero tangents of their own dtype");
          return Pair.of(y, ty);
        });
    P p = new P(Array.of(DType.F64, new int[] {2}, new double[] {1.5, -2}),
        Array.of(DType.F64, new int[] {2}, new double[] {0.4, 1.1}));
    Array n = Array.scalar(DType.I32, 3);
    P g = Transforms.grad((P q, Array k) -> f.apply(q, k).sum()).apply(p, n);
    assertClose(p.b().sin().mul(3), g.w(), 1e-12);
    assertClose(p.w().mul(p.b().cos()).mul(3), g.b(), 1e-12);
    P gj = Transforms.jit(Transforms.grad((P q, Array k) -> f.apply(q, k).sum())).apply(p, n);
    assertArrayEquals(g.b().toDoubleArray(), gj.b().toDoubleArray(), 1e-15);
  }

  @Test
  void matchesFiniteDifferencesForATrueRule() {
    // softplus with the rule sigmoid(x) t; a list-valued output (value, value^2)
    Function<Array, List<Array>> f = Transforms.customJvp(
        (Array x) -> List.of(Nn.softplus(x), Nn.softplus(x).square()),
        (Array x, Array t) -> {
          Array s = Nn.softplus(x);
          Array ds = x.sigmoid().mul(t);
          return Pair.of(List.of(s, s.square()), List.of(ds, s.mul(ds).mul(2)));
        });
    Array x = Array.of(DType.F64, new int[] {4}, new double[] {-3, -0.5, 0.7, 4});
    Function<Array, Array> loss = v -> {
      List<Array> o = f.apply(v);
      return o.get(0).sum().add(o.get(1).mul(0.5).sum());
    };
    Array g = Transforms.grad(loss).apply(x);
    double h = 1e-6;
    double[] xv = x.toDoubleArray();
    for (int i = 0; i < xv.length; i++) {
      double[] up = xv.clone(), dn = xv.clone();
      up[i] += h;
      dn[i] -= h;
      double fd = (loss.apply(Array.of(DType.F64, new int[] {4}, up)).doubleValue()
          - loss.apply(Array.of(DType.F64, new int[] {4}, dn)).doubleValue()) / (2 * h);
      assertEquals(fd, g.toDoubleArray()[i], 1e-7);
    }
  }

  @Test
  void jaxprShowsTheCallAndItsFunction() {
    Jaxpr j = Transforms.makeJaxpr(SIN, Array.of(1f, 2f));
    String s = j.toString();
    assertTrue(s.contains("custom_vjp_call[") && s.contains("custom_jvp.fwd") && s.contains("sin"), s);
  }

  @Test
  void ruleReturningTheWrongTangentIsNamed() {
    Array x = Array.of(1f, 2f);
    Function<Array, Array> badShape = Transforms.customJvp(Array::sin, (Array v, Array t) -> Pair.of(v.sin(), t.sum()));
    ShapeError e = assertThrows(ShapeError.class, () -> Transforms.grad((Array v) -> badShape.apply(v).sum()).apply(x));
    assertTrue(e.getMessage().contains("f32[] as the tangent of out, which is f32[2]"), e.getMessage());
    Function<Array, Array> badDtype = Transforms.customJvp(Array::sin,
        (Array v, Array t) -> Pair.of(v.sin(), t.astype(DType.F64)));
    ShapeError d = assertThrows(ShapeError.class, () -> Transforms.jvp(badDtype, x, x));
    assertTrue(d.getMessage().contains("astype(F32)"), d.getMessage());
    Function<Array, Array> badPrimal = Transforms.customJvp(Array::sin,
        (Array v, Array t) -> Pair.of(v.sin().sum(), t.sum()));
    // checked where f has been traced (here by jit); eager grad never runs f, as JAX's eager jvp
    ShapeError p = assertThrows(ShapeError.class,
        () -> Transforms.grad((Array v) -> Transforms.jit(badPrimal).apply(v).sum()).apply(x));
    assertTrue(p.getMessage().contains("customJvp") && p.getMessage().contains("f's"), p.getMessage());
    Function<Array, Pair<Array, Array>> badStructure = Transforms.customJvp((Array v) -> Pair.of(v, v),
        (Array v, Array t) -> Pair.of(Pair.of(v, v), (Pair<Array, Array>) null));
    assertThrows(TreeStructureError.class,
        () -> Transforms.grad((Array v) -> badStructure.apply(v).first().sum()).apply(x));
    Function<Array, Array> nullRule = Transforms.customJvp(Array::sin, (Array v, Array t) -> null);
    IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
        () -> Transforms.grad((Array v) -> nullRule.apply(v).sum()).apply(x));
    assertTrue(n.getMessage().contains("Pair.of(f(x), tangent"), n.getMessage());
  }

  @Test
  void closingOverADifferentiatedValueIsAnError() {
    Array x = Array.of(1f, 2f);
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> Transforms.grad((Array w) -> {
          Function<Array, Array> f = Transforms.customJvp((Array v) -> v.mul(w),
              (Array v, Array t) -> Pair.of(v.mul(w), t.mul(w)));
          return f.apply(w.add(1)).sum();
        }).apply(x));
    assertTrue(e.getMessage().contains("customJvp function closes over"), e.getMessage());
  }
}
