package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Jaxpr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Debug.callback (jax.debug.callback): called with the run-time values on every call of the
 * compiled function. Call counts and values under vmap, grad and scan are real JAX 0.10.2's
 * (bench/gpu/callback_reference.py prints them).
 */
class CallbackTest {

  /** What each call of the callback saw: the values of its arrays, flattened. */
  private final List<String> seen = new ArrayList<>();

  private void record(Array[] values) {
    StringBuilder sb = new StringBuilder();
    for (Array v : values) {
      sb.append(sb.isEmpty() ? "" : " ").append(Arrays.toString(v.toFloatArray()));
    }
    seen.add(sb.toString());
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void underJitItIsCalledOnEveryCompiledCallWithThatCallsValues() {
    AtomicInteger traces = new AtomicInteger();
    Function<Array, Array> step = Transforms.jit("step", (Array n) -> {
      traces.incrementAndGet();
      Array next = n.add(1);
      Debug.callback(this::record, n, next);
      return next;
    });
    Array n = Array.scalar(0);
    for (int i = 0; i < 3; i++) {
      n = step.apply(n);
    }
    assertEquals(1, traces.get(), "traced once");
    assertEquals(List.of("[0.0] [1.0]", "[1.0] [2.0]", "[2.0] [3.0]"), seen);
  }

  @Test
  void theGraphCarriesOneDebugCallbackEquation() {
    Jaxpr j = Transforms.makeJaxpr((Array x) -> {
      Debug.callback(this::record, x);
      return x.mul(2);
    }, Array.scalar(1));
    String text = j.toString();
    assertEquals(1, j.eqns().stream().filter(e -> e.primitive().name().equals("debug_callback")).count(), text);
    assertTrue(text.contains("debug_callback[callback=<callback at CallbackTest.java:"), text);
    assertTrue(seen.isEmpty(), "tracing does not call it");
  }

  @Test
  void eagerlyItIsCalledAtOnce() {
    Debug.callback(this::record, Array.of(1f, 2f));
    assertEquals(List.of("[1.0, 2.0]"), seen);
  }

  @Test
  void itRunsInProgramOrderWithDebugPrint() {
    Function<Array, Array> f = Transforms.jit((Array x) -> {
      Debug.print("print before {}", x);
      Debug.callback(v -> System.out.println("callback " + v[0].floatValue()), x.add(1));
      Debug.print("print after {}", x.add(2));
      return x;
    });
    String out = capture(() -> {
      f.apply(Array.scalar(0));
      f.apply(Array.scalar(10));
    });
    assertEquals("print before 0.0\ncallback 1.0\nprint after 2.0\n"
        + "print before 10.0\ncallback 11.0\nprint after 12.0\n", out);
  }

  @Test
  void underVmapItIsCalledOncePerElementAsJax() {
    // JAX 0.10.2: jax.vmap(lambda x: debug.callback(cb, x)...)(arange(3.)) calls cb(0.), cb(1.), cb(2.)
    Function<Array, Array> f = Transforms.vmap((Array x) -> {
      Debug.callback(this::record, x);
      return x.mul(2);
    });
    assertArrayEquals(new float[] {0, 2, 4}, f.apply(Array.arange(3).astype(DType.F32)).toFloatArray());
    assertEquals(List.of("[0.0]", "[1.0]", "[2.0]"), seen);
    seen.clear();
    Transforms.jit(f).apply(Array.of(5f, 6f));
    assertEquals(List.of("[5.0]", "[6.0]"), seen, "jit(vmap): per element at run time");
  }

  @Test
  void underGradItSeesThePrimalAndIsNotDifferentiated() {
    // JAX 0.10.2: grad(lambda x: (debug.callback(cb, x), x*x)[1])(3.) == 6.0, cb saw 3.0 once
    Function<Array, Array> loss = (Array x) -> {
      Debug.callback(this::record, x);
      return x.mul(x);
    };
    assertEquals(6f, Transforms.grad(loss).apply(Array.scalar(3)).floatValue());
    assertEquals(List.of("[3.0]"), seen);
    seen.clear();
    Function<Array, Array> jitGrad = Transforms.jit(Transforms.grad(loss));
    assertEquals(8f, jitGrad.apply(Array.scalar(4)).floatValue());
    assertEquals(10f, jitGrad.apply(Array.scalar(5)).floatValue());
    assertEquals(List.of("[4.0]", "[5.0]"), seen, "jit(grad): once per call, forward pass only");
  }

  @Test
  void insideLaxScanItRunsOncePerIterationAtRunTime() {
    // JAX 0.10.2: jit(scan(body with debug.callback(cb, c), 0., arange(3.))) -> cb 0.0, 0.0, 1.0
    Function<Array, Array> f = Transforms.jit((Array c0) -> Lax.scan((Array c, Array x) -> {
      Debug.callback(this::record, c);
      return Pair.of(c.add(x), (Array) null);
    }, c0, Array.arange(3).astype(DType.F32)).first());
    f.apply(Array.scalar(0));
    assertEquals(List.of("[0.0]", "[0.0]", "[1.0]"), seen);
    f.apply(Array.scalar(1));
    assertEquals(6, seen.size(), "and again on the next call");
  }

  @Test
  void insideWhileLoopAndForIItRunsOncePerIteration() {
    Function<Array, Array> f = Transforms.jit((Array x) -> Lax.whileLoop((Array c) -> c.lt(3),
        (Array c) -> {
          Debug.callback(this::record, c);
          return c.add(1);
        }, x));
    assertEquals(3f, f.apply(Array.scalar(0)).floatValue());
    assertEquals(List.of("[0.0]", "[1.0]", "[2.0]"), seen);
    seen.clear();
    Function<Array, Array> g = Transforms.jit((Array x) -> Lax.forI(0, 2, (i, c) -> {
      Debug.callback(this::record, i.astype(DType.F32), c);
      return c.mul(2);
    }, x));
    assertEquals(4f, g.apply(Array.scalar(1)).floatValue());
    assertEquals(List.of("[0.0] [1.0]", "[1.0] [2.0]"), seen);
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void anExceptionNamesTheCallbackAndLeavesTheJitUsable() {
    AtomicInteger traces = new AtomicInteger();
    Function<Array, Array> f = Transforms.jit("step", (Array x) -> {
      traces.incrementAndGet();
      Debug.callback(v -> {
        if (v[0].floatValue() < 0) {
          throw new IllegalStateException("negative input");
        }
        record(v);
      }, x);
      return x.add(1);
    });
    CallbackError e = assertThrows(CallbackError.class, () -> f.apply(Array.scalar(-1)));
    assertTrue(e.getMessage().startsWith("debug_callback: the <callback at CallbackTest.java:"), e.getMessage());
    assertTrue(e.getMessage().contains("threw IllegalStateException: negative input"), e.getMessage());
    assertEquals("negative input", e.getCause().getMessage());
    assertEquals(3f, f.apply(Array.scalar(2)).floatValue());
    assertEquals(List.of("[2.0]"), seen);
    assertEquals(1, traces.get(), "the compiled graph was kept");
  }

  @Test
  void theArraysItGetsAreCopiesItMayKeep() {
    List<Array> kept = new ArrayList<>();
    Function<Array, Array> f = Transforms.jit((Array c0) -> Lax.forI(0, 3, (i, c) -> {
      Debug.callback(v -> kept.add(v[0]), c);
      return c.add(1);
    }, c0));
    f.apply(Array.of(0f, 0f));
    assertEquals(3, kept.size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(new float[] {i, i}, kept.get(i).toFloatArray(), "iteration " + i);
    }
  }

  static String capture(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8).replace("\r", "");
  }
}
