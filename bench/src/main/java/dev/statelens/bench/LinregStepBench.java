package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.examples.LinReg;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * One step of the seed's linear regression (128 samples): the examples' jitted
 * {@code update} (grad of the MSE + {@code Tree.map} SGD) against a hand-written Java loop doing
 * the same math on {@code float[]}. Target: jitted at most 1.5x the loop.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LinregStepBench extends EngineBench {
  private LinReg.Params params;
  private LinReg.Data data;
  private float[] xs;
  private float[] ys;
  private float w;
  private float b;

  @Setup
  public void setup() {
    Key key = Random.key(LinReg.SEED);
    data = LinReg.data(key);
    params = LinReg.init(key);
    LinReg.update(params, data.xs(), data.ys()); // trace + compile outside the measurement
    GpuLaunches.report("linreg step", () -> LinReg.update(params, data.xs(), data.ys()));
    xs = data.xs().toFloatArray();
    ys = data.ys().toFloatArray();
    w = params.weight().toFloatArray()[0];
    b = params.bias().toFloatArray()[0];
  }

  @Benchmark
  public LinReg.Params jittedUpdate() {
    return LinReg.update(params, data.xs(), data.ys());
  }

  /** The same step by hand: d/dw mean((w x + b - y)^2) = mean(2 (w x + b - y) x), likewise b. */
  @Benchmark
  public float[] handWrittenLoop() {
    int n = xs.length;
    float gw = 0;
    float gb = 0;
    for (int i = 0; i < n; i++) {
      float err = w * xs[i] + b - ys[i];
      gw += 2 * err * xs[i];
      gb += 2 * err;
    }
    float lr = (float) LinReg.LEARNING_RATE;
    return new float[] {w - lr * gw / n, b - lr * gb / n};
  }

  /** The step with arrays but without jit: every primitive dispatched eagerly. */
  @Benchmark
  public Array eagerLossOnly() {
    return LinReg.loss(params, data.xs(), data.ys());
  }
}
