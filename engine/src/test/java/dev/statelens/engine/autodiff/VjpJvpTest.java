package dev.statelens.engine.autodiff;

import static dev.statelens.engine.autodiff.Jacobians.assertNumeric;
import static dev.statelens.engine.autodiff.Jacobians.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.TreeStructureError;
import dev.statelens.engine.VjpResult;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** vjp and jvp: against the Jacobian (finite differences), pytrees, reuse, jit, errors. */
class VjpJvpTest {

  public record Params(Array w, Array b) {}

  static final Array X = Array.of(0.4, -0.9, 1.3);
  static final Array A = GradCheck.random(new Random(23), 4, 3);
  /** R^3 -> R^4, nonlinear. */
  static final Function<Array, Array> F = x -> A.matmul(x.sin()).mul(x.sum()).tanh();

  /** ctᵀ J for ct of shape [m] and J of shape [m, n]. */
  static Array vecJac(Array ct, Array j) {
    return ct.matmul(j);
  }

  @Test
  void vjpIsCotangentTimesJacobian() {
    Array j = Jacobians.numeric(F, X);
    VjpResult<Array, Array> r = Transforms.vjp(F, X);
    assertSame("vjp out", F.apply(X), r.out());
    assertTrue(r.out().isConcrete());
    Array ct1 = Array.of(1.0, -2.0, 0.5, 3.0);
    Array ct2 = Array.of(0.0, 1.0, 0.0, 0.0);
    assertNumeric("pullback(ct1)", vecJac(ct1, j), r.pullback(ct1));
    assertNumeric("pullback(ct2)", vecJac(ct2, j), r.pullback(ct2));
    // the pullback is linear and reusable
    assertSame("linear", r.pullback(ct1).add(r.pullback(ct2).mul(2)), r.pullback(ct1.add(ct2.mul(2))));
    assertSame("jit(pullback)", r.pullback(ct1), Transforms.jit(r.pullback()).apply(ct1));
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void vjpInsideJitEqualsEagerAndTracesOnce() {
    AtomicInteger traces = new AtomicInteger();
    BiFunction<Array, Array, Pair<Array, Array>> step = Transforms.jit((x, ct) -> {
      traces.incrementAndGet();
      VjpResult<Array, Array> r = Transforms.vjp(F, x);
      return Pair.of(r.out(), r.pullback(ct));
    });
    Array ct = Array.of(0.3, 0.2, -1.0, 0.7);
    for (int i = 0; i < 3; i++) {
      Array x = X.mul(1 + 0.1 * i);
      VjpResult<Array, Array> eager = Transforms.vjp(F, x);
      Pair<Array, Array> jitted = step.apply(x, ct);
      assertSame("out " + i, eager.out(), jitted.first());
      assertSame("pullback " + i, eager.pullback(ct), jitted.second());
    }
    assertEquals(1, traces.get());
  }

  @Test
  void vjpOfPytreesInAndOut() {
    Array xs = GradCheck.random(new Random(29), 5, 3);
    Params p = new Params(GradCheck.random(new Random(31), 3, 2), Array.of(0.1, -0.3));
    // output: a Pair (activations [5,2], a scalar penalty) and an integer leaf (argmax)
    Function<Params, List<Array>> fn = q -> {
      Array h = xs.matmul(q.w()).add(q.b()).tanh();
      return List.of(h, q.w().square().sum(), h.argmax(1));
    };
    VjpResult<List<Array>, Params> r = Transforms.vjp(fn, p);
    assertEquals(DType.I32, r.out().get(2).dtype());
    Array ctH = GradCheck.random(new Random(37), 5, 2);
    Array ctPen = Array.scalar(DType.F64, 0.5);
    Params g = r.pullback(List.of(ctH, ctPen, Array.zeros(DType.I32, 5)));
    // reference: grad of <ct, out>
    Params expected = Transforms.grad((Params q) -> {
      List<Array> o = fn.apply(q);
      return o.get(0).mul(ctH).sum().add(o.get(1).mul(ctPen));
    }).apply(p);
    assertSame("vjp w", expected.w(), g.w());
    assertSame("vjp b", expected.b(), g.b());
  }

  @Test
  void vjpWithRespectToTheFirstOfTwoArguments() {
    BiFunction<Array, Array, Array> f = (w, x) -> x.matmul(w).exp();
    Array w = Array.of(0.1, 0.2, -0.3);
    VjpResult<Array, Array> r = Transforms.vjp(f, w, A);
    Array ct = Array.of(1.0, 2.0, 3.0, 4.0);
    assertNumeric("pullback", vecJac(ct, Jacobians.numeric(v -> f.apply(v, A), w)), r.pullback(ct));
  }

  @Test
  void jvpIsJacobianTimesTangent() {
    Array j = Jacobians.numeric(F, X);
    Array t = Array.of(0.5, -1.0, 2.0);
    Pair<Array, Array> r = Transforms.jvp(F, X, t);
    assertSame("jvp primal out", F.apply(X), r.first());
    assertNumeric("jvp tangent out", j.matmul(t), r.second());
    assertTrue(r.second().isConcrete());
    Function<Array, Pair<Array, Array>> jitted = Transforms.jit(x -> Transforms.jvp(F, x, t));
    Pair<Array, Array> rj = jitted.apply(X);
    assertSame("jit(jvp) out", r.first(), rj.first());
    assertSame("jit(jvp) tangent", r.second(), rj.second());
    // the tangent may be traced too
    BiFunction<Array, Array, Array> tangentOnly = Transforms.jit((x, dx) -> Transforms.jvp(F, x, dx).second());
    assertSame("jit(jvp) with traced tangent", r.second(), tangentOnly.apply(X, t));
  }

  @Test
  void jvpOfElementaryFunctionsIsTheirDerivative() {
    Array x = Array.of(0.2, 1.5, -0.7);
    Array t = Array.of(1.0, 1.0, 1.0);
    assertSame("sin", x.cos(), Transforms.jvp((Array v) -> v.sin(), x, t).second());
    assertSame("exp", x.exp(), Transforms.jvp((Array v) -> v.exp(), x, t).second());
    assertSame("x^3", x.square().mul(3), Transforms.jvp((Array v) -> v.mul(v).mul(v), x, t).second());
    Array t2 = Array.of(2.0, 0.0, -1.0);
    assertSame("tanh scaled", x.tanh().square().rsub(1).mul(t2),
        Transforms.jvp((Array v) -> v.tanh(), x, t2).second());
  }

  @Test
  void jvpOfPytreesAndIntegerOutputs() {
    Array xs = GradCheck.random(new Random(41), 4, 3);
    Params p = new Params(GradCheck.random(new Random(43), 3, 2), Array.of(0.2, 0.1));
    Params dp = new Params(GradCheck.random(new Random(47), 3, 2), Array.of(-1.0, 0.5));
    Function<Params, Pair<Array, Array>> fn = q -> {
      Array h = xs.matmul(q.w()).add(q.b());
      return Pair.of(h.tanh(), h.argmax(1));
    };
    Pair<Pair<Array, Array>, Pair<Array, Array>> r = Transforms.jvp(fn, p, dp);
    double e = 1e-6;
    Array plus = fn.apply(new Params(p.w().add(dp.w().mul(e)), p.b().add(dp.b().mul(e)))).first();
    Array minus = fn.apply(new Params(p.w().sub(dp.w().mul(e)), p.b().sub(dp.b().mul(e)))).first();
    assertNumeric("directional derivative", plus.sub(minus).div(2 * e), r.second().first());
    assertSame("argmax primal", fn.apply(p).second().astype(DType.F64), r.first().second().astype(DType.F64));
    assertEquals(DType.I32, r.second().second().dtype());
    assertEquals(0, r.second().second().abs().sum().intValue(), "integer outputs have zero tangents");
  }

  @Test
  void jvpThroughStagedScanAndCondMatchesTheJacobian() {
    Function<Array, Array> f = x -> {
      Array ys = Lax.scan((Array c, Array v) -> {
        Array next = c.mul(v).add(v.sin());
        return Pair.of(next, next.square());
      }, Array.scalar(DType.F64, 1.0), x).second();
      return Lax.cond(x.get(0).gt(0), () -> ys.exp(), () -> ys.mul(x.get(2)));
    };
    Array t = Array.of(0.3, -0.2, 0.9);
    for (Array x : List.of(X, X.neg())) {
      Array expected = Jacobians.numeric(f, x).matmul(t);
      assertNumeric("eager jvp", expected, Transforms.jvp(f, x, t).second());
      assertNumeric("jit(jvp)", expected, Transforms.jit((Array v) -> Transforms.jvp(f, v, t).second()).apply(x));
      assertNumeric("jvp(jit)", expected, Transforms.jvp(Transforms.jit(f), x, t).second());
    }
  }

  @Test
  void gradOfJvpAndJvpOfGradGiveSecondDerivatives() {
    // forward-over-reverse Hessian-vector product: H v = jvp(grad f, x, v)
    Array q = GradCheck.random(new Random(53), 3, 3);
    Function<Array, Array> f = x -> x.dot(q.matmul(x)).add(x.sin().sum());
    Array v = Array.of(1.0, -1.0, 0.5);
    Array h = q.add(q.T()).sub(diag(X.sin()));
    assertSame("jvp(grad f)", h.matmul(v), Transforms.jvp(Transforms.grad(f), X, v).second());
    // reverse-over-forward: grad of <v, J_f(x) ...> = grad(x -> jvp(f, x, v).tangent)
    assertSame("grad(jvp f)", h.matmul(v), Transforms.grad((Array x) -> Transforms.jvp(f, x, v).second()).apply(X));
  }

  private static Array diag(Array d) {
    int n = d.size();
    double[] v = new double[n * n];
    double[] dv = d.toDoubleArray();
    for (int i = 0; i < n; i++) {
      v[i * n + i] = dv[i];
    }
    return Array.of(DType.F64, new int[] {n, n}, v);
  }

  @Test
  void tangentAndCotangentMismatchesNameThePathAndBothShapes() {
    Params p = new Params(Array.of(1.0, 2.0), Array.scalar(DType.F64, 0));
    Function<Params, Array> fn = q -> q.w().mul(q.b());
    var shape = assertThrows(ShapeError.class,
        () -> Transforms.jvp(fn, p, new Params(Array.of(1.0, 2.0, 3.0), Array.scalar(DType.F64, 0))));
    assertTrue(shape.getMessage().contains("tangent.w is f64[3] but the primal leaf it belongs to is f64[2]"),
        shape.getMessage());
    var dtype = assertThrows(ShapeError.class,
        () -> Transforms.jvp(fn, p, new Params(Array.of(1f, 2f), Array.scalar(DType.F64, 0))));
    assertTrue(dtype.getMessage().contains("tangent.w is f32[2] but the primal leaf it belongs to is f64[2]"),
        dtype.getMessage());
    var structure = assertThrows(TreeStructureError.class,
        () -> Transforms.jvp((List<Array> l) -> l.get(0), List.of(X, X), List.of(X)));
    assertTrue(structure.getMessage().startsWith("jvp: the tangent does not have the structure of the primal"),
        structure.getMessage());
    VjpResult<Array, Params> r = Transforms.vjp(fn, p);
    var ct = assertThrows(ShapeError.class, () -> r.pullback(Array.of(1.0)));
    assertTrue(ct.getMessage().contains("vjp: cotangent is f64[1] but the output leaf it belongs to is f64[2]"),
        ct.getMessage());
    // an integer input is taken (JAX's float0 tangent, here zeros of its dtype; IntegerInputsJvpTest), a non-zero
    // tangent for it is refused
    var ints = assertThrows(IllegalArgumentException.class,
        () -> Transforms.jvp((Array v) -> v.astype(DType.F64), Array.of(1, 2), Array.of(1, 2)));
    assertTrue(ints.getMessage().contains("jvp: tangent (of the i32[2] primal leaf) is not zero"), ints.getMessage());
  }
}
