package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fft;
import dev.statelens.engine.Key;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import dev.statelens.engine.ir.Jaxpr;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The examples' jitted steps, rebuilt here (the engine cannot depend on the examples module):
 * the math is that of {@code examples/LinReg.update} and {@code examples/Mlp.step}.
 */
final class ExampleGraphs {
  private ExampleGraphs() {}

  /** A graph of the test corpus with what it exercises. */
  record Labeled(String label, Jaxpr graph) {}

  /**
   * The corpus the GPU emulation and the CPU code generator are checked on: every primitive case,
   * then the examples' steps, a matmul and in-graph sampling.
   */
  static List<Labeled> corpus() {
    List<Labeled> all = new ArrayList<>();
    PrimitiveCases.all().forEach((primitive, graphs) -> graphs.forEach(j -> all.add(new Labeled(primitive, j))));
    all.add(new Labeled("linreg update", linregUpdate()));
    all.add(new Labeled("mlp step", mlpStep()));
    all.add(new Labeled("matmul", matmul(130, 70, 90)));
    all.add(new Labeled("normal sampling (threefry + erf_inv)", sampling()));
    all.add(new Labeled("classifier step (softmax cross-entropy: gather, scatter_add)", classifierStep()));
    all.add(new Labeled("cnn step (conv, max pool, their transposes)", cnnStep()));
    return all;
  }

  record Linear(Array weight, Array bias) {}

  record Dense(Array w, Array b) {}

  record MlpParams(Dense hidden, Dense out) {}

  record Batch(Array x, Array y) {}

  record TrainState(MlpParams params, Optim.OptState<MlpParams> optState) {}

  static Array linregLoss(Linear p, Array x, Array y) {
    return p.weight().mul(x).add(p.bias()).sub(y).square().mean();
  }

  /** LinReg's SGD step (lr 0.005) on 128 samples: inputs (weight, bias, xs, ys). */
  static Jaxpr linregUpdate() {
    var gradLoss = Transforms.grad(ExampleGraphs::linregLoss);
    Key key = Random.key(42);
    Pair<Key, Key> keys = Random.split(key);
    Array xs = Random.normal(keys.first(), 128, 1);
    Array ys = xs.mul(2).sub(1);
    return Transforms.makeJaxpr((Linear params, Array x, Array y) -> {
      Linear grads = gradLoss.apply(params, x, y);
      return Tree.map((p, g) -> p.sub(g.mul(0.005)), params, grads);
    }, new Linear(Array.scalar(0.5), Array.scalar(-0.25)), xs, ys);
  }

  static Array mlpPredict(MlpParams p, Array x) {
    Array h = x.matmul(p.hidden().w()).add(p.hidden().b()).tanh();
    return h.matmul(p.out().w()).add(p.out().b());
  }

  static Array mlpLoss(MlpParams p, Batch batch) {
    return mlpPredict(p, batch.x()).sub(batch.y()).square().mean();
  }

  static MlpParams mlpInit(Key key, int hidden) {
    Pair<Key, Key> k = Random.split(key);
    return new MlpParams(new Dense(Random.normal(k.first(), 1, hidden), Array.zeros(hidden)),
        new Dense(Random.normal(k.second(), hidden, 1).mul(1 / Math.sqrt(hidden)), Array.zeros(1)));
  }

  static Batch mlpData(Key key, int samples) {
    Array x = Random.uniform(key, new int[] {samples, 1}, DType.F32, -Math.PI, Math.PI);
    return new Batch(x, x.sin());
  }

  /** Mlp's Adam training step (hidden 32, 256 samples): (state, batch) -> (loss, new state). */
  static Jaxpr mlpStep() {
    Optim.Optimizer adam = Optim.adam(0.01);
    BiFunction<MlpParams, Batch, Pair<Array, MlpParams>> lossAndGrad = Transforms.valueAndGrad(ExampleGraphs::mlpLoss);
    MlpParams params = mlpInit(Random.key(0), 32);
    TrainState state = new TrainState(params, adam.init(params));
    return Transforms.makeJaxpr((TrainState s, Batch batch) -> {
      Pair<Array, MlpParams> lg = lossAndGrad.apply(s.params(), batch);
      Pair<MlpParams, Optim.OptState<MlpParams>> u = adam.update(lg.second(), s.optState(), s.params());
      return Pair.of(lg.first(), new TrainState(Optim.applyUpdates(s.params(), u.first()), u.second()));
    }, state, mlpData(Random.key(1), 256));
  }

  record Labels(Array x, Array y) {}

  static Array classifierLoss(MlpParams p, Labels batch) {
    Array h = batch.x().matmul(p.hidden().w()).add(p.hidden().b()).tanh();
    Array logits = h.matmul(p.out().w()).add(p.out().b());
    return dev.statelens.engine.Nn.softmaxCrossEntropy(logits, batch.y()).mean();
  }

  /**
   * The classifier example's Adam step (2 -> 16 -> 3 classes, 64 samples, integer labels): the
   * label logits are a gather, their gradient a scatter_add.
   */
  static Jaxpr classifierStep() {
    Optim.Optimizer adam = Optim.adam(0.01);
    BiFunction<MlpParams, Labels, Pair<Array, MlpParams>> lossAndGrad = Transforms.valueAndGrad(ExampleGraphs::classifierLoss);
    Pair<Key, Key> k = Random.split(Random.key(3));
    MlpParams params = new MlpParams(new Dense(Random.normal(k.first(), 2, 16), Array.zeros(16)),
        new Dense(Random.normal(k.second(), 16, 3).mul(0.25), Array.zeros(3)));
    TrainState state = new TrainState(params, adam.init(params));
    Labels batch = new Labels(Random.normal(Random.key(4), 64, 2), Random.randint(Random.key(5), new int[] {64}, 0, 3));
    return Transforms.makeJaxpr((TrainState s, Labels b) -> {
      Pair<Array, MlpParams> lg = lossAndGrad.apply(s.params(), b);
      Pair<MlpParams, Optim.OptState<MlpParams>> u = adam.update(lg.second(), s.optState(), s.params());
      return Pair.of(lg.first(), new TrainState(Optim.applyUpdates(s.params(), u.first()), u.second()));
    }, state, batch);
  }

  record ConvParams(Array w1, Array w2, Dense out) {}

  record Images(Array x, Array y) {}

  static Array cnnLoss(ConvParams p, Images batch) {
    int[] one = {1, 1};
    int[] two = {2, 2};
    Array h = dev.statelens.engine.Nn.relu(dev.statelens.engine.Nn.conv2d(batch.x(), p.w1(), two, "SAME"));
    h = dev.statelens.engine.Nn.maxPool(h, new int[] {3, 3}, two, "SAME");
    h = dev.statelens.engine.Nn.conv(h, p.w2(), one, "VALID", two, 2);
    h = dev.statelens.engine.Nn.avgPool(h, two, one, "VALID");
    Array logits = h.mean(1, 2).matmul(p.out().w()).add(p.out().b());
    return dev.statelens.engine.Nn.softmaxCrossEntropy(logits, batch.y()).mean();
  }

  /**
   * A small CNN's Adam step (examples' cnn, varied): a strided SAME conv, a SAME max pool, a
   * dilated grouped VALID conv, an average pool and a dense layer on 8 images of 15 x 15 x 3:
   * conv_general_dilated with its lhs and rhs transposes (lhs dilation, batch groups),
   * reduce_window_max/sum and select_and_scatter_add in one graph.
   */
  static Jaxpr cnnStep() {
    Optim.Optimizer adam = Optim.adam(0.01);
    BiFunction<ConvParams, Images, Pair<Array, ConvParams>> lossAndGrad = Transforms.valueAndGrad(ExampleGraphs::cnnLoss);
    java.util.List<Key> k = Random.split(Random.key(6), 3);
    ConvParams params = new ConvParams(Random.normal(k.get(0), 3, 3, 3, 8).mul(0.3),
        Random.normal(k.get(1), 2, 2, 4, 6).mul(0.3), new Dense(Random.normal(k.get(2), 6, 3).mul(0.3), Array.zeros(3)));
    Images batch = new Images(Random.normal(Random.key(7), 8, 15, 15, 3),
        Random.randint(Random.key(8), new int[] {8}, 0, 3));
    var init = adam.init(params);
    return Transforms.makeJaxpr((ConvParams p, Optim.OptState<ConvParams> s, Images b) -> {
      Pair<Array, ConvParams> lg = lossAndGrad.apply(p, b);
      Pair<ConvParams, Optim.OptState<ConvParams>> u = adam.update(lg.second(), s, p);
      return Pair.of(lg.first(), Pair.of(Optim.applyUpdates(p, u.first()), u.second()));
    }, params, init, batch);
  }

  /**
   * A jitted loop writing row t of a state buffer with a traced t (docs/arrays.md): a scan whose
   * body reads row t of xs ({@code dynamic_slice}), takes its running sum and sorts it, writes it
   * back ({@code dynamic_update_slice}) and adds it into row t+1 ({@code x.at(t+1).add}; the last
   * one is out of range, so dropped). Inputs (buf [16,8], xs [16,8]). Not in {@link #corpus()}:
   * the kernel-level emulation runs no scans; {@code GpuRuntimeEmulatedTest} runs it end to end.
   */
  static Jaxpr rowWriter() {
    return Transforms.makeJaxpr((Array buf, Array xs) -> Lax.forI(0, 16, (t, b) -> {
      Array row = Lax.dynamicSliceInDim(xs, t, 1, 0).cumsum(1);
      Array written = Lax.dynamicUpdateSliceInDim(b, row.sort(1), t, 0);
      return written.at(t.add(1)).add(row.reshape(8));
    }, buf), Array.zeros(16, 8), Array.zeros(16, 8));
  }

  /** A plain matmul {@code [m,k] x [k,n]}. */
  static Jaxpr matmul(int m, int k, int n) {
    return Transforms.makeJaxpr((Array a, Array b) -> a.matmul(b), Array.zeros(m, k), Array.zeros(k, n));
  }

  /** Random bits and a normal sample drawn inside the graph (threefry on the device). */
  static Jaxpr sampling() {
    return Transforms.makeJaxpr((Key k) -> Random.normal(k, 64, 3), Random.key(7));
  }

  record FnoParams(Array lift, Array wr, Array wi, Array w, Array proj) {}

  record FnoState(FnoParams params, Optim.OptState<FnoParams> optState) {}

  /** The fno example's Fourier layer, small: rfft along the grid, 3 modes mixed by wr + i wi, irfft. */
  static Array fnoPredict(FnoParams p, Array u0) {
    Array v = u0.expandDims(-1).matmul(p.lift());                                   // [8, 16, 4]
    Array vf = Fft.rfft(v, null, 1, null).sliceAxis(1, 0, 3);                      // [8, 3, 4] c64
    Array mixed = Array.einsum("bmi,iom->bmo", vf, Array.complex(p.wr(), p.wi()));
    Array full = mixed.pad(new int[][] {{0, 0}, {0, 16 / 2 + 1 - 3}, {0, 0}}, 0);
    Array h = Fft.irfft(full, 16, 1, null).add(v.matmul(p.w())).tanh();
    return h.matmul(p.proj()).squeeze(-1);
  }

  /** The fno example's Adam step at a small size (8 samples, grid 16, width 4, 3 modes): complex in the middle. */
  static Jaxpr fnoStep() {
    Optim.Optimizer adam = Optim.adam(0.01);
    BiFunction<FnoParams, Batch, Pair<Array, FnoParams>> lossAndGrad = Transforms.valueAndGrad(
        (FnoParams p, Batch b) -> fnoPredict(p, b.x()).sub(b.y()).square().mean());
    List<Key> k = Random.split(Random.key(3), 7);
    FnoParams params = new FnoParams(Random.normal(k.get(0), 1, 4), Random.normal(k.get(1), 4, 4, 3).mul(0.25),
        Random.normal(k.get(2), 4, 4, 3).mul(0.25), Random.normal(k.get(3), 4, 4).mul(0.5), Random.normal(k.get(4), 4, 1));
    Array u0 = Random.normal(k.get(5), 8, 16);
    FnoState state = new FnoState(params, adam.init(params));
    return Transforms.makeJaxpr((FnoState s, Batch batch) -> {
      Pair<Array, FnoParams> lg = lossAndGrad.apply(s.params(), batch);
      Pair<FnoParams, Optim.OptState<FnoParams>> u = adam.update(lg.second(), s.optState(), s.params());
      return Pair.of(lg.first(), new FnoState(Optim.applyUpdates(s.params(), u.first()), u.second()));
    }, state, new Batch(u0, u0.mul(0.5)));
  }
}
