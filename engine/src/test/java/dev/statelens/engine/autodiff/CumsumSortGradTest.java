package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradients of {@code cumsum}, {@code cumprod} (with zeros, where dividing by x would give NaN)
 * and {@code sort} against central finite differences in F64, and the rules written out.
 */
class CumsumSortGradTest {

  @Test
  void cumsumAndCumprodMatchFiniteDifferences() {
    Random rnd = new Random(5);
    Array x = GradCheck.random(rnd, 3, 4);
    GradCheck.check("cumsum axis 1", a -> a.get(0).cumsum(1), x);
    GradCheck.check("cumsum axis 0", a -> a.get(0).cumsum(0), x);
    GradCheck.check("cumprod axis 1", a -> a.get(0).cumprod(1), x);
    GradCheck.check("cumprod axis 0 under jit", a -> Transforms.jit((Array v) -> v.cumprod(0)).apply(a.get(0)), x);
    // zeros: one, two, at the start and the end of a line
    Array z = Array.of(DType.F64, new int[] {4, 4}, 2, 0, 3, 0.5, 0, 1.5, 2, 3, 1.5, 2, 0.5, 0, 0, 0, 2, 3);
    GradCheck.check("cumprod with zeros", a -> a.get(0).cumprod(1), z);
    GradCheck.check("cumprod with zeros, axis 0", a -> a.get(0).cumprod(0), z);
  }

  @Test
  void cummaxAndCumminRouteTheGradientToTheRunningMaximum() {
    Random rnd = new Random(7);
    Array x = GradCheck.random(rnd, 3, 6);
    GradCheck.check("cummax axis 1", a -> a.get(0).cummax(1), x);
    GradCheck.check("cummin axis 0", a -> a.get(0).cummin(0), x);
    // y = cummax([1, 3, 2, 5, 4]) = [1, 3, 3, 5, 5]; loss = y . [1, 10, 100, 1000, 10000]
    Array w = Array.of(DType.F64, new int[] {5}, 1, 10, 100, 1000, 10000);
    Array g = Transforms.grad((Array v) -> v.cummax(0).mul(w).sum()).apply(Array.of(DType.F64, new int[] {5}, 1, 3, 2, 5, 4));
    assertArrayEquals(new double[] {1, 110, 0, 11000, 0}, g.toDoubleArray());
    // a tie: split as JAX does (the VJP of its associative scan of max; real JAX 0.10.2 gives [2.5, 0, 0.5])
    Array t = Transforms.grad((Array v) -> v.cummax(0).sum()).apply(Array.of(DType.F64, new int[] {3}, 3, 1, 3));
    assertArrayEquals(new double[] {2.5, 0, 0.5}, t.toDoubleArray());
  }

  @Test
  void cumprodGradientAtAZeroIsTheProductOfTheOthers() {
    // y = cumprod([2, 0, 3]) = [2, 0, 0]; d sum(y) / dx = [1 + 0 + 0, 2 + 2*3, 0]
    Array g = Transforms.grad((Array x) -> x.cumprod(0).sum()).apply(Array.of(DType.F64, new int[] {3}, 2, 0, 3));
    assertArrayEquals(new double[] {1, 8, 0}, g.toDoubleArray());
    Array cs = Transforms.grad((Array x) -> x.cumsum(0).mul(Array.of(DType.F64, new int[] {3}, 1, 10, 100)).sum())
        .apply(Array.of(DType.F64, new int[] {3}, 5, 6, 7));
    assertArrayEquals(new double[] {111, 110, 100}, cs.toDoubleArray(), "the reverse running sum of the cotangent");
  }

  @Test
  void sortMatchesFiniteDifferencesAndRoutesThroughThePermutation() {
    Random rnd = new Random(6);
    Array x = GradCheck.random(rnd, 3, 5);
    GradCheck.check("sort axis 1", a -> a.get(0).sort(1), x);
    GradCheck.check("sort axis 0", a -> a.get(0).sort(0), x);
    GradCheck.check("top-2 mean", a -> a.get(0).sort(1).sliceAxis(1, 3, 5).mean(), x);
    // sorted = [1, 3, 5] from x = [5, 1, 3]; loss = sorted . [1, 10, 100]
    List<Array> g = Transforms.grad((List<Array> a) -> a.get(0).sort().mul(Array.of(DType.F64, new int[] {3}, 1, 10, 100)).sum())
        .apply(List.of(Array.of(DType.F64, new int[] {3}, 5, 1, 3)));
    assertArrayEquals(new double[] {100, 1, 10}, g.get(0).toDoubleArray());
  }
}
