package dev.statelens.engine.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each traced equation keeps the user's line that bound it (JAX's source_info): the lines here are
 * this test's own, found by {@link #line()} on the same line as the operation.
 */
class SourcePositionsTest {
  private static int squareLine;
  private static int sumLine;
  private static int innerLine;

  /** The caller's line. */
  private static int line() {
    return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
  }

  private static Array loss(Array w) {
    Array sq = w.mul(w); squareLine = line();
    Array s = sq.sum(); sumLine = line();
    return s;
  }

  private static Array inner(Array x) {
    Array y = x.exp().add(1f); innerLine = line();
    return y;
  }

  private static Jaxpr traced(Function<Array, ?> fn) {
    var jitted = Transforms.jit(fn);
    jitted.apply(Array.of(1f, 2f, 3f));
    return Transforms.jitInfo(jitted).graphs().getFirst().jaxpr();
  }

  @Test
  void aJittedFunctionsEquationsHaveItsLines() {
    int[] lines = new int[2];
    Jaxpr j = traced(x -> {
      Array a = x.mul(2f); lines[0] = line();
      return a.tanh().add(x); }); lines[1] = line(); // the same line as the return
    assertEquals(j.eqns().size(), j.sources().size());
    assertEquals("mul", j.eqns().get(0).primitive().name());
    assertEquals(lines[0], j.source(0).site().line());
    for (int i = 1; i < j.eqns().size(); i++) {
      assertEquals(lines[1], j.source(i).site().line(), j.eqns().get(i) + " at " + j.source(i));
    }
    for (SourceInfo s : j.sources()) {
      assertEquals(SourcePositionsTest.class.getName(), s.site().className());
      assertEquals("SourcePositionsTest.java", s.site().fileName());
      assertFalse(s.backward());
    }
  }

  @Test
  void aTransposeEquationGetsItsPrimalsLineMarkedBackward() {
    Jaxpr j = traced(Transforms.grad(SourcePositionsTest::loss));
    Set<Integer> lines = new TreeSet<>();
    List<String> forward = new ArrayList<>(), backward = new ArrayList<>();
    for (int i = 0; i < j.eqns().size(); i++) {
      SourceInfo s = j.source(i);
      assertNotNull(s, "equation " + i + " (" + j.eqns().get(i) + ") has no position");
      assertEquals("loss", s.site().methodName());
      lines.add(s.site().line());
      String tag = j.eqns().get(i).primitive().name() + "@" + (s.site().line() == squareLine ? "square" : "sum");
      (s.backward() ? backward : forward).add(tag);
    }
    assertEquals(Set.of(squareLine, sumLine), lines, j.toString());
    // forward: w*w then the sum; backward: the sum's transpose (a broadcast) at the sum's line, the
    // product's transposes (multiplications by w, and their sum) at the product's line
    assertEquals(List.of("mul@square", "reduce_sum@sum"), forward, j.toString());
    assertTrue(backward.stream().anyMatch(t -> t.startsWith("broadcast") && t.endsWith("@sum")), backward + "\n" + j);
    assertTrue(backward.contains("mul@square"), backward + "\n" + j);
    assertFalse(backward.stream().anyMatch(t -> t.startsWith("mul") && t.endsWith("@sum")), backward + "\n" + j);
    int lastForward = -1, firstBackward = Integer.MAX_VALUE;
    for (int i = 0; i < j.eqns().size(); i++) {
      if (j.source(i).backward()) {
        firstBackward = Math.min(firstBackward, i);
      } else {
        lastForward = i;
      }
    }
    assertTrue(lastForward < firstBackward, "the backward pass follows the forward pass:\n" + j);
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void anInlinedJitKeepsTheLinesOfItsOwnTraceAndVmapTheUsersLine() {
    var innerJit = Transforms.jit(SourcePositionsTest::inner);
    int[] outer = new int[1];
    Jaxpr j = traced(x -> {
      Array y = innerJit.apply(x).mul(3f); outer[0] = line();
      return y; });
    assertEquals(List.of("exp", "add", "mul"), j.eqns().stream().map(e -> e.primitive().name()).toList());
    assertEquals(innerLine, j.source(0).site().line());
    assertEquals("inner", j.source(1).site().methodName());
    assertEquals(outer[0], j.source(2).site().line());

    int[] mapped = new int[1];
    Jaxpr v = Transforms.makeJaxpr(Transforms.vmap((Array r) -> {
      Array z = r.mul(r).sum(); mapped[0] = line();
      return z; }), Array.of(1f, 2f, 3f, 4f).reshape(2, 2));
    assertFalse(v.eqns().isEmpty());
    for (int i = 0; i < v.eqns().size(); i++) {
      assertEquals(mapped[0], v.source(i).site().line(), v.eqns().get(i) + "\n" + v);
    }
  }

  @Test
  void deadCodeEliminationCarriesThePositionsAlong() {
    int[] lines = new int[2];
    Jaxpr j = Transforms.makeJaxpr((Array x) -> {
      Array unused = x.exp(); lines[0] = line();
      Array used = x.mul(2f); lines[1] = line();
      return used; }, Array.of(1f, 2f));
    Jaxpr d = j.dce();
    assertEquals(List.of("mul"), d.eqns().stream().map(Eqn::primitive).map(p -> p.name()).toList());
    assertEquals(lines[1], d.source(0).site().line());
    assertEquals(lines[0], j.source(0).site().line());
    assertTrue(new Jaxpr(d.constvars(), d.invars(), d.eqns(), d.outvars()).sources().isEmpty(),
        "a graph built without positions has none");
  }
}
