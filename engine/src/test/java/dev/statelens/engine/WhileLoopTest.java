package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Jaxpr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Lax.whileLoop (lax.while_loop): eager, jit (one graph for every trip count), pytrees, errors. */
class WhileLoopTest {

  /** Newton's iteration for sqrt(x): the estimate and the number of steps taken. */
  public record Newton(Array y, Array steps) {}

  /** sqrt(x) by Newton's method until the relative residual is below 1e-6 (at most 100 steps). */
  static Newton newtonSqrt(Array x) {
    return Lax.whileLoop(
        (Newton c) -> c.y().mul(c.y()).sub(x).abs().gt(x.mul(1e-6f)).logicalAnd(c.steps().lt(100)),
        (Newton c) -> new Newton(c.y().add(x.div(c.y())).mul(0.5f), c.steps().add(1)),
        new Newton(x.add(1), Array.scalar(DType.I32, 0)));
  }

  /** Collatz: the steps from n to 1 (an i32 carry, data-dependent trip count). */
  static Array collatzSteps(Array n) {
    Pair<Array, Array> end = Lax.whileLoop(
        (Pair<Array, Array> c) -> c.first().gt(1),
        (Pair<Array, Array> c) -> {
          Array v = c.first();
          Array next = Array.where(v.rem(2).eq(0), v.div(2), v.mul(3).add(1));
          return Pair.of(next, c.second().add(1));
        },
        Pair.of(n, Array.scalar(DType.I32, 0)));
    return end.second();
  }

  /** The Collatz steps computed in plain Java, the reference for every lane. */
  static int collatzJava(int n) {
    int steps = 0;
    while (n > 1) {
      n = n % 2 == 0 ? n / 2 : 3 * n + 1;
      steps++;
    }
    return steps;
  }

  private static int newtonStepsJava(float x) {
    float y = x + 1;
    int steps = 0;
    while (Math.abs(y * y - x) > x * 1e-6f && steps < 100) {
      y = (y + x / y) * 0.5f;
      steps++;
    }
    return steps;
  }

  @Test
  void newtonSqrtEagerEqualsJitAndTheTripCountDependsOnTheInput() {
    Function<Array, Newton> jitted = Transforms.jit(WhileLoopTest::newtonSqrt);
    int[] steps = new int[2];
    float[] xs = {2f, 1e6f};
    for (int k = 0; k < xs.length; k++) {
      Array x = Array.scalar(xs[k]);
      Newton eager = newtonSqrt(x);
      Newton staged = jitted.apply(x);
      assertEquals((float) Math.sqrt(xs[k]), staged.y().floatValue(), 1e-5f * (float) Math.sqrt(xs[k]));
      assertEquals(eager.y().floatValue(), staged.y().floatValue(), 0f, "eager == jit");
      assertEquals(eager.steps().intValue(), staged.steps().intValue());
      assertEquals(newtonStepsJava(xs[k]), staged.steps().intValue(), "the Java loop's trip count");
      steps[k] = staged.steps().intValue();
    }
    assertTrue(steps[1] > steps[0] + 5, "a larger input takes more steps: " + steps[0] + " vs " + steps[1]);
    assertEquals(1, Transforms.jitInfo(jitted).graphs().size(), "one graph serves every trip count");
    Jaxpr j = Transforms.jitInfo(jitted).graphs().get(0).jaxpr();
    assertTrue(j.eqns().stream().anyMatch(e -> e.primitive().name().equals("while")), j.toString());
  }

  @Test
  void integerCarryAndOneGraphForEveryTripCount() {
    Function<Array, Array> jitted = Transforms.jit(WhileLoopTest::collatzSteps);
    for (int n : new int[] {27, 6, 1, 97}) {
      Array x = Array.scalar(DType.I32, n);
      assertEquals(collatzJava(n), collatzSteps(x).intValue(), "eager n=" + n);
      assertEquals(collatzJava(n), jitted.apply(x).intValue(), "jit n=" + n);
    }
    assertEquals(111, jitted.apply(Array.scalar(DType.I32, 27)).intValue());
    assertEquals(1, Transforms.jitInfo(jitted).graphs().size());
  }

  @Test
  void zeroTripsReturnInit() {
    Newton init = new Newton(Array.scalar(3f), Array.scalar(DType.I32, 7));
    Function<Newton, Array> never = c -> c.steps().gt(100);
    Function<Newton, Newton> body = c -> new Newton(c.y().mul(2), c.steps().add(1));
    assertSame(init, Lax.whileLoop(never, body, init), "eagerly the init itself");
    Newton staged = Transforms.jit((Newton c) -> Lax.whileLoop(never, body, c)).apply(init);
    assertEquals(3f, staged.y().floatValue());
    assertEquals(7, staged.steps().intValue());
  }

  @Test
  void pytreeCarryOfListsAndClosedOverConstants() {
    Array scale = Array.of(2f, 3f); // a concrete array captured by the body
    Function<Array, List<Array>> f = limit -> Lax.whileLoop(
        (List<Array> c) -> c.get(0).sum().lt(limit), // the cond captures the traced limit
        (List<Array> c) -> List.of(c.get(0).mul(scale), c.get(1).add(1)),
        List.of(Array.of(1f, 1f), Array.scalar(DType.I32, 0)));
    Function<Array, List<Array>> jitted = Transforms.jit(f);
    for (float limit : new float[] {0f, 10f, 1000f}) {
      List<Array> e = f.apply(Array.scalar(limit));
      List<Array> j = jitted.apply(Array.scalar(limit));
      assertArrayEquals(e.get(0).toFloatArray(), j.get(0).toFloatArray());
      assertEquals(e.get(1).intValue(), j.get(1).intValue());
    }
    // 1+1 < 10, 2+3 < 10, 4+9 >= 10: two steps
    assertArrayEquals(new float[] {4f, 9f}, jitted.apply(Array.scalar(10f)).get(0).toFloatArray());
    assertEquals(2, jitted.apply(Array.scalar(10f)).get(1).intValue());
  }

  @Test
  void whileInsideScanAndScanInsideWhile() {
    // while in scan: the Collatz steps of each x, stacked
    Function<Array, Array> stepsOfEach = xs -> Lax.scan(
        (Array unused, Array n) -> Pair.of(unused, collatzSteps(n)), Array.scalar(0f), xs).second();
    Array ns = Array.of(new int[] {27, 6, 1, 7});
    int[] expected = {111, 8, 0, 16};
    assertArrayEquals(expected, stepsOfEach.apply(ns).toIntArray());
    assertArrayEquals(expected, Transforms.jit(stepsOfEach).apply(ns).toIntArray());

    // scan in while: add the running sums of xs to the carry until it exceeds a bound
    Array xs = Array.of(1f, 2f, 3f); // one scan adds 1 + 3 + 6 = 10
    Function<Array, Pair<Array, Array>> grow = bound -> Lax.whileLoop(
        (Pair<Array, Array> c) -> c.first().lt(bound),
        (Pair<Array, Array> c) -> {
          Pair<Array, Array> s = Lax.scan((Array run, Array x) -> Pair.of(run.add(x), run.add(x)), Array.scalar(0f), xs);
          return Pair.of(c.first().add(s.second().sum()), c.second().add(1));
        },
        Pair.of(Array.scalar(0f), Array.scalar(DType.I32, 0)));
    for (Function<Array, Pair<Array, Array>> g : List.of(grow, Transforms.jit(grow))) {
      Pair<Array, Array> r = g.apply(Array.scalar(35f));
      assertEquals(40f, r.first().floatValue());
      assertEquals(4, r.second().intValue());
    }
  }

  @Test
  void aCarryThatChangesTypeIsRejectedNamingTheLeaf() {
    Function<Newton, Newton> grows = c -> new Newton(c.y().reshape(1), c.steps());
    Newton init = new Newton(Array.scalar(1f), Array.scalar(DType.I32, 0));
    Function<Newton, Array> once = c -> c.steps().lt(1);
    for (Function<Newton, Newton> f : List.<Function<Newton, Newton>>of(
        c -> Lax.whileLoop(once, grows, c), Transforms.jit((Newton c) -> Lax.whileLoop(once, grows, c)))) {
      ShapeError e = assertThrows(ShapeError.class, () -> f.apply(init));
      assertTrue(e.getMessage().startsWith("Lax.whileLoop: the body must return a carry of the same types as init: "
          + "carry leaf y is f32[] in init but f32[1] after the body; cast with astype, reshape"), e.getMessage());
    }
    ShapeError structure = assertThrows(ShapeError.class, () -> Transforms.jit((Array x) -> Lax.whileLoop(
        (Object c) -> x.gt(0), (Object c) -> List.of(x, x), (Object) List.of(x))).apply(Array.scalar(1f)));
    assertTrue(structure.getMessage().startsWith("Lax.whileLoop: the body must return a carry with the structure of init"),
        structure.getMessage());
    assertTrue(structure.getMessage().contains("(while tracing a Lax.whileLoop body, at WhileLoopTest.java:"),
        structure.getMessage());
    ShapeError dtype = assertThrows(ShapeError.class, () -> Lax.whileLoop(
        (Array c) -> c.lt(3), (Array c) -> c.add(1).astype(DType.F32), Array.scalar(DType.I32, 0)));
    assertTrue(dtype.getMessage().contains("the carry is i32[] in init but f32[] after the body"), dtype.getMessage());
  }

  @Test
  void thePredicateMustBeABoolScalar() {
    for (Function<Array, Array> cond : List.<Function<Array, Array>>of(c -> c, c -> c.gt(Array.zeros(2)))) {
      for (Function<Array, Array> f : List.<Function<Array, Array>>of(
          x -> Lax.whileLoop(cond, c -> c.sub(1), x), Transforms.jit((Array x) -> Lax.whileLoop(cond, c -> c.sub(1), x)))) {
        ShapeError e = assertThrows(ShapeError.class, () -> f.apply(Array.scalar(3f)));
        assertTrue(e.getMessage().startsWith("Lax.whileLoop: cond must return a bool scalar, got "), e.getMessage());
        assertTrue(e.getMessage().contains("any() or all()"), e.getMessage());
        assertTrue(!e.getMessage().contains("while tracing") || e.getMessage().contains("while tracing a Lax.whileLoop cond"),
            e.getMessage());
      }
    }
  }

  @Test
  void printsTheJaxprLikeJax() {
    assertEquals("""
        { lambda ; a:f32[]. let
            b:f32[] c:i32[] = while[
              body_jaxpr={ lambda ; d:f32[] e:f32[] f:i32[]. let
                  g:f32[] = mul e d
                  h:i32[] = add f 1:i32[]
                in (g, h) }
              body_nconsts=1
              cond_jaxpr={ lambda ; i:f32[] j:i32[]. let k:bool[] = lt i 100.0:f32[] in (k,) }
              cond_nconsts=0
            ] a a 0:i32[]
          in (b, c) }""",
        Transforms.makeJaxpr((Array x) -> Lax.whileLoop((Pair<Array, Array> c) -> c.first().lt(100),
            (Pair<Array, Array> c) -> Pair.of(c.first().mul(x), c.second().add(1)), Pair.of(x, Array.scalar(DType.I32, 0))),
            Array.scalar(2f)).toString());
  }

  @Test
  void debugPrintInTheBodyPrintsEveryIterationUnderJit() {
    Function<Array, Array> f = Transforms.jit((Array x) -> Lax.whileLoop(c -> c.lt(10), c -> {
      Debug.print("c={}", c);
      return c.mul(2);
    }, x));
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(16f, f.apply(Array.scalar(1f)).floatValue());
      assertEquals(12f, f.apply(Array.scalar(3f)).floatValue());
    } finally {
      System.setOut(old);
    }
    assertEquals("c=1.0\nc=2.0\nc=4.0\nc=8.0\nc=3.0\nc=6.0\n", buf.toString(StandardCharsets.UTF_8).replace("\r", ""));
  }

  @Test
  void aNanInTheBodyIsNamedAtItsOperation() {
    Function<Array, Array> f = Transforms.jit("halve", (Array x) -> Lax.whileLoop(c -> c.gt(-5), c -> c.sub(2).log(), x));
    Debug.setDebugNans(true);
    try {
      NanError e = assertThrows(NanError.class, () -> f.apply(Array.scalar(10f)));
      assertTrue(e.getMessage().startsWith("jit(halve) returned NaN"), e.getMessage());
      assertTrue(e.getMessage().contains("NaN encountered in log at WhileLoopTest.java:"), e.getMessage());
    } finally {
      Debug.setDebugNans(false);
    }
  }
}
