package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The StateLens twins of {@code bench/gpu/recip_reference.py}'s cases (every {@code fn} under
 * {@code recip/}): where XLA divides as a multiplication by the reciprocal (a constant or a
 * broadcast divisor) and where it keeps the division, eager, under {@code jit}, {@code vmap} and
 * {@code grad}. StateLens divides as XLA does (ir.ReciprocalDivision, EagerReciprocal), so every case
 * is exact (recip_reference.REWRITE_LANDED).
 */
final class StateLensRecipSide {
  private StateLensRecipSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("recip/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String what = c.fn().substring("recip/".length());
    JsonNode a = c.args();
    Array x = in.get("x");
    BiFunction<Array, Array, Array> jitDiv = Transforms.jit((Array p, Array q) -> p.div(q));
    if (what.equals("jit_jvp")) {
      Pair<Array, Array> pt = label(c).equals("literal")
          ? Transforms.jit((Array v, Array t) -> Transforms.jvp((Array u) -> u.div(-3.0), v, t)).apply(x, in.get("t"))
          : Transforms.jit((Array v, Array t, Array d) -> Transforms.jvp((Array u) -> u.div(d), v, t))
              .apply(x, in.get("t"), Array.scalar(-3f));
      return Map.of("primal", pt.first(), "tangent", pt.second());
    }
    if (what.equals("jit_shared_divisor")) {
      Pair<Array, Array> both = Transforms.jit((Array v, Array t, Array d) -> Pair.of(v.div(d), t.div(d)))
          .apply(x, in.get("t"), in.get("d"));
      return Map.of("first", both.first(), "second", both.second());
    }
    Array out = switch (what) {
      case "div_scalar" -> a.path("s_type").asText().equals("int") ? x.div(a.get("s").asLong()) : x.div(a.get("s").asDouble());
      case "div_0d_array" -> x.div(in.get("d"));
      case "div_same_shape", "div_broadcast", "lax_div" -> x.div(in.get("y"));
      case "jit_literal" -> Transforms.jit((Array v) -> v.div(3.0)).apply(x);
      case "jit_closed" -> {
        Array closedOver = in.get("c");
        yield Transforms.jit((Array v) -> v.div(closedOver)).apply(x);
      }
      case "jit_traced_0d" -> jitDiv.apply(x, in.get("d"));
      case "jit_traced_same", "jit_traced_broadcast" -> jitDiv.apply(x, in.get("y"));
      case "jit_scalar_scalar" -> eachScalar(x, s -> jitDiv.apply(s, Array.scalar(3.0)));
      case "scalar_scalar" -> eachScalar(x, s -> s.div(3.0));
      case "mean" -> mean(x, a.get("axis").asInt());
      case "mean_jit" -> Transforms.jit((Array v) -> mean(v, a.get("axis").asInt())).apply(x);
      case "normalise" -> normalise(x);
      case "normalise_jit" -> Transforms.jit(StateLensRecipSide::normalise).apply(x);
      case "floor_divide" -> x.floorDivide(a.get("s").asDouble());
      case "rem" -> x.rem(a.get("s").asDouble());
      case "one_element" -> switch (c.name().substring(c.name().lastIndexOf('/') + 1)) {
        case "eager" -> x.div(-3L);
        case "jit_literal" -> Transforms.jit((Array v) -> v.div(-3.0)).apply(x);
        case "jit_traced_0d" -> jitDiv.apply(x, Array.scalar(-3f));
        default -> throw new IllegalArgumentException("no twin for " + c.name());
      };
      case "vmap" -> vmap(label(c), x, in.get("d"));
      case "vmap_mean" -> Transforms.vmap((Array v) -> v.mean()).apply(x);
      case "grad_div" -> label(c).equals("jit_traced_0d")
          ? Transforms.jit(Transforms.grad((Array v, Array w, Array d) -> v.div(d).mul(w).sum())).apply(x, in.get("w"), Array.scalar(-3f))
          : gradLoss(what, label(c), x, in.get("w"));
      case "grad_mean" -> gradLoss(what, label(c), x, in.get("w"));
      case "complex_div" -> {
        Array z = Array.complex(in.get("re"), in.get("im"));
        yield switch (c.name().substring(c.name().lastIndexOf('/') + 1)) {
          case "eager" -> z.div(3);
          case "jit_literal" -> Transforms.jit((Array v) -> v.div(3.0)).apply(z);
          case "jit_traced_0d" -> jitDiv.apply(z, Array.scalar(3.0).astype(DType.C64));
          default -> throw new IllegalArgumentException("no twin for " + c.name());
        };
      }
      default -> throw new IllegalArgumentException("no twin for " + c.fn());
    };
    if (what.equals("complex_div")) {
      return Map.of("re", out.real(), "im", out.imag());
    }
    return Map.of("out", out);
  }

  /** The gradient in {@code x} of {@code sum((x / -3) * w)} or {@code sum(mean(x, 0) * w)}, eager or jitted. */
  private static Array gradLoss(String what, String label, Array x, Array w) {
    BiFunction<Array, Array, Array> loss = what.equals("grad_div") ? (v, ww) -> v.div(-3.0).mul(ww).sum()
        : (v, ww) -> v.mean(0).mul(ww).sum();
    BiFunction<Array, Array, Array> grad = Transforms.grad(loss);
    return label.equals("jit") ? Transforms.jit(grad).apply(x, w) : grad.apply(x, w);
  }

  private static String label(Case c) {
    return c.name().substring(c.name().lastIndexOf('/') + 1);
  }

  /** JAX's {@code vmap} cases: the batched shapes decide whether XLA inverts the divisor. */
  private static Array vmap(String label, Array x, Array d) {
    return switch (label) {
      case "scalar_examples", "one_element_examples" -> Transforms.vmap((Array v) -> v.div(-3.0)).apply(x);
      case "batched_one_element", "batched_scalar", "batched_row" ->
          Transforms.vmap((Array v, Array q) -> v.div(q)).apply(x, d);
      default -> throw new IllegalArgumentException("no twin for recip/vmap/" + label);
    };
  }

  private static Array mean(Array x, int axis) {
    return axis < 0 ? x.mean() : x.mean(axis);
  }

  private static Array normalise(Array x) {
    return x.div(x.sumKeepDims(1));
  }

  /** {@code f} on each element of the vector {@code x} as a rank-0 array, stacked. */
  private static Array eachScalar(Array x, java.util.function.UnaryOperator<Array> f) {
    List<Array> outs = new ArrayList<>();
    for (int i = 0; i < x.shape()[0]; i++) {
      outs.add(f.apply(x.get(i)));
    }
    return Array.stack(0, outs);
  }
}
