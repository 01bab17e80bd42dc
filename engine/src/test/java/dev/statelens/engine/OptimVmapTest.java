package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Ensemble training: the new optimizers and wrappers under {@code jit(vmap(step))} over a batch
 * of three nested param trees (and {@code vmap(init)}) give, member by member, what each member's
 * own eager loop gives — including adafactor (the factored dims are read from the member's shape,
 * not the batched one), the parameter groups (paths are the member's), applyIfFinite (its cond on
 * a per-member predicate) and multiSteps; and (session 11) injectHyperparams with a schedule, Yogi,
 * Adadelta, NovoGrad, LARS, Fromage, masked SM3, the new transforms and AdamW's muDtype/epsRoot/mask;
 * and (session 12) AMSGrad, Adan, Rprop, Muon and schedule-free, and noisySgd/addNoise: their state's
 * {@link Key} comes out of {@code vmap(init)} as a batch of keys ({@code u32[members, 2]}, JAX's key
 * array), each member drawing with its own — the same key here, as {@code jax.vmap} of optax's init
 * broadcasts it, so the members' noise is their own loops' noise.
 */
class OptimVmapTest {
  private static final int MEMBERS = 3;
  private static final int STEPS = 5;

  private static final Map<String, Supplier<Optim.Optimizer>> OPTIMIZERS = new LinkedHashMap<>();

  static {
    OPTIMIZERS.put("nadam", () -> Optim.nadam(0.05));
    OPTIMIZERS.put("adamax", () -> Optim.adamax(0.05));
    OPTIMIZERS.put("adabelief", () -> Optim.adabelief(0.05));
    OPTIMIZERS.put("radam", () -> Optim.radam(0.05, 0.9, 0.9, 1e-8, 4.0));
    OPTIMIZERS.put("lamb", () -> Optim.lamb(0.05, 0.9, 0.999, 1e-6, 0.1));
    OPTIMIZERS.put("adafactor", () -> Optim.adafactor(0.05, 2, 0.8, 0, true, 1.0, 0.9, 0.01, 1e-30, true));
    OPTIMIZERS.put("partition", () -> Optim.partition(
        Map.of("adam", Optim.adam(0.05), "sgd", Optim.sgd(0.1), "freeze", Optim.setToZero()),
        path -> path.endsWith(".w") ? "adam" : path.equals("head.b") ? "freeze" : "sgd"));
    OPTIMIZERS.put("applyIfFinite(lamb)", () -> Optim.applyIfFinite(Optim.lamb(0.05), 3));
    OPTIMIZERS.put("multiSteps(adafactor)", () -> Optim.multiSteps(Optim.adafactor(0.05, 2, 0.8, 0, true, 1.0, null, 0, 1e-30, true), 2));
    OPTIMIZERS.put("chain(zeroNans, clip, nadamw)", () -> Optim.chain(Optim.zeroNans(), Optim.clip(1.0), Optim.nadamw(0.05)));
    // session 11
    OPTIMIZERS.put("injectHyperparams(adam, schedule)", () -> Optim.injectHyperparams(hp -> Optim.adam(hp.get("learning_rate")),
        Map.of("learning_rate", Schedule.cosineDecay(0.05, 6), "unused", 2.0)));
    OPTIMIZERS.put("yogi", () -> Optim.yogi(0.05));
    OPTIMIZERS.put("adadelta", () -> Optim.adadelta(0.5, 0.9, 1e-6, 0.1, path -> path.endsWith(".w")));
    OPTIMIZERS.put("novograd", () -> Optim.novograd(0.05, 0.9, 0.25, 1e-6, 0.0, 0.1));
    OPTIMIZERS.put("lars", () -> Optim.lars(0.5, 0.01, null, 0.01, 0.0, path -> path.endsWith(".w"), 0.9, true));
    OPTIMIZERS.put("fromage", () -> Optim.fromage(0.1));
    OPTIMIZERS.put("chain(masked(sm3), freeze)", () -> Optim.chain(Optim.masked(Optim.sm3(0.1), path -> !path.equals("head.b")),
        Optim.freeze(path -> path.equals("head.b"))));
    OPTIMIZERS.put("chain(centralize, ema, applyEvery, sgd, keepParamsNonnegative)", () -> Optim.chain(Optim.centralize(),
        Optim.ema(0.9), Optim.applyEvery(2), Optim.sgd(0.1), Optim.keepParamsNonnegative()));
    OPTIMIZERS.put("adamw(muDtype F32, epsRoot, mask)", () -> Optim.adamw(0.05, 0.9, 0.999, 1e-8, 1e-4, DType.F32, 0.1,
        path -> path.endsWith(".w")));
    // session 12 (muon: Newton–Schulz on the member's 3x2 matrix, Adam on the rest; the partition by the member's rank)
    OPTIMIZERS.put("amsgrad", () -> Optim.amsgrad(0.05));
    OPTIMIZERS.put("adan", () -> Optim.adan(0.02, 0.98, 0.92, 0.99, 1e-8, 1e-8, 0.1, path -> path.endsWith(".w")));
    OPTIMIZERS.put("rprop", () -> Optim.rprop(0.05));
    OPTIMIZERS.put("muon", () -> Optim.muon(0.05, Optim.MuonOptions.defaults().withWeightDecay(0.1, null)));
    OPTIMIZERS.put("scheduleFreeAdamw(warmup)", () -> Optim.scheduleFreeAdamw(0.05, 2, 0.9, 0.999, 1e-8, 0.1, 2.0, null));
    OPTIMIZERS.put("noisySgd", () -> Optim.noisySgd(0.02, 0.1, 0.55, Random.key(5)));
    OPTIMIZERS.put("chain(addNoise, adam)", () -> Optim.chain(Optim.addNoise(0.05, 0.55, Random.key(7)), Optim.adam(0.05)));
    OPTIMIZERS.put("scheduleFree(sgd, schedule)", () -> Optim.scheduleFree(Optim.sgd(Schedule.cosineDecay(0.05, 6)),
        Schedule.cosineDecay(0.05, 6), 0.8, 1.0, null));
  }

  /** Member {@code m}: the reference test's nested tree, shifted so members differ. */
  private static Object member(int m) {
    return Tree.map(x -> x.mul(1 + 0.1 * m).add(0.05 * m), OptaxReferenceTest.nested(DType.F64));
  }

  /** Member {@code m}'s gradients at step {@code t}; member 1 gets NaNs at steps 2 and 4 (the "nan" kind). */
  private static Object grads(int m, Object p, int t) {
    return OptaxReferenceTest.nestedGrads(m == 1 ? "nan" : "fixture", p, t);
  }

  private static Object stack(List<Object> trees) {
    return Tree.mapN(leaves -> Array.stack(0, leaves), trees.get(0), trees.subList(1, trees.size()).toArray());
  }

  private static Object unstack(Object tree, int m) {
    return Tree.map(x -> x.get(m), tree);
  }

  @TestFactory
  List<DynamicTest> vmappedJittedStepEqualsEachMembersOwnLoop() {
    List<DynamicTest> tests = new ArrayList<>();
    OPTIMIZERS.forEach((name, make) -> tests.add(DynamicTest.dynamicTest(name, () -> check(name, make.get()))));
    return tests;
  }

  private static void check(String name, Optim.Optimizer opt) {
    Fn3<Object, Optim.OptState<Object>, Object, Pair<Object, Optim.OptState<Object>>> step = (p, s, g) -> {
      var r = opt.update(g, s, p);
      return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
    };
    var ensembleStep = Transforms.jit(Transforms.vmap(step));
    Function<Object, Optim.OptState<Object>> init = Transforms.vmap(opt::init);

    List<Object> params = new ArrayList<>();
    List<Optim.OptState<Object>> states = new ArrayList<>();
    for (int m = 0; m < MEMBERS; m++) {
      params.add(member(m));
      states.add(opt.init(params.get(m)));
    }
    Object ensemble = stack(params);
    Optim.OptState<Object> ensembleState = init.apply(ensemble);
    assertEquals(Tree.structure(states.get(0)), Tree.structure(unstack(ensembleState, 0)),
        name + ": vmap(init) has the state structure of init");
    for (int t = 0; t < STEPS; t++) {
      List<Object> gs = new ArrayList<>();
      for (int m = 0; m < MEMBERS; m++) {
        Object g = grads(m, params.get(m), t);
        gs.add(g);
        var r = step.apply(params.get(m), states.get(m), g);
        params.set(m, r.first());
        states.set(m, r.second());
      }
      var r = ensembleStep.apply(ensemble, ensembleState, stack(gs));
      ensemble = r.first();
      ensembleState = r.second();
      for (int m = 0; m < MEMBERS; m++) {
        assertTreesClose(params.get(m), unstack(ensemble, m), name + " member " + m + " params after step " + (t + 1));
        assertTreesClose(states.get(m), unstack(ensembleState, m), name + " member " + m + " state after step " + (t + 1));
      }
    }
  }

  @org.junit.jupiter.api.Test
  void aBatchOfKeysDrawsOnlyUnderVmap() {
    Optim.Optimizer opt = Optim.noisySgd(0.02, Random.key(5));
    var states = (Optim.AddNoiseState<Object>) Transforms.vmap((Object p) -> opt.init(p)).apply(stack(List.of(member(0), member(1))));
    assertEquals(List.of(2, 2), java.util.Arrays.stream(states.rngKey().keyData().shape()).boxed().toList(),
        "one key per member");
    String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Random.normal(states.rngKey(), new int[] {3}, DType.F32)).getMessage();
    assertTrue(m.contains("a batch of keys") && m.contains("Transforms.vmap"), m);
  }

  private static void assertTreesClose(Object expected, Object actual, String what) {
    assertEquals(Tree.paths(expected), Tree.paths(actual), what);
    List<Array> e = Tree.leaves(expected);
    List<Array> a = Tree.leaves(actual);
    List<String> paths = Tree.paths(expected);
    for (int i = 0; i < e.size(); i++) {
      double[] ev = e.get(i).astype(DType.F64).toDoubleArray();
      double[] av = a.get(i).astype(DType.F64).toDoubleArray();
      assertEquals(ev.length, av.length, what + " " + paths.get(i));
      for (int j = 0; j < ev.length; j++) {
        if (Double.isNaN(ev[j])) {
          assertTrue(Double.isNaN(av[j]), what + " " + paths.get(i) + "[" + j + "]: expected NaN, got " + av[j]);
        } else {
          assertEquals(ev[j], av[j], 1e-12 * Math.max(1, Math.abs(ev[j])), what + " " + paths.get(i) + "[" + j + "]");
        }
      }
    }
  }
}
