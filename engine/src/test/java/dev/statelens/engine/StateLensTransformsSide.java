package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The StateLens twin of {@code jax_reference.py}'s {@code nn_cases}, {@code grad_cases} and
 * {@code vmap_control_cases}: the case families whose {@code fn} has a group prefix
 * ({@code nn/}, {@code grad/}, {@code vmap/}, {@code lax/}). Each branch is the StateLens spelling of
 * the Python next to it in the script, on the inputs the file carries; the losses use StateLens's
 * own API where it has one ({@link Nn#softmaxCrossEntropy} for JAX's
 * {@code -mean(take_along_axis(log_softmax(logits), y))}), so the check covers it.
 */
final class StateLensTransformsSide {

  private StateLensTransformsSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("nn/") || fn.startsWith("grad/") || fn.startsWith("vmap/") || fn.startsWith("lax/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    JsonNode a = c.args();
    Map<String, Array> out = new LinkedHashMap<>();
    Array x = in.get("x");
    switch (c.fn()) {
      case "nn/softmax" -> out.put("out", Nn.softmax(x, a.path("axis").asInt(-1)));
      case "nn/log_softmax" -> out.put("out", Nn.logSoftmax(x, a.path("axis").asInt(-1)));
      case "nn/logsumexp" -> out.put("out", a.has("axis") ? Nn.logsumexp(x, a.path("axis").asInt(), false)
          : Nn.logsumexp(x));
      case "nn/gelu" -> out.put("out", Nn.gelu(x, a.path("approximate").asBoolean(true)));
      case "nn/silu" -> out.put("out", Nn.silu(x));
      case "nn/softplus" -> out.put("out", Nn.softplus(x));
      case "nn/relu6" -> out.put("out", Nn.relu6(x));
      case "nn/elu" -> out.put("out", Nn.elu(x));
      case "nn/selu" -> out.put("out", Nn.selu(x));
      case "nn/leaky_relu" -> out.put("out", Nn.leakyRelu(x));
      case "nn/sigmoid" -> out.put("out", x.sigmoid());
      case "nn/standardize" -> out.put("out", Nn.standardize(x, a.path("axis").asInt(-1),
          a.path("epsilon").asDouble(1e-5)));
      case "nn/one_hot" -> out.put("out", Nn.oneHot(in.get("labels"), a.path("num_classes").asInt()));
      case "grad/mlp", "grad/value_and_grad" -> mlp(c, in, out);
      case "grad/softmax_cross_entropy" -> {
        Array labels = in.get("labels");
        var vg = Transforms.valueAndGrad((Array l) -> Nn.softmaxCrossEntropy(l, labels).mean()).apply(in.get("logits"));
        out.put("value", vg.first());
        out.put("dlogits", vg.second());
      }
      case "grad/logsumexp" -> out.put("dx", Transforms.grad((Array v) -> Nn.logsumexp(v)).apply(x));
      case "grad/conv" -> {
        Map<String, Array> g = Transforms.grad((Map<String, Array> p) -> Lax.convGeneralDilated(p.get("lhs"),
            p.get("rhs"), new int[] {1, 1}, "SAME", null, null, new String[] {"NHWC", "HWIO", "NHWC"}, 1).sin().sum())
            .apply(new TreeMap<>(Map.of("lhs", in.get("lhs"), "rhs", in.get("rhs"))));
        out.put("dlhs", g.get("lhs"));
        out.put("drhs", g.get("rhs"));
      }
      case "grad/solve" -> {
        Map<String, Array> g = Transforms.grad((Map<String, Array> p) -> Linalg.solve(p.get("a"), p.get("b"))
            .square().sum()).apply(new TreeMap<>(Map.of("a", in.get("a"), "b", in.get("b"))));
        out.put("da", g.get("a"));
        out.put("db", g.get("b"));
      }
      case "grad/cholesky" -> {
        Array w = in.get("w");
        Function<Array, Array> loss = w != null ? m -> Linalg.cholesky(m).mul(w).sum()
            : m -> Linalg.cholesky(m).diagonal().log().sum().mul(2.0);
        out.put("da", Transforms.grad(loss).apply(in.get("a")));
      }
      case "grad/jacfwd" -> out.put("out", Transforms.jacfwd(vectorFn(in.get("w"))).apply(x));
      case "grad/jacrev" -> out.put("out", Transforms.jacrev(vectorFn(in.get("w"))).apply(x));
      case "grad/hessian" -> {
        Array w = in.get("w");
        out.put("out", Transforms.hessian((Array z) -> z.mul(z).log1p().sum().add(w.matmul(z).tanh().mul(z).sum()))
            .apply(x));
      }
      case "vmap/per_example_grad" -> {
        Fn3<Map<String, Array>, Array, Array, Array> loss = (p, xi, yi) ->
            xi.matmul(p.get("w")).tanh().matmul(p.get("v")).sub(yi).square();
        Fn3<Map<String, Array>, Array, Array, Map<String, Array>> perExample = Transforms.vmap(Transforms.grad(loss),
            null, 0, 0);
        if (a.path("jit").asBoolean(false)) {
          perExample = Transforms.jit(perExample);
        }
        Map<String, Array> g = perExample.apply(new TreeMap<>(Map.of("w", in.get("w"), "v", in.get("v"))), x, in.get("y"));
        out.put("dw", g.get("w"));
        out.put("dv", g.get("v"));
      }
      case "lax/scan" -> {
        Pair<Array, Array> r = in.containsKey("wh") ? rnn(in, in)
            : Lax.scan((Array carry, Array e) -> Pair.of(carry.add(e), carry.add(e)), Array.scalar(DType.F32, 0),
                in.get("xs"));
        out.put("carry", r.first());
        out.put("ys", r.second());
      }
      case "lax/while_loop" -> {
        Array target = in.get("a");
        float tol = (float) a.path("tol").asDouble() * (float) maxOf(target); // f32, as JAX's 1e-4 * max(a)
        Pair<Array, Array> r = Lax.whileLoop(
            (Pair<Array, Array> s) -> s.second().lt(Array.scalar(DType.I32, 50))
                .and(s.first().mul(s.first()).sub(target).abs().max().gt(tol)),
            s -> Pair.of(s.first().add(target.div(s.first())).mul(0.5), s.second().add(Array.scalar(DType.I32, 1))),
            Pair.of(target, Array.scalar(DType.I32, 0)));
        out.put("x", r.first());
        out.put("iterations", r.second());
      }
      case "grad/scan" -> {
        Map<String, Array> params = new TreeMap<>(Map.of("wh", in.get("wh"), "wx", in.get("wx"), "b", in.get("b")));
        Map<String, Array> g = Transforms.grad((Map<String, Array> p) -> rnn(p, in).second().square().sum())
            .apply(params);
        g.forEach((k, v) -> out.put("d" + k, v));
      }
      case "grad/cond" -> out.put("dx", Transforms.grad((Array t) -> Lax.cond(t.sum().gt(0),
          (Array u) -> u.sin().mul(2.0), (Array u) -> u.cos().sub(u), t).sum()).apply(x));
      case "lax/cond" -> out.put("out", Lax.cond(x.sum().gt(0), (Array t) -> t.sin().mul(2.0),
          (Array t) -> t.cos().sub(t), x));
      default -> throw new IllegalArgumentException("jax-reference case " + c.name() + ": no StateLens twin for fn '"
          + c.fn() + "'; add a branch to StateLensTransformsSide.run");
    }
    return out;
  }

  /** JAX's dict of MLP parameters, a sorted map here as there (b1, b2, w1, w2). */
  private static void mlp(Case c, Map<String, Array> in, Map<String, Array> out) {
    Map<String, Array> params = new TreeMap<>();
    for (String k : new String[] {"w1", "b1", "w2", "b2"}) {
      params.put(k, in.get(k));
    }
    Function<Array, Array> act = switch (c.args().path("activation").asText()) {
      case "tanh" -> Array::tanh;
      case "relu" -> Nn::relu;
      default -> throw new IllegalArgumentException("jax-reference case " + c.name() + ": activation must be tanh "
          + "or relu, got " + c.args().path("activation"));
    };
    Fn3<Map<String, Array>, Array, Array, Array> loss = (p, x, y) -> {
      Array h = act.apply(x.matmul(p.get("w1")).add(p.get("b1")));
      return Nn.softmaxCrossEntropy(h.matmul(p.get("w2")).add(p.get("b2")), y).mean();
    };
    var vg = Transforms.valueAndGrad(loss).apply(params, in.get("x"), in.get("y"));
    if (c.outputs().containsKey("value")) {
      out.put("value", vg.first());
    }
    vg.second().forEach((k, v) -> out.put("d" + k, v));
  }

  /** {@code f(z) = tanh(w @ z) * z + 0.5 * exp(z) * z[::-1]}. */
  private static Function<Array, Array> vectorFn(Array w) {
    return z -> w.matmul(z).tanh().mul(z).add(z.exp().mul(0.5).mul(z.flip(0)));
  }

  /** {@code h = tanh(wh @ h + wx @ x_t + b)} over the sequence; the weights from {@code p}, h0 and xs from {@code in}. */
  private static Pair<Array, Array> rnn(Map<String, Array> p, Map<String, Array> in) {
    Array wh = p.get("wh");
    Array wx = p.get("wx");
    Array b = p.get("b");
    return Lax.scan((Array h, Array e) -> {
      Array next = wh.matmul(h).add(wx.matmul(e)).add(b).tanh();
      return Pair.of(next, next);
    }, in.get("h0"), in.get("xs"));
  }

  private static double maxOf(Array a) {
    double m = Double.NEGATIVE_INFINITY;
    for (float v : a.toFloatArray()) {
      m = Math.max(m, v);
    }
    return m;
  }
}
