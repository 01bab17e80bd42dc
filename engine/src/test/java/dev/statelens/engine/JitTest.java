package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.trace.JitFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class JitTest {

  /** The seed's stateful counter. */
  static class Counter {
    Array n = Array.scalar(0);

    Array count() {
      n = n.add(1);
      return n;
    }
  }

  @Test
  void eagerCounterCounts() {
    Counter c = new Counter();
    assertEquals(1f, c.count().floatValue());
    assertEquals(2f, c.count().floatValue());
    assertEquals(3f, c.count().floatValue());
  }

  @Test
  void jittedCounterReturnsOneEveryTimeAsInJax() {
    Counter c = new Counter();
    Supplier<Array> fast = Transforms.jit(c::count);
    assertEquals(1f, fast.get().floatValue());
    assertEquals(1f, fast.get().floatValue());
    assertEquals(1f, fast.get().floatValue());
    assertEquals("count", Transforms.jitInfo(fast).name());
    assertEquals(1, Transforms.jitInfo(fast).graphs().size());
  }

  @Test
  void escapedTracerRaisesUnexpectedTracerErrorNamingTheFunction() {
    Counter c = new Counter();
    Supplier<Array> fast = Transforms.jit(c::count);
    fast.get();
    UnexpectedTracerError e = assertThrows(UnexpectedTracerError.class, () -> c.n.add(1));
    assertTrue(e.getMessage().contains("jit(count)"), e.getMessage());
    assertTrue(e.getMessage().contains("escaped"), e.getMessage());
    assertTrue(e.getMessage().contains("field"), e.getMessage());
    assertTrue(e.getMessage().contains("explicit state"), e.getMessage());
    assertThrows(UnexpectedTracerError.class, () -> c.n.floatValue());
  }

  @Test
  void explicitStateCounterCountsUnderJit() {
    Function<Array, Pair<Array, Array>> step = Transforms.jit((Array n) -> Pair.of(n.add(1), n.add(1)));
    Array n = Array.scalar(0);
    float[] seen = new float[3];
    for (int i = 0; i < 3; i++) {
      Pair<Array, Array> r = step.apply(n);
      seen[i] = r.first().floatValue();
      n = r.second();
    }
    assertArrayEquals(new float[] {1, 2, 3}, seen);
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void retracesOnNewShapeAndDtype() {
    int[] traces = {0};
    Function<Array, Array> f = Transforms.jit("double", (Array x) -> {
      traces[0]++;
      return x.mul(2);
    });
    assertArrayEquals(new float[] {2, 4}, f.apply(Array.of(1f, 2f)).toFloatArray());
    assertArrayEquals(new float[] {6, 8}, f.apply(Array.of(3f, 4f)).toFloatArray());
    assertEquals(1, traces[0]);
    assertArrayEquals(new float[] {2, 4, 6}, f.apply(Array.of(1f, 2f, 3f)).toFloatArray());
    assertEquals(2, traces[0]);
    assertEquals(DType.F64, f.apply(Array.of(1.0, 2.0)).dtype());
    assertEquals(3, traces[0]);
    JitFunction info = Transforms.jitInfo(f);
    assertEquals("double", info.name());
    assertEquals(3, info.graphs().size());
  }

  @Test
  void constantsReadAtTraceTimeAreBakedIn() {
    Array[] scale = {Array.scalar(2)};
    Function<Array, Array> f = Transforms.jit((Array x) -> x.mul(scale[0]));
    assertEquals(6f, f.apply(Array.scalar(3)).floatValue());
    scale[0] = Array.scalar(10);
    assertEquals(8f, f.apply(Array.scalar(4)).floatValue());
  }

  @Test
  @SuppressWarnings("statelens:SL007") // a traced value concretized on purpose: the error under test
  void concretizationErrorNamesFunctionAndFix() {
    Function<Array, Array> f = Transforms.jit((Array x) -> x.item() > 0 ? x : x.neg());
    ConcretizationError e = assertThrows(ConcretizationError.class, () -> f.apply(Array.scalar(1)));
    assertTrue(e.getMessage().contains("jit(<lambda>)"), e.getMessage());
    assertTrue(e.getMessage().contains("Array.where"), e.getMessage());
    assertTrue(e.getMessage().contains("Lax.cond"), e.getMessage());
    assertTrue(e.getMessage().contains("item()"), e.getMessage());
  }

  @Test
  void makeJaxprPrintsLikeJax() {
    var j = Transforms.makeJaxpr((Array a) -> a.mul(2), Array.of(1f, 2f, 3f));
    assertEquals("{ lambda ; a:f32[3]. let b:f32[3] = mul a 2.0:f32[] in (b,) }", j.toString());
  }
}
