package dev.statelens.engine.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * XLA's division by a constant or a broadcast as a multiplication by the reciprocal
 * ({@link ReciprocalDivision}); the values are checked against JAX 0.10.2 in the reference's
 * {@code recip/} cases, this checks which equations the pass rewrites and that eager and jit agree.
 */
class ReciprocalDivisionTest {

  /** (divisions left, reciprocals 1/b, multiplications) in {@code j} and its sub-graphs. */
  private static int[] count(Jaxpr j) {
    int[] n = new int[3];
    for (Eqn e : j.eqns()) {
      if (e.primitive() == Prims.DIV) {
        boolean recip = e.inputs().get(0) instanceof Literal l && l.value() == 1.0;
        n[recip ? 1 : 0]++;
      } else if (e.primitive() == Prims.MUL) {
        n[2]++;
      }
      for (int i = 0; i < e.params().size(); i++) {
        if (e.params().value(i) instanceof Jaxpr sub) {
          int[] s = count(sub);
          for (int k = 0; k < 3; k++) {
            n[k] += s[k];
          }
        }
      }
    }
    return n;
  }

  private static int[] rewritten(Jaxpr j) {
    return count(ReciprocalDivision.apply(j));
  }

  @Test
  void literalScalarAndBroadcastDivisorsBecomeMultiplications() {
    Array x = Array.zeros(3, 4);
    Array row = Array.ones(4);
    Array column = Array.ones(3, 1);
    Array s = Array.scalar(2f);
    assertArrayEquals(new int[] {0, 1, 1}, rewritten(Transforms.makeJaxpr((Array a) -> a.div(3.0), x)));
    assertArrayEquals(new int[] {0, 1, 1}, rewritten(Transforms.makeJaxpr((Array a, Array d) -> a.div(d), x, s)));
    assertArrayEquals(new int[] {0, 1, 1}, rewritten(Transforms.makeJaxpr((Array a, Array d) -> a.div(d), x, row)));
    assertArrayEquals(new int[] {0, 1, 1}, rewritten(Transforms.makeJaxpr((Array a, Array d) -> a.div(d), x, column)));
    // the traced graph keeps JAX's div (make_jaxpr shows div too); only what the backends compile changes
    assertArrayEquals(new int[] {1, 0, 0}, count(Transforms.makeJaxpr((Array a, Array d) -> a.div(d), x, row)));
  }

  @Test
  void sameShapeScalarByScalarIntegerBf16AndTracedComplexKeepTheDivision() {
    Array x = Array.zeros(3, 4);
    assertArrayEquals(new int[] {1, 0, 0}, rewritten(Transforms.makeJaxpr((Array a, Array d) -> a.div(d), x, x)));
    Array s = Array.scalar(2f);
    assertArrayEquals(new int[] {1, 0, 0}, rewritten(Transforms.makeJaxpr((Array a, Array d) -> a.div(d), s, s)));
    Array i = Array.zeros(3, 4).astype(DType.I32);
    assertArrayEquals(new int[] {1, 0, 0}, rewritten(Transforms.makeJaxpr((Array a) -> a.div(3L), i)));
    Array b = x.astype(DType.BF16);
    assertArrayEquals(new int[] {1, 0, 0}, rewritten(Transforms.makeJaxpr((Array a) -> a.div(3.0), b)));
    Array z = x.astype(DType.C64);
    Array zs = Array.scalar(3f).astype(DType.C64);
    assertArrayEquals(new int[] {1, 0, 0}, rewritten(Transforms.makeJaxpr((Array a, Array d) -> a.div(d), z, zs)));
    // a complex constant is inverted, as XLA's InvertConstant
    assertArrayEquals(new int[] {0, 1, 1}, rewritten(Transforms.makeJaxpr((Array a) -> a.div(3.0), z)));
  }

  @Test
  void closedOverArraysAreConstantsLoopBodiesAreRewrittenToo() {
    Array x = Array.zeros(5);
    Array closedOver = Array.of(1f, 2f, 3f, 4f, 5f);
    assertArrayEquals(new int[] {0, 1, 1}, rewritten(Transforms.makeJaxpr((Array a) -> a.div(closedOver), x)));
    Jaxpr loop = Transforms.makeJaxpr((Array a) -> Lax.whileLoop((Pair<Array, Array> c) -> c.second().lt(3),
        (Pair<Array, Array> c) -> Pair.of(c.first().div(3.0), c.second().add(1)), Pair.of(a, Array.scalar(DType.I32, 0))), x);
    assertEquals(1, count(loop)[0]);
    assertArrayEquals(new int[] {0, 1, 1}, rewritten(loop));
  }

  @Test
  void aRankZeroDivisorWithAnotherReaderStaysADivisionARowOrAConstantNever() {
    // JAX 0.10.2: jit(lambda x, t, d: (x / d, t / d)) with a rank-0 d divides both (recip/jit_shared_divisor),
    // as (a / d, d) and (a / d, d + 1) do; a / d alone, or beside a * 2, multiplies by 1/d
    Array x = Array.zeros(4);
    Array d = Array.scalar(2f);
    assertArrayEquals(new int[] {2, 0, 0}, rewritten(Transforms.makeJaxpr((Array a, Array t, Array q) -> Pair.of(a.div(q), t.div(q)), x, x, d)));
    assertArrayEquals(new int[] {1, 0, 0}, rewritten(Transforms.makeJaxpr((Array a, Array q) -> Pair.of(a.div(q), q), x, d)));
    assertArrayEquals(new int[] {1, 0, 0}, rewritten(Transforms.makeJaxpr((Array a, Array q) -> Pair.of(a.div(q), q.add(1.0)), x, d)));
    assertArrayEquals(new int[] {0, 1, 2}, rewritten(Transforms.makeJaxpr((Array a, Array q) -> Pair.of(a.div(q), a.mul(2.0)), x, d)));
    // a rank-1 divisor read elsewhere too is inverted: JAX's (a / r, a * r), (a / r, (a + 1) / r)
    Array x34 = Array.zeros(3, 4);
    Array row = Array.ones(4);
    assertArrayEquals(new int[] {0, 1, 2}, rewritten(Transforms.makeJaxpr((Array a, Array r) -> Pair.of(a.div(r), a.mul(r)), x34, row)));
    assertArrayEquals(new int[] {0, 2, 2}, rewritten(Transforms.makeJaxpr((Array a, Array r) -> Pair.of(a.div(r), a.add(1.0).div(r)), x34, row)));
    // a literal divisor is inverted for every division by it (jit of jvp: the primal's and the tangent's)
    assertArrayEquals(new int[] {0, 2, 2}, rewritten(Transforms.makeJaxpr((Array a, Array t) -> Pair.of(a.div(3.0), t.div(3.0)), x, x)));
  }

  @Test
  void vmapDecidesOnTheBatchedShapesGradOnTheComputedOnes() {
    // JAX 0.10.2: eager -2.5 / -3 = 0.8333333 (rank 0 / rank 0), but vmap(lambda v: v / -3.)([-2.5, 1.])
    // divides a batch [2] by a broadcast -3: 0.8333334; vmap(lambda v, d: v / d)([[-2.5], [1.]], [-3., -3.])
    // broadcasts d[2] to [2,1] only (a reshape): 0.8333333
    Array x = Array.of(-2.5f, 1f);
    assertEquals(0.8333333f, x.get(0).div(-3.0).toFloatArray()[0]);
    assertEquals(0.8333334f, Transforms.vmap((Array v) -> v.div(-3.0)).apply(x).toFloatArray()[0]);
    assertEquals(0.8333333f, Transforms.vmap((Array v, Array q) -> v.div(q)).apply(x.reshape(2, 1), Array.of(-3f, -3f))
        .toFloatArray()[0]);
    // grad's backward divides the cotangent 2.5 by the broadcast -3: 2.5 * (1/-3) = -0.8333334 (2.5 / -3 = -0.8333333)
    Array g = Transforms.grad((Array v) -> v.div(-3.0).mul(Array.of(2.5f, 1f)).sum()).apply(x);
    assertEquals(-0.8333334f, g.toFloatArray()[0]);
  }

  @Test
  void eagerGivesJitsBitsAndJaxsValue() {
    // JAX 0.10.2: jnp.array([-2.5, 1.]) / -3 = [0.8333334, -0.33333334] (x * (1/-3)); / jnp.full(2, -3.) = 0.8333333
    Array x = Array.of(-2.5f, 1f);
    assertEquals(0.8333334f, x.div(-3L).toFloatArray()[0]);
    assertEquals(0.8333334f, Transforms.jit((Array a) -> a.div(-3.0)).apply(x).toFloatArray()[0]);
    assertEquals(0.8333333f, x.div(Array.of(-3f, -3f)).toFloatArray()[0]);
    // one element: eager jnp.array([-2.5]) / -3 = 0.8333333 (XLA's broadcast to [1] is a reshape), jitted 0.8333334 (a constant)
    Array one = Array.of(-2.5f);
    assertEquals(0.8333333f, one.div(-3L).toFloatArray()[0]);
    assertEquals(0.8333334f, Transforms.jit((Array a) -> a.div(-3.0)).apply(one).toFloatArray()[0]);
    Key key = Random.key(7);
    Array a = Random.normal(Random.foldIn(key, 1), 6, 5).mul(10.0);
    BiFunction<Array, Array, Array> jitDiv = Transforms.jit((Array p, Array q) -> p.div(q));
    List<Array> divisors = List.of(Random.uniform(Random.foldIn(key, 2), 5).add(0.5), Random.uniform(Random.foldIn(key, 3), 6, 1).add(0.5),
        Random.uniform(Random.foldIn(key, 4)).add(0.5), Random.uniform(Random.foldIn(key, 5), 6, 5).add(0.5));
    for (Array d : divisors) {
      assertArrayEquals(a.div(d).toFloatArray(), jitDiv.apply(a, d).toFloatArray(), "divisor " + d.aval());
    }
    Array row = divisors.get(0);
    float[] viaReciprocal = a.mul(Array.scalar(1f).div(row)).toFloatArray();
    float[] quotient = a.div(row.broadcastTo(6, 5)).toFloatArray();
    assertArrayEquals(viaReciprocal, a.div(row).toFloatArray());
    boolean anyDiffers = false;
    for (int k = 0; k < quotient.length; k++) {
      anyDiffers |= quotient[k] != viaReciprocal[k];
    }
    assertTrue(anyDiffers, "30 random quotients: some must differ from x * (1/d), or this test shows nothing");
  }

  @Test
  void meanMultipliesByTheReciprocalOfTheCountEagerAndJitted() {
    // JAX 0.10.2: jnp.mean([3., 1., 1.]) = 5 * float32(1/3) = 1.6666667 (5/3 rounds to 1.6666666)
    Array x = Array.of(3f, 1f, 1f);
    assertEquals(1.6666667f, x.mean().toFloatArray()[0]);
    assertEquals(1.6666667f, Transforms.jit((Array v) -> v.mean()).apply(x).toFloatArray()[0]);
  }
}
