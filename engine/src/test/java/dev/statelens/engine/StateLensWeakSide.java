package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.List;
import java.util.Map;

/**
 * The StateLens twins of {@code bench/gpu/weak_reference.py}'s cases (every {@code fn} under
 * {@code weak/}): a Java number next to an array, typed as JAX types a Python scalar. A case whose
 * scalar is a Python int calls the method with a Java {@code long} (the overload Java picks for
 * {@code x.add(2)}), a Python float with a {@code double} ({@code x.add(2.0)}). JaxReference
 * compares values through float32, so the dtype is checked here: a twin whose result has another
 * dtype than JAX's throws, which fails the case with both dtypes named.
 */
final class StateLensWeakSide {
  private StateLensWeakSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("weak/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String op = c.fn().substring("weak/".length());
    JsonNode a = c.args();
    Array x = in.get("x");
    if (a.path("x_dtype").asText().equals("uint32")) {
      x = x.astype(DType.U32); // written as int32 bits: the reference format has no uint32 input
    }
    Array out = switch (op) {
      case "clip" -> isInt(a, "lo") && isInt(a, "hi") ? x.clip(a.get("lo").asLong(), a.get("hi").asLong())
          : x.clip(a.get("lo").asDouble(), a.get("hi").asDouble());
      default -> isInt(a, "s") ? withInt(op, x, a.get("s").asLong()) : withFloat(op, x, a.get("s").asDouble());
    };
    DType want = DType.parse(c.outputs().get("out").dtype());
    if (out.dtype() != want) {
      throw new IllegalStateException(c.name() + ": StateLens gave " + out.dtype() + ", JAX " + want);
    }
    return Map.of("out", out);
  }

  private static boolean isInt(JsonNode a, String name) {
    return a.path(name + "_type").asText().equals("int");
  }

  /** Python's {@code x op 2}: the long overloads. */
  private static Array withInt(String op, Array x, long s) {
    return switch (op) {
      case "add" -> x.add(s);
      case "sub" -> x.sub(s);
      case "mul" -> x.mul(s);
      case "div" -> x.div(s);
      case "rem" -> x.rem(s);
      case "floor_divide" -> x.floorDivide(s);
      case "pow" -> x.pow(s);
      case "maximum" -> x.maximum(s);
      case "minimum" -> x.minimum(s);
      case "logaddexp" -> x.logaddexp(s);
      case "rsub" -> x.rsub(s);
      case "rdiv" -> x.rdiv(s);
      case "eq" -> x.eq(s);
      case "ne" -> x.ne(s);
      case "lt" -> x.lt(s);
      case "le" -> x.le(s);
      case "gt" -> x.gt(s);
      case "ge" -> x.ge(s);
      case "where_right" -> Array.where(cond(), x, s);
      case "where_left" -> Array.where(cond(), s, x);
      case "select" -> Array.select(List.of(cond()), List.of(x), s);
      default -> throw unknown(op);
    };
  }

  /** Python's {@code x op 2.0}: the double overloads. */
  private static Array withFloat(String op, Array x, double s) {
    return switch (op) {
      case "add" -> x.add(s);
      case "sub" -> x.sub(s);
      case "mul" -> x.mul(s);
      case "div" -> x.div(s);
      case "rem" -> x.rem(s);
      case "floor_divide" -> x.floorDivide(s);
      case "pow" -> x.pow(s);
      case "maximum" -> x.maximum(s);
      case "minimum" -> x.minimum(s);
      case "logaddexp" -> x.logaddexp(s);
      case "rsub" -> x.rsub(s);
      case "rdiv" -> x.rdiv(s);
      case "eq" -> x.eq(s);
      case "ne" -> x.ne(s);
      case "lt" -> x.lt(s);
      case "le" -> x.le(s);
      case "gt" -> x.gt(s);
      case "ge" -> x.ge(s);
      case "where_right" -> Array.where(cond(), x, s);
      case "where_left" -> Array.where(cond(), s, x);
      case "select" -> Array.select(List.of(cond()), List.of(x), s);
      default -> throw unknown(op);
    };
  }

  private static Array cond() {
    return Array.of(true, false, true, false, true, false);
  }

  private static IllegalArgumentException unknown(String op) {
    return new IllegalArgumentException("jax-reference case weak/" + op
        + ": no StateLens twin; add a branch to StateLensWeakSide.withInt and withFloat");
  }
}
