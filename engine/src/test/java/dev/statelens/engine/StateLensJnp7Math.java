package dev.statelens.engine;

import dev.statelens.engine.JaxReference.Case;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/** {@link StateLensJnp7Side}'s twins of the jnp math ({@link Ufuncs}), lax, shape and linalg cases. */
final class StateLensJnp7Math {
  private StateLensJnp7Math() {}

  static boolean run(String fn, String label, Case c, Map<String, Array> in, Map<String, Array> out) {
    Array x = in.get("x");
    Array y = in.get("y");
    if (fn.startsWith("math/")) {
      String name = fn.substring("math/".length());
      if (name.equals("frexp")) {
        Pair<Array, Array> me = Ufuncs.frexp(x);
        out.put("m", me.first());
        out.put("e", me.second());
        return true;
      }
      if (y != null) {
        BiFunction<Array, Array, Array> f = binary(name);
        out.put("out", label.equals("/vmap") ? Transforms.vmap(f).apply(x, y) : f.apply(x, y));
      } else {
        Function<Array, Array> f = unary(name);
        out.put("out", switch (label) {
          case "/jit" -> Transforms.jit(f).apply(x);
          case "/vmap" -> Transforms.vmap(f).apply(x);
          default -> f.apply(x);
        });
      }
      return true;
    }
    if (fn.startsWith("lax/") || fn.startsWith("grad/lax/")) {
      return lax(fn, label, c, in, out);
    }
    if (fn.startsWith("linalg/") || fn.startsWith("grad/linalg/")) {
      return linalg(fn, label, c, in, out);
    }
    if (fn.startsWith("shape/") || fn.equals("grad/shape")) {
      return shape(fn, label, c, in, out);
    }
    switch (fn) {
      case "grad/sinc" -> out.put("dx", Transforms.grad((Array t) -> Ufuncs.sinc(t).sum()).apply(x));
      case "grad2/sinc" -> out.put("dx", Transforms.vmap(Transforms.grad(Transforms.grad((Array t) -> Ufuncs.sinc(t))))
          .apply(x));
      case "grad/cbrt" -> out.put("dx", Transforms.grad((Array t) -> Ufuncs.cbrt(t).sum()).apply(x));
      case "grad/frexp" -> out.put("dx", Transforms.grad((Array t) -> Ufuncs.frexp(t).first().square().sum()).apply(x));
      case "grad/logaddexp2", "grad/copysign_fmod", "grad/remainder" -> {
        BiFunction<Array, Array, Array> f = switch (fn) {
          case "grad/logaddexp2" -> Ufuncs::logaddexp2;
          case "grad/copysign_fmod" -> (a, b) -> Ufuncs.copysign(a, b).mul(Ufuncs.fmod(a, b));
          default -> (a, b) -> Ufuncs.remainder(a, b).mul(a);
        };
        Pair<Array, Array> g = Transforms.grad((Pair<Array, Array> p) -> f.apply(p.first(), p.second()).sum())
            .apply(Pair.of(x, y));
        out.put("dx", g.first());
        out.put("dy", g.second());
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static Function<Array, Array> unary(String name) {
    return switch (name) {
      case "cbrt" -> Ufuncs::cbrt;
      case "sinc" -> Ufuncs::sinc;
      case "trunc" -> Ufuncs::trunc;
      case "deg2rad" -> Ufuncs::deg2rad;
      case "rad2deg" -> Ufuncs::rad2deg;
      case "signbit" -> Ufuncs::signbit;
      default -> throw new IllegalArgumentException("no unary jnp7 function " + name);
    };
  }

  private static BiFunction<Array, Array, Array> binary(String name) {
    return switch (name) {
      case "fmod" -> Ufuncs::fmod;
      case "remainder" -> Ufuncs::remainder;
      case "copysign" -> Ufuncs::copysign;
      case "heaviside" -> Ufuncs::heaviside;
      case "logaddexp2" -> Ufuncs::logaddexp2;
      case "gcd" -> Ufuncs::gcd;
      case "lcm" -> Ufuncs::lcm;
      case "ldexp" -> Ufuncs::ldexp;
      default -> throw new IllegalArgumentException("no binary jnp7 function " + name);
    };
  }

  private static final Function<Array, Array> MAPPED = r -> r.sin().mul(r.square().sum());

  private static boolean lax(String fn, String label, Case c, Map<String, Array> in, Map<String, Array> out) {
    com.fasterxml.jackson.databind.JsonNode a = c.args();
    Array x = in.get("x");
    int batch = a.path("batch_size").asInt(0);
    Function<Array, Array> map = t -> batch == 0 ? Lax.map(MAPPED, t) : Lax.map(MAPPED, t, batch);
    switch (fn) {
      case "lax/map" -> out.put("out", label.equals("/jit") ? Transforms.jit(map).apply(x) : map.apply(x));
      case "grad/lax/map" -> out.put("dx", Transforms.grad((Array t) -> map.apply(t).square().sum()).apply(x));
      case "lax/clamp" -> out.put("out", Lax.clamp(in.get("lo"), x, in.get("hi")));
      case "grad/lax/clamp" -> {
        java.util.List<Array> g = Transforms.grad((java.util.List<Array> p) ->
            Lax.clamp(p.get(0), p.get(1), p.get(2)).mul(Array.arange(7).astype(DType.F32)).sum())
            .apply(java.util.List.of(in.get("lo"), x, in.get("hi")));
        out.put("dlo", g.get(0));
        out.put("dx", g.get(1));
        out.put("dhi", g.get(2));
      }
      case "lax/select_n" -> out.put("out", Lax.selectN(in.get("which"), cases(in).toArray(new Array[0])));
      case "grad/lax/select_n" -> {
        Array which = in.get("which");
        java.util.List<Array> g = Transforms.grad((java.util.List<Array> p) ->
            Lax.selectN(which, p.toArray(new Array[0])).mul(Array.arange(6).astype(DType.F32)).sum()).apply(cases(in));
        for (int k = 0; k < g.size(); k++) {
          out.put("dc" + k, g.get(k));
        }
      }
      case "lax/rev" -> out.put("out", Lax.rev(x, ints(a.path("dimensions"))));
      case "lax/batch_matmul" -> out.put("out", Lax.batchMatmul(in.get("a"), in.get("b")));
      case "grad/lax/batch_matmul" -> {
        Pair<Array, Array> g = Transforms.grad((Pair<Array, Array> p) -> Lax.batchMatmul(p.first(), p.second()).square().sum())
            .apply(Pair.of(in.get("a"), in.get("b")));
        out.put("da", g.first());
        out.put("db", g.second());
      }
      case "lax/reduce", "grad/lax/reduce" -> {
        int[] dims = ints(a.path("dimensions"));
        BiFunction<Array, Array, Array> comp = switch (a.path("computation").asText()) {
          case "absmax" -> (p, q) -> p.abs().maximum(q.abs());
          case "add" -> Array::add;
          case "max" -> Array::maximum;
          case "mul" -> Array::mul;
          default -> throw new IllegalArgumentException(c.name());
        };
        double init = switch (a.path("computation").asText()) {
          case "max" -> Double.NEGATIVE_INFINITY;
          case "mul" -> 1;
          default -> 0;
        };
        Function<Array, Array> f = t -> Lax.reduce(t, Array.scalar(DType.F32, init), comp, dims);
        if (fn.startsWith("grad/")) {
          out.put("dx", Transforms.grad((Array t) -> f.apply(t).sum()).apply(x));
        } else {
          out.put("out", f.apply(x));
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static java.util.List<Array> cases(Map<String, Array> in) {
    java.util.List<Array> cs = new java.util.ArrayList<>();
    for (int k = 0; in.containsKey("c" + k); k++) {
      cs.add(in.get("c" + k));
    }
    return cs;
  }

  static int[] ints(com.fasterxml.jackson.databind.JsonNode node) {
    int[] out = new int[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asInt();
    }
    return out;
  }

  private static boolean shape(String fn, String label, Case c, Map<String, Array> in, Map<String, Array> out) {
    com.fasterxml.jackson.databind.JsonNode a = c.args();
    Array x = in.get("x");
    Array v = in.get("v");
    Integer axis = a.has("axis") ? a.path("axis").asInt() : null;
    switch (fn) {
      case "shape/rot90" -> {
        int[] axes = ints(a.path("axes"));
        Function<Array, Array> f = t -> ShapeEdits.rot90(t, a.path("k").asInt(), axes[0], axes[1]);
        out.put("out", label.equals("/vmap") ? Transforms.vmap(f).apply(x) : f.apply(x));
      }
      case "shape/fliplr" -> out.put("out", ShapeEdits.fliplr(x));
      case "shape/flipud" -> out.put("out", ShapeEdits.flipud(x));
      case "shape/append" -> out.put("out", axis == null ? ShapeEdits.append(x, v) : ShapeEdits.append(x, v, axis));
      case "shape/delete" -> out.put("out", ShapeEdits.delete(x, ints(a.path("indices")), axis));
      case "shape/insert" -> {
        Function<Array, Array> f = a.has("index") ? t -> ShapeEdits.insert(t, a.path("index").asInt(), v, axis)
            : t -> ShapeEdits.insert(t, ints(a.path("indices")), v, axis);
        out.put("out", label.equals("/jit") ? Transforms.jit(f).apply(x) : f.apply(x));
      }
      case "shape/array_split", "shape/unstack" -> {
        java.util.List<Array> parts = fn.endsWith("unstack") ? ShapeEdits.unstack(x, axis)
            : a.has("sections") ? ShapeEdits.arraySplit(x, a.path("sections").asInt(), 0)
            : ShapeEdits.arraySplit(x, ints(a.path("indices")), 0);
        for (int i = 0; i < parts.size(); i++) {
          out.put("p" + i, parts.get(i));
        }
      }
      case "shape/resize" -> out.put("out", ShapeEdits.resize(x, ints(a.path("shape"))));
      case "grad/shape" -> {
        Array w = in.get("w");
        out.put("dx", Transforms.grad((Array t) -> {
          Array u = ShapeEdits.insert(ShapeEdits.delete(t, new int[] {1}, 0), 2, t.sliceAxis(0, 0, 1).squeeze(0).mul(2), 0);
          return ShapeEdits.rot90(u).mul(w.transpose()).sum().add(ShapeEdits.resize(t, 2, 9).square().sum())
              .add(ShapeEdits.arraySplit(t, 2, 0).get(1).pow(3).sum());
        }).apply(x));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static double ord(String s) {
    return switch (s) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  private static boolean linalg(String fn, String label, Case c, Map<String, Array> in, Map<String, Array> out) {
    com.fasterxml.jackson.databind.JsonNode a = c.args();
    Array x = in.get("x");
    java.util.List<Array> ms = new java.util.ArrayList<>();
    for (int i = 0; in.containsKey("m" + i); i++) {
      ms.add(in.get("m" + i));
    }
    switch (fn) {
      case "linalg/matrix_rank" -> out.put("out", a.has("rtol_arg") ? Linalg.matrixRank(x, a.path("rtol_arg").asDouble())
          : Linalg.matrixRank(x));
      case "linalg/cond" -> {
        String p = a.path("p").asText();
        Function<Array, Array> f = switch (p) {
          case "None" -> Linalg::cond;
          case "fro" -> t -> Linalg.cond(t, "fro");
          default -> t -> Linalg.cond(t, ord(p));
        };
        out.put("out", label.equals("/vmap") ? Transforms.vmap(f).apply(x) : f.apply(x));
      }
      case "linalg/multi_dot" -> out.put("out", Linalg.multiDot(ms.toArray(new Array[0])));
      case "grad/linalg/multi_dot" -> {
        java.util.List<Array> g = Transforms.grad((java.util.List<Array> p) -> Linalg.multiDot(p.toArray(new Array[0]))
            .square().sum()).apply(ms);
        for (int i = 0; i < g.size(); i++) {
          out.put("dm" + i, g.get(i));
        }
      }
      case "linalg/vector_norm" -> out.put("out", Linalg.vectorNorm(x, a.path("ord").asDouble(),
          a.path("keepdims").asBoolean(false), ints(a.path("axis"))));
      case "grad/linalg/vector_norm" -> out.put("dx", Transforms.grad((Array t) ->
          Linalg.vectorNorm(t, a.path("ord").asDouble(), false, ints(a.path("axis"))).sum()).apply(x));
      case "linalg/matrix_norm" -> {
        String o = a.path("ord").asText();
        out.put("out", o.equals("fro") || o.equals("nuc") ? Linalg.matrixNorm(x, o) : Linalg.matrixNorm(x, ord(o)));
      }
      case "grad/linalg/matrix_norm" -> out.put("dx", Transforms.grad((Array t) -> Linalg.matrixNorm(t, "nuc").sum()).apply(x));
      default -> {
        return false;
      }
    }
    return true;
  }
}
