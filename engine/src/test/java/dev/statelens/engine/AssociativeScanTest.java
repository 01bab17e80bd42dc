package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code Lax.associativeScan} and {@code Lax.cumlogsumexp}: against a sequential fold, every
 * length (the odd/even recursion's cases), pytrees, jit == eager, vmap, gradients and errors.
 * Bit-equality with JAX is in the jax-reference file ({@code more/associative_scan/*}).
 */
class AssociativeScanTest {

  private static double[] sequentialCumsum(double[] v, boolean reverse) {
    double[] r = new double[v.length];
    double acc = 0;
    for (int k = 0; k < v.length; k++) {
      int i = reverse ? v.length - 1 - k : k;
      acc += v[i];
      r[i] = acc;
    }
    return r;
  }

  @Test
  void sumsEqualTheSequentialFoldForEveryLengthAndDirection() {
    for (int n = 0; n <= 17; n++) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = i * i - 3; // integers: any order of additions is exact
      }
      Array x = Array.of(DType.F64, new int[] {n}, v);
      for (boolean reverse : new boolean[] {false, true}) {
        Array r = Lax.associativeScan((Array a, Array b) -> a.add(b), x, reverse, 0);
        assertArrayEquals(sequentialCumsum(v, reverse), r.toDoubleArray(), "n=" + n + " reverse=" + reverse);
      }
    }
  }

  @Test
  void fnSeesTheOperandsInScanOrder() {
    // a non-commutative but associative fn: 2x2 matrix products keep the left-to-right order
    Array m = Array.of(DType.F64, new int[] {4, 2, 2}, new double[] {1, 1, 0, 1, 2, 0, 0, 1, 1, 0, 3, 1, 0, 1, 1, 0});
    Array r = Lax.associativeScan(Array::matmul, m);
    Array expected = m.sliceAxis(0, 0, 1).reshape(2, 2);
    for (int k = 1; k < 4; k++) {
      expected = expected.matmul(m.sliceAxis(0, k, k + 1).reshape(2, 2));
      assertArrayEquals(expected.toDoubleArray(), r.sliceAxis(0, k, k + 1).reshape(2, 2).toDoubleArray(), 1e-12);
    }
    // reversed: [..., f(f(z, y), x), f(z, y), z]
    Array rev = Lax.associativeScan(Array::matmul, m, true, 0);
    Array zy = m.sliceAxis(0, 3, 4).reshape(2, 2).matmul(m.sliceAxis(0, 2, 3).reshape(2, 2));
    assertArrayEquals(zy.toDoubleArray(), rev.sliceAxis(0, 2, 3).reshape(2, 2).toDoubleArray(), 1e-12);
  }

  @Test
  void pytreeLinearRecurrenceMatchesALoopUnderJitAndVmap() {
    Array a = Array.of(DType.F64, new int[] {9}, new double[] {0.5, 0.9, -0.3, 1.1, 0.7, 0.2, -0.8, 0.6, 0.95});
    Array b = Array.of(DType.F64, new int[] {9}, new double[] {1, -2, 0.5, 3, -1, 2, 0.25, -0.5, 1.5});
    double h = 0;
    double[] expected = new double[9];
    for (int t = 0; t < 9; t++) {
      h = a.toDoubleArray()[t] * h + b.toDoubleArray()[t];
      expected[t] = h;
    }
    Function<Pair<Array, Array>, Pair<Array, Array>> scan =
        e -> Lax.associativeScan(StateLensMoreSide::linearRecurrence, e);
    Pair<Array, Array> eager = scan.apply(Pair.of(a, b));
    assertArrayEquals(expected, eager.second().toDoubleArray(), 1e-12);
    Pair<Array, Array> jitted = Transforms.jit(scan).apply(Pair.of(a, b));
    assertArrayEquals(eager.second().toDoubleArray(), jitted.second().toDoubleArray(), 0.0);
    Array rows = Array.stack(0, b, b.mul(2));
    Array batched = Transforms.vmap((Array r) -> scan.apply(Pair.of(a, r)).second()).apply(rows);
    assertArrayEquals(eager.second().mul(2).toDoubleArray(), batched.sliceAxis(0, 1, 2).reshape(9).toDoubleArray(),
        1e-12);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Array a = Array.of(DType.F64, new int[] {6}, new double[] {0.5, 0.9, -0.3, 1.1, 0.7, 0.2});
    Array b = Array.of(DType.F64, new int[] {6}, new double[] {1, -2, 0.5, 3, -1, 2});
    Function<List<Array>, Array> loss = v -> Lax.associativeScan(StateLensMoreSide::linearRecurrence,
        Pair.of(v.get(0), v.get(1)), true, 0).second().square().sum();
    List<Array> g = Transforms.grad(loss).apply(List.of(a, b));
    List<Array> gj = Transforms.jit(Transforms.grad(loss)).apply(List.of(a, b));
    double h = 1e-6;
    for (int which = 0; which < 2; which++) {
      double[] base = (which == 0 ? a : b).toDoubleArray();
      for (int i = 0; i < base.length; i++) {
        double[] up = base.clone(), dn = base.clone();
        up[i] += h;
        dn[i] -= h;
        Array u = Array.of(DType.F64, new int[] {6}, up), d = Array.of(DType.F64, new int[] {6}, dn);
        double fd = (loss.apply(which == 0 ? List.of(u, b) : List.of(a, u)).doubleValue()
            - loss.apply(which == 0 ? List.of(d, b) : List.of(a, d)).doubleValue()) / (2 * h);
        assertEquals(fd, g.get(which).toDoubleArray()[i], 1e-6 * (1 + Math.abs(fd)));
        assertEquals(g.get(which).toDoubleArray()[i], gj.get(which).toDoubleArray()[i], 1e-12);
      }
    }
  }

  @Test
  void cumlogsumexpIsStableAndItsGradientIsARunningSoftmax() {
    Array x = Array.of(DType.F64, new int[] {5}, new double[] {1000, 1000, -5, 2, 1001});
    Array r = x.cumlogsumexp(0);
    double l2 = 1000 + Math.log(2);
    assertArrayEquals(new double[] {1000, l2, l2, l2, 1001 + Math.log1p(Math.exp(l2 - 1001))}, r.toDoubleArray(), 1e-9);
    // d/dx_j of the last element = softmax(x)_j
    Array g = Transforms.grad((Array v) -> v.cumlogsumexp(0).sliceAxis(0, 4, 5).sum()).apply(x);
    assertArrayEquals(Nn.softmax(x).toDoubleArray(), g.toDoubleArray(), 1e-12);
    assertArrayEquals(r.toDoubleArray(), Transforms.jit((Array v) -> v.cumlogsumexp(0)).apply(x).toDoubleArray(), 0);
  }

  @Test
  void cummaxGradientSplitsTiesAsJax() {
    Array x = Array.of(1f, 3f, 3f, 2f);
    // y = [1, 3, 3, 3]: positions 2 and 3 tie between x1 and x2; real JAX 0.10.2 gives [1, 2, 1, 0]
    Array g = Transforms.grad((Array v) -> v.cummax(0).sum()).apply(x);
    assertArrayEquals(new float[] {1, 2, 1, 0}, g.toFloatArray());
  }

  @Test
  void badInputIsNamed() {
    Array x = Array.of(1f, 2f, 3f);
    ShapeError lengths = assertThrows(ShapeError.class,
        () -> Lax.associativeScan((Pair<Array, Array> p, Pair<Array, Array> q) -> p, Pair.of(x, Array.of(1f, 2f))));
    assertTrue(lengths.getMessage().contains("elems.second is f32[2]"), lengths.getMessage());
    ShapeError reducing = assertThrows(ShapeError.class,
        () -> Lax.associativeScan((Array p, Array q) -> p.add(q).sum(), x));
    assertTrue(reducing.getMessage().contains("elementwise along the scanned axis"), reducing.getMessage());
    ShapeError axis = assertThrows(ShapeError.class, () -> Lax.associativeScan((Array p, Array q) -> p, x, false, 1));
    assertTrue(axis.getMessage().contains("axis 1 is out of range"), axis.getMessage());
    assertThrows(TreeStructureError.class,
        () -> Lax.associativeScan((List<Array> p, List<Array> q) -> List.of(p.get(0)), List.of(x, x)));
    ShapeError ints = assertThrows(ShapeError.class, () -> Lax.cumlogsumexp(Array.of(DType.I32, new int[] {2}, new int[] {1, 2}), 0, false));
    assertTrue(ints.getMessage().contains("astype(DType.F32)"), ints.getMessage());
  }
}
