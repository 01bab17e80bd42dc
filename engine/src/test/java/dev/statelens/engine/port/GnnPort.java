package dev.statelens.engine.port;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Init;
import dev.statelens.engine.Initializer;
import dev.statelens.engine.Key;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Ops;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Java port of {@code bench/port/gnn.py}, line for line: a two-layer GCN-style network on a
 * synthetic graph, node classification, {@code optax.adam(1e-2)}, 150 steps from {@code key(0)}.
 * The JAX dicts become records; the jitted step takes the whole state and returns it.
 */
final class GnnPort {

  static final int NODES = 40, EDGES = 160, FEATURES = 8, HIDDEN = 16, CLASSES = 4;
  static final int STEPS = 150;
  static final double LR = 1e-2;

  /** {@code g = graph(key)}: the edge list, features, labels and train mask. */
  record Graph(Array senders, Array receivers, Array x, Array degree, Array labels, Array train) {}

  /** {@code {"w_neigh", "w_self", "b"}}: one message-passing layer. */
  record Conv(Array wNeigh, Array wSelf, Array b) {}

  record Params(Conv conv1, Conv conv2) {}

  record TrainState(Params params, Optim.OptState<Params> optState) {}

  record StepResult(TrainState state, Array loss) {}

  static Graph graph(Key key) {
    List<Key> k = Random.split(key, 5);
    Array senders = Random.randint(k.get(0), new int[] {EDGES}, 0, NODES);
    Array receivers = Random.randint(k.get(1), new int[] {EDGES}, 0, NODES);
    Array x = Random.normal(k.get(2), NODES, FEATURES);
    Array degree = Ops.segmentSum(Array.ones(EDGES), receivers, NODES).add(1.0);
    Array smoothed = Ops.segmentSum(x.take(senders, 0), receivers, NODES).add(x).div(degree.expandDims(1));
    Array labels = smoothed.matmul(Random.normal(k.get(3), FEATURES, CLASSES)).argmax(-1);
    Array train = Random.bernoulli(k.get(4), 0.6, NODES);
    return new Graph(senders, receivers, x, degree, labels, train);
  }

  static Params init(Key key) {
    List<Key> k = Random.split(key, 4);
    Initializer glorot = Init.glorotUniform();
    Initializer lecun = Init.lecunNormal();
    return new Params(
        new Conv(glorot.init(k.get(0), FEATURES, HIDDEN), lecun.init(k.get(1), FEATURES, HIDDEN), Array.zeros(HIDDEN)),
        new Conv(glorot.init(k.get(2), HIDDEN, CLASSES), lecun.init(k.get(3), HIDDEN, CLASSES), Array.zeros(CLASSES)));
  }

  static Array conv(Conv p, Array h, Graph g) {
    Array messages = h.take(g.senders(), 0).matmul(p.wNeigh());
    Array aggregated = Ops.segmentSum(messages, g.receivers(), NODES).div(g.degree().expandDims(1));
    return aggregated.add(h.matmul(p.wSelf())).add(p.b());
  }

  static Array loss(Params params, Graph g) {
    Array h = Nn.relu(conv(params.conv1(), g.x(), g));
    Array logits = conv(params.conv2(), h, g);
    Array perNode = Nn.softmaxCrossEntropy(logits, g.labels());
    Array mask = g.train().astype(DType.F32);
    return perNode.mul(mask).sum().div(mask.sum());
  }

  private final Optim.Optimizer optimizer = Optim.adam(LR);
  private final BiFunction<TrainState, Graph, StepResult> step;

  GnnPort() {
    BiFunction<Params, Graph, Pair<Array, Params>> lossAndGrad = Transforms.valueAndGrad(GnnPort::loss);
    step = Transforms.jit("gnn_step", (TrainState state, Graph g) -> {
      Pair<Array, Params> lg = lossAndGrad.apply(state.params(), g);
      Pair<Params, Optim.OptState<Params>> u = optimizer.update(lg.second(), state.optState(), state.params());
      return new StepResult(new TrainState(Optim.applyUpdates(state.params(), u.first()), u.second()), lg.first());
    });
  }

  TrainState initState(Params params) {
    return new TrainState(params, optimizer.init(params));
  }

  StepResult step(TrainState state, Graph g) {
    return step.apply(state, g);
  }
}
