package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Transforms.pureCallback (jax.pure_callback) and ioCallback (jax.experimental.io_callback). The
 * shapes each vmap_method hands the host function, and the errors, are real JAX 0.10.2's
 * (bench/gpu/callback_reference.py).
 */
class PureCallbackTest {
  private static final Aval F32 = Aval.scalar(DType.F32);

  /** The shapes the host function was called with, one entry per call. */
  private final List<String> calls = new ArrayList<>();

  /** A "library routine" on the host: elementwise sin through plain Java. */
  private Array hostSin(Array[] in) {
    calls.add(Arrays.toString(in[0].shape()));
    float[] v = in[0].toFloatArray();
    float[] r = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = (float) Math.sin(v[i]);
    }
    return Array.of(DType.F32, in[0].shape(), r);
  }

  @Test
  void underJitTheGraphCarriesOnePureCallbackCalledOnEveryRun() {
    Function<Array, Array> f = Transforms.jit((Array x) -> Transforms.pureCallback(this::hostSin, x.aval(), x).mul(2));
    assertArrayEquals(new float[] {0f, 2 * (float) Math.sin(1)}, f.apply(Array.of(0f, 1f)).toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {2 * (float) Math.sin(2), 0f}, f.apply(Array.of(2f, 0f)).toFloatArray(), 1e-6f);
    assertEquals(List.of("[2]", "[2]"), calls);
    Jaxpr j = Transforms.makeJaxpr((Array x) -> Transforms.pureCallback(this::hostSin, F32, VmapMethod.SEQUENTIAL, x), Array.scalar(1));
    assertTrue(j.toString().contains("pure_callback[callback=<callback at PureCallbackTest.java:"), j.toString());
    assertTrue(j.toString().contains("vmap_method=sequential"), j.toString());
    assertTrue(j.toString().contains("result_avals=(f32[],)"), j.toString());
    // under vmap with EXPAND_DIMS the equation declares the batched result
    Jaxpr batched = Transforms.makeJaxpr(Transforms.vmap((Array x) -> Transforms.pureCallback(this::hostSin, F32,
        VmapMethod.EXPAND_DIMS, x)), Array.of(1f, 2f, 3f));
    assertTrue(batched.toString().contains("result_avals=(f32[3],)"), batched.toString());
  }

  @Test
  void anUnusedResultIsDroppedAsJaxDoes() {
    Function<Array, Array> f = Transforms.jit((Array x) -> {
      Transforms.pureCallback(this::hostSin, x.aval(), x);
      return x.add(1);
    });
    f.apply(Array.scalar(1));
    assertEquals(List.of(), calls, "pure: dead code");
    Function<Array, Array> g = Transforms.jit((Array x) -> {
      Transforms.ioCallback(this::hostSin, x.aval(), false, x);
      return x.add(1);
    });
    g.apply(Array.scalar(1));
    assertEquals(List.of("[]"), calls, "io_callback is an effect: kept");
  }

  @Test
  void eagerlyItCallsAtOnce() {
    assertEquals((float) Math.sin(0.5), Transforms.pureCallback(this::hostSin, F32, Array.scalar(0.5)).floatValue(), 1e-7f);
    assertEquals(List.of("[]"), calls);
  }

  @Test
  void vmapMethodsHandTheHostFunctionTheShapesJaxDoes() {
    Array xs = Array.of(0f, 1f, 2f);
    float[] want = {0f, (float) Math.sin(1), (float) Math.sin(2)};
    // JAX 0.10.2: sequential -> 3 calls of shape (); expand_dims, broadcast_all -> 1 call of shape (3,)
    assertArrayEquals(want, Transforms.vmap((Array x) -> Transforms.pureCallback(this::hostSin, F32,
        VmapMethod.SEQUENTIAL, x)).apply(xs).toFloatArray(), 1e-6f);
    assertEquals(List.of("[]", "[]", "[]"), calls);
    calls.clear();
    assertArrayEquals(want, Transforms.jit(Transforms.vmap((Array x) -> Transforms.pureCallback(this::hostSin, F32,
        VmapMethod.EXPAND_DIMS, x))).apply(xs).toFloatArray(), 1e-6f);
    assertEquals(List.of("[3]"), calls);
    calls.clear();
    assertArrayEquals(want, Transforms.vmap((Array x) -> Transforms.pureCallback(this::hostSin, F32,
        VmapMethod.BROADCAST_ALL, x)).apply(xs).toFloatArray(), 1e-6f);
    assertEquals(List.of("[3]"), calls);
  }

  @Test
  void anUnmappedOperandGetsASizeOneOrAFullBatchAxis() {
    // JAX 0.10.2: host2(x, y) with y unbatched sees (3,), (1,) under expand_dims and (3,), (3,) under broadcast_all
    for (VmapMethod m : List.of(VmapMethod.EXPAND_DIMS, VmapMethod.BROADCAST_ALL)) {
      List<String> shapes = new ArrayList<>();
      Array out = Transforms.vmap((Array x) -> Transforms.pureCallback(in -> {
        shapes.add(Arrays.toString(in[0].shape()) + " " + Arrays.toString(in[1].shape()));
        return in[0].add(in[1]);
      }, F32, m, x, Array.scalar(10))).apply(Array.of(0f, 1f, 2f));
      assertArrayEquals(new float[] {10, 11, 12}, out.toFloatArray(), m.name());
      assertEquals(List.of(m == VmapMethod.EXPAND_DIMS ? "[3] [1]" : "[3] [3]"), shapes, m.name());
    }
  }

  @Test
  void vmapWithoutAVmapMethodIsRefusedAsJax() {
    var e = assertThrows(UnsupportedOperationException.class,
        () -> Transforms.vmap((Array x) -> Transforms.pureCallback(this::hostSin, F32, x)).apply(Array.of(1f, 2f)));
    assertTrue(e.getMessage().contains("needs a vmap_method: pass VmapMethod.SEQUENTIAL"), e.getMessage());
    assertTrue(e.getMessage().contains("Got vmap_method=None"), e.getMessage());
    assertTrue(e.getMessage().contains("'sequential_unrolled'") && e.getMessage().contains("'legacy_vectorized'"),
        e.getMessage());
  }

  /**
   * host(x, y) = x + y logging both shapes, for every vmap method in three batchings: y unmapped,
   * x unmapped, and nested (x mapped by the inner vmap, y by the outer). Real JAX 0.10.2's shapes
   * (bench/gpu/callback_reference.py, "vmap methods" block); legacy_vectorized's nested call gets
   * x[3] and y[2] and must return [2,3], so the host function adds them as an outer sum there.
   */
  @Test
  void everyVmapMethodHandsTheHostFunctionJaxsShapesUnmappedAndNested() {
    Map<VmapMethod, List<String>> want = Map.of(
        VmapMethod.SEQUENTIAL, Collections.nCopies(3 + 3 + 6, "[] []"),
        VmapMethod.SEQUENTIAL_UNROLLED, Collections.nCopies(3 + 3 + 6, "[] []"),
        VmapMethod.EXPAND_DIMS, List.of("[3] [1]", "[1] [3]", "[1, 3] [2, 1]"),
        VmapMethod.BROADCAST_ALL, List.of("[3] [3]", "[3] [3]", "[2, 3] [2, 3]"),
        VmapMethod.LEGACY_VECTORIZED, List.of("[3] []", "[] [3]", "[3] [2]"));
    Array xs = Array.of(0f, 1f, 2f);
    for (VmapMethod m : VmapMethod.values()) {
      List<String> shapes = new ArrayList<>();
      Function<Array[], Array> host = in -> {
        shapes.add(Arrays.toString(in[0].shape()) + " " + Arrays.toString(in[1].shape()));
        boolean legacyNested = m == VmapMethod.LEGACY_VECTORIZED && in[0].shape().length == 1 && in[1].shape().length == 1
            && in[0].shape()[0] != in[1].shape()[0];
        return legacyNested ? in[1].reshape(in[1].shape()[0], 1).add(in[0]) : in[0].add(in[1]);
      };
      BiFunction<Array, Array, Array> call = (x, y) -> Transforms.pureCallback(host, F32, m, x, y);
      // JAX: [10, 11, 12], [5, 6, 7], [[100, 101, 102], [200, 201, 202]] for every method
      assertArrayEquals(new float[] {10, 11, 12},
          Transforms.jit(Transforms.vmap((Array x) -> call.apply(x, Array.scalar(10)))).apply(xs).toFloatArray(), m.name());
      assertArrayEquals(new float[] {5, 6, 7},
          Transforms.vmap((Array y) -> call.apply(Array.scalar(5), y)).apply(xs).toFloatArray(), m.name());
      Array nested = Transforms.vmap((Array y) -> Transforms.vmap((Array x) -> call.apply(x, y)).apply(xs))
          .apply(Array.of(100f, 200f));
      assertArrayEquals(new int[] {2, 3}, nested.shape(), m.name());
      assertArrayEquals(new float[] {100, 101, 102, 200, 201, 202}, nested.toFloatArray(), m.name());
      assertEquals(want.get(m), shapes, m.name());
    }
    // the jaxpr records the method by JAX's name
    Jaxpr j = Transforms.makeJaxpr((Array x) -> Transforms.pureCallback(this::hostSin, F32,
        VmapMethod.LEGACY_VECTORIZED, x), Array.scalar(1));
    assertTrue(j.toString().contains("vmap_method=legacy_vectorized"), j.toString());
  }

  @Test
  void gradIsRefusedNamingCustomVjp() {
    var e = assertThrows(UnsupportedOperationException.class,
        () -> Transforms.grad((Array x) -> Transforms.pureCallback(this::hostSin, F32, x)).apply(Array.scalar(1)));
    assertTrue(e.getMessage().contains("pure_callback cannot be differentiated"), e.getMessage());
    assertTrue(e.getMessage().contains("Transforms.customVjp"), e.getMessage());
  }

  @Test
  void customVjpMakesItDifferentiable() {
    Function<Array, Array> sin = Transforms.customVjp(
        (Array x) -> Transforms.pureCallback(this::hostSin, x.aval(), x),
        (Array x) -> Pair.of(Transforms.pureCallback(this::hostSin, x.aval(), x), x),
        (Array x, Array g) -> g.mul(x.cos()));
    Function<Array, Array> dsin = Transforms.jit(Transforms.grad((Array x) -> sin.apply(x).sum()));
    assertArrayEquals(new float[] {(float) Math.cos(0.3), (float) Math.cos(1.2)},
        dsin.apply(Array.of(0.3f, 1.2f)).toFloatArray(), 1e-6f);
  }

  @Test
  void aResultOfTheWrongShapeOrDtypeNamesBoth() {
    Function<Array, Array> wrongShape = Transforms.jit((Array x) -> Transforms.pureCallback(in -> Array.zeros(DType.F32, 2), F32, x));
    var e = assertThrows(CallbackError.class, () -> wrongShape.apply(Array.scalar(1)));
    assertTrue(e.getMessage().contains("returned f32[2] for result #0 but declared f32[]"), e.getMessage());
    Function<Array, Array> wrongDtype = Transforms.jit((Array x) -> Transforms.pureCallback(in -> Array.scalar(DType.I32, 0), F32, x));
    e = assertThrows(CallbackError.class, () -> wrongDtype.apply(Array.scalar(1)));
    assertTrue(e.getMessage().contains("returned i32[] for result #0 but declared f32[]"), e.getMessage());
    assertTrue(e.getMessage().contains("declare Aval.of(DType.I32)"), e.getMessage());
  }

  @Test
  void aFunctionThatIsNotBatchAwareUnderAWholeBatchMethodIsToldSoNotToChangeItsDeclaration() {
    // one call per element's worth of code under EXPAND_DIMS: it returns f32[] where vmap needs f32[3]
    Function<Array, Array> f = Transforms.vmap((Array x) -> Transforms.pureCallback(
        in -> Array.scalar(in[0].toFloatArray()[0]), F32, VmapMethod.EXPAND_DIMS, x));
    var e = assertThrows(CallbackError.class, () -> f.apply(Array.of(1f, 2f, 3f)));
    assertTrue(e.getMessage().contains("returned f32[] for result #0 but vmap (vmap_method=expand_dims) calls it once "
        + "on the whole batch, so it must return f32[3]: the batch of 3 on axis 0"), e.getMessage());
    assertTrue(e.getMessage().contains("or pass VmapMethod.SEQUENTIAL"), e.getMessage());
    assertTrue(!e.getMessage().contains("declare Aval"), "the declaration is right; the function is not batched");
  }

  @Test
  void severalResults() {
    Function<Array, List<Array>> f = Transforms.jit((Array x) -> Transforms.pureCallback(
        (Array[] in) -> List.of(in[0].add(1), in[0].astype(DType.I32)),
        List.of(x.aval(), x.aval().withDType(DType.I32)), null, x));
    List<Array> out = f.apply(Array.of(1.5f, 2.5f));
    assertArrayEquals(new float[] {2.5f, 3.5f}, out.get(0).toFloatArray());
    assertArrayEquals(new int[] {1, 2}, out.get(1).toIntArray());
  }

  @Test
  void ioCallbackRunsInProgramOrderAndAnOrderedOneIsRefusedUnderVmap() {
    List<String> log = new ArrayList<>();
    Function<Array, Array> f = Transforms.jit((Array x) -> {
      Array a = Transforms.ioCallback(in -> {
        log.add("io " + in[0].floatValue());
        return in[0].add(1);
      }, F32, true, x);
      Debug.callback(v -> log.add("debug " + v[0].floatValue()), a);
      return a;
    });
    f.apply(Array.scalar(1));
    f.apply(Array.scalar(5));
    assertEquals(List.of("io 1.0", "debug 2.0", "io 5.0", "debug 6.0"), log);
    // JAX 0.10.2: ValueError: Cannot `vmap` ordered IO callback.; unordered runs once per element
    var e = assertThrows(UnsupportedOperationException.class, () -> Transforms.vmap((Array x) ->
        Transforms.ioCallback(in -> in[0], F32, true, x)).apply(Array.of(1f, 2f)));
    assertTrue(e.getMessage().contains("cannot vmap an ordered io_callback"), e.getMessage());
    log.clear();
    Array out = Transforms.vmap((Array x) -> Transforms.ioCallback(in -> {
      log.add("io " + in[0].floatValue());
      return in[0].mul(3);
    }, F32, false, x)).apply(Array.of(1f, 2f));
    assertArrayEquals(new float[] {3, 6}, out.toFloatArray());
    assertEquals(List.of("io 1.0", "io 2.0"), log);
  }
}
