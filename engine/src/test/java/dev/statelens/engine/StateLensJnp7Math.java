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
}
