package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The StateLens twins of {@code jax_reference.py}'s {@code more/*} cases (session 11):
 * {@code customJvp} (the same log1pexp rule on both sides) and JAX's own custom-JVP functions
 * (logaddexp, softplus, log_sigmoid), {@code Lax.associativeScan} and the cumulative reductions,
 * {@code Nn.dotProductAttention}, and the jnp/linalg functions added then.
 */
final class StateLensMoreSide {
  private StateLensMoreSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("more/");
  }

  /** log1pexp with JAX's docs' rule, as jax_reference.py's log1pexp_rule. */
  static final Function<Array, Array> LOG1PEXP = Transforms.customJvp(
      (Array x) -> x.exp().log1p(),
      (Array x, Array t) -> Pair.of(x.exp().log1p(), t.mul(x.exp().add(1).reciprocal().rsub(1))));

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    JsonNode a = c.args();
    String fn = c.fn().substring("more/".length());
    Array x = in.get("x");
    Array y = in.get("y");
    Map<String, Array> out = new LinkedHashMap<>();
    switch (fn) {
      case "custom_jvp/log1pexp" -> {
        Function<Array, Array> g = Transforms.grad((Array v) -> LOG1PEXP.apply(v).sum());
        if (c.name().endsWith("jit-second")) {
          out.put("dx", Transforms.jit(g).apply(x));
          out.put("d2x", Transforms.grad((Array v) -> g.apply(v).sum()).apply(x));
        } else {
          out.put("out", LOG1PEXP.apply(x));
          out.put("dx", g.apply(x));
          out.put("jvp", Transforms.jvp(LOG1PEXP, x, Array.onesLike(x).mul(0.5)).second());
        }
      }
      case "nn/softplus" -> out.put("out", Nn.softplus(x));
      case "nn/log_sigmoid" -> out.put("out", Nn.logSigmoid(x));
      case "grad/softplus" -> out.put("dx", Transforms.grad((Array v) -> Nn.softplus(v).sum()).apply(x));
      case "grad/log_sigmoid" -> out.put("dx", Transforms.grad((Array v) -> Nn.logSigmoid(v).sum()).apply(x));
      case "logaddexp" -> out.put("out", x.logaddexp(y));
      case "grad/logaddexp" -> {
        List<Array> g = Transforms.grad((List<Array> v) -> v.get(0).logaddexp(v.get(1)).sum()).apply(List.of(x, y));
        out.put("dx", g.get(0));
        out.put("dy", g.get(1));
      }
      case "associative_scan/add" -> out.put("out", Lax.associativeScan((Array p, Array q) -> p.add(q), x,
          a.path("reverse").asBoolean(), a.path("axis").asInt()));
      case "associative_scan/recurrence" -> {
        Pair<Array, Array> r = Lax.associativeScan(StateLensMoreSide::linearRecurrence, Pair.of(x, y),
            a.path("reverse").asBoolean(), 0);
        out.put("a", r.first());
        out.put("b", r.second());
      }
      case "grad/associative_scan/recurrence" -> {
        Array w = in.get("w");
        List<Array> g = Transforms.grad((List<Array> v) -> Lax.associativeScan(StateLensMoreSide::linearRecurrence,
            Pair.of(v.get(0), v.get(1))).second().mul(w).sum()).apply(List.of(x, y));
        out.put("dx", g.get(0));
        out.put("dy", g.get(1));
      }
      case "associative_scan/matmul" -> out.put("out", Lax.associativeScan(Array::matmul, x));
      case "associative_scan/max" -> out.put("out", Lax.associativeScan(Array::maximum, x));
      case "associative_scan/or" -> out.put("out", Lax.associativeScan(Array::or, x, true, 0));
      case "vmap/associative_scan" -> out.put("out", Transforms.vmap(
          (Array r) -> Lax.associativeScan((Array p, Array q) -> p.add(q), r)).apply(x));
      case "cumlogsumexp" -> out.put("out", Lax.cumlogsumexp(x, a.path("axis").asInt(), a.path("reverse").asBoolean()));
      case "grad/cumlogsumexp" -> out.put("dx",
          Transforms.grad((Array v) -> v.cumlogsumexp(1).mul(in.get("w")).sum()).apply(x));
      case "grad/cummax" -> out.put("dx", Transforms.grad((Array v) -> v.cummax(0).mul(x).sum()).apply(x));
      case "grad/cummin" -> out.put("dx", Transforms.grad((Array v) -> v.cummin(0).mul(in.get("w")).sum()).apply(x));
      case "attention" -> out.put("out", Nn.dotProductAttention(in.get("q"), in.get("k"), in.get("v"), in.get("bias"),
          in.get("mask"), a.has("scale") ? a.path("scale").asDouble() : null, a.path("causal").asBoolean(false),
          in.get("ql"), in.get("kl"), a.has("window") ? ints(a.path("window")) : null));
      case "grad/attention" -> {
        Array bias = in.get("bias"), w = in.get("w");
        List<Array> g = Transforms.grad((List<Array> t) -> Nn.dotProductAttention(t.get(0), t.get(1), t.get(2), bias,
            null, null, false).mul(w).sum()).apply(List.of(in.get("q"), in.get("k"), in.get("v")));
        out.put("dq", g.get(0));
        out.put("dk", g.get(1));
        out.put("dv", g.get(2));
      }
      case "kron" -> out.put("out", Array.kron(x, y));
      case "cross" -> out.put("out", Array.cross(x, y));
      case "vander" -> out.put("out", Array.vander(x, a.path("n").asInt(), a.path("increasing").asBoolean()));
      case "polyval" -> out.put("out", Array.polyval(in.get("p"), x));
      case "grad/polyval" -> out.put("dx", Transforms.grad((Array u) -> Array.polyval(in.get("p"), u).sum()).apply(x));
      case "convolve" -> out.put("out", Array.convolve(x, y, a.path("mode").asText()));
      case "correlate" -> out.put("out", Array.correlate(x, y, a.path("mode").asText()));
      case "interp" -> out.put("out", a.has("left")
          ? Array.interp(x, in.get("xp"), in.get("fp"), a.path("left").asDouble(), a.path("right").asDouble())
          : Array.interp(x, in.get("xp"), in.get("fp")));
      case "grad/interp" -> out.put("dx",
          Transforms.grad((Array u) -> Array.interp(u, in.get("xp"), in.get("fp")).sum()).apply(x));
      case "bincount" -> out.put("out", Array.bincount(x, in.get("w"), a.path("length").asInt()));
      case "pinv" -> out.put("out", Linalg.pinv(x));
      case "grad/pinv" -> out.put("dx", Transforms.grad((Array u) -> Linalg.pinv(u).mul(in.get("w")).sum()).apply(x));
      case "matrix_power" -> out.put("out", Linalg.matrixPower(x, a.path("n").asInt()));
      default -> throw new IllegalArgumentException("jax-reference case " + c.name() + ": no StateLens twin for fn '"
          + c.fn() + "'; add a branch to StateLensMoreSide.run");
    }
    return out;
  }

  /** h_t = a_t h_{t-1} + b_t as a combine of (a, b) pairs, as jax_reference.py's linear_recurrence. */
  static Pair<Array, Array> linearRecurrence(Pair<Array, Array> e1, Pair<Array, Array> e2) {
    return Pair.of(e2.first().mul(e1.first()), e2.first().mul(e1.second()).add(e2.second()));
  }

  static int[] ints(JsonNode n) {
    int[] r = new int[n.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = n.get(i).asInt();
    }
    return r;
  }
}
