package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradients of {@code x.at(i).set/add/mul/min/max} and {@code Lax.dynamicSlice/dynamicUpdateSlice}
 * against central finite differences in F64, with duplicate and out-of-bounds indices, and the
 * JAX rules written out for set (written positions get no cotangent; only the winning duplicate's
 * update gets one).
 */
class UpdateGradTest {
  private static final Array DUP = Array.of(2, 0, 2, 7, -1); // 2 twice, 7 out of bounds (dropped), -1 = last

  private static Array i32(int v) {
    return Array.scalar(DType.I32, v);
  }

  @Test
  void atUpdatesMatchFiniteDifferences() {
    Random rnd = new Random(3);
    Array x = GradCheck.random(rnd, 4, 3);
    Array v = GradCheck.positive(rnd, 5, 3);
    GradCheck.check("at.set", a -> a.get(0).at(DUP).set(a.get(1)), x, v);
    GradCheck.check("at.add", a -> a.get(0).at(DUP).add(a.get(1)), x, v);
    Array unique = Array.of(3, 0, 9);
    Array w = GradCheck.random(rnd, 3, 3);
    GradCheck.check("at.mul", a -> a.get(0).at(unique).mul(a.get(1)), x, w);
    GradCheck.check("at.mul duplicates", a -> a.get(0).at(DUP).mul(a.get(1)), x, v);
    GradCheck.check("at.min", a -> a.get(0).at(DUP).min(a.get(1)), x, GradCheck.random(rnd, 5, 3));
    GradCheck.check("at.max", a -> a.get(0).at(DUP).max(a.get(1)), x, GradCheck.random(rnd, 5, 3));
    GradCheck.check("at.get", a -> a.get(0).at(DUP).get(), x);
    GradCheck.check("scalar index", a -> a.get(0).at(1).set(a.get(0).get(3).mul(2)), x);
  }

  @Test
  void jittedAndVmappedGradientsMatchEagerOnes() {
    Random rnd = new Random(8);
    Array x = GradCheck.random(rnd, 4, 3);
    Array v = GradCheck.random(rnd, 5, 3);
    java.util.function.BiFunction<Array, Array, Array> loss = (a, b) ->
        a.at(DUP).set(b).at(Array.of(1, 1)).max(b.sliceAxis(0, 0, 2).mul(2)).sin().sum();
    var eager = Transforms.grad(loss);
    var jitted = Transforms.jit(Transforms.grad(loss));
    assertArrayEquals(eager.apply(x, v).toDoubleArray(), jitted.apply(x, v).toDoubleArray(), 1e-12);
    // per-example gradients: vmap over a batch of operands equals a loop
    Array xs = GradCheck.random(rnd, 3, 4, 3);
    Array batched = Transforms.vmap((Array a) -> eager.apply(a, v)).apply(xs);
    for (int b = 0; b < 3; b++) {
      assertArrayEquals(eager.apply(xs.get(b), v).toDoubleArray(), batched.get(b).toDoubleArray(), 1e-12, "example " + b);
    }
  }

  @Test
  void setGradientsFollowJaxRules() {
    Array x = Array.of(DType.F64, new int[] {3}, 1, 2, 3);
    Array v = Array.of(DType.F64, new int[] {3}, 10, 20, 30);
    Array idx = Array.of(0, 0, 5);
    // out = [20 (v1 wins over v0), 2, 3]; loss = sum(out * [1, 2, 3])
    Array c = Array.of(DType.F64, new int[] {3}, 1, 2, 3);
    List<Array> g = Transforms.grad((List<Array> a) -> a.get(0).at(idx).set(a.get(1)).mul(c).sum()).apply(List.of(x, v));
    assertArrayEquals(new double[] {0, 2, 3}, g.get(0).toDoubleArray(), "written positions get no cotangent");
    assertArrayEquals(new double[] {0, 1, 0}, g.get(1).toDoubleArray(), "only the last duplicate was written; 5 was dropped");
    // min with a tie: x0 = 1 and v0 = 1 share the cotangent
    List<Array> m = Transforms.grad((List<Array> a) -> a.get(0).at(Array.of(0)).min(a.get(1)).sum())
        .apply(List.of(x, Array.of(DType.F64, new int[] {1}, 1)));
    assertArrayEquals(new double[] {0.5, 1, 1}, m.get(0).toDoubleArray());
    assertArrayEquals(new double[] {0.5}, m.get(1).toDoubleArray());
  }

  @Test
  void dynamicSlicesMatchFiniteDifferencesAndEachOthersTranspose() {
    Random rnd = new Random(4);
    Array x = GradCheck.random(rnd, 4, 5);
    Array u = GradCheck.random(rnd, 2, 3);
    for (int[] s : new int[][] {{1, 1}, {3, 4}, {-1, 0}}) {
      Array[] start = {i32(s[0]), i32(s[1])};
      GradCheck.check("dynamic_slice at " + s[0] + "," + s[1], a -> Lax.dynamicSlice(a.get(0), start, 2, 3), x);
      GradCheck.check("dynamic_update_slice at " + s[0] + "," + s[1],
          a -> Lax.dynamicUpdateSlice(a.get(0), a.get(1), start), x, u);
      // under jit, with traced starts
      GradCheck.check("jit(dynamic_update_slice)", a -> Transforms.jit((Array p, Array q) ->
          Lax.dynamicUpdateSlice(p, q, start).square()).apply(a.get(0), a.get(1)), x, u);
    }
  }
}
