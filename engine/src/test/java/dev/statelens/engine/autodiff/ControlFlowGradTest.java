package dev.statelens.engine.autodiff;

import static dev.statelens.engine.autodiff.GradCheck.check;
import static dev.statelens.engine.autodiff.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Debug;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** grad through staged cond and scan (under jit, in both orders) and through eager Lax. */
class ControlFlowGradTest {
  private final Random rnd = new Random(5);

  private static void assertAllClose(Array expected, Array actual) {
    assertTrue(Array.allClose(actual, expected, 1e-10, 1e-12), "expected " + expected + " got " + actual);
  }

  private static Array condFn(Array x, Array y) {
    return Lax.cond(x.sum().gt(0), () -> x.sin().mul(y).sum(), () -> x.square().mul(y).sum());
  }

  @Test
  void condUnderJitInBothOrders() {
    Array y = random(rnd, 3);
    for (Array x : List.of(Array.of(0.5, 1.0, -0.2), Array.of(-0.5, -1.0, 0.2))) {
      BiFunction<Array, Array, Array> f = ControlFlowGradTest::condFn;
      Array eager = Transforms.grad(f).apply(x, y);
      assertAllClose(eager, Transforms.jit(Transforms.grad(f)).apply(x, y));
      assertAllClose(eager, Transforms.grad(Transforms.jit(f)).apply(x, y));
      check("grad(jit(cond))", a -> Transforms.jit(f).apply(a.get(0), a.get(1)), x, y);
    }
    // the jitted gradient really contains a cond (not a branch picked at trace time)
    Jaxpr j = Transforms.makeJaxpr(Transforms.grad((Array x) -> condFn(x, y)), Array.of(1.0, 2.0, 3.0));
    assertTrue(j.toString().contains("cond"), j.toString());
  }

  @Test
  void condWithThreeBranchesAndAnI32Index() {
    List<Array> like = List.of(Array.of(1.0, 1.0, 1.0), Array.of(1.0, 1.0, 1.0));
    List<Jaxpr> branches = List.of(
        Transforms.makeJaxpr((List<Array> a) -> a.get(0).mul(a.get(1)), like),
        Transforms.makeJaxpr((List<Array> a) -> a.get(0).sin().add(a.get(1)), like),
        Transforms.makeJaxpr((List<Array> a) -> a.get(0).square().mul(a.get(1)).exp(), like));
    Array x = random(rnd, 3);
    Array y = random(rnd, 3);
    for (int k = 0; k < 3; k++) {
      Array index = Array.scalar(DType.I32, k);
      java.util.function.BiFunction<List<Array>, Array, Array> f = (a, i) ->
          Prims.COND.bind1(Params.of("branches", branches), i, a.get(0), a.get(1)).sum();
      check("cond branch " + k + " (index known)", a -> f.apply(a, index), x, y);
      var jitted = Transforms.jit(f);
      check("cond branch " + k + " (grad of jit)", a -> jitted.apply(a, index), x, y);
      // jit(grad): the index is staged, so the VJP is a staged three-branch cond
      List<Array> eager = Transforms.grad(f).apply(List.of(x, y), index);
      List<Array> staged = Transforms.jit(Transforms.grad(f)).apply(List.of(x, y), index);
      assertAllClose(eager.get(0), staged.get(0));
      assertAllClose(eager.get(1), staged.get(1));
    }
    String j = Transforms.makeJaxpr(Transforms.grad((List<Array> a, Array i) ->
        Prims.COND.bind1(Params.of("branches", branches), i, a.get(0), a.get(1)).sum()),
        List.of(x, y), Array.scalar(DType.I32, 0)).toString();
    assertEquals(2, j.split("cond\\[").length - 1, j);
  }

  private static Pair<Array, Array> rnnStep(Array w, Array c, Array x) {
    Array next = c.mul(w).add(x).tanh();
    return Pair.of(next, next.square().add(c));
  }

  @Test
  void scanUnderJitInBothOrders() {
    Array w = random(rnd, 2);
    Array init = random(rnd, 2);
    Array xs = random(rnd, 5, 2);
    Function<List<Array>, Array> loss = a -> {
      Pair<Array, Array> r = Lax.scan((Array c, Array x) -> rnnStep(a.get(0), c, x), a.get(1), a.get(2));
      return r.first().sum().add(r.second().mul(r.second()).sum());
    };
    List<Array> args = List.of(w, init, xs);
    List<Array> eager = Transforms.grad(loss).apply(args);
    List<Array> jitGrad = Transforms.jit(Transforms.grad(loss)).apply(args);
    List<Array> gradJit = Transforms.grad(Transforms.jit(loss)).apply(args);
    for (int i = 0; i < 3; i++) {
      assertAllClose(eager.get(i), jitGrad.get(i));
      assertAllClose(eager.get(i), gradJit.get(i));
    }
    check("grad(jit(scan))", a -> Transforms.jit(loss).apply(a), w, init, xs);
    // inside jit, in both orders, the loop stays one staged scan whose VJP is a forward scan
    // (the carries) and a reverse scan: three scans in all, not an unrolled loop
    for (Function<List<Array>, List<Array>> g : List.of(Transforms.grad(loss), Transforms.grad(Transforms.jit(loss)))) {
      String j = Transforms.makeJaxpr(g, args).toString();
      assertTrue(j.split("scan\\[").length - 1 == 3, j);
    }
  }

  @Test
  void scanEdgeCases() {
    Array w = random(rnd, 3);
    Array xs = random(rnd, 4, 3);
    // no carry: ys only, from xs and a closed-over weight
    Function<List<Array>, Array> noCarry = a -> Lax.scan((List<Array> c, Array x) ->
        Pair.of(c, x.mul(a.get(0)).sin()), List.<Array>of(), a.get(1)).second().sum();
    // length 1, carry only
    Function<List<Array>, Array> single = a -> Lax.scan((Array c, Array x) ->
        Pair.of(c.mul(x).add(a.get(0)), (Array) null), a.get(0), a.get(1).sliceAxis(0, 0, 1)).first().sum();
    for (var f : List.of(noCarry, single)) {
      List<Array> eager = Transforms.grad(f).apply(List.of(w, xs));
      List<Array> jitGrad = Transforms.jit(Transforms.grad(f)).apply(List.of(w, xs));
      for (int i = 0; i < 2; i++) {
        assertAllClose(eager.get(i), jitGrad.get(i));
      }
      check("grad(jit(scan edge case))", a -> Transforms.jit(f).apply(a), w, xs);
    }
  }

  @Test
  void forILoopUnderJit() {
    Function<Array, Array> f = x -> Lax.forI(0, 4, (i, c) -> c.mul(x).add(i.astype(DType.F64)).sin(), x).sum();
    Array x = random(rnd, 3);
    assertAllClose(Transforms.grad(f).apply(x), Transforms.jit(Transforms.grad(f)).apply(x));
    check("grad(jit(forI))", a -> Transforms.jit(f).apply(a.get(0)), x);
  }

  @Test
  void reverseScanPrimitive() {
    // body(consts=[w], carry=[c], xs=[x]) -> (c*w + x, c*x)
    Jaxpr body = Transforms.makeJaxpr((List<Array> a) -> List.of(
        a.get(1).mul(a.get(0)).add(a.get(2)).sin(), a.get(1).mul(a.get(2))),
        List.of(Array.of(1.0, 1.0), Array.of(1.0, 1.0), Array.of(1.0, 1.0)));
    Function<List<Array>, Array> f = a -> {
      List<Array> out = Prims.SCAN.bind(Params.of("jaxpr", body, "length", 4, "num_consts", 1,
          "num_carry", 1, "reverse", true), a.get(0), a.get(1), a.get(2));
      return out.get(0).sum().add(out.get(1).mul(Array.arange(4).astype(DType.F64).reshape(4, 1)).sum());
    };
    Array w = random(rnd, 2);
    Array c = random(rnd, 2);
    Array xs = random(rnd, 4, 2);
    check("reverse scan (eager)", f, w, c, xs);
    check("reverse scan (jit)", a -> Transforms.jit(f).apply(a), w, c, xs);
  }

  private static String captureStdout(Runnable r) {
    java.io.PrintStream old = System.out;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(java.nio.charset.StandardCharsets.UTF_8).replace("\r", "");
  }

  @Test
  void debugPrintInsideLoopsAndBranchesRunOncePerStepUnderGrad() {
    Function<Array, Array> f = x -> {
      Array s = Lax.forI(0, 3, (i, c) -> {
        Debug.print("step {}", i);
        return c.mul(x);
      }, x).sum();
      return Lax.cond(s.gt(0), () -> {
        Debug.print("positive");
        return s.square();
      }, () -> s);
    };
    Function<Array, Array> g = Transforms.jit(Transforms.grad(f));
    Array[] grad = new Array[1];
    String out = captureStdout(() -> grad[0] = g.apply(Array.of(1.0, 2.0)));
    assertEquals("step 0\nstep 1\nstep 2\npositive\n", out);
    // and the gradient is right: f = (x1^4 + x2^4)^2 -> 8 x^3 (x1^4 + x2^4)
    assertAllClose(Array.of(8 * 17.0, 8 * 8 * 17.0), grad[0]);
  }

  @Test
  void gradOfGradThroughJittedCond() {
    Function<Array, Array> f = x -> Lax.cond(x.gt(0), () -> x.mul(x).mul(x), () -> x.neg().exp());
    Function<Array, Array> d2 = Transforms.jit(Transforms.grad(Transforms.grad(f)));
    assertTrue(Math.abs(d2.apply(Array.scalar(DType.F64, 2)).doubleValue() - 12) < 1e-10);
    assertTrue(Math.abs(d2.apply(Array.scalar(DType.F64, -1)).doubleValue() - Math.E) < 1e-10);
  }
}
