package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.JaxReference.Case;
import dev.statelens.engine.JaxReference.Result;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The options forms of two calls the ports wrote with many positional arguments:
 * {@code Optim.adamw(lr, AdamWOptions)} (optax's {@code adamw(lr, weight_decay=..., mask=...)}) and
 * {@code Nn.dotProductAttention(q, k, v, AttentionOptions)} (JAX's {@code is_causal=True}, ...). Each
 * gives exactly what the positional form gives; the attention form also against JAX's values in the
 * jax-reference file, and AdamW's in {@code OptaxReferenceTest} (adamw_eps_root_mask, adamw_mu_f32).
 */
class OptionsFormsTest {

  record Layer(Array w, Array b) {}

  private static Layer params() {
    return new Layer(Array.of(DType.F32, new int[] {2, 3}, 0.5f, -1.25f, 2f, 0.3f, -0.7f, 1.1f),
        Array.of(DType.F32, new int[] {3}, 0.1f, -0.2f, 0.75f));
  }

  /** The cubic's gradient towards a fixed target, changing every step. */
  private static Layer grads(Layer p) {
    return new Layer(p.w().sub(0.25).square().mul(3).add(p.w()), p.b().add(0.5).square().mul(3).sub(p.b()));
  }

  /** The params after three jitted steps of {@code opt}. */
  private static double[] train(Optim.Optimizer opt) {
    var step = Transforms.jit((Layer p, Optim.OptState<Layer> s) -> {
      var r = opt.update(grads(p), s, p);
      return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
    });
    Layer p = params();
    Optim.OptState<Layer> s = opt.init(p);
    for (int i = 0; i < 3; i++) {
      var r = step.apply(p, s);
      p = r.first();
      s = r.second();
    }
    double[] w = p.w().toDoubleArray();
    double[] b = p.b().toDoubleArray();
    double[] out = new double[w.length + b.length];
    System.arraycopy(w, 0, out, 0, w.length);
    System.arraycopy(b, 0, out, w.length, b.length);
    return out;
  }

  @Test
  void adamwOptionsAreThePositionalForm() {
    Predicate<String> notBias = path -> !path.equals("b");
    var options = Optim.AdamWOptions.defaults().withB1(0.8).withB2(0.99).withEps(1e-6).withEpsRoot(1e-4)
        .withMuDtype(DType.BF16).withWeightDecay(0.3).withMask(notBias);
    assertArrayEquals(train(Optim.adamw(0.05, 0.8, 0.99, 1e-6, 1e-4, DType.BF16, 0.3, notBias)),
        train(Optim.adamw(0.05, options)));
    assertArrayEquals(train(Optim.nadamw(0.05, 0.8, 0.99, 1e-6, 1e-4, DType.BF16, 0.3, notBias)),
        train(Optim.nadamw(0.05, options)));
    Schedule lr = Schedule.warmupCosineDecay(0, 0.05, 2, 10, 0.001);
    var decayMatrices = Optim.AdamWOptions.defaults().withWeightDecay(0.1)
        .withMask(Optim.maskWhere(params(), leaf -> leaf.ndim() > 1));
    assertArrayEquals(train(Optim.adamw(lr, 0.9, 0.999, 1e-8, 0.0, null, 0.1, notBias)),
        train(Optim.adamw(lr, decayMatrices)));
    // the mask matters: decaying every leaf gives other params
    assertTrue(train(Optim.adamw(lr, decayMatrices))[6] != train(Optim.adamw(lr, decayMatrices.withMask(null)))[6]);
  }

  @Test
  void adamwDefaultsAreOptaxs() {
    var d = Optim.AdamWOptions.defaults();
    assertEquals(new Optim.AdamWOptions(0.9, 0.999, 1e-8, 0.0, null, 1e-4, null), d);
    assertArrayEquals(train(Optim.adamw(0.05)), train(Optim.adamw(0.05, d)));
    assertArrayEquals(train(Optim.nadamw(0.05)), train(Optim.nadamw(0.05, d)));
  }

  @Test
  void badAdamwOptionsAreNamed() {
    var e = assertThrows(NullPointerException.class, () -> Optim.adamw(0.05, (Optim.AdamWOptions) null));
    assertTrue(e.getMessage().contains("AdamWOptions.defaults()"), e.getMessage());
    var b1 = assertThrows(IllegalArgumentException.class,
        () -> Optim.adamw(0.05, Optim.AdamWOptions.defaults().withB1(1.0)));
    assertTrue(b1.getMessage().contains("b1"), b1.getMessage());
    var wd = assertThrows(IllegalArgumentException.class,
        () -> Optim.adamw(0.05, Optim.AdamWOptions.defaults().withWeightDecay(-1)));
    assertTrue(wd.getMessage().contains("weightDecay"), wd.getMessage());
  }

  private static Array data(int seed, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.sin(i * 1.3 + seed);
    }
    return Array.of(DType.F32, shape, v);
  }

  @Test
  void attentionOptionsAreThePositionalForm() {
    Array q = data(1, 2, 5, 4, 3), k = data(2, 2, 5, 2, 3), v = data(3, 2, 5, 2, 3);
    var none = Nn.AttentionOptions.defaults();
    assertArrayEquals(Nn.dotProductAttention(q, k, v).toFloatArray(), Nn.dotProductAttention(q, k, v, none).toFloatArray());
    assertArrayEquals(Nn.dotProductAttention(q, k, v, null, null, null, true).toFloatArray(),
        Nn.dotProductAttention(q, k, v, none.withCausal(true)).toFloatArray());
    Array bias = data(4, 1, 4, 5, 5);
    Array mask = data(5, 5, 5).gt(-0.5);
    assertArrayEquals(Nn.dotProductAttention(q, k, v, bias, mask, 0.3, false).toFloatArray(),
        Nn.dotProductAttention(q, k, v, none.withBias(bias).withMask(mask).withScale(0.3)).toFloatArray());
    Array ql = Array.of(DType.I32, new int[] {2}, 3, 5), kl = Array.of(DType.I32, new int[] {2}, 4, 2);
    assertArrayEquals(Nn.dotProductAttention(q, k, v, null, null, null, true, ql, kl, new int[] {1, 0}).toFloatArray(),
        Nn.dotProductAttention(q, k, v, none.withCausal(true).withSeqLengths(ql, kl).withLocalWindow(1, 0)).toFloatArray());
    // causal is not the default: the options change the result
    assertTrue(Nn.dotProductAttention(q, k, v, none).sub(Nn.dotProductAttention(q, k, v, none.withCausal(true)))
        .abs().max().doubleValue() > 0.01);
  }

  @Test
  void attentionOptionsGiveJaxsValues() throws IOException {
    JaxReference.Reference ref;
    try (InputStream in = getClass().getResourceAsStream(JaxReferenceTest.BUNDLED_16BIT)) {
      assertNotNull(in, JaxReferenceTest.BUNDLED_16BIT);
      ref = JaxReference.load(in, JaxReferenceTest.BUNDLED_16BIT);
    }
    int checked = 0;
    for (Case c : ref.cases()) {
      if (!c.name().equals("more/attention/causal") && !c.name().equals("more/attention/bias-mask-scale")
          && !c.name().equals("more/attention/lengths-window")) {
        continue;
      }
      Map<String, Array> in = new java.util.HashMap<>();
      c.inputs().forEach((name, t) -> in.put(name, t.toArray()));
      var a = c.args();
      var o = Nn.AttentionOptions.defaults().withBias(in.get("bias")).withMask(in.get("mask"))
          .withCausal(a.path("causal").asBoolean(false)).withSeqLengths(in.get("ql"), in.get("kl"));
      if (a.has("scale")) {
        o = o.withScale(a.path("scale").asDouble());
      }
      if (a.has("window")) {
        o = o.withLocalWindow(a.path("window").get(0).asInt(), a.path("window").get(1).asInt());
      }
      Result r = JaxReference.compare(c, Map.of("out", Nn.dotProductAttention(in.get("q"), in.get("k"), in.get("v"), o)));
      assertTrue(r.passed(), r.summary() + " " + r.mismatches());
      checked++;
    }
    assertEquals(3, checked, "the attention cases in " + JaxReferenceTest.BUNDLED_16BIT);
  }

  @Test
  void badAttentionOptionsAreNamed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Nn.AttentionOptions(null, null, null, false, null, null, new int[] {1}));
    assertTrue(e.getMessage().contains("withLocalWindow(left, right)"), e.getMessage());
    Array q = data(1, 1, 2, 1, 2);
    var n = assertThrows(NullPointerException.class, () -> Nn.dotProductAttention(q, q, q, (Nn.AttentionOptions) null));
    assertTrue(n.getMessage().contains("AttentionOptions.defaults()"), n.getMessage());
  }
}
