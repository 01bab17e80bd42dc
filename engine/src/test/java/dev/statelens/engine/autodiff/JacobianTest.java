package dev.statelens.engine.autodiff;

import static dev.statelens.engine.autodiff.Jacobians.assertNumeric;
import static dev.statelens.engine.autodiff.Jacobians.assertSame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** jacrev, jacfwd and hessian: shapes, values (hand-derived and finite differences), pytrees, jit, errors. */
class JacobianTest {

  public record Params(Array w, Array b) {}

  static final Random RND = new Random(7);
  static final Array X3 = Array.of(0.3, -1.2, 0.8);
  static final Array M23 = GradCheck.random(new Random(3), 2, 3);

  /** R^3 -> R^2: (x0 x1, sin(x2) + x0^2), Jacobian [[x1, x0, 0], [2 x0, 0, cos x2]]. */
  static final Function<Array, Array> F = x -> Array.stack(0,
      x.get(0).mul(x.get(1)), x.get(2).sin().add(x.get(0).square()));

  @Test
  void jacobianOfASmallMapIsTheHandDerivedOne() {
    double x0 = 0.3, x1 = -1.2, x2 = 0.8;
    Array expected = Array.of(DType.F64, new int[] {2, 3}, x1, x0, 0, 2 * x0, 0, Math.cos(x2));
    assertSame("jacrev", expected, Transforms.jacrev(F).apply(X3));
    assertSame("jacfwd", expected, Transforms.jacfwd(F).apply(X3));
  }

  @Test
  void jacobianOfSoftmaxIsDiagSMinusSSt() {
    Array x = Array.of(0.5, -1.0, 2.0, 0.1);
    double[] s = Nn.softmax(x).toDoubleArray();
    double[] j = new double[16];
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        j[a * 4 + b] = (a == b ? s[a] : 0) - s[a] * s[b];
      }
    }
    Array expected = Array.of(DType.F64, new int[] {4, 4}, j);
    Function<Array, Array> softmax = v -> Nn.softmax(v);
    assertSame("jacrev(softmax)", expected, Transforms.jacrev(softmax).apply(x));
    assertSame("jacfwd(softmax)", expected, Transforms.jacfwd(softmax).apply(x));
  }

  @Test
  void jacobianShapeIsOutputShapeThenInputShape() {
    // [2,3] -> [4, 2]: out.shape ++ in.shape = [4, 2, 2, 3]
    Array a = GradCheck.random(new Random(11), 4, 3);
    Function<Array, Array> f = m -> a.matmul(m.T()).tanh().mul(m.sum(1));
    Array expected = Jacobians.numeric(f, M23);
    assertArrayEquals(new int[] {4, 2, 2, 3}, expected.shape());
    assertNumeric("jacrev", expected, Transforms.jacrev(f).apply(M23));
    assertNumeric("jacfwd", expected, Transforms.jacfwd(f).apply(M23));
  }

  @Test
  void scalarInputsAndOutputs() {
    Function<Array, Array> cube = x -> x.mul(x).mul(x);
    Array x = Array.scalar(DType.F64, 1.5);
    assertEquals(3 * 1.5 * 1.5, Transforms.jacrev(cube).apply(x).doubleValue(), 1e-12);
    assertEquals(3 * 1.5 * 1.5, Transforms.jacfwd(cube).apply(x).doubleValue(), 1e-12);
    assertEquals(6 * 1.5, Transforms.hessian(cube).apply(x).doubleValue(), 1e-12);
    // scalar -> vector and vector -> scalar
    Function<Array, Array> curve = t -> Array.stack(0, t.cos(), t.sin(), t.mul(2));
    assertSame("jacfwd(curve)", Array.of(-Math.sin(1.5), Math.cos(1.5), 2), Transforms.jacfwd(curve).apply(x));
    assertSame("jacrev(curve)", Array.of(-Math.sin(1.5), Math.cos(1.5), 2), Transforms.jacrev(curve).apply(x));
    Function<Array, Array> norm2 = v -> v.square().sum();
    assertSame("jacrev(norm2) = grad", X3.mul(2), Transforms.jacrev(norm2).apply(X3));
    assertSame("jacfwd(norm2) = grad", X3.mul(2), Transforms.jacfwd(norm2).apply(X3));
  }

  @Test
  void hessianOfAQuadraticFormIsAPlusATransposed() {
    Array a = GradCheck.random(new Random(5), 3, 3);
    Function<Array, Array> quad = x -> x.dot(a.matmul(x));
    Array expected = a.add(a.T());
    assertSame("hessian(x.Ax)", expected, Transforms.hessian(quad).apply(X3));
    assertSame("jit(hessian(x.Ax))", expected, Transforms.jit(Transforms.hessian(quad)).apply(X3));
    assertSame("jacrev(jacrev(x.Ax))", expected,
        Transforms.jacrev(Transforms.jacrev(quad)).apply(X3));
  }

  @Test
  void hessianOfANonlinearFunctionMatchesFiniteDifferencesOfTheGradient() {
    Function<Array, Array> f = x -> x.tanh().mul(x.get(0).exp()).sum().add(x.get(0).mul(x.get(1)).mul(x.get(2)).square());
    Array x = Array.of(0.4, -0.7, 1.1);
    Array expected = Jacobians.numeric(Transforms.grad(f), x);
    Array h = Transforms.hessian(f).apply(x);
    assertNumeric("hessian", expected, h);
    assertSame("hessian is symmetric", h, h.T());
  }

  @Test
  void hessianOfAVectorFunctionHasShapeOutThenInThenIn() {
    Array h = Transforms.hessian(F).apply(X3);
    assertArrayEquals(new int[] {2, 3, 3}, h.shape());
    // f0 = x0 x1: d2/dx0dx1 = 1; f1 = sin x2 + x0^2: d2/dx0^2 = 2, d2/dx2^2 = -sin x2
    double[] e = new double[18];
    e[1] = 1;
    e[3] = 1;
    e[9] = 2;
    e[9 + 8] = -Math.sin(0.8);
    assertSame("hessian(F)", Array.of(DType.F64, new int[] {2, 3, 3}, e), h);
  }

  @Test
  void pytreeInputsGiveAJacobianOfTheInputsStructure() {
    Array xs = GradCheck.random(new Random(13), 5, 3);
    Params p = new Params(GradCheck.random(new Random(17), 3, 2), Array.of(0.1, -0.2));
    Function<Params, Array> layer = q -> xs.matmul(q.w()).add(q.b()).tanh(); // [5, 2]
    Params rev = Transforms.jacrev(layer).apply(p);
    Params fwd = Transforms.jacfwd(layer).apply(p);
    assertArrayEquals(new int[] {5, 2, 3, 2}, rev.w().shape());
    assertArrayEquals(new int[] {5, 2, 2}, rev.b().shape());
    assertNumeric("jacrev.w", Jacobians.numeric(w -> layer.apply(new Params(w, p.b())), p.w()), rev.w());
    assertNumeric("jacrev.b", Jacobians.numeric(b -> layer.apply(new Params(p.w(), b)), p.b()), rev.b());
    assertSame("jacfwd.w", rev.w(), fwd.w());
    assertSame("jacfwd.b", rev.b(), fwd.b());
    List<Array> listRev = Transforms.jacrev((List<Array> l) -> l.get(0).mul(l.get(1)).sum())
        .apply(List.of(Array.of(1.0, 2.0), Array.of(3.0, 4.0)));
    assertSame("jacrev over a List", Array.of(3.0, 4.0), listRev.get(0));
    assertSame("jacrev over a List", Array.of(1.0, 2.0), listRev.get(1));
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void jitOfJacobiansTracesOncePerSignatureAndEqualsEager() {
    AtomicInteger traces = new AtomicInteger();
    Function<Array, Array> f = x -> {
      traces.incrementAndGet();
      return x.sin().mul(x.sum()).exp();
    };
    Array eagerRev = Transforms.jacrev(f).apply(X3);
    Array eagerFwd = Transforms.jacfwd(f).apply(X3);
    assertNumeric("eager jacrev", Jacobians.numeric(f, X3), eagerRev);
    Function<Array, Array> jitRev = Transforms.jit(Transforms.jacrev(f));
    Function<Array, Array> jitFwd = Transforms.jit(Transforms.jacfwd(f));
    traces.set(0);
    for (int i = 0; i < 3; i++) {
      Array x = X3.add(0.1 * i);
      assertSame("jit(jacrev) call " + i, Transforms.jacrev(f).apply(x), jitRev.apply(x));
      assertSame("jit(jacfwd) call " + i, Transforms.jacfwd(f).apply(x), jitFwd.apply(x));
    }
    // 3 eager calls each of jacrev and jacfwd trace f 6 times; the two jits once each
    assertEquals(8, traces.get(), "jit traces each Jacobian once for one signature");
    assertEquals(1, Transforms.jitInfo(jitRev).graphs().size());
    assertSame("jacrev(jit(f))", eagerRev, Transforms.jacrev(Transforms.jit(f)).apply(X3));
    assertSame("jacfwd(jit(f))", eagerFwd, Transforms.jacfwd(Transforms.jit(f)).apply(X3));
  }

  @Test
  void jacobiansThroughStagedControlFlowAndIndexing() {
    // scan (reverse scan VJP), cond and take/gather (scatter_add VJP): jacfwd transposes them all
    Array idx = Array.of(2, 0, 2, 1);
    Function<Array, Array> f = x -> {
      Array g = x.take(idx, 0);                                      // gather: [4]
      Array h = Lax.scan((Array c, Array v) -> {
        Array next = c.mul(0.5).add(v).tanh();
        return Pair.of(next, next.mul(v));
      }, Array.scalar(DType.F64, 0.1), g).second();                   // [4]
      return Lax.cond(x.sum().gt(0), () -> h.mul(x.get(1)), () -> h.sin());
    };
    for (Array x : List.of(X3, X3.neg())) {
      Array expected = Jacobians.numeric(f, x);
      assertNumeric("jacrev eager", expected, Transforms.jacrev(f).apply(x));
      assertNumeric("jacfwd eager", expected, Transforms.jacfwd(f).apply(x));
      assertNumeric("jit(jacrev)", expected, Transforms.jit(Transforms.jacrev(f)).apply(x));
      assertNumeric("jit(jacfwd)", expected, Transforms.jit(Transforms.jacfwd(f)).apply(x));
      assertNumeric("jacfwd(jit)", expected, Transforms.jacfwd(Transforms.jit(f)).apply(x));
      assertNumeric("hessian row sums", Jacobians.numeric(Transforms.jacrev(f), x),
          Transforms.jit(Transforms.jacfwd(Transforms.jacrev(f))).apply(x));
    }
  }

  @Test
  void biFunctionVariantsDifferentiateTheFirstArgument() {
    BiFunction<Array, Array, Array> f = (w, x) -> x.matmul(w).tanh();
    Array w = Array.of(0.2, -0.4);
    Array x = GradCheck.random(new Random(19), 3, 2);
    Array expected = Jacobians.numeric(v -> f.apply(v, x), w);
    assertNumeric("jacrev", expected, Transforms.jacrev(f).apply(w, x));
    assertNumeric("jacfwd", expected, Transforms.jacfwd(f).apply(w, x));
    BiFunction<Array, Array, Array> loss = (v, data) -> data.matmul(v).square().sum();
    assertNumeric("hessian", Jacobians.numeric(Transforms.grad((Array v) -> loss.apply(v, x)), w),
        Transforms.hessian(loss).apply(w, x));
  }

  @Test
  void outputsThatIgnoreAnInputHaveZeroJacobianBlocks() {
    Function<List<Array>, Array> f = l -> l.get(0).mul(2).add(1);   // l.get(1) unused
    List<Array> x = List.of(Array.of(1.0, 2.0), GradCheck.random(new Random(3), 2, 2));
    for (var jac : List.of(Transforms.jacrev(f), Transforms.jacfwd(f))) {
      List<Array> j = jac.apply(x);
      assertSame("used input", Array.of(DType.F64, new int[] {2, 2}, 2, 0, 0, 2), j.get(0));
      assertSame("unused input", Array.zeros(DType.F64, 2, 2, 2), j.get(1));
    }
    Function<Array, Array> constant = v -> Array.of(1.0, 2.0, 3.0);
    assertSame("jacrev(constant)", Array.zeros(DType.F64, 3, 2), Transforms.jacrev(constant).apply(Array.of(1.0, 2.0)));
    assertSame("jacfwd(constant)", Array.zeros(DType.F64, 3, 2), Transforms.jacfwd(constant).apply(Array.of(1.0, 2.0)));
  }

  @Test
  void vmapOfJacobianGivesPerExampleJacobians() {
    Array xs = GradCheck.random(new Random(71), 4, 3);
    Function<Array, Array> jf = Transforms.jacfwd(F);
    Array batched = Transforms.vmap(jf).apply(xs);
    assertArrayEquals(new int[] {4, 2, 3}, batched.shape());
    for (int b = 0; b < 4; b++) {
      Array xb = xs.get(b);
      assertSame("example " + b, Transforms.jacrev(F).apply(xb), batched.get(b));
    }
  }

  @Test
  void f32InputsGiveF32Jacobians() {
    Array x = Array.of(1f, 2f);
    Array j = Transforms.jacfwd((Array v) -> v.mul(v)).apply(x);
    assertEquals(DType.F32, j.dtype());
    assertArrayEquals(new float[] {2, 0, 0, 4}, j.toFloatArray());
    assertEquals(DType.F32, Transforms.jacrev((Array v) -> v.mul(v)).apply(x).dtype());
  }

  @Test
  void errorsNameTheProblem() {
    var e1 = assertThrows(IllegalArgumentException.class,
        () -> Transforms.jacrev((Params q) -> q.w().sum()).apply(new Params(Array.of(1.0), Array.of(1, 2))));
    assertTrue(e1.getMessage().contains("arg0.b is i32[2]"), e1.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class,
        () -> Transforms.jacfwd((Array v) -> v.gt(0).astype(DType.I32)).apply(X3));
    assertTrue(e2.getMessage().contains("jacfwd requires a float output, got i32[3]"), e2.getMessage());
    @SuppressWarnings({"unchecked", "rawtypes"})
    Function<Array, Array> pairOut = (Function) (Function<Array, Object>) v -> Pair.of(v, v);
    var e3 = assertThrows(IllegalArgumentException.class, () -> Transforms.jacrev(pairOut).apply(X3));
    assertTrue(e3.getMessage().contains("jacrev requires the function to return one Array"), e3.getMessage());
  }
}
