package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Fn4;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** grad / valueAndGrad: values, pytrees, arities, composition with jit, nesting, errors. */
class GradTest {

  public record Params(Array weight, Array bias) {}

  private static void assertClose(double[] expected, Array actual, double tol) {
    double[] a = actual.toDoubleArray();
    assertEquals(expected.length, a.length, "length");
    for (int i = 0; i < a.length; i++) {
      assertEquals(expected[i], a[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }
  }

  @Test
  void gradOfPolynomial() {
    // f(x) = x^3 + 2x  ->  3x^2 + 2
    Function<Array, Array> df = Transforms.grad((Array x) -> x.mul(x).mul(x).add(x.mul(2)));
    assertEquals(3 * 4 + 2, df.apply(Array.scalar(2)).floatValue(), 1e-5);
    assertEquals(2, df.apply(Array.scalar(0)).floatValue(), 1e-6);
  }

  @Test
  void gradOfSumOfSquaresIsTwiceX() {
    Array x = Array.of(1f, -2f, 3f);
    Array g = Transforms.grad((Array v) -> v.square().sum()).apply(x);
    assertArrayEquals(new float[] {2f, -4f, 6f}, g.toFloatArray());
    assertEquals(DType.F32, g.dtype());
  }

  @Test
  void valueAndGradReturnsBoth() {
    var vg = Transforms.valueAndGrad((Array x) -> x.exp().sum());
    Pair<Array, Array> r = vg.apply(Array.of(0.0, 1.0));
    assertEquals(1 + Math.E, r.first().doubleValue(), 1e-12);
    assertClose(new double[] {1, Math.E}, r.second(), 1e-12);
    assertTrue(r.first().isConcrete());
  }

  @Test
  void unusedInputGetsZeroGradient() {
    Function<List<Array>, List<Array>> df = Transforms.grad((List<Array> xs) -> xs.get(0).sum());
    List<Array> g = df.apply(List.of(Array.of(1f, 2f), Array.of(5f, 6f, 7f)));
    assertArrayEquals(new float[] {1, 1}, g.get(0).toFloatArray());
    assertArrayEquals(new float[] {0, 0, 0}, g.get(1).toFloatArray());
  }

  @Test
  void constantFunctionHasZeroGradient() {
    Array g = Transforms.grad((Array x) -> Array.scalar(3)).apply(Array.of(1f, 2f));
    assertArrayEquals(new float[] {0, 0}, g.toFloatArray());
  }

  @Test
  void identityHasGradientOne() {
    assertEquals(1f, Transforms.grad((Array x) -> x).apply(Array.scalar(5)).floatValue());
  }

  @Test
  void recordParamsGetGradientsOfTheSameStructure() {
    Array xs = Array.of(DType.F64, new int[] {4, 2}, 1, 2, 3, 4, 5, 6, 7, 8);
    Params p = new Params(Array.of(0.5, -1.0), Array.scalar(DType.F64, 0.25));
    Function<Params, Array> loss = q -> xs.matmul(q.weight()).add(q.bias()).sum();
    Params g = Transforms.grad(loss).apply(p);
    // d/dw sum(X w + b) = column sums of X; d/db = number of rows
    assertClose(new double[] {16, 20}, g.weight(), 1e-12);
    assertClose(new double[] {4}, g.bias(), 1e-12);
    assertEquals(0, g.bias().ndim());
  }

  @Test
  void mapAndPairPytrees() {
    Map<String, Array> m = Map.of("a", Array.of(1.0, 2.0), "b", Array.scalar(DType.F64, 3));
    Map<String, Array> g = Transforms.grad((Map<String, Array> t) -> t.get("a").mul(t.get("b")).sum()).apply(m);
    assertClose(new double[] {3, 3}, g.get("a"), 1e-12);
    assertClose(new double[] {3}, g.get("b"), 1e-12);

    Pair<Array, Array> pg = Transforms.grad((Pair<Array, Array> t) -> t.first().mul(t.second()))
        .apply(Pair.of(Array.scalar(DType.F64, 2), Array.scalar(DType.F64, 7)));
    assertEquals(7, pg.first().doubleValue(), 1e-12);
    assertEquals(2, pg.second().doubleValue(), 1e-12);
  }

  @Test
  void linearRegressionMseMatchesClosedForm() {
    java.util.Random rnd = new java.util.Random(7);
    int n = 20;
    int d = 3;
    double[] xv = new double[n * d];
    double[] yv = new double[n];
    for (int i = 0; i < xv.length; i++) {
      xv[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      yv[i] = rnd.nextGaussian();
    }
    Array x = Array.of(DType.F64, new int[] {n, d}, xv);
    Array y = Array.of(DType.F64, new int[] {n}, yv);
    Params p = new Params(Array.of(0.3, -0.7, 1.1), Array.scalar(DType.F64, 0.2));
    BiFunction<Params, Pair<Array, Array>, Array> mse =
        (q, batch) -> batch.first().matmul(q.weight()).add(q.bias()).sub(batch.second()).square().mean();
    Pair<Array, Params> vg = Transforms.valueAndGrad(mse).apply(p, Pair.of(x, y));

    // closed form: r = Xw + b - y; dL/dw = 2/n X^T r; dL/db = 2/n sum(r)
    double[] w = {0.3, -0.7, 1.1};
    double[] r = new double[n];
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double s = 0.2 - yv[i];
      for (int j = 0; j < d; j++) {
        s += xv[i * d + j] * w[j];
      }
      r[i] = s;
      loss += s * s / n;
    }
    double[] gw = new double[d];
    double gb = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        gw[j] += 2.0 / n * xv[i * d + j] * r[i];
      }
      gb += 2.0 / n * r[i];
    }
    assertEquals(loss, vg.first().doubleValue(), 1e-12);
    assertClose(gw, vg.second().weight(), 1e-10);
    assertClose(new double[] {gb}, vg.second().bias(), 1e-10);
  }

  @Test
  void gradWithRespectToFirstArgumentOnlyForEveryArity() {
    Array a = Array.scalar(DType.F64, 2);
    Array b = Array.scalar(DType.F64, 3);
    Array c = Array.scalar(DType.F64, 5);
    Array d = Array.scalar(DType.F64, 7);
    BiFunction<Array, Array, Array> g2 = Transforms.grad((Array x, Array y) -> x.mul(y));
    assertEquals(3, g2.apply(a, b).doubleValue(), 1e-12);
    Fn3<Array, Array, Array, Array> g3 = Transforms.grad((Array x, Array y, Array z) -> x.mul(y).mul(z));
    assertEquals(15, g3.apply(a, b, c).doubleValue(), 1e-12);
    Fn4<Array, Array, Array, Array, Array> g4 =
        Transforms.grad((Array x, Array y, Array z, Array w) -> x.mul(x).mul(y).add(z.mul(w)));
    assertEquals(2 * 2 * 3, g4.apply(a, b, c, d).doubleValue(), 1e-12);

    var v3 = Transforms.valueAndGrad((Array x, Array y, Array z) -> x.mul(y).add(z));
    Pair<Array, Array> r3 = v3.apply(a, b, c);
    assertEquals(11, r3.first().doubleValue(), 1e-12);
    assertEquals(3, r3.second().doubleValue(), 1e-12);
    var v4 = Transforms.valueAndGrad((Array x, Array y, Array z, Array w) -> x.div(y).add(z).add(w));
    Pair<Array, Array> r4 = v4.apply(a, b, c, d);
    assertEquals(2.0 / 3 + 12, r4.first().doubleValue(), 1e-12);
    assertEquals(1.0 / 3, r4.second().doubleValue(), 1e-12);
    var v2 = Transforms.valueAndGrad((Array x, Array y) -> x.sub(y));
    assertEquals(1, v2.apply(a, b).second().doubleValue(), 1e-12);
  }

  @Test
  void jitOfGradEqualsGradOfJitEqualsEagerGrad() {
    Array x = Array.of(DType.F64, new int[] {2, 3}, 0.1, -0.4, 0.9, 1.3, -2.0, 0.5);
    Array w = Array.of(DType.F64, new int[] {3, 2}, 0.2, 0.1, -0.3, 0.8, 0.5, -0.6);
    BiFunction<Array, Array, Array> f = (ww, xx) -> xx.matmul(ww).tanh().square().mean();
    Array eager = Transforms.grad(f).apply(w, x);
    BiFunction<Array, Array, Array> jitGrad = Transforms.jit(Transforms.grad(f));
    Array a1 = jitGrad.apply(w, x);
    Array a2 = jitGrad.apply(w, x); // cached graph
    Array b = Transforms.grad(Transforms.jit(f)).apply(w, x);
    assertTrue(Array.allClose(eager, a1, 1e-12, 1e-14));
    assertTrue(Array.allClose(eager, a2, 1e-12, 1e-14));
    assertTrue(Array.allClose(eager, b, 1e-12, 1e-14));
    assertEquals(1, Transforms.jitInfo(jitGrad).graphs().size());
  }

  @Test
  void jitOfValueAndGradGivesConcreteResults() {
    var step = Transforms.jit(Transforms.valueAndGrad((Array v) -> v.square().sum()));
    Pair<Array, Array> r = step.apply(Array.of(1f, 2f));
    assertEquals(5f, r.first().floatValue());
    assertArrayEquals(new float[] {2, 4}, r.second().toFloatArray());
    assertTrue(r.second().isConcrete());
  }

  @Test
  void secondDerivative() {
    Function<Array, Array> f = x -> x.mul(x).mul(x).sin();
    Function<Array, Array> d2 = Transforms.grad(Transforms.grad(f));
    double x = 0.7;
    // f = sin(x^3); f' = 3x^2 cos(x^3); f'' = 6x cos(x^3) - 9x^4 sin(x^3)
    double expected = 6 * x * Math.cos(x * x * x) - 9 * Math.pow(x, 4) * Math.sin(x * x * x);
    assertEquals(expected, d2.apply(Array.scalar(DType.F64, x)).doubleValue(), 1e-12);
    // and under jit
    assertEquals(expected, Transforms.jit(d2).apply(Array.scalar(DType.F64, x)).doubleValue(), 1e-12);
  }

  @Test
  void gradThroughClosureOverOuterTracerNests() {
    // d/dx [ d/dy (x*y^2) at y=3 ] = d/dx [6x] = 6
    Function<Array, Array> outer = Transforms.grad((Array x) ->
        Transforms.grad((Array y) -> x.mul(y).mul(y)).apply(Array.scalar(DType.F64, 3)));
    assertEquals(6, outer.apply(Array.scalar(DType.F64, 1.5)).doubleValue(), 1e-12);
  }

  @Test
  void noPerturbationConfusionWhenTheOuterValueIsTheInnerArgument() {
    // d/dx [ (d/dy y*x)(y = x) ] = d/dx [x] = 1 (JAX gives 1; confusing the two would give 2)
    Function<Array, Array> f = Transforms.grad((Array x) -> Transforms.grad((Array y) -> y.mul(x)).apply(x));
    assertEquals(1, f.apply(Array.scalar(DType.F64, 3)).doubleValue(), 0);
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void itemInsideGradSeesThePrimal() {
    double[] seen = new double[1];
    Transforms.grad((Array x) -> {
      seen[0] = x.item();
      return x.square();
    }).apply(Array.scalar(4));
    assertEquals(4, seen[0], 0);
  }

  @Test
  void stopGradientBlocks() {
    Array g = Transforms.grad((Array x) -> x.mul(x.stopGradient())).apply(Array.scalar(DType.F64, 3));
    assertEquals(3, g.doubleValue(), 1e-12);
  }

  @Test
  void integerPathsCarryNoGradient() {
    // a round trip through i32 is constant almost everywhere: zero gradient, as in JAX
    Array g = Transforms.grad((Array x) -> x.astype(DType.I32).astype(DType.F32).mul(x))
        .apply(Array.scalar(2.5f));
    assertEquals(2f, g.floatValue());
  }

  @Test
  void vectorOutputIsRejectedWithAHint() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.grad((Array x) -> x.mul(2)).apply(Array.of(1f, 2f, 3f)));
    assertEquals("grad requires a scalar output, got f32[3]; use sum() or mean()", e.getMessage());
  }

  @Test
  void integerInputIsRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.grad((Array x) -> x.sum().astype(DType.F32)).apply(Array.of(1, 2)));
    assertTrue(e.getMessage().contains("grad requires float inputs"), e.getMessage());
    assertTrue(e.getMessage().contains("arg0"), e.getMessage());
    assertTrue(e.getMessage().contains("astype(DType.F32)"), e.getMessage());
  }

  @Test
  void integerInputInAPytreeIsNamedByPath() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.grad((Params p) -> p.weight().sum()).apply(new Params(Array.of(1f), Array.of(1))));
    assertTrue(e.getMessage().contains("arg0.bias"), e.getMessage());
  }

  @Test
  void integerOutputIsRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.valueAndGrad((Array x) -> x.sum().astype(DType.I32)).apply(Array.of(1f, 2f)));
    assertTrue(e.getMessage().startsWith("valueAndGrad requires a float output, got i32[]"), e.getMessage());
  }

  @Test
  @SuppressWarnings("statelens:SL008") // a tracer escapes on purpose: the error under test
  void leakedGradTracerIsReported() {
    Array[] leak = new Array[1];
    Transforms.grad((Array x) -> {
      leak[0] = x.mul(2);
      return x.sum();
    }).apply(Array.of(1f));
    assertThrows(dev.statelens.engine.UnexpectedTracerError.class, () -> leak[0].add(1));
  }

  private static Array squaredNorm(Array x) {
    return x.square().sum();
  }

  @Test
  @SuppressWarnings("statelens:SL008") // a tracer escapes on purpose: the error under test
  void leakedTracerErrorNamesTheDifferentiatedFunction() {
    Array[] leak = new Array[1];
    Transforms.grad((Array x) -> {
      leak[0] = x;
      return squaredNorm(x);
    }).apply(Array.of(1f));
    var e = assertThrows(dev.statelens.engine.UnexpectedTracerError.class, () -> leak[0].mul(2));
    assertTrue(e.getMessage().contains("grad(<lambda>)"), e.getMessage());
  }

  @Test
  void jitOfGradIsNamedAfterTheFunctionAsInJax() {
    var j = Transforms.jit(Transforms.grad(GradTest::squaredNorm));
    j.apply(Array.of(1f, 2f));
    assertEquals("squaredNorm", Transforms.jitInfo(j).name());
    var k = Transforms.jit(Transforms.valueAndGrad((Array x, Array y) -> squaredNorm(x.mul(y))));
    k.apply(Array.of(1f), Array.of(2f));
    assertEquals("<lambda>", Transforms.jitInfo(k).name());
  }
}
