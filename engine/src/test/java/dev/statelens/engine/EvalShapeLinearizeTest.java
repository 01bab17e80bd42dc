package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Aval;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Transforms.evalShape (jax.eval_shape), linearize (jax.linearize) and linearTranspose
 * (jax.linear_transpose). Expected values are real JAX 0.10.2's, printed by
 * bench/gpu/callback_reference.py.
 */
class EvalShapeLinearizeTest {

  record Dense(Array weight, Array bias) {}

  @Test
  void evalShapeGivesTheOutputTreeWithShapeOnlyLeavesAsJax() {
    // JAX: eval_shape(lambda x, y: {"a": x @ y, "b": x.sum()}, ShapeDtypeStruct((2,3), f32), ones((3,4)))
    //   == {'a': ShapeDtypeStruct(shape=(2, 4), dtype=float32), 'b': ShapeDtypeStruct(shape=(), dtype=float32)}
    AtomicInteger calls = new AtomicInteger();
    Map<String, Array> out = Transforms.evalShape((Array x, Array y) -> {
      calls.incrementAndGet();
      Transforms.pureCallback(in -> {
        throw new AssertionError("evalShape must not run anything");
      }, Aval.scalar(DType.F32), x.sum());
      return Map.of("a", x.matmul(y), "b", x.sum());
    }, ShapeDtype.of(DType.F32, 2, 3), Array.ones(3, 4));
    assertEquals(1, calls.get());
    assertEquals(Aval.of(DType.F32, 2, 4), out.get("a").aval());
    assertEquals(Aval.scalar(DType.F32), out.get("b").aval());
    assertTrue(ShapeDtype.isShapeOnly(out.get("a")));
    assertEquals("ShapeDtype(f32[2,4])", out.get("a").toString());
  }

  @Test
  void evalShapeKeepsTheCallersRecordTypes() {
    Function<Key, Dense> init = key -> new Dense(Random.normal(key, 784, 512), Array.zeros(DType.F32, 512));
    Dense shapes = Transforms.evalShape(init, Random.key(0));
    assertArrayEquals(new int[] {784, 512}, shapes.weight().shape());
    assertEquals(DType.F32, shapes.bias().dtype());
    assertEquals(List.of("weight", "bias"), Tree.paths(shapes));
  }

  @Test
  void aShapeDtypeRefusesToBeComputedWithNamingTheFix() {
    Array x = ShapeDtype.of(DType.F32, 3);
    var e = assertThrows(IllegalArgumentException.class, () -> x.add(1));
    assertTrue(e.getMessage().contains("on a ShapeDtype f32[3], which has a shape and a dtype but no values"), e.getMessage());
    assertThrows(IllegalArgumentException.class, x::toFloatArray);
    assertArrayEquals(new int[] {3}, x.shape());
  }

  @Test
  void linearizeGivesThePrimalAndAReusableJvpAsJax() {
    // JAX: y, f = linearize(lambda x: sin(x) * x, [1., 2.]); y = [0.84147096 1.8185948]
    //      f([1, 0]) = [1.3817732 0.], f([0, 1]) = [0. 0.07700372]
    Pair<Array, Function<Array, Array>> lin = Transforms.linearize((Array x) -> x.sin().mul(x), Array.of(1f, 2f));
    assertArrayEquals(new float[] {0.84147096f, 1.8185948f}, lin.first().toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {1.3817732f, 0f}, lin.second().apply(Array.of(1f, 0f)).toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {0f, 0.07700372f}, lin.second().apply(Array.of(0f, 1f)).toFloatArray(), 1e-6f);
    // and it agrees with jvp, also under jit and vmap
    Array t = Array.of(0.5f, -2f);
    assertArrayEquals(Transforms.jvp((Array x) -> x.sin().mul(x), Array.of(1f, 2f), t).second().toFloatArray(),
        Transforms.jit(lin.second()).apply(t).toFloatArray(), 1e-6f);
    Array basis = Array.of(DType.F32, new int[] {2, 2}, new float[] {1, 0, 0, 1});
    assertArrayEquals(new float[] {1.3817732f, 0f, 0f, 0.07700372f},
        Transforms.vmap(lin.second()).apply(basis).toFloatArray(), 1e-6f);
  }

  @Test
  void linearizeOfTwoArgumentsHoldsTheSecondFixed() {
    var lin = Transforms.linearize((Array x, Array scale) -> x.square().mul(scale), Array.of(1f, 3f), Array.scalar(2));
    assertArrayEquals(new float[] {2, 18}, lin.first().toFloatArray());
    assertArrayEquals(new float[] {4, 12}, lin.second().apply(Array.of(1f, 1f)).toFloatArray(), 1e-6f);
  }

  @Test
  void linearizeRunsTheForwardPassOnce() {
    AtomicInteger forward = new AtomicInteger();
    var lin = Transforms.linearize((Array x) -> {
      forward.incrementAndGet();
      return x.exp();
    }, Array.scalar(0));
    for (int i = 1; i <= 3; i++) {
      assertEquals(i, lin.second().apply(Array.scalar(i)).floatValue(), 1e-6f);
    }
    assertEquals(1, forward.get());
  }

  @Test
  void aTangentOfTheWrongShapeIsRefused() {
    var lin = Transforms.linearize((Array x) -> x.mul(2), Array.of(1f, 2f));
    var e = assertThrows(ShapeError.class, () -> lin.second().apply(Array.of(1f, 2f, 3f)));
    assertTrue(e.getMessage().contains("linearize"), e.getMessage());
  }

  @Test
  void linearTransposeAsJax() {
    // JAX: linear_transpose(lambda x: 2*x + x[::-1], zeros(3))([1., 2., 3.]) == ([5., 6., 7.],)
    Function<Array, Array> t = Transforms.linearTranspose((Array x) -> x.mul(2).add(x.flip(0)), ShapeDtype.of(DType.F32, 3));
    assertArrayEquals(new float[] {5, 6, 7}, t.apply(Array.of(1f, 2f, 3f)).toFloatArray(), 1e-6f);
    // the transpose of a matmul by A is a matmul by A^T
    Array a = Array.of(DType.F32, new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    Function<Array, Array> at = Transforms.linearTranspose((Array x) -> a.matmul(x), Array.zeros(DType.F32, 3));
    assertArrayEquals(new float[] {1 + 4 * 2, 2 + 5 * 2, 3 + 6 * 2}, at.apply(Array.of(1f, 2f)).toFloatArray(), 1e-6f);
  }
}
