package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The StateLens twins of {@code jax_reference.py}'s {@code jnp5/*} cases (session 12,
 * {@code bench/gpu/jnp5_reference.py}): {@code Ops.segmentSum/Prod/Max/Min} eager, jitted, vmapped
 * (over data, and over data and ids) and differentiated, and a GNN message-passing step's gradient.
 */
final class StateLensJnp5Side {
  private StateLensJnp5Side() {}

  static boolean handles(String fn) {
    return fn.startsWith("jnp5/");
  }

  interface Segment {
    Array apply(Array data, Array ids, int numSegments);
  }

  static Segment segment(String reduction) {
    return switch (reduction) {
      case "sum" -> Ops::segmentSum;
      case "prod" -> Ops::segmentProd;
      case "max" -> Ops::segmentMax;
      case "min" -> Ops::segmentMin;
      default -> throw new IllegalArgumentException("no segment reduction " + reduction);
    };
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("jnp5/".length());
    String label = c.name().substring(c.fn().length());
    int n = c.args().path("num_segments").asInt(-1);
    Array data = in.get("data");
    Array ids = in.get("ids");
    Map<String, Array> out = new LinkedHashMap<>();
    if (fn.startsWith("segment_")) {
      Segment f = segment(fn.substring("segment_".length()));
      out.put("out", switch (label) {
        case "/inferred" -> inferred(fn, data, ids);
        case "/jit" -> Transforms.jit((Array d, Array i) -> f.apply(d, i, n)).apply(data, ids);
        case "/vmap" -> Transforms.vmap((Array d) -> f.apply(d, ids, n)).apply(data);
        case "/vmap-ids" -> Transforms.vmap((Array d, Array i) -> f.apply(d, i, n)).apply(data, ids);
        default -> f.apply(data, ids, n);
      });
    } else if (fn.startsWith("grad/segment_")) {
      Segment f = segment(fn.substring("grad/segment_".length()));
      Array w = in.get("w");
      out.put("dx", Transforms.grad((Array d) -> {
        Array y = f.apply(d, ids, n);
        return Array.where(y.isFinite(), y, 0.0).mul(w).sum();
      }).apply(data));
    } else if (fn.equals("grad/gnn")) {
      Array senders = in.get("senders");
      Array receivers = in.get("receivers");
      java.util.function.BiFunction<Array, Array, Array> loss = (k, x) -> {
        Array msgs = x.take(senders, 0).matmul(k).tanh();
        Array degree = Ops.segmentSum(Array.onesLike(receivers).astype(DType.F32), receivers, 5).maximum(1.0);
        Array agg = Ops.segmentSum(msgs, receivers, 5).div(degree.reshape(5, 1));
        Array top = Ops.segmentMax(msgs, receivers, 5);
        return agg.square().sum().add(Array.where(top.isFinite(), top, 0.0).sum());
      };
      Array kernel = in.get("kernel");
      Array nodes = in.get("nodes");
      List<Array> g = Transforms.grad((List<Array> p) -> loss.apply(p.get(0), p.get(1))).apply(List.of(kernel, nodes));
      out.put("loss", loss.apply(kernel, nodes));
      out.put("dkernel", g.get(0));
      out.put("dnodes", g.get(1));
    } else if (!shapes(fn, c, in, out) && !nn(fn, c, in, out) && !convTranspose(fn, c, in, out)
        && !histogram(fn, c, in, out) && !lstsq(fn, c, in, out) && !random(fn, c, out)
        && !metrics(fn, in, out)) {
      throw new IllegalArgumentException("StateLensJnp5Side has no twin for " + c.name());
    }
    return out;
  }

  /** tensordot, the stacks, diff/ediff1d and select. */
  private static boolean shapes(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    JsonNode a = c.args();
    Array x = in.get("x");
    switch (fn) {
      case "tensordot" -> out.put("out", a.has("axes") ? Array.tensordot(in.get("a"), in.get("b"), a.path("axes").asInt())
          : Array.tensordot(in.get("a"), in.get("b"), ints(a.path("axes_a")), ints(a.path("axes_b"))));
      case "grad/tensordot" -> {
        List<Array> g = Transforms.grad((List<Array> p) -> Array.tensordot(p.get(0), p.get(1), new int[] {1, 2},
            new int[] {1, 0}).square().sum()).apply(List.of(in.get("a"), in.get("b")));
        out.put("da", g.get(0));
        out.put("db", g.get(1));
      }
      case "hstack" -> {
        out.put("vectors", Array.hstack(in.get("v"), in.get("i"), in.get("v")));
        Array m = in.get("m");
        out.put("matrices", Array.hstack(m, m.sliceAxis(1, 0, 1)));
      }
      case "vstack" -> out.put("out", Array.vstack(in.get("v"), in.get("m"), in.get("i")));
      case "dstack" -> out.put("out", Array.dstack(in.get("m"), in.get("m")));
      case "column_stack" -> out.put("out", Array.columnStack(in.get("m").transpose(), in.get("v"), in.get("i")));
      case "diff" -> {
        Array v = c.name().endsWith("/bool") ? x.gt(0) : x;
        Array prepend = a.has("prepend") ? Array.scalar(DType.F32, a.path("prepend").asDouble()) : null;
        out.put("out", v.diff(a.path("n").asInt(), a.path("axis").asInt(), prepend, in.get("append")));
      }
      case "grad/diff" -> out.put("dx", Transforms.grad((Array t) -> t.diff(a.path("n").asInt(), a.path("axis").asInt())
          .mul(in.get("w")).sum()).apply(x));
      case "ediff1d" -> out.put("out", x.ediff1d(in.get("to_end"), in.get("to_begin")));
      case "vmap/diff" -> out.put("out", Transforms.vmap((Array r) -> r.diff(2, -1)).apply(x));
      case "select" -> {
        Array sevens = Array.full(DType.F32, new int[] {5}, 7);
        List<Array> conds = List.of(x.lt(-1.0), x.gt(1.5), x.lt(0.0));
        List<Array> choices = List.of(x.mul(2.0), x.sin(), sevens);
        out.put("out", c.name().endsWith("/default") ? Array.select(conds, choices, -9.0) : Array.select(conds, choices, 0));
      }
      case "grad/select" -> out.put("dx", Transforms.grad((Array t) -> Array.select(List.of(t.lt(-1.0), t.gt(1.5), t.lt(0.0)),
          List.of(t.mul(2.0), t.sin(), t.square()), t.mul(3.0)).mul(x).sum()).apply(x));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The jax.nn activations and logmeanexp, values and gradients. */
  private static boolean nn(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    Array x = in.get("x");
    boolean grad = fn.startsWith("grad/nn/");
    if (!grad && !fn.startsWith("nn/")) {
      return false;
    }
    String name = fn.substring(grad ? "grad/nn/".length() : "nn/".length());
    if (name.equals("logmeanexp")) {
      if (grad) {
        out.put("dx", Transforms.grad((Array t) -> Nn.logmeanexp(t, 1, false).square().sum()).apply(x));
      } else {
        out.put("out", Nn.logmeanexp(x, 1, false));
        out.put("all", Nn.logmeanexp(x));
        out.put("keep", Nn.logmeanexp(x, 0, true));
      }
      return true;
    }
    java.util.function.Function<Array, Array> f = switch (name) {
      case "log1mexp" -> Nn::log1mexp;
      case "squareplus" -> c.args().has("b") ? t -> Nn.squareplus(t, c.args().path("b").asDouble()) : Nn::squareplus;
      case "soft_sign" -> Nn::softSign;
      case "sparse_plus" -> Nn::sparsePlus;
      case "sparse_sigmoid" -> Nn::sparseSigmoid;
      case "swish" -> Nn::swish;
      default -> throw new IllegalArgumentException("StateLensJnp5Side has no twin for " + c.name());
    };
    out.put(grad ? "dx" : "out", grad ? Transforms.grad((Array t) -> f.apply(t).sum()).apply(x) : f.apply(x));
    return true;
  }

  /** lax.conv_transpose: strides, padding strings and pairs, dilation, transpose_kernel, NCHW; grad, vmap. */
  private static boolean convTranspose(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    JsonNode a = c.args();
    Array x = in.get("x");
    Array k = in.get("k");
    switch (fn) {
      case "conv_transpose" -> {
        int[] strides = ints(a.path("strides"));
        int[] dilation = a.has("rhs_dilation") ? ints(a.path("rhs_dilation")) : null;
        String[] dn = a.has("dimension_numbers") ? new String[] {a.path("dimension_numbers").get(0).asText(),
            a.path("dimension_numbers").get(1).asText(), a.path("dimension_numbers").get(2).asText()} : null;
        boolean tk = a.path("transpose_kernel").asBoolean(false);
        out.put("out", a.has("pads")
            ? Lax.convTranspose(x, k, strides, new int[][] {ints(a.path("pads").get(0)), ints(a.path("pads").get(1))},
                dilation, dn, tk)
            : Lax.convTranspose(x, k, strides, a.path("padding").asText(), dilation, dn, tk));
      }
      case "grad/conv_transpose" -> {
        List<Array> g = Transforms.grad((List<Array> p) -> Lax.convTranspose(p.get(0), p.get(1), new int[] {2, 2}, "SAME")
            .mul(in.get("w")).sum()).apply(List.of(x, k));
        out.put("dx", g.get(0));
        out.put("dk", g.get(1));
      }
      case "vmap/conv_transpose" -> out.put("out", Transforms.vmap((Array t) -> Lax.convTranspose(t, k, new int[] {2, 2},
          "SAME")).apply(x.expandDims(1)));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** jnp.histogram (bins and range, the data's range, weights and density, explicit edges), jit, vmap, grad. */
  private static boolean histogram(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    JsonNode a = c.args();
    Array x = in.get("a");
    Array w = in.get("w");
    int bins = a.path("bins").asInt();
    double[] range = a.has("range") ? new double[] {a.path("range").get(0).asDouble(), a.path("range").get(1).asDouble()}
        : null;
    boolean density = a.path("density").asBoolean(false);
    switch (fn) {
      case "histogram" -> {
        Pair<Array, Array> h = switch (c.name().substring(c.fn().length())) {
          case "/edges" -> Array.histogram(x, in.get("edges"), w, false);
          // a Pair is a pytree: jit and vmap return both outputs
          case "/jit" -> Transforms.jit((Array t) -> Array.histogram(t, bins, null)).apply(x);
          case "/vmap" -> Transforms.vmap((Array t) -> Array.histogram(t, bins, null)).apply(x);
          default -> Array.histogram(x, bins, range, w, density);
        };
        out.put("counts", h.first());
        out.put("edges", h.second());
      }
      case "histogram_bin_edges" -> out.put("out", Array.histogramBinEdges(x, bins, null));
      case "grad/histogram" -> out.put("dw", Transforms.grad((Array v) -> Array.histogram(x, 6, new double[] {-1, 3}, v, true)
          .first().square().sum()).apply(w));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Linalg.lstsq: tall, several right-hand sides, wide, rank-deficient; grad and vmap. */
  private static boolean lstsq(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    Array a = in.get("a");
    Array b = in.get("b");
    switch (fn) {
      case "lstsq" -> {
        Linalg.Lstsq r = Linalg.lstsq(a, b);
        out.put("x", r.x());
        out.put("residuals", r.residuals());
        out.put("rank", r.rank());
        if (c.outputs().containsKey("s")) {
          out.put("s", r.s());
        }
      }
      case "grad/lstsq" -> {
        List<Array> g = Transforms.grad((List<Array> p) -> Linalg.lstsq(p.get(0), p.get(1)).x().square().sum())
            .apply(List.of(a, b));
        out.put("da", g.get(0));
        out.put("db", g.get(1));
      }
      case "vmap/lstsq" -> out.put("x", Transforms.vmap((Array p, Array q) -> Linalg.lstsq(p, q).x()).apply(a, b));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** jax.random.lognormal/rayleigh/wald/triangular for the case's key, shape and dtype. */
  private static boolean random(String fn, Case c, Map<String, Array> out) {
    if (!fn.startsWith("random/")) {
      return false;
    }
    JsonNode a = c.args();
    Key key = Random.key(c.seed());
    int[] shape = ints(a.path("shape"));
    DType dt = DType.parse(a.path("dtype").asText());
    out.put("out", switch (fn) {
      case "random/lognormal" -> Random.lognormal(key, a.path("sigma").asDouble(), shape, dt);
      case "random/rayleigh" -> Random.rayleigh(key, a.path("scale").asDouble(), shape, dt);
      case "random/wald" -> Random.wald(key, a.path("mean").asDouble(), shape, dt);
      case "random/triangular" -> Random.triangular(key, a.path("left").asDouble(), a.path("mode").asDouble(),
          a.path("right").asDouble(), shape, dt);
      default -> throw new IllegalArgumentException("StateLensJnp5Side has no twin for " + c.name());
    });
    return true;
  }

  /** isclose, array_equal, isin, count_nonzero, ptp, average and the nan-reductions; average's and their gradients. */
  private static boolean metrics(String fn, Map<String, Array> in, Map<String, Array> out) {
    Array a = in.get("a");
    Array b = in.get("b");
    Array x = in.get("x");
    switch (fn) {
      case "isclose" -> {
        out.put("default", Array.isclose(a, b));
        out.put("loose", Array.isclose(a, b, 0.05, 0.01, false));
        out.put("equal_nan", Array.isclose(a, b, 1e-5, 1e-8, true));
      }
      case "array_equal" -> {
        out.put("same", Array.arrayEqual(a, a, false));
        out.put("nan", Array.arrayEqual(a, a, true));
        out.put("other", Array.arrayEqual(b.sliceAxis(0, 0, 3), b.sliceAxis(0, 0, 3), false));
        out.put("shape", Array.arrayEqual(a, a.sliceAxis(0, 0, 3), false));
      }
      case "isin" -> {
        out.put("out", Array.isin(a, b, false));
        out.put("invert", Array.isin(a, b, true));
      }
      case "count_nonzero" -> {
        out.put("all", x.countNonzero());
        out.put("axis0", x.countNonzero(0));
        out.put("axis1", x.countNonzero(1));
      }
      case "ptp" -> {
        out.put("all", x.ptp());
        out.put("axis1", x.ptp(1));
      }
      case "average" -> {
        out.put("plain", Array.average(x, null, null));
        out.put("axis", Array.average(x, 0, null));
        out.put("weights", Array.average(x, null, in.get("w")));
        out.put("weights_axis", Array.average(x, 1, in.get("w")));
        out.put("w1", Array.average(x, 1, in.get("w1")));
      }
      case "grad/average" -> {
        List<Array> g = Transforms.grad((List<Array> p) -> Array.average(p.get(0), 1, p.get(1)).square().sum())
            .apply(List.of(x, in.get("w1")));
        out.put("dx", g.get(0));
        out.put("dw", g.get(1));
      }
      case "nan_reductions" -> {
        out.put("nanmax", x.nanmax(1));
        out.put("nanmin", x.nanmin(1));
        out.put("nanprod", x.nanprod(1));
        out.put("nanvar", x.nanvar(1));
        out.put("nanstd", x.nanstd(1));
        out.put("nanmax_all", x.nanmax());
        out.put("nanvar0", x.nanvar(0));
      }
      case "nanargmax" -> {
        out.put("max", x.nanargmax(1));
        out.put("min", x.nanargmin(1));
        out.put("max0", x.nanargmax(0));
      }
      case "digitize" -> {
        Array bins = in.get("bins");
        Array reversed = bins.flip(0);
        out.put("left", Array.digitize(x, bins, false));
        out.put("right", Array.digitize(x, bins, true));
        out.put("decreasing", Array.digitize(x, reversed, false));
        out.put("decreasing_right", Array.digitize(x, reversed, true));
      }
      case "trapezoid" -> {
        Array y = in.get("y");
        out.put("dx", Array.trapezoid(y, null, 0.25, -1));
        out.put("x", Array.trapezoid(y, in.get("xs"), 1, -1));
        out.put("axis0", Array.trapezoid(y, null, 2.0, 0));
      }
      case "grad/trapezoid" -> out.put("dy", Transforms.grad((Array t) -> Array.trapezoid(t, in.get("xs"), 1, -1).square()
          .sum()).apply(in.get("y")));
      case "grad/nan_reductions" -> {
        Array rows = Array.of(DType.I32, new int[] {3}, new int[] {0, 1, 3});
        out.put("dx", Transforms.grad((Array t) -> t.nanvar(1).take(rows, 0).sum().add(t.nanmax(1).take(rows, 0).sum()))
            .apply(x));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static int[] ints(JsonNode node) {
    int[] r = new int[node.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = node.get(i).asInt();
    }
    return r;
  }

  private static Array inferred(String fn, Array data, Array ids) {
    return switch (fn) {
      case "segment_sum" -> Ops.segmentSum(data, ids);
      case "segment_prod" -> Ops.segmentProd(data, ids);
      case "segment_max" -> Ops.segmentMax(data, ids);
      default -> Ops.segmentMin(data, ids);
    };
  }
}
