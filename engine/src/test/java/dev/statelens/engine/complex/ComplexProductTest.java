package dev.statelens.engine.complex;

import static dev.statelens.engine.complex.ComplexTest.pairs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Products;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code prod} of complex64 is the {@code reduce_prod} primitive in XLA CPU's reduction order
 * (windows of 32 past 32 elements); the {@code complex/bits/prod} reference cases check its bits
 * against real JAX 0.10.2 on 17 to 1100 elements and several axes. Here: that the order is not the
 * running product's (the inputs below tell them apart), the gradient, jit, vmap, empty axes.
 */
class ComplexProductTest {

  static Array nearOne(long seed, int... shape) {
    Random r = new Random(seed);
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] re = new float[n];
    float[] im = new float[n];
    for (int i = 0; i < n; i++) {
      re[i] = (float) (1 + 0.2 * r.nextGaussian());
      im[i] = (float) (0.2 * r.nextGaussian());
    }
    return Array.complex(Array.of(re).reshape(shape), Array.of(im).reshape(shape));
  }

  @Test
  void longAxesAreFoldedInXlasWindowsNotInRunningOrder() {
    Array x = nearOne(1, 1000);
    float[] tree = pairs(x.prod());
    float[] running = pairs(Products.lastRunningProduct(x, new int[] {0}));
    assertFalse(Arrays.equals(tree, running), "the window order should round differently from the running product");
    assertArrayEquals(running, tree, 1e-4f * Math.max(Math.abs(running[0]), Math.abs(running[1])));
    // up to 16 elements the plain fold and the running product's blocks agree bit for bit
    Array small = nearOne(2, 16);
    assertArrayEquals(pairs(Products.lastRunningProduct(small, new int[] {0})), pairs(small.prod()), 0f);
  }

  @Test
  void theGradientIsTheRunningProductsExactWithZeros() {
    Array x = nearOne(3, 40);
    Array withZero = Array.where(Array.arange(40).eq(7), Array.zerosLike(x), x);
    for (Array z : new Array[] {x, withZero}) {
      Array g = Transforms.grad((Array v) -> v.prod(), true).apply(z);
      Array expected = Transforms.grad((Array v) -> Products.lastRunningProduct(v, new int[] {0}), true).apply(z);
      assertArrayEquals(pairs(expected), pairs(g), 0f);
    }
    // d/dz_7 of a product with z_7 = 0 is the product of the others, not 0/0
    Array g = Transforms.grad((Array v) -> v.prod(), true).apply(withZero);
    float[] at7 = pairs(g.sliceAxis(0, 7, 8).reshape());
    assertTrue(Float.isFinite(at7[0]) && Math.hypot(at7[0], at7[1]) > 0, Arrays.toString(at7));
  }

  @Test
  void jitVmapAndEmptyAxes() {
    Array x = nearOne(4, 3, 70);
    float[] eager = pairs(x.prod(1));
    assertArrayEquals(eager, pairs(Transforms.jit((Array v) -> v.prod(1)).apply(x)), 0f);
    assertArrayEquals(eager, pairs(Transforms.vmap((Array v) -> v.prod()).apply(x)), 0f);
    Array empty = Array.zeros(DType.C64, 2, 0);
    assertArrayEquals(new float[] {1f, 0f, 1f, 0f}, pairs(empty.prod(1)), 0f);
    assertEquals("reduce_prod", Transforms.makeJaxpr((Array v) -> v.prod(), x).eqns().get(0).primitive().name());
  }

  @Test
  void thePrimitiveRefusesRealArrays() {
    ShapeError e = assertThrows(ShapeError.class,
        () -> Prims.REDUCE_PROD.bind1(Params.of("axes", new int[] {0}), Array.of(1f, 2f)));
    assertTrue(e.getMessage().contains("Array.prod"), e.getMessage());
  }
}
