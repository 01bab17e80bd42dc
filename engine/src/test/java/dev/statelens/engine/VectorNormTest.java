package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code jnp.linalg.norm(x, ord, axis=one axis)} is JAX's {@code vector_norm}: {@link Array#norm}
 * over one axis and {@link Linalg#vectorNorm} are one computation. Expected values printed by JAX
 * 0.10.2 on CPU ({@code jnp.linalg.norm(x, ord=p, axis=0)} with x = [0.3, 1.7, 2.9] f32).
 */
class VectorNormTest {

  private static final Array X = Array.of(DType.F32, new int[] {3}, 0.3f, 1.7f, 2.9f);

  @Test
  void normOverOneAxisIsVectorNormAndAgreesWithJax() {
    double[] ords = {0.1, 0.3, 0.7, 1, 2, 3.3, 7, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    float[] jax = {70445.1875f, 50.62581253051758f, 7.213206768035889f, 4.9f, 3.3749074935913086f, 3.0430245399475098f,
      2.9097561836242676f, 3f, 2.9f, 0.3f};
    for (int i = 0; i < ords.length; i++) {
      float viaNorm = X.norm(ords[i], 0).toFloatArray()[0];
      float viaVectorNorm = Linalg.vectorNorm(X, ords[i], false, 0).toFloatArray()[0];
      assertEquals(viaVectorNorm, viaNorm, 0f, "the same computation, ord " + ords[i]);
      // ord 0.1 raises the sum to the 10th power: f32 pow's last bits grow to 8 ulps of JAX's
      assertEquals(jax[i], viaNorm, 1e-6 * jax[i], "JAX's value, ord " + ords[i]);
    }
  }

  @Test
  void infinityNormOfAnEmptyAxisIsZeroAsJaxsInitial() {
    // jnp.linalg.norm(jnp.zeros((2, 0)), ord=jnp.inf, axis=1) -> [0, 0] (amax with initial=0)
    Array empty = Array.zeros(DType.F32, 2, 0);
    assertArrayEquals(new float[] {0, 0}, empty.norm(Double.POSITIVE_INFINITY, 1).toFloatArray(), 0f);
    assertArrayEquals(new float[] {0, 0}, Linalg.vectorNorm(empty, Double.POSITIVE_INFINITY, false, 1).toFloatArray(), 0f);
  }

  @Test
  void minusInfinityNormOfAnEmptyAxisIsRefusedAsJaxRefusesIt() {
    // jnp.linalg.vector_norm(jnp.zeros((0,)), ord=-jnp.inf) -> ValueError: zero-size array to
    // reduction operation min which has no identity (JAX 0.10.2); ord -1 gives inf there, not an error
    Array empty = Array.zeros(DType.F32, 0);
    ShapeError e = assertThrows(ShapeError.class, () -> empty.norm(Double.NEGATIVE_INFINITY, 0));
    assertTrue(e.getMessage().contains("min of nothing") && e.getMessage().contains("Double.POSITIVE_INFINITY"), e.getMessage());
    assertThrows(ShapeError.class, () -> Linalg.vectorNorm(Array.zeros(DType.F32, 2, 0), Double.NEGATIVE_INFINITY, false, 1));
    // an empty batch over a non-empty axis is fine: min over 3 elements, no rows
    assertArrayEquals(new int[] {0}, Linalg.vectorNorm(Array.zeros(DType.F32, 0, 3), Double.NEGATIVE_INFINITY, false, 1).shape());
  }
}
