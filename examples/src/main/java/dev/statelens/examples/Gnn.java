package dev.statelens.examples;

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
import dev.statelens.engine.record.Recorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A two-layer GCN-style message-passing network classifying the nodes of a small synthetic graph,
 * ported line for line from the JAX program {@code bench/port/gnn.py} (docs/porting.md): the same
 * keys give the same edges, features, labels and weights, and the per-step losses agree with
 * JAX 0.10.2's to within 1e-4 relative over the 150 steps ({@code GnnTest}).
 *
 * <p>Each layer gathers the sender's features along every edge ({@code take}), transforms them,
 * sums them into the receivers ({@link Ops#segmentSum}, {@code jax.ops.segment_sum}), divides by
 * the in-degree + 1 and adds the node's own transformed features. The loss is the softmax
 * cross-entropy on the training nodes (a random 60 %); the other nodes are held out.
 */
public final class Gnn {

  public static final int NODES = 200;
  public static final int EDGES = 800;
  public static final int FEATURES = 8;
  public static final int HIDDEN = 16;
  public static final int CLASSES = 3;
  public static final int STEPS = 150;
  public static final double LEARNING_RATE = 1e-2;
  public static final long SEED = 0;

  /**
   * The graph: edge {@code e} runs from node {@code senders[e]} to {@code receivers[e]} (i32);
   * {@code x [NODES, FEATURES]}; {@code degree} is the in-degree + 1 (a self loop); {@code train}
   * marks the nodes the loss sees (bool).
   */
  public record Graph(Array senders, Array receivers, Array x, Array degree, Array labels, Array train) {}

  /** One message-passing layer: {@code mean over in-edges (h[sender] @ wNeigh) + h @ wSelf + b}. */
  public record Conv(Array wNeigh, Array wSelf, Array b) {}

  public record Params(Conv conv1, Conv conv2) {}

  /** Everything that changes from step to step. */
  public record TrainState(Params params, Optim.OptState<Params> optState) {}

  /** The loss before the update and the new state (a recording logs {@code loss}). */
  public record StepResult(Array loss, TrainState state) {}

  /** {@code jax.random} draws from {@code key}, split five ways as the JAX program splits it. */
  public static Graph graph(Key key) {
    List<Key> k = Random.split(key, 5);
    Array senders = Random.randint(k.get(0), new int[] {EDGES}, 0, NODES);
    Array receivers = Random.randint(k.get(1), new int[] {EDGES}, 0, NODES);
    Array x = Random.normal(k.get(2), NODES, FEATURES);
    Array degree = Ops.segmentSum(Array.ones(EDGES), receivers, NODES).add(1.0);
    // labels: the class a random projection of the neighbourhood-averaged features points to
    Array smoothed = Ops.segmentSum(x.take(senders, 0), receivers, NODES).add(x).div(degree.expandDims(1));
    Array labels = smoothed.matmul(Random.normal(k.get(3), FEATURES, CLASSES)).argmax(-1);
    Array train = Random.bernoulli(k.get(4), 0.6, NODES);
    return new Graph(senders, receivers, x, degree, labels, train);
  }

  /** {@code jax.nn.initializers.glorot_uniform} for the neighbour weights, {@code lecun_normal} for the self weights. */
  public static Params init(Key key) {
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

  /** The class logits of every node, {@code [NODES, CLASSES]}. */
  public static Array logits(Params params, Graph g) {
    return conv(params.conv2(), Nn.relu(conv(params.conv1(), g.x(), g)), g);
  }

  /** The mean cross-entropy over the training nodes. */
  public static Array loss(Params params, Graph g) {
    Array perNode = Nn.softmaxCrossEntropy(logits(params, g), g.labels());
    Array mask = g.train().astype(DType.F32);
    return perNode.mul(mask).sum().div(mask.sum());
  }

  /** The fraction of the nodes where {@code mask} is true whose predicted class is their label. */
  public static double accuracy(Params params, Graph g, Array mask) {
    Array right = logits(params, g).argmax(-1).eq(g.labels()).astype(DType.F32);
    Array m = mask.astype(DType.F32);
    return right.mul(m).sum().div(m.sum()).item();
  }

  private final Optim.Optimizer optimizer = Optim.adam(LEARNING_RATE);
  private final BiFunction<TrainState, Graph, StepResult> step;

  public Gnn() {
    BiFunction<Params, Graph, Pair<Array, Params>> lossAndGrad = Transforms.valueAndGrad(Gnn::loss);
    step = Transforms.jit("gnn_step", (TrainState state, Graph g) -> {
      Pair<Array, Params> lg = lossAndGrad.apply(state.params(), g);
      Pair<Params, Optim.OptState<Params>> u = optimizer.update(lg.second(), state.optState(), state.params());
      return new StepResult(lg.first(), new TrainState(Optim.applyUpdates(state.params(), u.first()), u.second()));
    });
    Recorder.argNames(step, "state", "graph"); // leaves read state.params.conv1.wNeigh, graph.x
  }

  public TrainState initState(Params params) {
    return new TrainState(params, optimizer.init(params));
  }

  /** One jitted Adam step on the whole graph. */
  public StepResult step(TrainState state, Graph g) {
    return step.apply(state, g);
  }

  /** A run: the loss of every step it trained, the end state and the graph it trained on. */
  public record History(double[] losses, TrainState finalState, Graph graph) {
    /** How many nodes the loss saw. */
    public int trainingNodes() {
      return (int) graph.train().astype(DType.I32).sum().item();
    }

    public double trainAccuracy() {
      return accuracy(finalState.params(), graph, graph.train());
    }

    public double heldOutAccuracy() {
      return accuracy(finalState.params(), graph, graph.train().logicalNot());
    }
  }

  public History train(int steps, int every, StepLog onLog) {
    try {
      return train(steps, every, onLog, TrainingCheckpoints.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // NONE does no I/O
    }
  }

  /**
   * Trains from seed {@link #SEED} ({@code graph_key, init_key = split(key(0))}, as the JAX
   * program) for {@code steps} steps, resumed from and saved to {@code checkpoints}, telling
   * {@code onLog} the loss every {@code every} steps and at the last one. {@code losses} holds the
   * steps this call ran (a resumed run: those after its checkpoint).
   */
  public History train(int steps, int every, StepLog onLog, TrainingCheckpoints checkpoints) throws IOException {
    Pair<Key, Key> k = Random.split(Random.key(SEED));
    Graph g = graph(k.first());
    TrainingCheckpoints.Start<TrainState> start = checkpoints.resume(initState(init(k.second())), steps);
    TrainState state = start.state();
    double[] losses = new double[steps - start.step()];
    for (int i = start.step(); i < steps; i++) {
      StepResult r = step(state, g);
      state = r.state();
      double loss = r.loss().item();
      losses[i - start.step()] = loss;
      if (i % every == 0 || i == steps - 1) {
        onLog.log(i, loss);
      }
      checkpoints.stepDone(i + 1, state);
    }
    checkpoints.finished(steps, state);
    return new History(losses, state, g);
  }
}
