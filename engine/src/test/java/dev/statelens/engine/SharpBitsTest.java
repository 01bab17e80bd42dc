package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * JAX's "The Sharp Bits" page, section by section, as docs/sharp-bits.md states it for StateLens:
 * one test per section. Expected numbers are what real JAX 0.10.2 printed on the CPU
 * ({@code JAX_PLATFORMS=cpu}, default x64 off) for the JAX snippet quoted in each comment.
 */
class SharpBitsTest {

  private static final class Counter {
    Array n = Array.scalar(0);

    Array count() {
      n = n.add(1);
      return n;
    }
  }

  private static double offset = 0;

  /** Pure functions: side effects run once, at trace time; a stored tracer is refused later. */
  @Test
  @SuppressWarnings({"statelens:SL002", "statelens:SL006"}) // counts or records at trace time on purpose: what the test checks; a mutable field read under jit on purpose: what the test shows
  void pureFunctions() {
    Counter counter = new Counter();
    Supplier<Array> count = Transforms.jit(counter::count);
    List<Float> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) seen.add(count.get().floatValue());
    assertEquals(List.of(1f, 1f, 1f), seen); // JAX: [int(f()) for _ in range(3)] == [1, 1, 1]
    UnexpectedTracerError leaked = assertThrows(UnexpectedTracerError.class, () -> counter.n.item());
    assertTrue(leaked.getMessage().contains("explicit state"), leaked.getMessage());

    Function<Array, Array> explicit = Transforms.jit((Array n) -> n.add(1));
    Array n = Array.scalar(0);
    for (int i = 0; i < 3; i++) n = explicit.apply(n);
    assertEquals(3f, n.floatValue());

    // JAX: g = 0.; f = jit(lambda x: x + g); f(4.) -> 4.; g = 10.; f(5.) -> 5. (cached);
    // f(jnp.array([4.])) -> [14.] (a new shape retraces and reads g again)
    offset = 0;
    Function<Array, Array> addOffset = Transforms.jit((Array x) -> x.add(offset));
    assertEquals(4f, addOffset.apply(Array.scalar(4f)).floatValue());
    offset = 10;
    assertEquals(5f, addOffset.apply(Array.scalar(5f)).floatValue());
    assertArrayEquals(new float[] {14f}, addOffset.apply(Array.of(4f)).toFloatArray());

    // print runs at trace time only; Debug.print on every call
    List<String> javaSide = new ArrayList<>();
    Function<Array, Array> printing = Transforms.jit((Array x) -> {
      javaSide.add("traced");
      return x.add(1);
    });
    printing.apply(Array.scalar(1f));
    printing.apply(Array.scalar(2f));
    assertEquals(List.of("traced"), javaSide);
  }

  /** In-place updates: there is no x[i] = v; x.at(i).set(v) returns a new array. */
  @Test
  void inPlaceUpdates() {
    Array x = Array.zeros(3, 3);
    Array y = x.at(1).set(Array.scalar(1f)); // JAX: y = x.at[1, :].set(1.0)
    assertNotSame(x, y);
    assertArrayEquals(new float[] {1, 1, 1}, y.take(Array.of(1), 0).toFloatArray());
    assertArrayEquals(new float[9], x.toFloatArray()); // x unchanged, as JAX
  }

  /** Out-of-bounds indexing: retrievals clamp, updates are dropped, no error. */
  @Test
  void outOfBoundsIndexing() {
    Array tenF = Array.arange(10).astype(DType.F32);
    assertEquals(9, Array.arange(10).at(11).get().intValue()); // jnp.arange(10)[11] -> 9
    assertEquals(9f, tenF.at(11).get().floatValue()); // jnp.arange(10.0).at[11].get() -> 9.
    assertEquals(0, Array.arange(10).at(-11).get().intValue()); // jnp.arange(10)[-11] -> 0
    assertArrayEquals(tenF.toFloatArray(), tenF.at(11).add(23).toFloatArray()); // .at[11].add(23.) dropped
    // lax.dynamic_slice(jnp.arange(10.), (8,), (4,)) -> [6, 7, 8, 9]: the start is clamped
    assertArrayEquals(new float[] {6, 7, 8, 9},
        Lax.dynamicSlice(tenF, new Array[] {Array.scalar(DType.I32, 8)}, 4).toFloatArray());
    // jnp.take(jnp.arange(10.), jnp.array([11])) -> [nan] (mode="fill"); StateLens' take clamps
    // (docs/decisions.md, "take clamps")
    assertArrayEquals(new float[] {9f}, tenF.take(Array.of(11)).toFloatArray());
  }

  /** Non-array inputs: a Java number or object as a jit argument is refused with the fix. */
  @Test
  void nonArrayInputs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.jit((Array x, Integer times) -> x.mul(times)).apply(Array.scalar(1f), 3));
    assertTrue(e.getMessage().contains("java.lang.Integer") && e.getMessage().contains("Array.scalar"), e.getMessage());
    assertEquals(6, Array.of(1, 2, 3).sum().intValue()); // jnp.sum(jnp.array([1, 2, 3])) -> 6
  }

  /** Random numbers: explicit keys; the same key gives the same numbers; JAX's bits. */
  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void randomNumbers() {
    Key key = Random.key(0);
    float[] once = Random.normal(key, 2).toFloatArray();
    // jax.random.normal(jax.random.key(0), (2,)) -> [1.6226422, 2.0252647], twice
    assertArrayEquals(new float[] {1.6226422f, 2.0252647f}, once);
    assertArrayEquals(once, Random.normal(key, 2).toFloatArray());
    Pair<Key, Key> split = Random.split(key);
    // jax.random.key_data(jax.random.split(jax.random.key(0))) -> [1797259609 2579123966], [928981903 3453687069]
    assertArrayEquals(new int[] {1797259609, (int) 2579123966L}, Random.keyData(split.first()).toIntArray());
    assertArrayEquals(new int[] {928981903, (int) 3453687069L}, Random.keyData(split.second()).toIntArray());
    // jax.random.normal(k1, (3,)) -> [1.0040143, -0.9063372, -0.7481722]
    assertArrayEquals(new float[] {1.0040143f, -0.9063372f, -0.7481722f}, Random.normal(split.first(), 3).toFloatArray());
  }

  /** Control flow: a Java if on a traced value is refused and points at Lax; the Lax loops. */
  @Test
  @SuppressWarnings("statelens:SL007") // a traced value concretized on purpose: the error under test
  void controlFlow() {
    ConcretizationError e = assertThrows(ConcretizationError.class,
        () -> Transforms.jit((Array x) -> x.gt(0).item() != 0 ? x : x.neg()).apply(Array.scalar(1f)));
    assertTrue(e.getMessage().contains("Lax.cond") && e.getMessage().contains("Array.where"), e.getMessage());

    Function<Array, Array> abs = Transforms.jit((Array x) -> Lax.cond(x.gt(0), () -> x, () -> x.neg()));
    assertEquals(2f, abs.apply(Array.scalar(-2f)).floatValue());
    // lax.cond(True, lambda x: x+1, lambda x: x-1, 5.) -> 6.
    assertEquals(6f, Lax.cond(Array.scalar(DType.BOOL, 1), (Array v) -> v.add(1), (Array v) -> v.sub(1), Array.scalar(5f)).floatValue());
    // lax.while_loop(lambda i: i < 10, lambda i: i + 1, 0) -> 10
    assertEquals(10, Lax.whileLoop((Array i) -> i.lt(10), (Array i) -> i.add(1), Array.scalar(DType.I32, 0)).intValue());
    // lax.fori_loop(0, 5, lambda i, c: c + i, 0) -> 10
    assertEquals(10, Lax.forI(0, 5, (Array i, Array c) -> c.add(i), Array.scalar(DType.I32, 0)).intValue());
    // lax.scan(lambda c, x: (c + x, c), 0., jnp.arange(4.)) -> (6., [0., 0., 1., 3.])
    Pair<Array, Array> scanned = Lax.scan((Array c, Array x) -> Pair.of(c.add(x), c), Array.scalar(0f), Array.arange(4).astype(DType.F32));
    assertEquals(6f, scanned.first().floatValue());
    assertArrayEquals(new float[] {0, 0, 1, 3}, scanned.second().toFloatArray());

    // jax.grad through while_loop: ValueError "Reverse-mode differentiation does not work for lax.while_loop"
    UnsupportedOperationException noGrad = assertThrows(UnsupportedOperationException.class,
        () -> Transforms.grad((Array x) -> Lax.whileLoop((Array c) -> c.lt(10f), (Array c) -> c.mul(2f), x)).apply(Array.scalar(1f)));
    assertTrue(noGrad.getMessage().contains("not reverse-differentiable") && noGrad.getMessage().contains("Lax.forI"), noGrad.getMessage());
    // jax.grad(lambda x: lax.fori_loop(0, 3, lambda i, c: c * x, 1.))(2.) -> 12.
    assertEquals(12f, Transforms.grad((Array x) -> Lax.forI(0, 3, (Array i, Array c) -> c.mul(x), Array.scalar(1f))).apply(Array.scalar(2f)).floatValue());
  }

  /** Dynamic shapes: a value-dependent size needs a static size under jit; masks become where. */
  @Test
  @SuppressWarnings("statelens:SL007") // a traced value concretized on purpose: the error under test
  void dynamicShapes() {
    Array x = Array.arange(-2, 3).astype(DType.F32);
    ConcretizationError e = assertThrows(ConcretizationError.class,
        () -> Transforms.jit((Array v) -> Nonzero.nonzero(v.gt(0))).apply(x));
    assertTrue(e.getMessage().contains("static size"), e.getMessage());
    // jit(lambda x: jnp.nonzero(x > 0, size=4, fill_value=-1))(jnp.arange(-2., 3.)) -> ([3, 4, -1, -1],)
    assertArrayEquals(new int[] {3, 4, -1, -1},
        Transforms.jit((Array v) -> Nonzero.nonzero(v.gt(0), 4, -1)).apply(x).get(0).toIntArray());
    // jit(lambda x: jnp.where(x > 0, x, 0).sum())(jnp.arange(-2., 3.)) -> 3.
    assertEquals(3f, Transforms.jit((Array v) -> Array.where(v.gt(0), v, 0).sum()).apply(x).floatValue());
  }

  /** NaNs: quiet by default; Debug.setDebugNans names the operation, as jax_debug_nans. */
  @Test
  void nans() {
    assertTrue(Float.isNaN(Array.scalar(-1f).log().floatValue())); // jnp.log(-1.) -> nan
    assertTrue(Float.isNaN(Array.scalar(0f).div(0).floatValue()));
    Debug.setDebugNans(true);
    try {
      NanError e = assertThrows(NanError.class, () -> Transforms.jit((Array v) -> v.log()).apply(Array.scalar(-1f)));
      assertTrue(e.getMessage().contains("NaN encountered in log"), e.getMessage());
    } finally {
      Debug.setDebugNans(false);
    }
  }

  /** Double precision: f32 by default as JAX; F64 is there when asked for (JAX needs x64). */
  @Test
  void doublePrecision() {
    // jnp.arange(3).dtype, jnp.array(1.5).dtype, jnp.ones(2).dtype -> int32 float32 float32
    assertEquals(DType.I32, Array.arange(3).dtype());
    assertEquals(DType.F32, Array.scalar(1.5).dtype());
    assertEquals(DType.F32, Array.ones(2).dtype());
    assertEquals(0.3333333432674408, Array.scalar(1f).div(3).item()); // float(jnp.array(1.)/3.)
    // JAX without x64: jnp.array(1.0, dtype=jnp.float64).dtype -> float32. Here F64 is real
    // (docs/decisions.md), and Array.of(double...) is F64.
    assertEquals(DType.F64, Array.scalar(DType.F64, 1).dtype());
    assertEquals(DType.F64, Array.of(1.0, 2.0).dtype());
    assertEquals(1.0 / 3, Array.scalar(DType.F64, 1).div(3).item());
  }

  /** Type promotion: JAX's lattice and weak Java numbers (int and long weak ints, double and float weak floats). */
  @Test
  void typePromotion() {
    assertEquals(DType.F16, Array.ones(DType.F16, 1).add(1.0).dtype()); // (jnp.float16(1) + 1.0).dtype
    assertEquals(DType.F16, Array.ones(DType.F16, 1).mul(2).dtype()); // (jnp.float16(1) * 2).dtype
    assertEquals(DType.F32, Array.scalar(DType.I32, 1).add(Array.scalar(1f)).dtype()); // int32 + float32
    assertEquals(DType.I32, Array.scalar(DType.U32, 1).add(Array.scalar(DType.I32, 1)).dtype()); // uint32 + int32
    assertEquals(DType.F32, Array.ones(DType.BF16, 1).add(Array.ones(DType.F16, 1)).dtype()); // bf16 + f16
    assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, Array.arange(3).add(1.5).toFloatArray()); // jnp.arange(3) + 1.5
    assertEquals(DType.F32, Array.arange(3).add(1.5).dtype());
    // a Java double is a weak float even when integral: jnp.arange(3) + 2.0 -> [2. 3. 4.] float32,
    // jnp.arange(3) + 2 -> [2 3 4] int32; also with float literals, variables and where/clip/pow
    Array plusTwoPointZero = Array.arange(3).add(2.0);
    assertEquals(DType.F32, plusTwoPointZero.dtype());
    assertArrayEquals(new float[] {2, 3, 4}, plusTwoPointZero.toFloatArray());
    assertEquals(DType.F32, Array.arange(3).add(2f).dtype());
    double two = 2;
    int twoInt = 2;
    assertEquals(DType.F32, Array.arange(3).mul(two).dtype());
    assertEquals(DType.I32, Array.arange(3).mul(twoInt).dtype());
    assertArrayEquals(new int[] {2, 3, 4}, Array.arange(3).add(2).toIntArray());
    assertEquals(DType.F32, Array.arange(3).astype(DType.U32).add(2.0).dtype()); // uint32 + 2.0 -> float32
    assertArrayEquals(new int[] {2, 1, 2}, Array.of(true, false, true).add(1).toIntArray()); // bool + 1 -> int32
    assertEquals(DType.F32, Array.of(true, false, true).add(1.0).dtype()); // bool + 1.0 -> float32
    Array cond = Array.of(true, false, true);
    assertEquals(DType.F32, Array.where(cond, Array.arange(3), 2.0).dtype()); // jnp.where(b, i, 2.0) -> float32
    assertArrayEquals(new int[] {0, 2, 2}, Array.where(cond, Array.arange(3), 2).toIntArray()); // ... 2 -> int32
    assertEquals(DType.I32, Array.arange(3).clip(0, 1).dtype()); // jnp.clip(i, 0, 1) -> int32
    assertArrayEquals(new float[] {0, 1, 1.5f}, Array.arange(3).clip(0, 1.5).toFloatArray()); // ... 0, 1.5 -> float32
    assertArrayEquals(new int[] {0, 1, 4}, Array.arange(3).pow(2).toIntArray()); // i ** 2 -> int32 (integer_pow)
    assertEquals(DType.F32, Array.arange(3).pow(2.0).dtype()); // i ** 2.0 -> float32
    // i ** -1 -> TypeError: Integers cannot be raised to negative powers
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Array.arange(3).pow(-1));
    assertTrue(negative.getMessage().contains("pow(-1.0)"), negative.getMessage());
    // Differences (docs/decisions.md): Array.div on ints is lax.div (jnp.array(3) / jnp.array(2) -> 1.5);
    // bool + bool is refused (JAX: logical or)
    assertEquals(1, Array.scalar(DType.I32, 3).div(Array.scalar(DType.I32, 2)).intValue());
    assertEquals(1.5f, Array.scalar(DType.I32, 3).astype(DType.F32).div(2).floatValue());
    ShapeError bools = assertThrows(ShapeError.class, () -> Array.of(true).add(Array.of(true)));
    assertTrue(bools.getMessage().contains("astype"), bools.getMessage());
  }

  /** Miscellaneous divergences from NumPy: wrapping ints, saturating casts, division by zero. */
  @Test
  void integerOverflowCastsAndDivision() {
    for (boolean jit : new boolean[] {false, true}) {
      Function<Function<Array, Array>, Function<Array, Array>> mode = f -> jit ? Transforms.jit(f) : f;
      // jnp.array(2**31 - 1, dtype=jnp.int32) + 1 -> -2147483648
      assertEquals(Integer.MIN_VALUE, mode.apply(x -> x.add(1)).apply(Array.scalar(DType.I32, Integer.MAX_VALUE)).intValue());
      // jnp.array([1e10, -1e10, nan, 2.7, -2.7, inf], jnp.float32).astype(jnp.int32)
      assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 2, -2, Integer.MAX_VALUE},
          mode.apply(x -> x.astype(DType.I32)).apply(Array.of(1e10f, -1e10f, Float.NaN, 2.7f, -2.7f, Float.POSITIVE_INFINITY)).toIntArray());
      // jnp.array([-1., 1e10, 3.9, nan], jnp.float32).astype(jnp.uint32) -> [0 4294967295 3 0]
      assertArrayEquals(new int[] {0, -1, 3, 0},
          mode.apply(x -> x.astype(DType.U32)).apply(Array.of(-1f, 1e10f, 3.9f, Float.NaN)).toIntArray());
      // jnp.array([-1, -2], jnp.int32).astype(jnp.uint32) -> [4294967295 4294967294]
      assertArrayEquals(new int[] {-1, -2}, mode.apply(x -> x.astype(DType.U32)).apply(Array.of(-1, -2)).toIntArray());
      // jnp.array(0, jnp.uint32) - jnp.array(1, jnp.uint32) -> 4294967295
      assertEquals(4294967295.0, mode.apply(x -> x.sub(Array.scalar(DType.U32, 1))).apply(Array.scalar(DType.U32, 0)).item());
      // jnp.array([7, -7]) // 0 -> [-2 -2]; % 0 -> [0 0]; lax.div(.., 0) -> [-1 -1]; lax.rem(.., 0) -> [7 -7]
      Array sevens = Array.of(7, -7), zeros = Array.of(0, 0);
      assertArrayEquals(new int[] {-2, -2}, mode.apply(x -> x.floorDivide(zeros)).apply(sevens).toIntArray());
      assertArrayEquals(new int[] {0, 0}, mode.apply(x -> Ufuncs.remainder(x, zeros)).apply(sevens).toIntArray());
      assertArrayEquals(new int[] {-1, -1}, mode.apply(x -> x.div(zeros)).apply(sevens).toIntArray());
      assertArrayEquals(new int[] {7, -7}, mode.apply(x -> x.rem(zeros)).apply(sevens).toIntArray());
      // jnp.abs(jnp.array(-2**31, jnp.int32)) -> -2147483648
      assertEquals(Integer.MIN_VALUE, mode.apply(Array::abs).apply(Array.scalar(DType.I32, Integer.MIN_VALUE)).intValue());
    }
    // jnp.arange(3) + 2**40 -> OverflowError; here an IllegalArgumentException with the fix
    IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> Array.arange(3).add(1L << 40));
    assertTrue(big.getMessage().startsWith("add: the Java integer 1099511627776 next to the i32[3] array does not fit in int32"),
        big.getMessage());
    assertTrue(big.getMessage().contains("astype(DType.F32)"), big.getMessage());
    // jnp.ones(3) + 2**40 -> OverflowError too: a Python int goes through int32 next to any array
    // (also jnp.arange(3, dtype=jnp.uint32) + 2**31), while jnp.ones(3) + 2.0**40 is a float
    assertThrows(IllegalArgumentException.class, () -> Array.ones(3).add(1L << 40));
    assertEquals(1099511627776f, Array.ones(1).mul(1099511627776.0).floatValue());
    assertThrows(IllegalArgumentException.class, () -> Array.arange(3).astype(DType.U32).add(2147483648L));
    assertThrows(IllegalArgumentException.class, () -> Transforms.jit((Array x) -> x.mul(2147483648L)).apply(Array.arange(3)));
    assertThrows(IllegalArgumentException.class, () -> Array.where(Array.of(true), Array.of(1), 1_000_000_000_000L));
    // ... while -2**31 fits: jnp.arange(3) + (-2**31) -> [-2147483648 -2147483647 -2147483646];
    // jnp.arange(3, dtype=jnp.uint32) + (-1) -> [4294967295 0 1]
    assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MIN_VALUE + 2},
        Array.arange(3).add(Integer.MIN_VALUE).toIntArray());
    assertArrayEquals(new int[] {-1, 0, 1}, Array.arange(3).astype(DType.U32).add(-1).toIntArray());
    assertEquals(DType.F32, Array.arange(3).add(1e10).dtype()); // jnp.arange(3) + 1e10: a float, no overflow
  }
}
