package dev.statelens.engine.record;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Fn4;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.store.RunWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recorded run that logs scalars every way the recorder takes them, for the packed-scalar tests
 * ({@code PackedScalarsTest}) and, recorded by the code before schema version 3, the old-schema
 * fixture {@code scalars-v2.db} beside the tests' resources. Self-contained (engine API only), so
 * the same source compiles against older engine jars:
 *
 * <pre>
 * javac -cp OLD.jar -d /tmp/fx ScalarRunProgram.java
 * java --add-modules jdk.incubator.vector -cp /tmp/fx:OLD.jar dev.statelens.engine.record.ScalarRunProgram scalars-v2.db
 * </pre>
 *
 * <ol>
 *   <li>{@code fit}: linear regression, {@code fitSteps} calls; its {@code loss} output, update
 *       norms of its params; {@code lr} logged after every call (twice at step 50: the second
 *       wins), {@code sparse} every 7th step, {@code odd} NaN, +Inf, -1.5, -Inf at steps 40–43;
 *   <li>{@code adam}: an MLP with Adam, {@code adamSteps} calls, steps from 0 again: its loss,
 *       gradient and update norms land at steps {@code fit} already logged (later values win),
 *       and {@code lr} every 10th of its steps.
 * </ol>
 */
public final class ScalarRunProgram {
  private ScalarRunProgram() {}

  record Params(Array w, Array b) {}

  record StepOut(Params params, Array loss) {}

  record Mlp(Array w1, Array b1, Array w2) {}

  record TrainOut(Mlp params, Optim.OptState<Mlp> optState, Array loss) {}

  static final Array XS = Array.of(DType.F32, new int[] {8}, 0, 1, 2, 3, 4, 5, 6, 7);
  static final Array YS = XS.mul(2).sub(1);
  static final Array X = Array.of(DType.F32, new int[] {8, 3},
      0.1f, 0.2f, -0.3f, 0.5f, -0.1f, 0.4f, -0.6f, 0.3f, 0.2f, 0.9f, -0.5f, 0.1f,
      -0.2f, 0.7f, 0.3f, 0.4f, 0.4f, -0.8f, 0.6f, -0.3f, 0.5f, -0.7f, 0.1f, 0.2f);
  static final Array Y = Array.of(DType.F32, new int[] {8, 1}, 0.3f, -0.2f, 0.5f, 0.1f, -0.4f, 0.6f, 0.2f, -0.1f);

  /** Records the run to {@code db}; returns what the program itself logged: name → step → last value. */
  public static Map<String, TreeMap<Long, Double>> record(Path db, int fitSteps, int adamSteps) {
    Map<String, TreeMap<Long, Double>> logged = new TreeMap<>();
    Fn3<Params, Array, Array, StepOut> fit = Transforms.jit("fit", (Params p, Array x, Array y) -> {
      Array err = p.w().mul(x).add(p.b()).sub(y);
      Array loss = err.square().mean();
      Array gw = err.mul(x).mean().mul(2);
      Array gb = err.mean().mul(2);
      return new StepOut(new Params(p.w().sub(gw.mul(0.01)), p.b().sub(gb.mul(0.01))), loss);
    });
    Optim.Optimizer opt = Optim.adam(0.01);
    Fn4<Mlp, Optim.OptState<Mlp>, Array, Array, TrainOut> adam = Transforms.jit("adam",
        (Mlp p, Optim.OptState<Mlp> s, Array x, Array y) -> {
          var lossAndGrads = Transforms.valueAndGrad(ScalarRunProgram::mlpLoss).apply(p, x, y);
          var r = opt.update(lossAndGrads.second(), s, p);
          return new TrainOut(Optim.applyUpdates(p, r.first()), r.second(), lossAndGrads.first());
        });
    Recorder.argNames(adam, "params", "optState", "x", "y");
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults().withMaxValues(8))) {
      Params p = new Params(Array.scalar(0.5), Array.scalar(0));
      for (int i = 0; i < fitSteps; i++) {
        StepOut o = fit.apply(p, XS, YS);
        p = o.params();
        log(logged, "loss", i, o.loss().item());
        scalar(logged, "lr", i, 0.01 / (1 + i));
        if (i == 50) {
          scalar(logged, "lr", i, 123.0); // the last value logged at a step wins
        }
        if (i % 7 == 0) {
          scalar(logged, "sparse", i, i * 0.5);
        }
        if (i >= 40 && i <= 43) {
          scalar(logged, "odd", i, new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1.5,
              Double.NEGATIVE_INFINITY}[i - 40]);
        }
      }
      Mlp m = mlpInit();
      Optim.OptState<Mlp> s = opt.init(m);
      for (int i = 0; i < adamSteps; i++) {
        TrainOut o = adam.apply(m, s, X, Y);
        m = o.params();
        s = o.optState();
        log(logged, "loss", i, o.loss().item());
        if (i % 10 == 0) {
          scalar(logged, "lr", i, -0.5 * (i + 1));
        }
      }
    }
    return logged;
  }

  private static void scalar(Map<String, TreeMap<Long, Double>> logged, String name, long step, double v) {
    Recorder.scalar(name, v);
    log(logged, name, step, v);
  }

  private static void log(Map<String, TreeMap<Long, Double>> logged, String name, long step, double v) {
    logged.computeIfAbsent(name, k -> new TreeMap<>()).put(step, v);
  }

  static Array mlpLoss(Mlp p, Array x, Array y) {
    Array h = x.matmul(p.w1()).add(p.b1()).tanh();
    return h.matmul(p.w2()).sub(y).square().mean();
  }

  static Mlp mlpInit() {
    return new Mlp(Array.of(DType.F32, new int[] {3, 4}, 0.3f, -0.2f, 0.1f, 0.5f, -0.4f, 0.2f, 0.6f, -0.1f, 0.2f,
        0.3f, -0.5f, 0.4f), Array.of(DType.F32, new int[] {4}, 0.1f, 0f, -0.1f, 0.05f),
        Array.of(DType.F32, new int[] {4, 1}, 0.5f, -0.3f, 0.2f, 0.4f));
  }

  /** Records the fixture's run (120 fit steps, 30 Adam steps) to {@code args[0]}. */
  public static void main(String[] args) {
    record(Path.of(args[0]), 120, 30);
  }
}
