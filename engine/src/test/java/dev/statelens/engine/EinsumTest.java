package dev.statelens.engine;

import static dev.statelens.engine.HelperChecks.gradCheck;
import static dev.statelens.engine.HelperChecks.jitMatchesEager;
import static dev.statelens.engine.HelperChecks.random;
import static dev.statelens.engine.HelperChecks.vmapMatchesLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code Array.einsum} against a brute-force reference written here (every assignment of the
 * labels, multiply, add: the definition of einsum, sharing no code with the lowering), plus
 * hand loops for matmul and attention, jit, vmap, gradients by finite differences and errors.
 */
class EinsumTest {
  private final Random rnd = new Random(42);

  /** The definition: for every assignment of all labels, out[output labels] += prod of operands. */
  static double[] reference(String spec, int[] outShape, Array... ops) {
    String[] io = spec.split("->");
    String[] terms = io[0].split(",");
    String out = io.length > 1 ? io[1] : "";
    Map<Character, Integer> size = new HashMap<>();
    for (int t = 0; t < terms.length; t++) {
      for (int d = 0; d < terms[t].length(); d++) {
        size.put(terms[t].charAt(d), ops[t].shape()[d]);
      }
    }
    char[] labels = new char[size.size()];
    int li = 0;
    for (char c : size.keySet()) {
      labels[li++] = c;
    }
    double[][] data = new double[ops.length][];
    for (int t = 0; t < ops.length; t++) {
      data[t] = ops[t].toDoubleArray();
    }
    int outSize = 1;
    for (int d : outShape) {
      outSize *= d;
    }
    double[] result = new double[outSize];
    int[] value = new int[128];
    int total = 1;
    for (char c : labels) {
      total *= size.get(c);
    }
    for (int flat = 0; flat < total; flat++) {
      int rest = flat;
      for (char c : labels) {
        value[c] = rest % size.get(c);
        rest /= size.get(c);
      }
      double prod = 1;
      for (int t = 0; t < ops.length; t++) {
        prod *= data[t][offset(terms[t], ops[t].shape(), value)];
      }
      result[offset(out, outShape, value)] += prod;
    }
    return result;
  }

  private static int offset(String labels, int[] shape, int[] value) {
    int off = 0;
    for (int d = 0; d < labels.length(); d++) {
      off = off * shape[d] + value[labels.charAt(d)];
    }
    return off;
  }

  private void checkAgainstReference(String spec, String referenceSpec, Array... ops) {
    Array got = Array.einsum(spec, ops);
    assertArrayEquals(reference(referenceSpec, got.shape(), ops), got.toDoubleArray(), 1e-9, spec);
  }

  @Test
  void matmulIsAHandLoopAndImplicitOutputIsAlphabetical() {
    Array a = random(rnd, 3, 4);
    Array b = random(rnd, 4, 5);
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    double[] expected = new double[15];
    for (int i = 0; i < 3; i++) {
      for (int k = 0; k < 5; k++) {
        for (int j = 0; j < 4; j++) {
          expected[i * 5 + k] += x[i * 4 + j] * y[j * 5 + k];
        }
      }
    }
    Array explicit = Array.einsum("ij,jk->ik", a, b);
    assertArrayEquals(new int[] {3, 5}, explicit.shape());
    assertArrayEquals(expected, explicit.toDoubleArray(), 1e-12);
    assertArrayEquals(expected, Array.einsum("ij,jk", a, b).toDoubleArray(), 1e-12);
    assertArrayEquals(expected, Array.einsum(" i j , j k -> i k ", a, b).toDoubleArray(), 1e-12, "spaces ignored");
    // implicit output sorts the once-used labels: "jk,ij" gives "ik", not "ki"
    assertArrayEquals(expected, Array.einsum("jk,ij", b, a).toDoubleArray(), 1e-12);
    Array transposedImplicit = Array.einsum("ji", a);
    assertArrayEquals(new int[] {4, 3}, transposedImplicit.shape(), "implicit \"ji\" is \"ji->ij\", a transpose");
    assertArrayEquals(a.T().toDoubleArray(), transposedImplicit.toDoubleArray());
  }

  @Test
  void attentionScoresAreAHandLoopAndEqualMatmulOfTheTranspose() {
    int bs = 2;
    int h = 3;
    int q = 4;
    int k = 5;
    int d = 6;
    Array qs = random(rnd, bs, h, q, d);
    Array ks = random(rnd, bs, h, k, d);
    Array s = Array.einsum("bhqd,bhkd->bhqk", qs, ks);
    assertArrayEquals(new int[] {bs, h, q, k}, s.shape());
    double[] x = qs.toDoubleArray();
    double[] y = ks.toDoubleArray();
    double[] got = s.toDoubleArray();
    for (int b = 0; b < bs; b++) {
      for (int hh = 0; hh < h; hh++) {
        for (int i = 0; i < q; i++) {
          for (int j = 0; j < k; j++) {
            double acc = 0;
            for (int e = 0; e < d; e++) {
              acc += x[((b * h + hh) * q + i) * d + e] * y[((b * h + hh) * k + j) * d + e];
            }
            assertEquals(acc, got[((b * h + hh) * q + i) * k + j], 1e-12);
          }
        }
      }
    }
    assertArrayEquals(qs.matmul(ks.transpose(0, 1, 3, 2)).toDoubleArray(), got, 1e-12);
    // and the weighted values, "bhqk,bhkd->bhqd"
    Array v = random(rnd, bs, h, k, d);
    checkAgainstReference("bhqk,bhkd->bhqd", "bhqk,bhkd->bhqd", s, v);
  }

  @Test
  void commonFormsMatchTheDefinition() {
    Array m = random(rnd, 4, 4);
    Array r = random(rnd, 3, 5);
    checkAgainstReference("bij,bjk->bik", "bij,bjk->bik", random(rnd, 2, 3, 4), random(rnd, 2, 4, 5));
    checkAgainstReference("i,j->ij", "i,j->ij", random(rnd, 3), random(rnd, 4));
    checkAgainstReference("ij->ji", "ij->ji", r);
    checkAgainstReference("ij->", "ij->", r);
    checkAgainstReference("ij->j", "ij->j", r);
    checkAgainstReference("i,i->", "i,i->", random(rnd, 7), random(rnd, 7));
    checkAgainstReference("ijk,jl->il", "ijk,jl->il", random(rnd, 2, 3, 4), random(rnd, 3, 5));   // k summed in one operand
    checkAgainstReference("ij,jk,kl->il", "ij,jk,kl->il", random(rnd, 2, 3), random(rnd, 3, 4), random(rnd, 4, 5));
    checkAgainstReference("i,i,i->", "i,i,i->", random(rnd, 5), random(rnd, 5), random(rnd, 5));
    checkAgainstReference("ij,ij->ij", "ij,ij->ij", r, random(rnd, 3, 5));                      // Hadamard
    checkAgainstReference("bi,bj->bij", "bi,bj->bij", random(rnd, 2, 3), random(rnd, 2, 4));     // batched outer

    // trace and diagonal (a label repeated in one term)
    double[] mv = m.toDoubleArray();
    Array tr = Array.einsum("ii", m);
    assertEquals(0, tr.ndim());
    assertEquals(mv[0] + mv[5] + mv[10] + mv[15], tr.doubleValue(), 1e-12);
    assertArrayEquals(new double[] {mv[0], mv[5], mv[10], mv[15]}, Array.einsum("ii->i", m).toDoubleArray());
    Array cube = random(rnd, 3, 3, 3);
    double[] c = cube.toDoubleArray();
    assertEquals(c[0] + c[13] + c[26], Array.einsum("iii->", cube).doubleValue(), 1e-12);
    Array iij = random(rnd, 3, 3, 2);
    Array jk = random(rnd, 2, 4);
    Array diagFirst = Array.einsum("iij->ij", iij);
    checkAgainstReference("ij,jk->ik", "ij,jk->ik", diagFirst, jk);
    assertArrayEquals(Array.einsum("ij,jk->ik", diagFirst, jk).toDoubleArray(),
        Array.einsum("iij,jk->ik", iij, jk).toDoubleArray(), 1e-12);
  }

  @Test
  void ellipsisBroadcastsLeadingAxes() {
    Array a = random(rnd, 2, 3, 4, 5);
    Array b = random(rnd, 3, 5, 2);
    Array got = Array.einsum("...ij,...jk->...ik", a, b);
    assertArrayEquals(new int[] {2, 3, 4, 2}, got.shape());
    Array bFull = b.reshape(1, 3, 5, 2).broadcastTo(2, 3, 5, 2);
    assertArrayEquals(reference("xyij,xyjk->xyik", got.shape(), a, bFull), got.toDoubleArray(), 1e-9);
    assertArrayEquals(a.matmul(b).toDoubleArray(), got.toDoubleArray(), 1e-12, "as matmul's broadcasting");
    // a size-1 ellipsis axis broadcasts too
    Array a1 = random(rnd, 2, 1, 4, 5);
    Array g1 = Array.einsum("...ij,...jk->...ik", a1, b);
    assertArrayEquals(new int[] {2, 3, 4, 2}, g1.shape());
    assertArrayEquals(a1.matmul(b).toDoubleArray(), g1.toDoubleArray(), 1e-12);
    // implicit mode puts the ellipsis first; explicit output without "..." sums its axes
    Array implicit = Array.einsum("...ij,...jk", a, b);
    assertArrayEquals(got.toDoubleArray(), implicit.toDoubleArray(), 1e-12);
    Array summed = Array.einsum("...ij->ij", a);
    assertArrayEquals(a.sum(0, 1).toDoubleArray(), summed.toDoubleArray(), 1e-12);
    // ellipsis in the middle and at the end
    Array t = random(rnd, 2, 3, 4);
    assertArrayEquals(t.transpose(2, 1, 0).toDoubleArray(), Array.einsum("i...k->k...i", t).toDoubleArray());
    assertArrayEquals(t.sum(0).toDoubleArray(), Array.einsum("i...->...", t).toDoubleArray(), 1e-12);
  }

  @Test
  void dtypesPromoteAndIntegersWork() {
    Array a = Array.of(DType.I32, new int[] {2, 2}, 1, 2, 3, 4);
    Array b = Array.of(DType.I32, new int[] {2, 2}, 5, 6, 7, 8);
    Array ii = Array.einsum("ij,jk->ik", a, b);
    assertEquals(DType.I32, ii.dtype());
    assertArrayEquals(new int[] {19, 22, 43, 50}, ii.toIntArray());
    Array mixed = Array.einsum("ij,jk->ik", a, b.astype(DType.F32));
    assertEquals(DType.F32, mixed.dtype());
    assertArrayEquals(new float[] {19, 22, 43, 50}, mixed.toFloatArray());
  }

  @Test
  void lowersToDotGeneralAndJitMatchesEager() {
    Array q = random(rnd, 2, 3, 4, 5);
    Array k = random(rnd, 2, 3, 6, 5);
    String jaxpr = Transforms.makeJaxpr((Array x, Array y) -> Array.einsum("bhqd,bhkd->bhqk", x, y), q, k).toString();
    assertTrue(jaxpr.contains("dot_general"), jaxpr);
    assertTrue(!jaxpr.contains("transpose") && !jaxpr.contains("reduce_sum"), "attention is one dot_general:\n" + jaxpr);
    jitMatchesEager("attention", x -> Array.einsum("bhqd,bhkd->bhqk", x, k), q);
    jitMatchesEager("trace", x -> Array.einsum("ii", x), random(rnd, 4, 4));
    jitMatchesEager("three operands", x -> Array.einsum("ij,jk,kl->li", x, x.T(), x), random(rnd, 3, 3));
    jitMatchesEager("ellipsis", x -> Array.einsum("...ij,...jk->...ik", x, x.transpose(0, 2, 1)), random(rnd, 2, 3, 4));
  }

  @Test
  void vmapMatchesALoop() {
    Array k = random(rnd, 3, 6, 5);
    vmapMatchesLoop("attention per example", x -> Array.einsum("hqd,hkd->hqk", x, k), random(rnd, 4, 3, 2, 5));
    vmapMatchesLoop("trace per example", x -> Array.einsum("ii", x), random(rnd, 3, 4, 4));
    vmapMatchesLoop("diagonal then contraction", x -> Array.einsum("iij,jk->ki", x, k.get(0)), random(rnd, 2, 4, 4, 6));
    vmapMatchesLoop("ellipsis, both mapped", x -> Array.einsum("...ij,...kj->...ik", x, x), random(rnd, 3, 2, 4, 5));
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    gradCheck("attention", a -> Array.einsum("bhqd,bhkd->bhqk", a.get(0), a.get(1)), random(rnd, 1, 2, 3, 4), random(rnd, 1, 2, 2, 4));
    gradCheck("trace", a -> Array.einsum("ii", a.get(0)), random(rnd, 3, 3));
    gradCheck("diagonal", a -> Array.einsum("ii->i", a.get(0)), random(rnd, 3, 3));
    gradCheck("three operands", a -> Array.einsum("ij,jk,kl->il", a.get(0), a.get(1), a.get(2)),
        random(rnd, 2, 3), random(rnd, 3, 2), random(rnd, 2, 2));
    gradCheck("ellipsis broadcast", a -> Array.einsum("...ij,...jk->...ik", a.get(0), a.get(1)), random(rnd, 2, 1, 2, 3), random(rnd, 2, 3, 2));
    gradCheck("summed out", a -> Array.einsum("ijk,jl->il", a.get(0), a.get(1)), random(rnd, 2, 2, 3), random(rnd, 2, 2));
  }

  @Test
  void badInputSaysWhatIsWrong() {
    Array a = random(rnd, 3, 4);
    Array b = random(rnd, 5, 6);
    ShapeError e = assertThrows(ShapeError.class, () -> Array.einsum("ij,jk->ik", a, b));
    assertTrue(e.getMessage().contains("label 'j'") && e.getMessage().contains("size 4 in operand 0 [3,4]")
        && e.getMessage().contains("size 5 in operand 1 [5,6]"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.einsum("ij,jk->ik", a));
    assertTrue(e.getMessage().contains("names 2 operands but 1 were given"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.einsum("i1,jk->ik", a, b));
    assertTrue(e.getMessage().contains("'1'") && e.getMessage().contains("letters"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.einsum("ijk->i", a));
    assertTrue(e.getMessage().contains("names 3 axes") && e.getMessage().contains("rank 2"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.einsum("ij->iz", a));
    assertTrue(e.getMessage().contains("label 'z' is in no input"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.einsum("ij->ii", a));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.einsum("ii", a));
    assertTrue(e.getMessage().contains("diagonal needs equal sizes"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.einsum("ij->...ij", a));
    assertTrue(e.getMessage().contains("no input does"), e.getMessage());
  }
}
