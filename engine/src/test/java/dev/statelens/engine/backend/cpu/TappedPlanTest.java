package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import dev.statelens.engine.backend.cpu.GraphPlan.KernelCallStep;
import dev.statelens.engine.backend.cpu.GraphPlan.Loop;
import dev.statelens.engine.backend.cpu.GraphPlan.ScalarOp;
import dev.statelens.engine.backend.cpu.GraphPlan.Step;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Var;
import dev.statelens.engine.record.Recorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder's gradient-norm tap ({@code tap_norms} after per-leaf sums of squares) must not
 * change how the generated code lays out the rest of an MLP Adam step: the tapped graph's plan is
 * the untapped plan plus the tap's own steps (no loop of the step split, merged into the tap or
 * moved behind the effectful call), the tapped graph is generated, and gives the interpreter's
 * bits. (The tapped step's extra cost under codegen is JIT warm-up of the larger generated
 * method, see docs/benchmarks.md; this pins that the plan itself is not the cause.)
 */
class TappedPlanTest {
  @TempDir Path dir;

  record Dense(Array w, Array b) {}

  record Params(Dense hidden, Dense out) {}

  record State(Params params, Optim.OptState<Params> opt) {}

  record Out(Array loss, State state) {}

  record Batch(Array x, Array y) {}

  static Array loss(Params p, Batch b) {
    Array h = b.x().matmul(p.hidden().w()).add(p.hidden().b()).tanh();
    return h.matmul(p.out().w()).add(p.out().b()).sub(b.y()).square().mean();
  }

  @Test
  void tappedMlpStepPlanIsTheUntappedPlanPlusTheTap() throws Exception {
    Pair<Key, Key> k = Random.split(Random.key(0));
    Array x = Random.uniform(k.first(), new int[] {256, 1}, DType.F32, -Math.PI, Math.PI);
    Batch batch = new Batch(x, x.sin());
    Pair<Key, Key> kp = Random.split(k.second());
    Params p = new Params(new Dense(Random.normal(kp.first(), 1, 32), Array.zeros(32)),
        new Dense(Random.normal(kp.second(), 32, 1).mul(0.2), Array.zeros(1)));
    Optim.Optimizer adam = Optim.adam(0.01);
    State s = new State(p, adam.init(p));
    BiFunction<Params, Batch, Pair<Array, Params>> lossAndGrad = Transforms.valueAndGrad(TappedPlanTest::loss);
    BiFunction<State, Batch, Out> step = (st, b) -> {
      var lg = lossAndGrad.apply(st.params(), b);
      var u = adam.update(lg.second(), st.opt(), st.params());
      return new Out(lg.first(), new State(Optim.applyUpdates(st.params(), u.first()), u.second()));
    };
    Jaxpr plain = Transforms.makeJaxpr(step, s, batch);
    Jaxpr tapped;
    try (Recorder r = Recorder.open(dir.resolve("run.db"))) { // the optimizer's tap is traced in while recording
      tapped = Transforms.makeJaxpr(step, s, batch);
    }
    assertTrue(plain.constvars().isEmpty() && tapped.constvars().isEmpty(), "inputs are the arguments only");
    assertTrue(tapped.eqns().stream().anyMatch(e -> e.primitive().name().equals("tap_norms")), "the graph carries the tap");
    assertNull(CpuExecutable.whyNotGenerated(plain));
    assertNull(CpuExecutable.whyNotGenerated(tapped), "the tapped graph is generated too");

    Set<Eqn> tapOnly = tapOnlyEquations(tapped);
    GraphPlan plan = new GraphPlan(tapped);
    List<String> names = plan.names();
    List<String> withoutTap = new ArrayList<>();
    int tapLoops = 0;
    for (int i = 0; i < plan.steps.size(); i++) {
      List<Eqn> eqns = eqns(plan.steps.get(i));
      long inTap = eqns.stream().filter(tapOnly::contains).count();
      if (inTap == 0) {
        withoutTap.add(names.get(i));
      } else if (inTap != eqns.size()) {
        fail("step " + names.get(i) + " mixes the tap's equations with the step's own: " + names);
      } else if (plan.steps.get(i) instanceof Loop) {
        tapLoops++;
      }
    }
    assertEquals(new GraphPlan(plain).names(), withoutTap, "the untapped plan, step for step");
    int leaves = Tree.flatten(p).leaves().size();
    assertTrue(tapLoops >= 1, "the sums of squares run as loops: " + names);
    assertTrue(tapLoops <= leaves, "at most one sum-of-squares loop per gradient leaf, got " + tapLoops + ": " + names);

    List<Array> in = new ArrayList<>(Tree.flatten(s).leaves());
    in.addAll(Tree.flatten(batch).leaves());
    CpuBuffer[] buffers = in.stream().map(a -> (CpuBuffer) a.buffer()).toArray(CpuBuffer[]::new);
    CpuBuffer[] interpreted = CpuExecutable.compile(tapped, "off").run(buffers);
    CpuExecutable generated = CpuExecutable.compile(tapped, "on");
    assertTrue(generated.isGenerated());
    CpuBuffer[] out = generated.run(buffers);
    assertEquals(interpreted.length, out.length);
    for (int i = 0; i < out.length; i++) {
      CodegenTest.assertSameBits(interpreted[i], out[i], "tapped MLP step output " + i);
    }
  }

  /** Equations whose results reach nothing but the tap (its sums of squares, stack, the tap itself). */
  private static Set<Eqn> tapOnlyEquations(Jaxpr j) {
    Set<Eqn> tap = GraphPlan.identitySet();
    Set<Var> usedElsewhere = GraphPlan.identitySet();
    for (Atom a : j.outvars()) {
      if (a instanceof Var v) {
        usedElsewhere.add(v);
      }
    }
    List<Eqn> eqns = j.eqns();
    for (int i = eqns.size() - 1; i >= 0; i--) { // backwards: consumers before producers
      Eqn e = eqns.get(i);
      boolean only = e.primitive().name().equals("tap_norms")
          || (!e.outputs().isEmpty() && e.outputs().stream().noneMatch(usedElsewhere::contains)
              && feedsTap(e, tap));
      if (only) {
        tap.add(e);
      } else {
        for (Atom a : e.inputs()) {
          if (a instanceof Var v) {
            usedElsewhere.add(v);
          }
        }
      }
    }
    return tap;
  }

  private static boolean feedsTap(Eqn e, Set<Eqn> tap) {
    for (Eqn t : tap) {
      for (Atom a : t.inputs()) {
        if (a instanceof Var v && e.outputs().contains(v)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Eqn> eqns(Step s) {
    return switch (s) {
      case Loop l -> l.members;
      case ScalarOp op -> List.of(op.eqn());
      case KernelCallStep k -> List.of(k.eqn());
    };
  }
}
