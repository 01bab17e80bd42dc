package dev.statelens.engine.complex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** complex64: construction, parts, arithmetic, layout, reductions, printing and refusals; eager and jit. */
class ComplexTest {

  /** 1+2j, 3-4j, -0.5+0.25j */
  static Array z() {
    return Array.complex(Array.of(1f, 3f, -0.5f), Array.of(2f, -4f, 0.25f));
  }

  /** Interleaved (re, im) pairs of a c64 array. */
  static float[] pairs(Array c) {
    assertEquals(DType.C64, c.dtype());
    float[] re = c.real().toFloatArray();
    float[] im = c.imag().toFloatArray();
    float[] out = new float[2 * re.length];
    for (int i = 0; i < re.length; i++) {
      out[2 * i] = re[i];
      out[2 * i + 1] = im[i];
    }
    return out;
  }

  /** Runs {@code f} eagerly and under jit, and checks both give {@code expected} pairs. */
  static void assertPairs(float[] expected, Function<Array, Array> f, Array x, float tol) {
    assertArrayEquals(expected, pairs(f.apply(x)), tol, "eager");
    assertArrayEquals(expected, pairs(Transforms.jit(f).apply(x)), tol, "jit");
  }

  @Test
  void dtypeNamesPromotionAndConstruction() {
    assertEquals("c64", DType.C64.shortName());
    assertEquals("complex64", DType.C64.numpyName());
    assertEquals(DType.C64, DType.parse("complex64"));
    assertEquals(DType.C64, DType.promote(DType.F32, DType.C64));
    assertEquals(DType.C64, DType.promote(DType.I32, DType.C64));
    assertEquals(DType.C64, DType.promote(DType.BF16, DType.C64));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.promote(DType.F64, DType.C64));
    assertTrue(e.getMessage().contains("complex128") && e.getMessage().contains("astype"), e.getMessage());

    assertArrayEquals(new float[] {1, 2, 3, -4, -0.5f, 0.25f}, pairs(z()));
    assertArrayEquals(new float[] {0, 0, 0, 0}, pairs(Array.zeros(DType.C64, 2)));
    assertArrayEquals(new float[] {1, 0, 1, 0}, pairs(Array.ones(DType.C64, 2)));
    assertArrayEquals(new float[] {1.5f, 0, -2, 0}, pairs(Array.of(DType.C64, new int[] {2}, 1.5f, -2f)));
    assertArrayEquals(new float[] {2, 0, 7, 0}, pairs(Array.of(2, 7).astype(DType.C64)));
    // the parts broadcast; integers are converted
    assertArrayEquals(new float[] {1, 5, 2, 5}, pairs(Array.complex(Array.of(1, 2), Array.scalar(5))));
    assertThrows(IllegalArgumentException.class, () -> Array.complex(Array.of(1.0, 2.0), Array.of(1f, 2f)));
  }

  @Test
  void partsConjAbsAngle() {
    Array c = z();
    assertArrayEquals(new float[] {1, 3, -0.5f}, c.real().toFloatArray());
    assertArrayEquals(new float[] {2, -4, 0.25f}, c.imag().toFloatArray());
    assertArrayEquals(new float[] {1, -2, 3, 4, -0.5f, -0.25f}, pairs(c.conj()));
    assertEquals(DType.F32, c.abs().dtype());
    assertArrayEquals(new float[] {(float) Math.sqrt(5), 5, (float) Math.hypot(0.5, 0.25)}, c.abs().toFloatArray(), 0);
    assertArrayEquals(new float[] {(float) Math.atan2(2, 1), (float) Math.atan2(-4, 3), (float) Math.atan2(0.25, -0.5)},
        c.angle().toFloatArray(), 1e-7f);
    // |z| does not overflow where re^2 + im^2 would (hypot), as XLA's abs
    Array big = Array.complex(Array.of(3e30f), Array.of(4e30f));
    assertEquals(5e30f, big.abs().toFloatArray()[0], 1e24f);
    // a real array: real is itself, imag zeros, conj itself, angle pi for negatives
    Array r = Array.of(-2f, 3f);
    assertArrayEquals(new float[] {0, 0}, r.imag().toFloatArray());
    assertArrayEquals(new float[] {(float) Math.PI, 0}, r.angle().toFloatArray());
    assertEquals(DType.F32, Transforms.jit((Array x) -> x.abs()).apply(c).dtype());
  }

  @Test
  void arithmeticEagerAndJit() {
    Array c = z();
    Array w = Array.complex(Array.of(0.5f, -1f, 2f), Array.of(1f, 1f, -3f));
    // (1+2j)(0.5+1j) = -1.5+2j ; (3-4j)(-1+1j) = 1+7j ; (-0.5+0.25j)(2-3j) = -0.25+2j
    assertPairs(new float[] {-1.5f, 2, 1, 7, -0.25f, 2}, x -> x.mul(w), c, 1e-6f);
    assertPairs(new float[] {1.5f, 3, 2, -3, 1.5f, -2.75f}, x -> x.add(w), c, 1e-6f);
    assertPairs(new float[] {0.5f, 1, 4, -5, -2.5f, 3.25f}, x -> x.sub(w), c, 1e-6f);
    assertPairs(new float[] {-1, -2, -3, 4, 0.5f, -0.25f}, Array::neg, c, 0);
    // (1+2j)/(0.5+1j) = 2 ; (3-4j)/(-1+1j) = -3.5+0.5j ; (-0.5+0.25j)/(2-3j) = (-1.75 - 1j)/13
    assertPairs(new float[] {2, 0, -3.5f, 0.5f, -1.75f / 13, -1f / 13}, x -> x.div(w), c, 1e-6f);
    // square: (1+2j)^2 = -3+4j ; (3-4j)^2 = -7-24j ; (-0.5+0.25j)^2 = 0.1875-0.25j
    assertPairs(new float[] {-3, 4, -7, -24, 0.1875f, -0.25f}, Array::square, c, 1e-6f);
    // mixing with f32 arrays and Java numbers promotes to c64
    assertPairs(new float[] {3, 2, 5, -4, 1.5f, 0.25f}, x -> x.add(2), c, 0);
    assertPairs(new float[] {2, 4, 6, -8, -1, 0.5f}, x -> x.mul(Array.scalar(2f)), c, 0);
    assertPairs(new float[] {2, 4, 6, -8, -1, 0.5f}, x -> Array.of(2f, 2f, 2f).mul(x), c, 0);
    // exp(i pi) = -1 ; exp(1) = e ; exp(ln2 + i pi/2) = 2i
    Array e = Array.complex(Array.of(0f, 1f, (float) Math.log(2)), Array.of((float) Math.PI, 0f, (float) (Math.PI / 2)));
    assertPairs(new float[] {-1, 0, (float) Math.E, 0, 0, 2}, Array::exp, e, 1e-6f);
    assertPairs(new float[] {0.4472136f, 0.8944272f, 0.6f, -0.8f, -0.8944272f, 0.4472136f}, Array::sign, c, 1e-6f);
  }

  @Test
  void reductionsAndLayoutMovePairs() {
    Array m = Array.complex(Array.arange(6).astype(DType.F32).reshape(2, 3), Array.arange(6).astype(DType.F32).neg().reshape(2, 3));
    assertPairs(new float[] {3, -3, 5, -5, 7, -7}, x -> x.sum(0), m, 0);
    assertPairs(new float[] {1, -1, 4, -4}, x -> x.mean(1), m, 1e-6f);
    assertPairs(new float[] {15, -15}, x -> x.sum().reshape(1), m, 0);
    assertPairs(new float[] {0, 0, 3, -3, 1, -1, 4, -4, 2, -2, 5, -5}, x -> x.transpose(1, 0).reshape(-1), m, 0);
    assertPairs(new float[] {1, -1, 2, -2}, x -> x.slice(new int[] {0, 1}, new int[] {1, 3}).reshape(-1), m, 0);
    assertPairs(new float[] {3, -3, 4, -4, 5, -5, 0, 0, 1, -1, 2, -2},
        x -> Array.concatenate(0, x.sliceAxis(0, 1, 2), x.sliceAxis(0, 0, 1)).reshape(-1), m, 0);
    assertPairs(new float[] {3, -3, 0, 0}, x -> x.take(Array.of(1, 0), 0).sliceAxis(1, 0, 1).reshape(-1), m, 0);
    assertPairs(new float[] {0, 0, 1, -1, 0, 0, 1, -1}, x -> x.sliceAxis(1, 0, 2).sliceAxis(0, 0, 1).broadcastTo(2, 2).reshape(-1), m, 0);
    Array keep = Array.of(true, false, true);
    assertPairs(new float[] {0, 0, 9, 0, 2, -2, 3, -3, 9, 0, 5, -5},
        x -> Array.where(keep, x, Array.full(DType.C64, new int[] {2, 3}, 9)).reshape(-1), m, 0);
    assertPairs(new float[] {2, -2, 1, -1, 0, 0}, x -> x.sliceAxis(0, 0, 1).reshape(-1).flip(0), m, 0);
    // x.at[i].add for a complex array (a scatter-add per part)
    assertPairs(new float[] {0, 0, 2, -1, 2, -2}, x -> x.sliceAxis(0, 0, 1).reshape(-1).at(1).add(Array.scalar(1f).astype(DType.C64)), m, 0);
  }

  @Test
  void matmulAndEinsumOnComplex() {
    Array ar = Array.arange(6).astype(DType.F32).reshape(2, 3).mul(0.5f);
    Array ai = Array.arange(6).astype(DType.F32).reshape(2, 3).sub(2f);
    Array br = Array.arange(12).astype(DType.F32).reshape(3, 4).mul(-0.25f);
    Array bi = Array.arange(12).astype(DType.F32).reshape(3, 4).rsub(3f);
    Array a = Array.complex(ar, ai);
    Array b = Array.complex(br, bi);
    // (ar + i ai)(br + i bi) = (ar br - ai bi) + i (ar bi + ai br)
    float[] want = pairs(Array.complex(ar.matmul(br).sub(ai.matmul(bi)), ar.matmul(bi).add(ai.matmul(br))));
    assertArrayEquals(want, pairs(a.matmul(b)), 1e-5f);
    assertArrayEquals(want, pairs(Transforms.jit((Array x) -> x.matmul(b)).apply(a)), 1e-5f);
    assertArrayEquals(want, pairs(Array.einsum("ij,jk->ik", a, b)), 1e-5f);
    // a real matrix times a complex one promotes to c64
    assertArrayEquals(pairs(Array.complex(ar.matmul(br), ar.matmul(bi))), pairs(ar.matmul(b)), 1e-5f);
  }

  @Test
  void complexCarryThroughAJittedLoop() {
    // z <- z * (0+1j) four times is z again; a rotation by i each step, carried in a fori_loop
    Array i = Array.complex(Array.scalar(0f), Array.scalar(1f));
    Function<Array, Array> rotate4 = z -> dev.statelens.engine.Lax.forI(0, 4, (t, c) -> c.mul(i), z);
    assertPairs(pairs(z()), rotate4, z(), 1e-6f);
    Function<Array, Array> rotate1 = z -> dev.statelens.engine.Lax.forI(0, 1, (t, c) -> c.mul(i), z);
    assertPairs(new float[] {-2, 1, 4, 3, -0.25f, -0.5f}, rotate1, z(), 1e-6f);
  }

  @Test
  void equalityAndRefusals() {
    Array c = z();
    Array d = Array.complex(Array.of(1f, 3f, 0f), Array.of(2f, 4f, 0.25f));
    assertArrayEquals(new boolean[] {true, false, false}, c.eq(d).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true, true}, Transforms.jit((Array x) -> x.ne(d)).apply(c).toBooleanArray());
    // ordering (lt, max, sort) is jnp's lexicographic one: ComplexOrderTest
    for (Function<Array, Array> bad : List.<Function<Array, Array>>of(x -> x.floor(), x -> x.erf(),
        x -> x.argmax(0), x -> x.argmin(0))) {
      RuntimeException e = assertThrows(RuntimeException.class, () -> bad.apply(c));
      assertTrue(e.getMessage().contains("complex64"), e.getMessage());
    }
    ShapeError e = assertThrows(ShapeError.class, () -> c.argmax(0));
    assertTrue(e.getMessage().contains("no order") && e.getMessage().contains("abs()"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.add(Array.of(1.0, 2.0, 3.0)));
  }

  @Test
  void jaxprShowsComplexTypesAndLiterals() {
    String text = Transforms.makeJaxpr((Array x) -> x.mul(2).add(1).abs().add(x.real()), z()).toString();
    assertTrue(text.contains("a:c64[3]"), text);
    assertTrue(text.contains("mul a (2+0j):c64[]"), text);
    assertTrue(text.contains("abs"), text);
    assertTrue(text.contains(":f32[3] = real a"), text);
  }

  @Test
  void printsLikeNumpy() {
    Array c = Array.complex(Array.of(1f, 3f, 0f), Array.of(2f, -4.5f, 0.25f));
    // JAX 0.10.2: repr(jnp.array([1+2j, 3-4.5j, 0.25j], jnp.complex64)), str(...), str(x[0]), repr(x[0])
    assertEquals("Array([1.+2.j  , 3.-4.5j , 0.+0.25j], dtype=complex64)", c.toString());
    assertEquals("[1.+2.j   3.-4.5j  0.+0.25j]", c.str());
    Array first = c.get(0);
    assertEquals("Array(1.+2.j, dtype=complex64)", first.toString());
    assertEquals("(1+2j)", first.str());
    Array im = c.get(2);
    assertEquals("0.25j", im.str());
  }
  @Test
  void multiplyRoundsAsXlaCpusFmaAndEagerEqualsJit() {
    // XLA CPU: re = fma(a, c, -(b*d)), im = fma(b, c, a*d); b*d = 1e60 overflows f32 first, so
    // (1e30+1e30i)^2 is -inf+infi where exact arithmetic gives 0+2e60i (JAX 0.10.2 prints -inf+infj)
    Array big = Array.complex(Array.of(1e30f), Array.of(1e30f));
    Array p = big.mul(big);
    assertEquals(Float.NEGATIVE_INFINITY, p.real().toFloatArray()[0]);
    assertEquals(Float.POSITIVE_INFINITY, p.imag().toFloatArray()[0]);
    // chlo.square: (a-b)(a+b) is +0 when |a| = |b|, not 0 * inf
    Array sq = Array.complex(Array.of(3e38f, -1f), Array.of(3e38f, -1f)).square();
    assertArrayEquals(new float[] {0f, 0f}, sq.real().toFloatArray());
    assertEquals(Float.POSITIVE_INFINITY, sq.imag().toFloatArray()[0]);
    // the fused chain (FusedComplex) and the cumprod tree give the eager kernels' bits
    float[] re = new float[40];
    float[] im = new float[40];
    for (int k = 0; k < re.length; k++) {
      re[k] = (float) (1 + 0.3 * Math.sin(1.7 * k + 0.3));
      im[k] = (float) (0.3 * Math.cos(2.3 * k + 0.1));
    }
    Array x = Array.complex(Array.of(re), Array.of(im));
    Function<Array, Array> chain = z -> z.mul(z.conj()).mul(z).add(z.square()).mul(z).cumprod(0);
    Array eager = chain.apply(x);
    Array jitted = Transforms.jit(chain).apply(x);
    assertArrayEquals(eager.real().toFloatArray(), jitted.real().toFloatArray());
    assertArrayEquals(eager.imag().toFloatArray(), jitted.imag().toFloatArray());
  }
}
