package dev.statelens.engine.batching;

import static dev.statelens.engine.batching.LoopCheck.assertSame;
import static dev.statelens.engine.batching.LoopCheck.data;
import static dev.statelens.engine.batching.LoopCheck.loop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.ConcretizationError;
import dev.statelens.engine.DType;
import dev.statelens.engine.Debug;
import dev.statelens.engine.Key;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.UnexpectedTracerError;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class VmapTest {

  public record Linear(Array w, Array b) {}

  @Test
  void mapsOverAxisZeroAndKeepsTheBatchInFront() {
    Array xs = Array.of(DType.F32, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Array sums = Transforms.vmap((Array x) -> x.sum()).apply(xs);
    assertArrayEquals(new int[] {2}, sums.shape());
    assertArrayEquals(new float[] {6, 15}, sums.toFloatArray());
  }

  @Test
  void vectorizesInsteadOfLooping() {
    // x @ W for a batch of x must stay one dot_general (the weights are not copied per element)
    Array w = data(1, -1, 1, 3, 5);
    Jaxpr j = Transforms.makeJaxpr(Transforms.vmap((Array x) -> x.matmul(w).tanh()), data(2, -1, 1, 8, 3));
    List<String> prims = j.eqns().stream().map(e -> e.primitive().name()).toList();
    assertEquals(List.of("dot_general", "tanh"), prims, j.toString());
    assertEquals("f32[8,5]", j.outAvals().get(0).toString());
    Eqn dot = j.eqns().get(0);
    assertEquals("[3,5]", dot.inputs().get(1).aval().shapeString(), "W stays unbatched: " + j);
  }

  @Test
  void unmappedOutputsAreBroadcastOverTheBatch() {
    Array out = Transforms.vmap((Array x) -> Array.of(1f, 2f)).apply(Array.zeros(3, 4));
    assertArrayEquals(new int[] {3, 2}, out.shape());
    assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2}, out.toFloatArray());
  }

  @Test
  void pytreeArgumentsAndResults() {
    Linear batch = new Linear(data(3, -1, 1, 5, 3, 2), data(4, -1, 1, 5, 2));
    Array x = data(5, -1, 1, 3);
    BiFunction<Linear, Array, Pair<Array, Map<String, Array>>> f = (p, v) ->
        Pair.of(v.matmul(p.w()).add(p.b()), Map.of("norm", p.w().square().sum(), "b", p.b()));
    var out = Transforms.vmap(f, 0, null).apply(batch, x);
    for (int i = 0; i < 5; i++) {
      Linear one = new Linear(batch.w().get(i), batch.b().get(i));
      var expect = f.apply(one, x);
      assertSame("first[" + i + "]", expect.first(), out.first().get(i));
      assertSame("norm[" + i + "]", expect.second().get("norm"), out.second().get("norm").get(i));
      assertSame("b[" + i + "]", expect.second().get("b"), out.second().get("b").get(i));
    }
    // the same under jit, with List and Optional leaves too
    Function<List<Optional<Array>>, Array> g = l -> l.get(0).orElseThrow().mul(l.get(1).orElseThrow());
    var args = List.of(Optional.of(data(6, 0, 1, 4, 2)), Optional.of(data(7, 0, 1, 4, 2)));
    Array eager = Transforms.vmap(g).apply(args);
    assertSame("list/optional", args.get(0).get().mul(args.get(1).get()), eager);
    assertSame("list/optional jit", eager, Transforms.jit(Transforms.vmap(g)).apply(args));
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void unmappedArgumentsArePassedUnchanged() {
    Object[] seen = new Object[1];
    BiFunction<Array, String, Array> f = (x, label) -> {
      seen[0] = label;
      return x.mul(2);
    };
    Array r = Transforms.vmap(f, 0, null).apply(Array.of(1f, 2f), "label");
    assertEquals("label", seen[0]);
    assertArrayEquals(new float[] {2, 4}, r.toFloatArray());
  }

  @Test
  void inAxesOtherThanZero() {
    Array m = data(8, -1, 1, 3, 4);
    Function<Array, Array> f = c -> c.mul(c.sum());
    Array cols = Transforms.vmap(f, 1).apply(m);
    Array expected = loop(f, m.T());
    assertSame("in_axes=1", expected, cols);
    assertSame("in_axes=-1", expected, Transforms.vmap(f, -1).apply(m));
    assertSame("jit in_axes=1", expected, Transforms.jit(Transforms.vmap(f, 1)).apply(m));
  }

  @Test
  void threeArgumentsWithMixedAxes() {
    Array a = data(9, -1, 1, 4, 2);
    Array b = data(10, -1, 1, 2, 4);
    Array c = data(11, -1, 1, 2);
    var f = Transforms.vmap((Array x, Array y, Array z) -> x.mul(y).add(z), 0, 1, null);
    Array r = f.apply(a, b, c);
    for (int i = 0; i < 4; i++) {
      assertSame("row " + i, a.get(i).mul(b.T().get(i)).add(c), r.get(i));
    }
  }

  @Test
  void fourArguments() {
    Array a = data(19, -1, 1, 3, 2);
    var f = Transforms.vmap((Array w, Array x, Array b, Array s) -> x.matmul(w).add(b).mul(s), null, 0, null, 0);
    Array w = data(20, -1, 1, 2, 2);
    Array s = Array.of(1f, 2f, 3f);
    Array r = f.apply(w, a, Array.of(0.5f, -0.5f), s);
    for (int i = 0; i < 3; i++) {
      assertSame("row " + i, a.get(i).matmul(w).add(Array.of(0.5f, -0.5f)).mul(s.get(i)), r.get(i));
    }
  }

  @Test
  void nestedVmapMatchesDoubleLoop() {
    Array xs = data(12, -1, 1, 2, 3, 4);
    Function<Array, Array> f = v -> v.exp().div(v.exp().sum());
    Array r = Transforms.vmap(Transforms.vmap(f)).apply(xs);
    Array rj = Transforms.jit(Transforms.vmap(Transforms.vmap(f))).apply(xs);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        assertSame("[" + i + "," + j + "]", f.apply(xs.get(i, j)), r.get(i, j));
        assertSame("jit [" + i + "," + j + "]", f.apply(xs.get(i, j)), rj.get(i, j));
      }
    }
    // an inner vmap over an unmapped outer value: the outer tracer is a constant of the inner vmap
    Array w = data(13, -1, 1, 3);
    Array pairwise = Transforms.vmap((Array a) -> Transforms.vmap((Array b) -> a.mul(b)).apply(w)).apply(w);
    assertSame("outer product", w.reshape(3, 1).mul(w.reshape(1, 3)), pairwise);
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void jitOfVmapCachesPerBatchShape() {
    int[] traces = {0};
    Function<Array, Array> f = Transforms.jit(Transforms.vmap((Array x) -> {
      traces[0]++;
      return x.mul(x);
    }));
    f.apply(Array.zeros(4, 2));
    f.apply(Array.ones(4, 2));
    assertEquals(1, traces[0]);
    assertArrayEquals(new float[] {9, 9, 9}, f.apply(Array.full(new int[] {3, 1}, 3)).toFloatArray());
    assertEquals(2, traces[0]);
  }

  @Test
  void mismatchedBatchSizesNameBothLeaves() {
    ShapeError e = assertThrows(ShapeError.class,
        () -> Transforms.vmap((Array a, Array b) -> a.add(b)).apply(Array.zeros(3, 2), Array.zeros(4, 2)));
    assertTrue(e.getMessage().contains("arg0 (axis 0 of [3,2]) has 3"), e.getMessage());
    assertTrue(e.getMessage().contains("arg1 (axis 0 of [4,2]) has 4"), e.getMessage());
    ShapeError r0 = assertThrows(ShapeError.class,
        () -> Transforms.vmap((Array a) -> a).apply(Array.scalar(1)));
    assertTrue(r0.getMessage().contains("rank-0") && r0.getMessage().contains("in_axes null"), r0.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> Transforms.vmap((Array a) -> a, null).apply(Array.zeros(2)));
    assertTrue(none.getMessage().contains("no array is mapped"), none.getMessage());
    ShapeError axis = assertThrows(ShapeError.class,
        () -> Transforms.vmap((Array a) -> a, 2).apply(Array.zeros(2, 2)));
    assertTrue(axis.getMessage().contains("out of range"), axis.getMessage());
  }

  @Test
  void perExampleShapeErrorsNamePerExampleShapes() {
    ShapeError e = assertThrows(ShapeError.class,
        () -> Transforms.vmap((Array a) -> a.add(Array.zeros(4))).apply(Array.zeros(2, 3)));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[4]"), e.getMessage());
  }

  @Test
  @SuppressWarnings("statelens:SL007") // a traced value concretized on purpose: the error under test
  void concretizingABatchedValueNamesVmapAndTheFix() {
    ConcretizationError e = assertThrows(ConcretizationError.class,
        () -> Transforms.vmap((Array a) -> a.item() > 0 ? a : a.neg()).apply(Array.of(1f, -1f)));
    assertTrue(e.getMessage().contains("vmap(<lambda>)"), e.getMessage());
    assertFalse(e.getMessage().contains("jit(vmap"), e.getMessage());
    assertTrue(e.getMessage().contains("Array.where"), e.getMessage());
  }

  static Array positivePart(Array x) {
    return x.item() > 0 ? x : x.mul(0);
  }

  @Test
  void errorsNameTheMappedMethod() {
    ConcretizationError e = assertThrows(ConcretizationError.class,
        () -> Transforms.vmap(VmapTest::positivePart).apply(Array.of(1f, -1f)));
    assertTrue(e.getMessage().contains("vmap(positivePart)"), e.getMessage());
    ConcretizationError j = assertThrows(ConcretizationError.class,
        () -> Transforms.jit(Transforms.vmap(VmapTest::positivePart)).apply(Array.of(1f, -1f)));
    assertTrue(j.getMessage().contains("vmap(positivePart)"), j.getMessage());
  }

  @Test
  @SuppressWarnings("statelens:SL008") // a tracer escapes on purpose: the error under test
  void aBatchTracerStoredInAFieldIsAnUnexpectedTracerLater() {
    Array[] leaked = new Array[1];
    Transforms.vmap((Array a) -> {
      leaked[0] = a.mul(2);
      return a;
    }).apply(Array.of(1f, 2f));
    UnexpectedTracerError e = assertThrows(UnexpectedTracerError.class, () -> leaked[0].add(1));
    assertTrue(e.getMessage().contains("vmap(<lambda>)"), e.getMessage());
    assertTrue(e.getMessage().contains("stored in a field"), e.getMessage());
  }

  @Test
  void condWithMappedAndUnmappedPredicates() {
    Array xs = data(14, -2, 2, 6, 3);
    // mapped predicate: per-element branch choice
    Function<Array, Array> f = x -> Lax.cond(x.sum().gt(0), () -> x.mul(10), () -> x.neg());
    LoopCheck.check("cond(mapped pred)", f, xs);
    // unmapped predicate computed from a closed-over constant: stays one cond of batched branches
    Array flag = Array.scalar(DType.BOOL, 1);
    Function<Array, Array> g = x -> Lax.cond(flag, (Array v) -> v.add(1), (Array v) -> v.sub(1), x);
    LoopCheck.check("cond(unmapped pred)", g, xs);
    BiFunction<Array, Array, Array> h = (p, x) -> Lax.cond(p, (Array v) -> v.exp(), (Array v) -> Array.zeros(3), x);
    LoopCheck.check("cond(pred arg unmapped)", h, Array.scalar(DType.BOOL, 0), null, xs, 0);
    LoopCheck.check("cond(pred arg mapped)", h, Array.of(true, false, true, true, false, false), 0, xs, 0);
  }

  @Test
  void condInsideJitInsideVmapStaysACond() {
    Function<Array, Array> f = Transforms.jit((Array x) ->
        Lax.cond(Array.scalar(DType.BOOL, 1), (Array v) -> v.mul(3), (Array v) -> v, x));
    Jaxpr j = Transforms.makeJaxpr(Transforms.vmap(f), Array.zeros(5, 2));
    assertEquals(List.of("cond"), j.eqns().stream().map(e -> e.primitive().name()).toList(), j.toString());
    assertArrayEquals(new float[] {3, 6}, Transforms.vmap(f).apply(Array.of(DType.F32, new int[] {2, 1}, 1, 2)).toFloatArray());
  }

  @Test
  void scanUnderVmapWithPytreeCarryBecomingMapped() {
    // carry init is unmapped (zeros) but depends on the mapped xs after one step: fixed point
    Array xs = data(15, -1, 1, 4, 6, 2);  // batch 4, length 6, feature 2
    Function<Array, Pair<Array, Array>> f = seq -> {
      Pair<Pair<Array, Array>, Array> r = Lax.scan(
          (Pair<Array, Array> c, Array x) -> {
            Array s = c.first().add(x);
            Array m = c.second().max(x);
            return Pair.of(Pair.of(s, m), s.sum());
          },
          Pair.of(Array.zeros(2), Array.full(new int[] {2}, -9)), seq);
      return Pair.of(r.first().first().add(r.first().second()), r.second());
    };
    Function<Array, Pair<Array, Array>> jf = Transforms.jit(f);
    var batched = Transforms.vmap(jf).apply(xs);
    var jitBatched = Transforms.jit(Transforms.vmap(f)).apply(xs);
    for (int b = 0; b < 4; b++) {
      var one = f.apply(xs.get(b));
      assertSame("carry " + b, one.first(), batched.first().get(b));
      assertSame("ys " + b, one.second(), batched.second().get(b));
      assertSame("jit carry " + b, one.first(), jitBatched.first().get(b));
      assertSame("jit ys " + b, one.second(), jitBatched.second().get(b));
    }
    Jaxpr j = Transforms.makeJaxpr(Transforms.vmap(jf), xs);
    assertTrue(j.eqns().stream().anyMatch(e -> e.primitive().name().equals("scan")), j.toString());
  }

  @Test
  void scanWithUnmappedXsAndMappedConst() {
    Array xs = data(16, -1, 1, 5);
    Function<Array, Array> f = Transforms.jit((Array scale) ->
        Lax.scan((Array c, Array x) -> Pair.of(c.add(x.mul(scale)), c), Array.scalar(0), xs).second());
    LoopCheck.check("scan(mapped const)", f, data(17, 0, 2, 3));
  }

  @Test
  void forIUnderVmap() {
    Function<Array, Array> f = x -> Lax.forI(0, 4, (i, c) -> c.mul(x).add(i.astype(DType.F32)), Array.scalar(1));
    LoopCheck.check("forI", f, data(18, -1, 1, 5));
  }

  @Test
  void debugPrintPrintsEachElementAtRunTime() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      Function<Array, Array> f = Transforms.jit(Transforms.vmap((Array x) -> {
        Debug.print("x={}", x);
        return x.add(1);
      }));
      f.apply(Array.of(1f, 2f));
      f.apply(Array.of(5f, 6f));
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8).replace("\r", "");
    assertEquals("x=1.0\nx=2.0\nx=5.0\nx=6.0\n", out);
  }

  @Test
  void randomUnderVmapMatchesPerKeyCalls() {
    List<Key> keys = Random.split(Random.key(42), 3);
    Array keyData = Array.stack(0, keys.stream().map(Key::keyData).toArray(Array[]::new));
    Function<Array, Array> f = kd -> Random.normal(new Key(kd), 4);
    Array batched = Transforms.vmap(f).apply(keyData);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(Random.normal(keys.get(i), 4).toFloatArray(), batched.get(i).toFloatArray());
    }
    assertArrayEquals(batched.toFloatArray(), Transforms.jit(Transforms.vmap(f)).apply(keyData).toFloatArray());
  }

  @Test
  void splitAndSamplersUnderVmapMatchPerKeyCalls() {
    List<Key> keys = Random.split(Random.key(7), 4);
    Array keyData = Array.stack(0, keys.stream().map(Key::keyData).toArray(Array[]::new));
    Function<Array, Array> f = kd -> {
      List<Key> sub = Random.split(new Key(kd), 3);
      Array u = Random.uniform(sub.get(0), 2);
      Array b = Random.bernoulli(sub.get(1), 0.3, 5).astype(DType.F32);
      Array r = Random.randint(sub.get(2), new int[] {3}, 0, 10).astype(DType.F32);
      return Array.concatenate(0, u, b, r, Random.foldIn(new Key(kd), 9).keyData().bitcast(DType.I32).astype(DType.F32));
    };
    LoopCheck.check("split/uniform/bernoulli/randint/foldIn", f, keyData);
  }

  @Test
  void zeroSizedBatch() {
    Array r = Transforms.vmap((Array x) -> x.mul(2).sum()).apply(Array.zeros(0, 3));
    assertArrayEquals(new int[] {0}, r.shape());
  }
}
