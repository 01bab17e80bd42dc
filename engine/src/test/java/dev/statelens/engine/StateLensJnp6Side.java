package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The StateLens twins of {@code jax_reference.py}'s {@code jnp6/*} cases (session 13,
 * {@code bench/gpu/jnp6_reference.py}): {@code Random.binomial/multinomial/generalizedNormal} and
 * the key plumbing; {@code Nonzero.nonzero/flatnonzero/argwhere/unique/uniqueAll} with and without
 * {@code size}; the {@code Indices} helpers; cov/corrcoef, nancumsum/nancumprod, gradient, piecewise
 * and interp(period) — eager, jitted, vmapped and differentiated.
 */
final class StateLensJnp6Side {
  private StateLensJnp6Side() {}

  static boolean handles(String fn) {
    return fn.startsWith("jnp6/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("jnp6/".length());
    Map<String, Array> out = new LinkedHashMap<>();
    if (!random(fn, c, in, out) && !nonzero(fn, c, in, out) && !indices(fn, c, in, out)
        && !statistics(fn, in, out) && !segments(fn, c, in, out)) {
      throw new IllegalArgumentException("StateLensJnp6Side has no twin for " + c.name());
    }
    return out;
  }

  /** binomial, multinomial, generalized_normal, key_data / wrap_key_data / clone. */
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  private static boolean random(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    if (!fn.startsWith("random/")) {
      return false;
    }
    JsonNode a = c.args();
    Key key = Random.key(c.seed());
    String label = label(c);
    switch (fn) {
      case "random/binomial" -> {
        Array n = in.get("n"), p = in.get("p");
        out.put("out", switch (label) {
          case "arrays" -> Random.binomial(key, n, p, null, DType.F32);
          case "broadcast" -> Random.binomial(key, n, p, ints(a.path("shape")), DType.F32);
          case "jit" -> Transforms.jit((Key k, Array nn, Array pp) -> Random.binomial(k, nn, pp, null, DType.F32))
              .apply(key, n, p);
          case "vmap-keys" -> Transforms.vmap((Key k) -> Random.binomial(k, n, p, null, DType.F32))
              .apply(Random.wrapKeyData(Array.stack(0, Random.split(key, 3).stream().map(Random::keyData)
                  .toArray(Array[]::new))));
          default -> Random.binomial(key, a.path("n").asDouble(), a.path("p").asDouble(), ints(a.path("shape")));
        });
      }
      case "random/multinomial" -> {
        Array n = in.get("n"), p = in.get("p");
        out.put("out", switch (label) {
          case "shape" -> Random.multinomial(key, n, p, ints(a.path("shape")), DType.F32);
          case "jit" -> Transforms.jit((Key k, Array nn, Array pp) -> Random.multinomial(k, nn, pp)).apply(key, n, p);
          default -> Random.multinomial(key, n, p);
        });
      }
      case "random/generalized_normal" -> out.put("out",
          Random.generalizedNormal(key, a.path("p").asDouble(), ints(a.path("shape")), DType.F32));
      case "random/key_data" -> {
        Key sub = Random.split(key).second();
        Array data = Random.keyData(sub);
        out.put("data", data);
        List<Key> three = Random.split(key, 3);
        out.put("batch", Array.stack(0, three.stream().map(Random::keyData).toArray(Array[]::new)));
        out.put("wrapped", Transforms.jit((Array d) -> Random.normal(Random.wrapKeyData(d), 5)).apply(data));
        out.put("clone", Random.uniform(Random.clone(sub), 5));
      }
      default -> throw new IllegalArgumentException("StateLensJnp6Side has no twin for " + c.name());
    }
    return true;
  }

  /** nonzero, flatnonzero, argwhere, unique, unique_all and unique's gradient. */
  private static boolean nonzero(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    JsonNode a = c.args();
    Array x = in.get("x");
    String label = label(c);
    int size = a.path("size").asInt(-1);
    switch (fn) {
      case "nonzero" -> {
        List<Array> r = switch (label) {
          case "nosize" -> Nonzero.nonzero(x);
          case "fill" -> Nonzero.nonzero(x, size, a.path("fill_value").asInt());
          case "jit-bool" -> Transforms.jit((Array t) -> Nonzero.nonzero(t.gt(0.7), size, a.path("fill_value").asInt()))
              .apply(x);
          case "vmap" -> List.of(Transforms.vmap((Array r1) -> Nonzero.nonzero(r1, size, a.path("fill_value").asInt())
              .get(0)).apply(x));
          default -> Nonzero.nonzero(x, size);
        };
        for (int d = 0; d < r.size(); d++) {
          out.put("i" + d, r.get(d));
        }
      }
      case "flatnonzero" -> {
        out.put("out", Nonzero.flatnonzero(x));
        out.put("size", Nonzero.flatnonzero(x, 7, 99));
        out.put("cut", Nonzero.flatnonzero(x, 2));
      }
      case "argwhere" -> {
        out.put("out", Nonzero.argwhere(x));
        out.put("size", Nonzero.argwhere(x, 7, -1));
        out.put("jit", Transforms.jit((Array t) -> Nonzero.argwhere(t, 4)).apply(x));
        out.put("scalar", Nonzero.argwhere(Array.scalar(DType.F32, 3)));
        out.put("scalar0", Nonzero.argwhere(Array.scalar(DType.F32, 0)));
      }
      case "unique" -> out.put("out", switch (label) {
        case "nosize" -> Nonzero.unique(x);
        case "fill" -> Nonzero.unique(x, size, a.path("fill_value").asDouble());
        case "jit" -> Transforms.jit((Array t) -> Nonzero.unique(t, size, a.path("fill_value").asDouble())).apply(x);
        case "vmap" -> Transforms.vmap((Array t) -> Nonzero.unique(t, size, a.path("fill_value").asDouble())).apply(x);
        default -> Nonzero.unique(x, size);
      });
      case "unique_all" -> {
        Nonzero.Unique u = size < 0 ? Nonzero.uniqueAll(x) : Nonzero.uniqueAll(x, size, null);
        out.put("values", u.values());
        out.put("indices", u.indices());
        out.put("inverse", u.inverse());
        out.put("counts", u.counts());
      }
      case "grad/unique" -> out.put("dx", Transforms.grad((Array t) -> Nonzero.unique(t, size, 0.0).mul(in.get("w")).sum())
          .apply(x));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The Indices helpers. */
  private static boolean indices(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    JsonNode a = c.args();
    List<Array> r;
    switch (fn) {
      case "triu_indices" -> r = Indices.triuIndices(a.path("n").asInt(), a.path("k").asInt(), a.path("m").asInt());
      case "tril_indices" -> r = Indices.trilIndices(a.path("n").asInt(), a.path("k").asInt(), a.path("m").asInt());
      case "triu_indices_from" -> r = Indices.triuIndicesFrom(in.get("a"), a.path("k").asInt());
      case "tril_indices_from" -> r = Indices.trilIndicesFrom(in.get("a"), a.path("k").asInt());
      case "diag_indices" -> r = Indices.diagIndices(a.path("n").asInt(), a.path("ndim").asInt());
      case "diag_indices_from" -> r = Indices.diagIndicesFrom(in.get("a"));
      case "unravel_index" -> {
        int[] shape = ints(a.path("shape"));
        r = label(c).equals("jit")
            ? Transforms.jit((Array f) -> Indices.unravelIndex(f, shape)).apply(in.get("flat"))
            : Indices.unravelIndex(in.get("flat"), shape);
      }
      case "fill_diagonal" -> {
        Array m = in.get("a"), cube = in.get("cube"), vals = in.get("vals");
        out.put("scalar", Indices.fillDiagonal(m, 9.0));
        out.put("cube", Indices.fillDiagonal(cube, vals));
        out.put("tall", Indices.fillDiagonal(in.get("tall"), vals));
        out.put("int", Indices.fillDiagonal(Array.zeros(DType.I32, 3, 3), 7));
        out.put("jit", Transforms.jit((Array t, Array v) -> Indices.fillDiagonal(t, v)).apply(m, vals));
        out.put("vmap", Transforms.vmap((Array t) -> Indices.fillDiagonal(t, -1.0)).apply(cube));
        return true;
      }
      case "grad/fill_diagonal" -> {
        Array w = in.get("w");
        List<Array> g = Transforms.grad((List<Array> p) -> Indices.fillDiagonal(p.get(0), p.get(1)).mul(w).sum())
            .apply(List.of(in.get("a"), in.get("vals")));
        out.put("da", g.get(0));
        out.put("dv", g.get(1));
        return true;
      }
      case "indices" -> {
        out.put("dense", Indices.indices(2, 3, 4));
        out.put("f32", Indices.indices(new int[] {3, 2}, DType.F32));
        List<Array> sparse = Indices.indicesSparse(new int[] {2, 3}, DType.I32);
        out.put("sparse0", sparse.get(0));
        out.put("sparse1", sparse.get(1));
        return true;
      }
      case "ravel_multi_index" -> {
        List<Array> rc = List.of(in.get("rows"), in.get("cols"));
        List<Array> oob = List.of(in.get("rows_oob"), in.get("cols_oob"));
        int[] dims = {3, 5};
        out.put("C", Indices.ravelMultiIndex(rc, dims));
        out.put("F", Indices.ravelMultiIndex(rc, dims, "raise", "F"));
        out.put("clip", Indices.ravelMultiIndex(oob, dims, "clip", "C"));
        out.put("wrap", Indices.ravelMultiIndex(oob, dims, "wrap", "C"));
        out.put("jit", Transforms.jit((Array r1, Array c1) -> Indices.ravelMultiIndex(List.of(r1, c1), dims, "wrap", "C"))
            .apply(in.get("rows_oob"), in.get("cols_oob")));
        return true;
      }
      default -> {
        return false;
      }
    }
    for (int d = 0; d < r.size(); d++) {
      out.put("i" + d, r.get(d));
    }
    return true;
  }

  /** cov, corrcoef, nancumsum/nancumprod, gradient, piecewise, interp(period=) and their gradients. */
  private static boolean statistics(String fn, Map<String, Array> in, Map<String, Array> out) {
    Array m = in.get("m"), y = in.get("y"), x = in.get("x"), w = in.get("w");
    switch (fn) {
      case "cov" -> {
        out.put("out", Array.cov(m));
        out.put("y", Array.cov(m, y, true, false, null, null, null));
        out.put("cols", Array.cov(m.T(), null, false, false, null, null, null));
        out.put("bias", Array.cov(m, null, true, true, null, null, null));
        out.put("ddof", Array.cov(m, null, true, false, 3, null, null));
        out.put("fw", Array.cov(m, null, true, false, null, in.get("fw"), null));
        out.put("aw", Array.cov(m, null, true, false, null, null, in.get("aw")));
        out.put("both", Array.cov(m, null, true, false, null, in.get("fw"), in.get("aw")));
        out.put("one", Array.cov(y));
        out.put("jit", Transforms.jit((Array t) -> Array.cov(t)).apply(m));
        out.put("vmap", Transforms.vmap((Array t) -> Array.cov(t)).apply(in.get("batch")));
      }
      case "corrcoef" -> {
        out.put("out", Array.corrcoef(m));
        out.put("y", Array.corrcoef(m, y, true));
        out.put("cols", Array.corrcoef(m.T(), null, false));
        out.put("one", Array.corrcoef(y));
      }
      case "grad/cov" -> {
        out.put("cov", Transforms.grad((Array t) -> Array.cov(t).mul(w).sum()).apply(m));
        out.put("corrcoef", Transforms.grad((Array t) -> Array.corrcoef(t).mul(w).sum()).apply(m));
      }
      case "nancumsum" -> {
        out.put("ax0", x.nancumsum(0));
        out.put("ax1", x.nancumsum(1));
        out.put("flat", x.nancumsum());
      }
      case "nancumprod" -> {
        out.put("ax0", x.nancumprod(0));
        out.put("ax1", x.nancumprod(1));
        out.put("flat", x.nancumprod());
      }
      case "grad/nancumsum" -> {
        out.put("sum", Transforms.grad((Array t) -> t.nancumsum(1).mul(w).sum()).apply(x));
        out.put("prod", Transforms.grad((Array t) -> t.nancumprod(1).mul(w).sum()).apply(x));
      }
      case "gradient" -> {
        Array f = in.get("f"), xs = in.get("xs");
        List<Array> all = Array.gradient(f);
        out.put("all0", all.get(0));
        out.put("all1", all.get(1));
        out.put("h", Array.gradient(f, 1, 0.25));
        out.put("coords", Array.gradient(f, 1, xs));
        out.put("ax0", Array.gradient(f, 0, 2.0));
        out.put("v1d", Array.gradient(f.get(0)).get(0));
        out.put("jit", Transforms.jit((Array t) -> Array.gradient(t, -1, xs)).apply(f));
        out.put("vmap", Transforms.vmap((Array r) -> Array.gradient(r, 0, 0.5)).apply(f));
      }
      case "grad/gradient" -> {
        Array f = in.get("f"), xs = in.get("xs");
        out.put("df", Transforms.grad((Array t) -> Array.gradient(t, 1, xs).mul(w).sum()).apply(f));
        out.put("dxs", Transforms.grad((Array c1) -> Array.gradient(f, 1, c1).mul(w).sum()).apply(xs));
      }
      case "piecewise" -> {
        java.util.function.Function<Array, Array> pw = v -> Array.piecewise(v, List.of(v.lt(-1.0), v.gt(0.0), v.gt(2.0)),
            List.<java.util.function.Function<Array, Array>>of(z -> z.neg(), z -> z.pow(2.0), z -> Array.scalar(7.0),
                z -> z.sin()));
        out.put("out", pw.apply(x));
        out.put("nodefault", Array.piecewise(x, List.of(x.lt(0.0), x.ge(1.0)),
            List.<java.util.function.Function<Array, Array>>of(z -> z.mul(3.0), z -> Array.scalar(1.5))));
        out.put("jit", Transforms.jit((Array v) -> pw.apply(v)).apply(x));
        out.put("vmap", Transforms.vmap((Array v) -> pw.apply(v)).apply(x.reshape(13, 1)));
        out.put("grad", Transforms.grad((Array v) -> pw.apply(v).sum()).apply(x));
      }
      case "interp_period" -> {
        Array xp = in.get("xp"), fp = in.get("fp");
        out.put("out", Array.interp(x, xp, fp, 360.0));
        out.put("neg", Array.interp(x, xp, fp, -360.0));
        out.put("jit", Transforms.jit((Array v) -> Array.interp(v, xp, fp, 360.0)).apply(x));
        out.put("grad", Transforms.grad((Array v) -> Array.interp(v, xp, fp, 360.0).sum()).apply(x));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The segment reductions with indicesAreSorted and bucketSize. */
  private static boolean segments(String fn, Case c, Map<String, Array> in, Map<String, Array> out) {
    int n = c.args().path("num_segments").asInt();
    int b = c.args().path("bucket_size").asInt();
    Array data = in.get("data"), ids = in.get("ids");
    switch (fn) {
      case "segment_sum" -> out.put("out", label(c).equals("jit")
          ? Transforms.jit((Array d, Array i) -> Ops.segmentSum(d, i, n, false, b)).apply(data, ids)
          : Ops.segmentSum(data, ids, n, true, b));
      case "segment_prod" -> out.put("out", Ops.segmentProd(data, ids, n, true, b));
      case "segment_max" -> out.put("out", Ops.segmentMax(data, ids, n, true, b));
      case "segment_min" -> out.put("out", Ops.segmentMin(data, ids, n, true, b));
      case "grad/segment_sum" -> out.put("dx", Transforms.grad((Array d) -> Ops.segmentSum(d, ids, n, false, b)
          .mul(in.get("w")).sum()).apply(data));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The case's label: its name after {@code fn} and the key, e.g. {@code "arrays"}. */
  private static String label(Case c) {
    String rest = c.name().substring(c.fn().length());
    if (rest.startsWith("/key(")) {
      rest = rest.substring(rest.indexOf(')') + 1);
    }
    return rest.startsWith("/") ? rest.substring(1) : rest;
  }

  private static int[] ints(JsonNode node) {
    int[] r = new int[node.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = node.get(i).asInt();
    }
    return r;
  }
}
