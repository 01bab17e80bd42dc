package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Jaxpr;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code Transforms.customVjp} (jax.custom_vjp): eager, jit, vmap, grad and their compositions. */
class CustomVjpTest {

  /** ||x||, whose true gradient x/||x|| is NaN at 0; the custom rule gives 0 there. */
  static final Function<Array, Array> SAFE_NORM = Transforms.customVjp(
      (Array x) -> x.square().sum().sqrt(),
      (Array x) -> {
        Array n = x.square().sum().sqrt();
        return Pair.of(n, Pair.of(x, n));
      },
      (Pair<Array, Array> res, Array ct) -> {
        Array x = res.first(), n = res.second();
        Array safe = Array.where(n.eq(0), 1.0, n);
        return Array.where(n.eq(0), 0.0, x.div(safe)).mul(ct);
      });

  /** log(1 + e^x) with the stable gradient sigmoid(x) (the true one). */
  static final Function<Array, Array> LOG1PEXP = Transforms.customVjp(
      (Array x) -> x.exp().log1p(),
      (Array x) -> Pair.of(x.exp().log1p(), x),
      (Array x, Array ct) -> x.sigmoid().mul(ct));

  /** Straight-through estimator: rounds in the forward pass, identity gradient. */
  static final Function<Array, Array> ROUND_STE = Transforms.customVjp(
      Array::round, (Array x) -> Pair.of(x.round(), (Object) null), (Object res, Array ct) -> ct);

  /** The identity whose gradient is tripled: shows that bwd, not f's derivative, is used. */
  static final Function<Array, Array> TRIPLE_GRAD = Transforms.customVjp(
      (Array x) -> x, (Array x) -> Pair.of(x, (Object) null), (Object res, Array ct) -> ct.mul(3));

  private static void assertClose(Array expected, Array actual, double tol) {
    double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
    assertEquals(e.length, a.length);
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), "element " + i);
    }
  }

  @Test
  void safeNormGradientIsFiniteAtZeroInEveryComposition() {
    Array zero = Array.zeros(DType.F64, 3);
    Function<Array, Array> plain = x -> x.square().sum().sqrt();
    // the point of the example: the true gradient is NaN at 0
    assertTrue(Double.isNaN(Transforms.grad(plain).apply(zero).toDoubleArray()[0]));

    Function<Array, Array> g = Transforms.grad(SAFE_NORM);
    double[] zeros = {0, 0, 0};
    assertArrayEquals(zeros, g.apply(zero).toDoubleArray());
    assertArrayEquals(zeros, Transforms.jit(g).apply(zero).toDoubleArray());
    assertArrayEquals(zeros, Transforms.grad(Transforms.jit(SAFE_NORM)).apply(zero).toDoubleArray());
    assertArrayEquals(zeros, Transforms.jit(Transforms.grad(Transforms.jit(SAFE_NORM))).apply(zero).toDoubleArray());
    // away from 0 it is the true gradient x/||x||
    Array x = Array.of(3.0, 0.0, 4.0);
    assertClose(Array.of(0.6, 0.0, 0.8), g.apply(x), 1e-12);
    assertClose(Array.of(0.6, 0.0, 0.8), Transforms.grad(Transforms.jit(SAFE_NORM)).apply(x), 1e-12);
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void callingItRunsFOnlyEagerAndUnderJitAndVmap() {
    AtomicInteger fwdCalls = new AtomicInteger();
    Function<Array, Array> f = Transforms.customVjp((Array x) -> x.sin(),
        (Array x) -> {
          fwdCalls.incrementAndGet();
          return Pair.of(x.sin(), x);
        },
        (Array x, Array ct) -> x.cos().mul(ct));
    Array x = Array.of(0.1, 0.5, 2.0);
    assertClose(x.sin(), f.apply(x), 0);
    assertClose(x.sin(), Transforms.jit(f).apply(x), 1e-15);
    assertClose(x.sin(), Transforms.vmap(f).apply(x), 1e-15);
    assertEquals(0, fwdCalls.get(), "fwd runs only under differentiation");
    Transforms.grad((Array y) -> f.apply(y).sum()).apply(x);
    assertEquals(1, fwdCalls.get());
  }

  @Test
  void trueRuleMatchesFiniteDifferencesInF64() {
    Array x = Array.of(-30.0, -2.0, -0.3, 0.0, 0.7, 5.0, 40.0);
    Function<Array, Array> loss = y -> LOG1PEXP.apply(y).mul(Array.of(1.0, 2, 3, 4, 5, 6, 7)).sum();
    Array g = Transforms.grad(loss).apply(x);
    double[] xs = x.toDoubleArray();
    double h = 1e-6;
    for (int i = 0; i < xs.length; i++) {
      double[] p = xs.clone(), m = xs.clone();
      p[i] += h;
      m[i] -= h;
      double fd = (loss.apply(Array.of(p)).doubleValue() - loss.apply(Array.of(m)).doubleValue()) / (2 * h);
      assertEquals(fd, g.toDoubleArray()[i], 1e-6 * (1 + Math.abs(fd)), "leaf " + i);
    }
    assertClose(x.sigmoid().mul(Array.of(1.0, 2, 3, 4, 5, 6, 7)), Transforms.jit(Transforms.grad(loss)).apply(x), 1e-12);
  }

  @Test
  void straightThroughEstimatorRoundsForwardAndPassesGradient() {
    Array x = Array.of(0.2, 1.7, -2.4);
    Array w = Array.of(1.0, -2.0, 0.5);
    Function<Array, Array> loss = y -> ROUND_STE.apply(y).mul(w).sum();
    assertEquals(0 * 1 + 2 * -2 + -2 * 0.5, loss.apply(x).doubleValue(), 0);
    assertClose(w, Transforms.grad(loss).apply(x), 0);
    assertClose(w, Transforms.jit(Transforms.grad(loss)).apply(x), 0);
    // without the custom rule round has a zero gradient
    assertClose(Array.zeros(DType.F64, 3), Transforms.grad((Array y) -> y.round().mul(w).sum()).apply(x), 0);
  }

  @Test
  void bwdIsUsedUnderJitVmapAndTheirCompositions() {
    Array x = Array.of(1.0, 2.0, 3.0);
    Function<Array, Array> loss = y -> TRIPLE_GRAD.apply(y).square().sum(); // d/dy = 3 * 2y
    Array expected = x.mul(6);
    assertClose(expected, Transforms.grad(loss).apply(x), 0);
    assertClose(expected, Transforms.jit(Transforms.grad(loss)).apply(x), 0);
    assertClose(expected, Transforms.grad(Transforms.jit(loss)).apply(x), 0);
    // vmap(grad(f)) equals a loop; grad of a vmapped function uses the batched bwd
    Array xs = Array.of(DType.F64, new int[] {4, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3);
    Array batched = Transforms.vmap(Transforms.grad(loss)).apply(xs);
    Array jitBatched = Transforms.jit(Transforms.vmap(Transforms.grad(loss))).apply(xs);
    for (int i = 0; i < 4; i++) {
      Array row = xs.get(i);
      assertClose(Transforms.grad(loss).apply(row), batched.get(i), 0);
      assertClose(row.mul(6), jitBatched.get(i), 0);
    }
    Function<Array, Array> vloss = y -> Transforms.vmap(TRIPLE_GRAD).apply(y).square().sum();
    assertClose(xs.mul(6), Transforms.grad(vloss).apply(xs), 0);
    assertClose(xs.mul(6), Transforms.jit(Transforms.grad(vloss)).apply(xs), 0);
    assertClose(xs.mul(6), Transforms.grad(Transforms.jit(vloss)).apply(xs), 0);
  }

  @Test
  void vmapOfSafeNormGradAtZeroRows() {
    Array xs = Array.of(DType.F64, new int[] {3, 2}, 0, 0, 3, 4, 0, -2);
    Array g = Transforms.vmap(Transforms.grad(SAFE_NORM)).apply(xs);
    assertClose(Array.of(DType.F64, new int[] {3, 2}, 0, 0, 0.6, 0.8, 0, -1), g, 1e-12);
    Array values = Transforms.vmap(SAFE_NORM).apply(xs);
    assertClose(Array.of(0.0, 5.0, 2.0), values, 1e-15);
  }

  @Test
  void unmappedArgumentOfVmappedCallGetsTheBatchSumOfCotangents() {
    BiFunction<Array, Array, Array> scaled = Transforms.customVjp(
        (Array a, Array b) -> a.mul(b),
        (Array a, Array b) -> Pair.of(a.mul(b), Pair.of(a, b)),
        (Pair<Array, Array> r, Array ct) -> Pair.of(ct.mul(r.second()), ct.mul(r.first())));
    Array a = Array.of(2.0, 3.0);               // unmapped: shared by the batch
    Array bs = Array.of(DType.F64, new int[] {3, 2}, 1, 2, 3, 4, 5, 6);
    Function<Array, Array> loss = av -> Transforms.vmap(scaled, null, 0).apply(av, bs).sum();
    assertClose(bs.sum(0), Transforms.grad(loss).apply(a), 0);
    assertClose(bs.sum(0), Transforms.jit(Transforms.grad(loss)).apply(a), 0);
  }

  @Test
  void jvpFollowsFromBwd() {
    Array x = Array.of(-1.0, 0.0, 2.0), t = Array.of(0.5, 1.0, -2.0);
    Pair<Array, Array> r = Transforms.jvp(LOG1PEXP, x, t);
    assertClose(x.exp().log1p(), r.first(), 1e-15);
    assertClose(x.sigmoid().mul(t), r.second(), 1e-12);
    assertClose(t.mul(3), Transforms.jvp(TRIPLE_GRAD, x, t).second(), 0);
    assertClose(t.mul(3), Transforms.jit((Array y) -> Transforms.jvp(TRIPLE_GRAD, y, t).second()).apply(x), 0);
  }

  @Test
  void secondDerivativesDifferentiateBwd() {
    Function<Array, Array> cube = Transforms.customVjp((Array x) -> x.mul(x).mul(x),
        (Array x) -> Pair.of(x.mul(x).mul(x), x), (Array x, Array ct) -> x.square().mul(3).mul(ct));
    Array x = Array.of(-1.0, 0.5, 2.0);
    Function<Array, Array> d1 = y -> Transforms.grad((Array z) -> cube.apply(z).sum()).apply(y).sum();
    assertClose(x.mul(6), Transforms.grad(d1).apply(x), 1e-12);
  }

  @Test
  void pytreeArgumentsAndTwoArgumentFormWithIntegerInput() {
    record P(Array w, Array b) {}
    Function<P, Array> f = Transforms.customVjp((P p) -> p.w().mul(p.b()),
        (P p) -> Pair.of(p.w().mul(p.b()), p),
        (P p, Array ct) -> new P(ct.mul(p.b()), ct.mul(p.w())));
    P p = new P(Array.of(1.0, 2.0), Array.of(3.0, 4.0));
    P g = Transforms.grad((P q) -> f.apply(q).sum()).apply(p);
    assertClose(p.b(), g.w(), 0);
    assertClose(p.w(), g.b(), 0);

    BiFunction<Array, Array, Array> gather = Transforms.customVjp(
        (Array x, Array idx) -> x.take(idx),
        (Array x, Array idx) -> Pair.of(x.take(idx), idx),
        (Array idx, Array ct) -> Pair.of(Array.ones(DType.F64, 4).mul(ct.sum()), idx)); // idx's entry is ignored
    Array idx = Array.of(0, 2);
    Array gx = Transforms.grad((Array x, Array i) -> gather.apply(x, i).sum()).apply(Array.of(1.0, 2, 3, 4), idx);
    assertClose(Array.full(DType.F64, new int[] {4}, 2), gx, 0);
  }

  @Test
  void jaxprShowsCustomVjpCallWithItsCallJaxpr() {
    Jaxpr j = Transforms.makeJaxpr((Array x) -> SAFE_NORM.apply(x).mul(2), Array.of(1.0, 2.0));
    String printed = j.toString();
    assertTrue(printed.contains("custom_vjp_call["), printed);
    assertTrue(printed.contains("call_jaxpr={ lambda"), printed);
    assertTrue(printed.contains("bwd=custom_vjp.bwd"), printed);
    assertTrue(printed.contains("sqrt"), printed);
    // the jitted call compiles (the call is inlined for the backend) and gives f's value
    assertEquals(2 * Math.sqrt(5), Transforms.jit((Array x) -> SAFE_NORM.apply(x).mul(2)).apply(Array.of(1.0, 2.0))
        .doubleValue(), 1e-15);
    // under jit(grad) the fwd and bwd are staged as plain operations, as in JAX
    String g = Transforms.makeJaxpr(Transforms.grad(SAFE_NORM), Array.of(1.0, 2.0)).toString();
    assertFalse(g.contains("custom_vjp_call"), g);
  }

  @Test
  void bwdReturningTheWrongShapeOrStructureIsNamed() {
    record P(Array w, Array b) {}
    Function<P, Array> badShape = Transforms.customVjp((P p) -> p.w().sum(), (P p) -> Pair.of(p.w().sum(), p),
        (P p, Array ct) -> new P(ct, p.b())); // ct is f64[], w is f64[2]
    P p = new P(Array.of(1.0, 2.0), Array.of(3.0));
    ShapeError e = assertThrows(ShapeError.class, () -> Transforms.grad(badShape).apply(p));
    assertTrue(e.getMessage().contains("cotangent of x.w"), e.getMessage());
    assertTrue(e.getMessage().contains("f64[2]"), e.getMessage());

    Function<Array, Array> badStructure = Transforms.customVjp((Array x) -> x.sum(),
        (Array x) -> Pair.of(x.sum(), x), (Array x, Array ct) -> (Array) null);
    TreeStructureError s = assertThrows(TreeStructureError.class,
        () -> Transforms.grad(badStructure).apply(Array.of(1.0, 2.0)));
    assertTrue(s.getMessage().contains("bwd returned a cotangent structured unlike the argument"), s.getMessage());

    Function<Array, Array> badFwd = Transforms.customVjp((Array x) -> x.sum(),
        (Array x) -> Pair.of(x, x), (Array x, Array ct) -> ct);
    ShapeError f = assertThrows(ShapeError.class,
        () -> Transforms.jit(Transforms.grad(Transforms.jit(badFwd))).apply(Array.of(1.0, 2.0)));
    assertTrue(f.getMessage().contains("fwd must return Pair.of(f(x), residuals)"), f.getMessage());
  }

  @Test
  void closingOverADifferentiatedValueIsAnError() {
    Function<Array, Array> loss = w -> {
      Function<Array, Array> scale = Transforms.customVjp((Array x) -> x.mul(w),
          (Array x) -> Pair.of(x.mul(w), x), (Array x, Array ct) -> ct.mul(w));
      return scale.apply(w.mul(Array.of(1.0, 2.0))).sum();
    };
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> Transforms.grad(loss).apply(Array.scalar(DType.F64, 2)));
    assertTrue(e.getMessage().contains("closes over a value being differentiated"), e.getMessage());
  }
  @Test
  void complexArgumentsTakeBwdsCotangentAsItIs() {
    Array z = Array.complex(Array.of(1f, -0.5f, 3f), Array.of(2f, 0.25f, -1f));
    Function<Array, Array> plain = w -> w.sin().mul(w);
    Function<Array, Array> custom = ComplexCustomVjpTwins.sinTimesZ(false);
    // JAX's convention: bwd gets ct and returns ct * f'(z) (no conjugate), as f's own VJP does
    Array want = Transforms.grad((Array w) -> plain.apply(w).sum(), true).apply(z);
    Array got = Transforms.grad((Array w) -> custom.apply(w).sum(), true).apply(z);
    assertEquals(DType.C64, got.dtype());
    assertClose(want.real(), got.real(), 1e-5);
    assertClose(want.imag(), got.imag(), 1e-5);
    assertTrue(Math.abs(got.imag().toDoubleArray()[0]) > 0.1, "a complex argument gets bwd's cotangent, not zero");
    // a bwd that conjugates gives the conjugate: its answer is used verbatim
    Array conj = Transforms.grad((Array w) -> ComplexCustomVjpTwins.sinTimesZ(true).apply(w).sum(), true).apply(z);
    assertClose(want.imag().neg(), conj.imag(), 1e-5);
    // a real loss, under jit and vmap too
    Array real = Transforms.grad((Array w) -> plain.apply(w).abs().sum()).apply(z);
    Array jitted = Transforms.jit(Transforms.grad((Array w) -> custom.apply(w).abs().sum())).apply(z);
    assertClose(real.real(), jitted.real(), 1e-5);
    assertClose(real.imag(), jitted.imag(), 1e-5);
    Array mapped = Transforms.vmap((Array w) -> Transforms.grad((Array v) -> custom.apply(v).abs()).apply(w)).apply(z);
    assertClose(real.imag(), mapped.imag(), 1e-5);
  }

  @Test
  void aRealCotangentForAComplexArgumentIsRefused() {
    // JAX 0.10.2 takes it and returns an f32 "gradient" of a c64 argument (or fails later in lax.add)
    Function<Array, Array> f = Transforms.customVjp((Array z) -> z.abs(), (Array z) -> Pair.of(z.abs(), z),
        (Array z, Array ct) -> ct);
    ShapeError e = assertThrows(ShapeError.class, () -> Transforms.grad((Array z) -> f.apply(z).sum())
        .apply(Array.complex(Array.of(1f, 2f), Array.of(0.5f, -1f))));
    assertTrue(e.getMessage().contains("astype(C64)") || e.getMessage().contains("astype(c64)"), e.getMessage());
  }
}
