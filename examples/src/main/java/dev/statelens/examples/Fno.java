package dev.statelens.examples;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fft;
import dev.statelens.engine.Key;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A 1-D Fourier Neural Operator learning the solution operator of the heat equation
 * {@code u_t = NU u_xx} on a periodic grid, ported line for line from the JAX program
 * {@code bench/port/fno.py}: the same keys give the same data and weights, and the per-step losses
 * agree with JAX 0.10.2's ({@code FnoTest}).
 *
 * <p>The data is the exact spectral solution: each initial condition is a sum of the first
 * {@value #MODES_DATA} Fourier modes with normal coefficients damped by 1/k, and at time
 * {@value #T} mode k has decayed by {@code exp(-NU k^2 T)}. The model lifts {@code (u0, x)} to
 * {@value #WIDTH} channels, applies two Fourier layers — {@code rfft} along space, keep the low
 * {@value #MODES} modes, mix the channels with complex weights {@code wr + i wi}, {@code irfft},
 * plus a pointwise linear map, tanh — and projects back to one channel. The parameters are real;
 * the complex values live inside the step, and {@code grad} returns real gradients.
 */
public final class Fno {

  public static final int SAMPLES = 64;
  public static final int GRID = 32;
  public static final int MODES_DATA = 8;
  public static final double NU = 0.1;
  public static final double T = 1.0;
  public static final int WIDTH = 12;
  public static final int MODES = 6;
  public static final int STEPS = 200;
  public static final double LEARNING_RATE = 1e-2;
  public static final long SEED = 0;

  /** {@code u0 [SAMPLES, GRID]} initial conditions, {@code ut} their solutions at T, {@code x} the grid. */
  public record Data(Array x, Array u0, Array ut) {}

  /** A Fourier layer: spectral weights {@code wr + i wi [WIDTH, WIDTH, MODES]}, pointwise {@code w}, {@code b}. */
  public record Layer(Array wr, Array wi, Array w, Array b) {}

  public record Params(Array lift, Array liftB, Layer layer1, Layer layer2, Array proj, Array projB) {}

  public record TrainState(Params params, Optim.OptState<Params> optState) {}

  /** The loss before the update and the new state (a recording logs {@code loss}). */
  public record StepResult(Array loss, TrainState state) {}

  /** The exact solutions: {@code u0 = a cos(kx) + b sin(kx)}, {@code ut} the same with {@code exp(-NU k^2 T)}. */
  public static Data data(Key key) {
    Pair<Key, Key> k = Random.split(key);
    Array modes = Array.arange(1, MODES_DATA + 1).astype(DType.F32);
    Array a = Random.normal(k.first(), SAMPLES, MODES_DATA).div(modes);
    Array b = Random.normal(k.second(), SAMPLES, MODES_DATA).div(modes);
    Array x = Array.arange(GRID).astype(DType.F32).mul(2 * Math.PI / GRID);
    Array kx = modes.expandDims(1).mul(x.expandDims(0)); // [modes, grid]
    Array cos = kx.cos();
    Array sin = kx.sin();
    Array decay = modes.mul(-NU).mul(modes).mul(T).exp(); // fno.py's order: -NU * k * k * T
    Array u0 = a.matmul(cos).add(b.matmul(sin));
    Array ut = a.mul(decay).matmul(cos).add(b.mul(decay).matmul(sin));
    return new Data(x, u0, ut);
  }

  /** Normal weights scaled as fno.py's, zero biases. */
  public static Params init(Key key) {
    List<Key> k = Random.split(key, 8);
    return new Params(Random.normal(k.get(0), 2, WIDTH).div(Math.sqrt(2.0)), Array.zeros(WIDTH),
        layer(k.get(1), k.get(2), k.get(3)), layer(k.get(4), k.get(5), k.get(6)),
        Random.normal(k.get(7), WIDTH, 1).div(Math.sqrt(WIDTH)), Array.zeros(1));
  }

  private static Layer layer(Key k1, Key k2, Key k3) {
    double s = 1.0 / WIDTH;
    return new Layer(Random.normal(k1, WIDTH, WIDTH, MODES).mul(s), Random.normal(k2, WIDTH, WIDTH, MODES).mul(s),
        Random.normal(k3, WIDTH, WIDTH).div(Math.sqrt(WIDTH)), Array.zeros(WIDTH));
  }

  /** {@code v [batch, GRID, WIDTH]}: the spectral convolution on the low modes plus a pointwise map, tanh. */
  static Array fourierLayer(Layer p, Array v) {
    Array vf = Fft.rfft(v, null, 1, null).sliceAxis(1, 0, MODES);               // [batch, modes, width] c64
    Array mixed = Array.einsum("bmi,iom->bmo", vf, Array.complex(p.wr(), p.wi())); // channels mixed per mode
    Array full = mixed.pad(new int[][] {{0, 0}, {0, GRID / 2 + 1 - MODES}, {0, 0}}, 0);
    Array spectral = Fft.irfft(full, GRID, 1, null);
    return spectral.add(v.matmul(p.w())).add(p.b()).tanh();
  }

  /** The predicted solutions at T, {@code [batch, GRID]}. */
  public static Array predict(Params params, Array u0, Array x) {
    Array inputs = Array.stack(-1, u0, x.broadcastTo(u0.shape()));             // [batch, grid, 2]
    Array v = inputs.matmul(params.lift()).add(params.liftB());
    v = fourierLayer(params.layer2(), fourierLayer(params.layer1(), v));
    return v.matmul(params.proj()).add(params.projB()).squeeze(-1);
  }

  /** Mean squared error against the exact solutions. */
  public static Array loss(Params params, Data d) {
    return predict(params, d.u0(), d.x()).sub(d.ut()).square().mean();
  }

  private final Optim.Optimizer optimizer = Optim.adam(LEARNING_RATE);
  private final BiFunction<TrainState, Data, StepResult> step;

  public Fno() {
    BiFunction<Params, Data, Pair<Array, Params>> lossAndGrad = Transforms.valueAndGrad(Fno::loss);
    step = Transforms.jit("fno_step", (TrainState state, Data d) -> {
      Pair<Array, Params> lg = lossAndGrad.apply(state.params(), d);
      Pair<Params, Optim.OptState<Params>> u = optimizer.update(lg.second(), state.optState(), state.params());
      return new StepResult(lg.first(), new TrainState(Optim.applyUpdates(state.params(), u.first()), u.second()));
    });
    Recorder.argNames(step, "state", "data"); // leaves read state.params.layer1.wr, data.u0
  }

  public TrainState initState(Params params) {
    return new TrainState(params, optimizer.init(params));
  }

  /** One jitted Adam step on the whole data set. */
  public StepResult step(TrainState state, Data d) {
    return step.apply(state, d);
  }

  /** A run: the loss of every step, the end state and the data it trained on. */
  public record History(double[] losses, TrainState finalState, Data data) {
    /** The relative L2 error of the trained operator on fresh initial conditions from {@code key}. */
    public double relativeError(Key key) {
      Data fresh = Fno.data(key);
      Array diff = predict(finalState.params(), fresh.u0(), fresh.x()).sub(fresh.ut());
      return Math.sqrt(diff.square().sum().item() / fresh.ut().square().sum().item());
    }
  }

  /**
   * Trains from seed {@link #SEED} ({@code data_key, init_key = split(key(0))}, as the JAX
   * program) for {@code steps} steps, telling {@code onLog} the loss every {@code every} steps and
   * at the last one.
   */
  public History train(int steps, int every, StepLog onLog) {
    Pair<Key, Key> k = Random.split(Random.key(SEED));
    Data d = data(k.first());
    TrainState state = initState(init(k.second()));
    double[] losses = new double[steps];
    for (int i = 0; i < steps; i++) {
      StepResult r = step(state, d);
      state = r.state();
      losses[i] = r.loss().item();
      if (i % every == 0 || i == steps - 1) {
        onLog.log(i, losses[i]);
      }
    }
    return new History(losses, state, d);
  }
}
