package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.trace.CompiledGraph;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** jit beyond the Counter: arities, pytrees in and out, retracing rules, concretization. */
class JitSemanticsTest {

  public record Params(Array w, Array b) {}

  public record State(Params params, List<Array> history, Optional<Array> momentum) {}

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void threeAndFourArgumentFunctions() {
    int[] traces = {0};
    Fn3<Array, Array, Array, Array> f3 = Transforms.jit((a, b, c) -> {
      traces[0]++;
      return a.mul(b).add(c);
    });
    assertEquals(7f, f3.apply(Array.scalar(2), Array.scalar(3), Array.scalar(1)).floatValue());
    assertEquals(21f, f3.apply(Array.scalar(4), Array.scalar(5), Array.scalar(1)).floatValue());
    assertEquals(1, traces[0]);
    Fn4<Array, Array, Array, Array, Array> f4 = Transforms.jit("fma4", (a, b, c, d) -> a.mul(b).add(c.mul(d)));
    assertEquals(14f, f4.apply(Array.scalar(2), Array.scalar(3), Array.scalar(2), Array.scalar(4)).floatValue());
    assertEquals("fma4", Transforms.jitInfo(f4).name());
  }

  @Test
  void pytreeArgumentsAndResultsKeepTheirStructure() {
    Function<State, Pair<Array, State>> step = Transforms.jit("step", (State s) -> {
      Params p = s.params();
      Params np = new Params(p.w().sub(0.1), p.b().add(s.momentum().orElseThrow()));
      Array loss = p.w().square().sum().add(s.history().get(0));
      return Pair.of(loss, new State(np, List.of(loss, s.history().get(0)), Optional.of(s.momentum().get().mul(0.5))));
    });
    State s = new State(new Params(Array.of(1f, 2f), Array.scalar(0)), List.of(Array.scalar(10), Array.scalar(0)),
        Optional.of(Array.scalar(1)));
    Pair<Array, State> r = step.apply(s);
    assertEquals(15f, r.first().floatValue());
    assertArrayEquals(new float[] {0.9f, 1.9f}, r.second().params().w().toFloatArray(), 1e-6f);
    assertEquals(1f, r.second().params().b().floatValue());
    assertEquals(15f, r.second().history().get(0).floatValue());
    assertEquals(0.5f, r.second().momentum().orElseThrow().floatValue());
    Pair<Array, State> r2 = step.apply(r.second());
    assertEquals(0.81f + 3.61f + 15f, r2.first().floatValue(), 1e-5f);
    assertEquals(1, Transforms.jitInfo(step).graphs().size());

    BiFunction<Map<String, Array>, Pair<Array, Array>, Map<String, Array>> m = Transforms.jit(
        (Map<String, Array> d, Pair<Array, Array> p) -> Map.of("sum", d.get("a").add(d.get("b")), "prod", p.first().mul(p.second())));
    Map<String, Array> out = m.apply(Map.of("b", Array.scalar(2), "a", Array.scalar(1)), Pair.of(Array.scalar(3), Array.scalar(4)));
    assertEquals(3f, out.get("sum").floatValue());
    assertEquals(12f, out.get("prod").floatValue());
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void newStructureRetracesAndSaysWhy() {
    int[] traces = {0};
    Function<List<Array>, Array> f = Transforms.jit("total", (List<Array> xs) -> {
      traces[0]++;
      Array t = Array.scalar(0);
      for (Array x : xs) {
        t = t.add(x.sum());
      }
      return t;
    });
    assertEquals(3f, f.apply(List.of(Array.scalar(1), Array.scalar(2))).floatValue());
    assertEquals(6f, f.apply(List.of(Array.scalar(1), Array.scalar(2), Array.scalar(3))).floatValue());
    assertEquals(2, traces[0]);
    assertEquals(7f, f.apply(List.of(Array.scalar(3), Array.scalar(4))).floatValue());
    assertEquals(2, traces[0], "the first structure is still cached");
    List<CompiledGraph> graphs = Transforms.jitInfo(f).graphs();
    assertEquals(2, graphs.size());
    assertEquals(1, graphs.get(1).traceIndex());
    String reason = graphs.get(1).signature().differenceFrom(graphs.get(0).signature());
    assertTrue(reason.contains("structure"), reason);
    // a dtype change at the same structure
    Function<Array, Array> g = Transforms.jit((Array x) -> x.add(1));
    g.apply(Array.of(1f));
    g.apply(Array.of(1));
    String dtypeReason = Transforms.jitInfo(g).graphs().get(1).signature()
        .differenceFrom(Transforms.jitInfo(g).graphs().get(0).signature());
    assertTrue(dtypeReason.contains("f32[1]") && dtypeReason.contains("i32[1]"), dtypeReason);
  }

  @Test
  @SuppressWarnings("statelens:SL008") // a tracer escapes on purpose: the error under test
  void javaSideEffectsRunOnlyWhileTracing() {
    List<String> log = new java.util.ArrayList<>();
    Function<Array, Array> f = Transforms.jit((Array x) -> {
      log.add("traced " + x.aval());
      return x.mul(3);
    });
    f.apply(Array.of(1f, 2f));
    f.apply(Array.of(3f, 4f));
    f.apply(Array.of(5f, 6f));
    assertEquals(List.of("traced f32[2]"), log);
  }

  @Test
  void everyConcretizationPointsToWhereAndCond() {
    List<Function<Array, Object>> asks = List.of(Array::item, Array::floatValue, Array::toFloatArray,
        Array::boolValue, Array::intValue, Array::toDoubleArray);
    List<String> names = List.of("item()", "floatValue()", "toFloatArray()", "boolValue()", "intValue()", "toDoubleArray()");
    for (int i = 0; i < asks.size(); i++) {
      Function<Array, Object> ask = asks.get(i);
      Function<Array, Array> f = Transforms.jit("ask", (Array x) -> {
        ask.apply(x);
        return x;
      });
      ConcretizationError e = assertThrows(ConcretizationError.class, () -> f.apply(Array.scalar(1)));
      String msg = e.getMessage();
      assertTrue(msg.contains(names.get(i)), msg);
      assertTrue(msg.contains("jit(ask)") && msg.contains("Array.where") && msg.contains("Lax.cond"), msg);
    }
  }

  @Test
  @SuppressWarnings("statelens:SL008") // a tracer escapes on purpose: the error under test
  void escapedTracerIsCaughtWhenPassedBackIntoJit() {
    Array[] leak = new Array[1];
    Function<Array, Array> f = Transforms.jit("leaky", (Array x) -> {
      leak[0] = x.mul(2);
      return x;
    });
    f.apply(Array.scalar(1));
    UnexpectedTracerError e = assertThrows(UnexpectedTracerError.class, () -> f.apply(leak[0]));
    assertTrue(e.getMessage().contains("jit(leaky)") && e.getMessage().contains("stored in a field"), e.getMessage());
    UnexpectedTracerError e2 = assertThrows(UnexpectedTracerError.class, () -> leak[0].toFloatArray());
    assertTrue(e2.getMessage().contains("toFloatArray()"), e2.getMessage());
    assertTrue(leak[0].toString().contains("trace has ended"), leak[0].toString());
  }

  @Test
  void jitInsideJitIsInlined() {
    Function<Array, Array> inner = Transforms.jit("inner", (Array x) -> x.exp());
    Function<Array, Array> outer = Transforms.jit("outer", (Array x) -> inner.apply(x).add(inner.apply(x.neg())));
    assertEquals((float) (Math.exp(1) + Math.exp(-1)), outer.apply(Array.scalar(1)).floatValue(), 1e-6f);
    var j = Transforms.jitInfo(outer).graphs().get(0).jaxpr();
    assertEquals(List.of("exp", "neg", "exp", "add"), j.eqns().stream().map(e -> e.primitive().name()).toList(), j.toString());
  }

  @Test
  void jitOfAConstantFunction() {
    java.util.function.Supplier<Array> f = Transforms.jit(() -> Array.arange(4).astype(DType.F32).mul(2));
    assertArrayEquals(new float[] {0, 2, 4, 6}, f.get().toFloatArray());
    assertArrayEquals(new float[] {0, 2, 4, 6}, f.get().toFloatArray());
  }

  @Test
  void nullArgumentsAndResultsArePytreeNodes() {
    BiFunction<Array, Object, Pair<Array, Object>> f = Transforms.jit((Array x, Object nothing) -> Pair.of(x.add(1), nothing));
    Pair<Array, Object> r = f.apply(Array.scalar(1), null);
    assertEquals(2f, r.first().floatValue());
    assertNull(r.second());
  }
}
