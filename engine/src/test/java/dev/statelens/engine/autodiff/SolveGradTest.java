package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Linalg;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.linalg.LinalgPrims;
import dev.statelens.engine.linalg.MatrixOps;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * {@code Linalg.solve}'s gradient as JAX computes it (custom_linear_solve): the backward pass
 * reuses the forward's LU factors — two triangular solves and one outer product — and agrees with
 * finite differences and with differentiating through the LU factorization (the former rule), in
 * first and second order, forward mode, jit and vmap.
 */
class SolveGradTest {
  private final Random rnd = new Random(21);

  private Array general(int... shape) {
    int n = shape[shape.length - 1];
    return GradCheck.random(rnd, shape).add(Array.eye(DType.F64, n, n).mul(3));
  }

  /** solve before the custom rule: LU, permuted b, two triangular solves, all differentiated by their own VJPs. */
  private static Array throughLu(Array a, Array b) {
    List<Array> f = LinalgPrims.LU.bind(Params.EMPTY, a);
    Array pb = b.takeAlongAxis(MatrixOps.column(f.get(2)), b.ndim() - 2);
    Array y = LinalgPrims.TRIANGULAR_SOLVE.bind1(LinalgPrims.triangularSolveParams(true, true, false, true), f.get(0), pb);
    return LinalgPrims.TRIANGULAR_SOLVE.bind1(LinalgPrims.triangularSolveParams(true, false, false, false), f.get(0), y);
  }

  private static void assertClose(Array want, Array got, double tol, String what) {
    assertArrayEquals(want.shape(), got.shape(), what + ": shape");
    assertTrue(Array.allClose(want, got, tol, tol), what + ":\n want " + want + "\n got  " + got);
  }

  @Test
  void matchesFiniteDifferences() {
    GradCheck.check("solve matrix", a -> Linalg.solve(a.get(0), a.get(1)), general(5, 5), GradCheck.random(rnd, 5, 3));
    GradCheck.check("solve vector", a -> Linalg.solve(a.get(0), a.get(1)), general(4, 4), GradCheck.random(rnd, 4));
    GradCheck.check("solve batched a, one vector", a -> Linalg.solve(a.get(0), a.get(1)), general(2, 3, 3),
        GradCheck.random(rnd, 3));
    GradCheck.check("solve broadcast batch", a -> Linalg.solve(a.get(0), a.get(1)), general(1, 3, 3),
        GradCheck.random(rnd, 2, 3, 2));
    GradCheck.check("inv", a -> Linalg.inv(a.get(0)), general(2, 4, 4));
    // a pivoting matrix: a zero on the diagonal forces row swaps
    Array pivoting = Array.of(DType.F64, new int[] {3, 3}, 0, 2, 1, 1, 0, 3, 4, 1, 0);
    GradCheck.check("solve with pivoting", a -> Linalg.solve(a.get(0), a.get(1)), pivoting, GradCheck.random(rnd, 3, 2));
  }

  @Test
  void matchesDifferentiatingThroughTheFactorization() {
    Array a = general(2, 6, 6);
    Array b = GradCheck.random(rnd, 2, 6, 3);
    Array w = GradCheck.random(rnd, 2, 6, 3);
    BiFunction<Array, Array, Array> fast = (m, v) -> Linalg.solve(m, v).mul(w).sum();
    BiFunction<Array, Array, Array> old = (m, v) -> throughLu(m, v).mul(w).sum();
    assertClose(old.apply(a, b), fast.apply(a, b), 0, "forward value");
    assertClose(Transforms.grad(old).apply(a, b), Transforms.grad(fast).apply(a, b), 1e-12, "grad a");
    assertClose(Transforms.grad((Array v, Array m) -> old.apply(m, v)).apply(b, a),
        Transforms.grad((Array v, Array m) -> fast.apply(m, v)).apply(b, a), 1e-12, "grad b");
    assertClose(Transforms.jit(Transforms.grad(old)).apply(a, b), Transforms.jit(Transforms.grad(fast)).apply(a, b),
        1e-12, "jit(grad) a");
    // forward mode transposes the backward pass
    Array ta = GradCheck.random(rnd, 2, 6, 6);
    Pair<Array, Array> jOld = Transforms.jvp((Array m) -> throughLu(m, b), a, ta);
    Pair<Array, Array> jNew = Transforms.jvp((Array m) -> Linalg.solve(m, b), a, ta);
    assertClose(jOld.second(), jNew.second(), 1e-12, "jvp");
  }

  @Test
  void secondOrderDifferentiatesTheBackwardPass() {
    Array a = general(4, 4);
    Array b = GradCheck.random(rnd, 4, 2);
    Array v = GradCheck.random(rnd, 4, 4);
    // d/da of <grad_a sum(solve(a, b)^2), v>: a Hessian-vector product, through bwd and LU's own VJP
    BiFunction<Array, Array, Array> loss = (m, r) -> Linalg.solve(m, r).square().sum();
    BiFunction<Array, Array, Array> lossOld = (m, r) -> throughLu(m, r).square().sum();
    Array hvp = Transforms.grad((Array m) -> Transforms.grad(loss).apply(m, b).mul(v).sum()).apply(a);
    Array hvpOld = Transforms.grad((Array m) -> Transforms.grad(lossOld).apply(m, b).mul(v).sum()).apply(a);
    assertClose(hvpOld, hvp, 1e-10, "grad of grad");
    GradCheck.check("grad of grad, finite differences",
        x -> Transforms.grad(loss).apply(x.get(0), b), a);
  }

  @Test
  void backwardIsTwoTriangularSolvesAndAnOuterProduct() {
    Array a = general(8, 8);
    Array b = GradCheck.random(rnd, 8);
    Jaxpr j = Transforms.makeJaxpr(Transforms.grad((Array m, Array v) -> Linalg.solve(m, v).sum()), a, b);
    int lu = 0;
    int triangular = 0;
    int dots = 0;
    for (Eqn e : j.eqns()) {
      switch (e.primitive().name()) {
        case "lu" -> lu++;
        case "triangular_solve" -> triangular++;
        case "dot_general" -> dots++;
        default -> { }
      }
    }
    assertEquals(1, lu, "one factorization:\n" + j);
    assertEquals(4, triangular, "two triangular solves forward, two backward:\n" + j);
    assertEquals(1, dots, "one outer product (-g x^T), no n^3 product:\n" + j);
  }

  @Test
  void vmapOfGradEqualsALoop() {
    Array as = general(3, 4, 4);
    Array b = GradCheck.random(rnd, 4);
    var g = Transforms.grad((Array m) -> Linalg.solve(m, b).square().sum());
    Array batched = Transforms.vmap(g).apply(as);
    Array jitted = Transforms.jit(Transforms.vmap(g)).apply(as);
    for (int i = 0; i < 3; i++) {
      assertClose(g.apply(as.get(i)), batched.get(i), 1e-12, "vmap(grad) " + i);
      assertClose(g.apply(as.get(i)), jitted.get(i), 1e-12, "jit(vmap(grad)) " + i);
    }
    // F32 stays F32
    Array g32 = Transforms.grad((Array m) -> Linalg.solve(m, b.astype(DType.F32)).sum()).apply(as.get(0).astype(DType.F32));
    assertEquals(DType.F32, g32.dtype());
  }
}
