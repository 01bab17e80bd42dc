package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared by the optimizer tests: F64 params {@code P(w[3], b)} and the gradient of
 * sum((p - target)^3 + (p - target)^2) — of both signs and changing every step, so moment
 * estimates do not settle — with its plain-Java twin for the references.
 */
final class OptimFixture {
  private OptimFixture() {}

  public record P(Array w, Array b) {}

  static final double[] P0 = {0.5, -1.25, 2, 0.75};
  static final double[] TARGET = {1.5, 0.25, -1, -0.5};

  static P params0() {
    return new P(Array.of(P0[0], P0[1], P0[2]), Array.scalar(DType.F64, P0[3]));
  }

  static P grads(P p) {
    Array dw = p.w().sub(Array.of(TARGET[0], TARGET[1], TARGET[2]));
    Array db = p.b().sub(Array.scalar(DType.F64, TARGET[3]));
    return new P(dw.square().mul(3).add(dw.mul(2)), db.square().mul(3).add(db.mul(2)));
  }

  static double[] refGrads(double[] p) {
    double[] g = new double[4];
    for (int i = 0; i < 4; i++) {
      double d = p[i] - TARGET[i];
      g[i] = 3 * d * d + 2 * d;
    }
    return g;
  }

  static double[] flat(P p) {
    double[] w = p.w().toDoubleArray();
    return new double[] {w[0], w[1], w[2], p.b().doubleValue()};
  }

  static void assertClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
    }
  }

  /** Runs {@code expected.length} eager updates, checking the params against {@code expected} after each. */
  static Optim.OptState<P> runAndCompare(Optim.Optimizer opt, double[][] expected, double tol) {
    P p = params0();
    Optim.OptState<P> s = opt.init(p);
    for (int t = 0; t < expected.length; t++) {
      var r = opt.update(grads(p), s, p);
      p = Optim.applyUpdates(p, r.first());
      s = r.second();
      assertClose(expected[t], flat(p), tol, "params after step " + (t + 1));
    }
    return s;
  }

  /** Runs {@code steps} updates eagerly and through the jitted {@code step}; the params agree to 1e-12 after each. */
  static void assertJitEqualsEager(Optim.Optimizer opt, Fn3<P, Optim.OptState<P>, P, Pair<P, Optim.OptState<P>>> step,
      int steps, String what) {
    P eager = params0();
    P jitted = params0();
    Optim.OptState<P> es = opt.init(eager);
    Optim.OptState<P> js = opt.init(jitted);
    for (int t = 0; t < steps; t++) {
      var r = opt.update(grads(eager), es, eager);
      eager = Optim.applyUpdates(eager, r.first());
      es = r.second();
      var jr = step.apply(jitted, js, grads(jitted));
      jitted = jr.first();
      js = jr.second();
      assertClose(flat(eager), flat(jitted), 1e-12, what + ": jit vs eager after step " + (t + 1));
    }
  }
}
