package dev.statelens.examples;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import java.util.function.Supplier;

/**
 * The Counter trap in training form, on purpose: the model keeps its parameters in a field and
 * {@link #step()} updates that field. Eagerly it trains; under {@code jit} the update runs once,
 * at trace time, every call replays "loss of the initial params", and the field is left holding
 * a tracer (reading it raises {@code UnexpectedTracerError}). {@link LinReg} is the fixed,
 * explicit-state version; the linter reports the field write here (SL001).
 */
public class StatefulLinReg {
  LinReg.Params params;
  private final Array xs;
  private final Array ys;

  // SL010 is right (data(key) and init(key) split one key): kept to match LinReg.fit, whose
  // comment says why (the tutorial's numbers); in your own code split once and give each a half.
  @SuppressWarnings("statelens:SL010")
  public StatefulLinReg() {
    Key key = Random.key(LinReg.SEED);
    LinReg.Data data = LinReg.data(key);
    this.xs = data.xs();
    this.ys = data.ys();
    this.params = LinReg.init(key);
  }

  /** One SGD step on the field; returns the loss before it. */
  public Array step() {
    Array loss = LinReg.loss(params, xs, ys);
    LinReg.Params grads = Transforms.grad(LinReg::loss).apply(params, xs, ys);
    params = Tree.map((p, g) -> p.sub(g.mul(LinReg.LEARNING_RATE)), params, grads);
    return loss;
  }

  public LinReg.Params params() {
    return params;
  }

  /** {@code jit(model::step)}: the trap. */
  public Supplier<Array> jittedStep() {
    return Transforms.jit("train_step", this::step);
  }
}
