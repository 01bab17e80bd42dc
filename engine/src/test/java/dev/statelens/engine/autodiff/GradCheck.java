package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Checks reverse-mode gradients against central finite differences in F64. A function with an
 * array output is reduced to a scalar with a fixed random cotangent, so every output element's
 * cotangent is exercised, not just ones.
 */
public final class GradCheck {
  static final double H = 1e-5;
  static final double RTOL = 1e-6;
  static final double ATOL = 1e-8;

  private GradCheck() {}

  static Array random(Random rnd, int[] shape, DoubleUnaryOperator map) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = map.applyAsDouble(rnd.nextGaussian());
    }
    return Array.of(DType.F64, shape, v);
  }

  public static Array random(Random rnd, int... shape) {
    return random(rnd, shape, x -> x);
  }

  /** Random values bounded away from 0, positive. */
  static Array positive(Random rnd, int... shape) {
    return random(rnd, shape, x -> 0.5 + Math.abs(x));
  }

  /** The gradient of {@code f} at {@code args} (all F64) matches central differences. */
  static void check(String what, Function<List<Array>, Array> f, Array... args) {
    check(what, f, H, ATOL, RTOL, args);
  }

  /** {@link #check} with step {@code h} and tolerance {@code atol + rtol·|numeric|}. */
  public static void check(String what, Function<List<Array>, Array> f, double h, double atol, double rtol,
      Array... args) {
    List<Array> in = List.of(args);
    Array out = f.apply(in);
    Array w = random(new Random(99), out.shape());
    Function<List<Array>, Array> loss = xs -> f.apply(xs).mul(w).sum();
    List<Array> analytic = Transforms.grad(loss).apply(in);
    for (int k = 0; k < args.length; k++) {
      double[] base = args[k].toDoubleArray();
      double[] got = analytic.get(k).toDoubleArray();
      assertEquals(DType.F64, analytic.get(k).dtype(), what + ": gradient dtype of arg " + k);
      assertEquals(base.length, got.length, what + ": gradient size of arg " + k);
      for (int i = 0; i < base.length; i++) {
        double numeric = (lossAt(loss, in, k, base, i, h) - lossAt(loss, in, k, base, i, -h)) / (2 * h);
        if (!(Math.abs(numeric - got[i]) <= atol + rtol * Math.abs(numeric))) {
          fail(what + ": d/d arg" + k + "[" + i + "] is " + got[i] + " but finite differences give "
              + numeric + " (arg shape " + args[k].aval() + ")");
        }
      }
    }
  }

  private static double lossAt(Function<List<Array>, Array> loss, List<Array> in, int k, double[] base, int i, double h) {
    double[] v = base.clone();
    v[i] += h;
    List<Array> moved = new ArrayList<>(in);
    moved.set(k, Array.of(DType.F64, in.get(k).shape(), v));
    return loss.apply(moved).doubleValue();
  }
}
