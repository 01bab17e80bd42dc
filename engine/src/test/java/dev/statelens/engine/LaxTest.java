package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Jaxpr;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Lax.cond, Lax.forI and Lax.scan give the same results eagerly and under jit. */
class LaxTest {

  public record Carry(Array sum, List<Array> last) {}

  private static Function<Array, Array> piecewise() {
    return x -> Lax.cond(x.sum().gt(0), () -> x.mul(2), () -> x.neg().add(100));
  }

  @Test
  void condEagerAndJitted() {
    Function<Array, Array> f = piecewise();
    Function<Array, Array> jf = Transforms.jit(f);
    for (float v : new float[] {3, -3}) {
      Array x = Array.of(v, 1f);
      assertArrayEquals(f.apply(x).toFloatArray(), jf.apply(x).toFloatArray());
    }
    assertArrayEquals(new float[] {6, 2}, jf.apply(Array.of(3f, 1f)).toFloatArray());
    assertArrayEquals(new float[] {103, 99}, jf.apply(Array.of(-3f, 1f)).toFloatArray());
    assertEquals(1, Transforms.jitInfo(jf).graphs().size(), "one graph serves both branches");
    Jaxpr j = Transforms.jitInfo(jf).graphs().get(0).jaxpr();
    assertTrue(j.eqns().stream().anyMatch(e -> e.primitive().name().equals("cond")), j.toString());
  }

  @Test
  void condWithPytreeOperandAndResult() {
    BiFunction<Array, Pair<Array, Array>, Pair<Array, Array>> f = (p, ops) -> Lax.cond(p.gt(0),
        (Pair<Array, Array> o) -> Pair.of(o.second(), o.first()),
        (Pair<Array, Array> o) -> Pair.of(o.first().add(o.second()), o.second().mul(0)), ops);
    var jf = Transforms.jit(f);
    var ops = Pair.of(Array.scalar(1), Array.scalar(2));
    for (float p : new float[] {1, -1}) {
      var e = f.apply(Array.scalar(p), ops);
      var j = jf.apply(Array.scalar(p), ops);
      assertEquals(e.first().floatValue(), j.first().floatValue());
      assertEquals(e.second().floatValue(), j.second().floatValue());
    }
    assertEquals(2f, jf.apply(Array.scalar(1), ops).first().floatValue());
    assertEquals(3f, jf.apply(Array.scalar(-1), ops).first().floatValue());
  }

  @Test
  void condBranchesMustAgree() {
    Function<Array, Array> f = Transforms.jit((Array x) -> Lax.cond(x.gt(0), () -> x, () -> Array.zeros(2)));
    ShapeError e = assertThrows(ShapeError.class, () -> f.apply(Array.scalar(1)));
    assertTrue(e.getMessage().contains("Lax.cond") && e.getMessage().contains("f32[]") && e.getMessage().contains("f32[2]"),
        e.getMessage());
    ShapeError p = assertThrows(ShapeError.class, () -> Lax.cond(Array.of(true, false), () -> 1, () -> 2));
    assertTrue(p.getMessage().contains("scalar") && p.getMessage().contains("[2]"), p.getMessage());
  }

  @Test
  void forIEagerAndJitted() {
    // x^4 + (0 + 1 + 2 + 3) style recurrence with the index used in the body
    BiFunction<Array, Array, Array> f = (x, init) -> Lax.forI(0, 4, (i, c) -> c.mul(x).add(i.astype(DType.F32)), init);
    var jf = Transforms.jit(f);
    Array x = Array.scalar(2);
    Array init = Array.scalar(1);
    float expected = 1;
    for (int i = 0; i < 4; i++) {
      expected = expected * 2 + i;
    }
    assertEquals(expected, f.apply(x, init).floatValue());
    assertEquals(expected, jf.apply(x, init).floatValue());
    Jaxpr j = Transforms.jitInfo(jf).graphs().get(0).jaxpr();
    assertTrue(j.eqns().stream().anyMatch(e -> e.primitive().name().equals("scan")), j.toString());
    // an empty range returns the init
    assertEquals(5f, Transforms.jit((Array c) -> Lax.forI(3, 3, (i, cc) -> cc.mul(0), c)).apply(Array.scalar(5)).floatValue());
  }

  @Test
  void scanCarryingAPytree() {
    Array xs = Array.of(DType.F32, new int[] {4, 2}, 1, 2, 3, 4, 5, 6, 7, 8);
    BiFunction<Carry, Array, Pair<Carry, Array>> body = (c, x) -> {
      Array s = c.sum().add(x);
      return Pair.of(new Carry(s, List.of(x, c.last().get(0))), s.sum());
    };
    Function<Array, Pair<Carry, Array>> run = v -> Lax.scan(body, new Carry(Array.zeros(2), List.of(Array.zeros(2), Array.zeros(2))), v);
    Pair<Carry, Array> eager = run.apply(xs);
    Pair<Carry, Array> jitted = Transforms.jit(run).apply(xs);
    assertArrayEquals(new float[] {16, 20}, eager.first().sum().toFloatArray());
    assertArrayEquals(new float[] {7, 8}, eager.first().last().get(0).toFloatArray());
    assertArrayEquals(new float[] {5, 6}, eager.first().last().get(1).toFloatArray());
    assertArrayEquals(new float[] {3, 10, 21, 36}, eager.second().toFloatArray());
    assertArrayEquals(eager.first().sum().toFloatArray(), jitted.first().sum().toFloatArray());
    assertArrayEquals(eager.first().last().get(1).toFloatArray(), jitted.first().last().get(1).toFloatArray());
    assertArrayEquals(eager.second().toFloatArray(), jitted.second().toFloatArray());
  }

  @Test
  void scanWithPytreeXsAndClosedOverConstants() {
    Array scale = Array.of(10f, 100f);
    Function<Pair<Array, Array>, Pair<Array, Array>> run = xs -> Lax.scan(
        (Array c, Pair<Array, Array> x) -> Pair.of(c.add(x.first().mul(x.second())), c.mul(scale)), Array.zeros(2), xs);
    var xs = Pair.of(Array.ones(3, 2), Array.of(DType.F32, new int[] {3, 2}, 1, 2, 3, 4, 5, 6));
    var eager = run.apply(xs);
    var jitted = Transforms.jit(run).apply(xs);
    assertArrayEquals(new float[] {9, 12}, eager.first().toFloatArray());
    assertArrayEquals(new float[] {0, 0, 10, 200, 40, 600}, eager.second().toFloatArray());
    assertArrayEquals(eager.first().toFloatArray(), jitted.first().toFloatArray());
    assertArrayEquals(eager.second().toFloatArray(), jitted.second().toFloatArray());
  }

  @Test
  void scanCarryTypeMustNotChange() {
    Function<Array, Pair<Array, Object>> f = Transforms.jit((Array xs) -> Lax.scan(
        (Array c, Array x) -> Pair.of(c.astype(DType.F64).add(x), null), Array.scalar(0), xs));
    ShapeError e = assertThrows(ShapeError.class, () -> f.apply(Array.zeros(3)));
    assertTrue(e.getMessage().contains("f32[]") && e.getMessage().contains("f64[]"), e.getMessage());
    ShapeError len = assertThrows(ShapeError.class,
        () -> Lax.scan((Array c, Pair<Array, Array> x) -> Pair.of(c, null), Array.scalar(0), Pair.of(Array.zeros(2), Array.zeros(3))));
    assertTrue(len.getMessage().contains("2") && len.getMessage().contains("3"), len.getMessage());
  }
}
