package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.EmaState;
import dev.statelens.engine.Optim.FactoredState;
import dev.statelens.engine.Optim.OptState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * optax's {@code adafactor}: {@code scale_by_factored_rms}, {@code clip_by_block_rms}, the
 * learning rate, {@code scale_by_param_block_rms}, optionally {@code ema} (momentum),
 * {@code add_decayed_weights} and {@code scale(-1)}. Without momentum one part does all of it and
 * the state is optax's {@link FactoredState}; with momentum a second part ({@link EmaTail}) keeps
 * the {@link EmaState} and does the rest.
 */
final class OptimAdafactor {
  private OptimAdafactor() {}

  /** The optional scalings between the factored RMS and the momentum, as optax's chain has them. */
  record Options(double clippingThreshold, Optim.LearningRate learningRate, boolean multiplyByParameterScale) {}

  /**
   * {@code scale_by_factored_rms} and what follows it up to the momentum; {@code tail} ({@code
   * weightDecay} then the sign flip) when there is no momentum part after it.
   */
  record Factored(boolean factored, double decayRate, int decayOffset, int minDimSizeToFactor, double eps,
      Options options, boolean tail, double weightDecay, java.util.function.Predicate<String> weightDecayMask)
      implements Optim.Transform {

    /** optax's {@code _factored_dims}: the two largest dims (second largest, largest) if both may be factored. */
    int[] factoredDims(int[] shape) {
      if (!factored || shape.length < 2) {
        return null;
      }
      Integer[] order = new Integer[shape.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Integer.compare(shape[a], shape[b])); // stable, as numpy's argsort of ties here
      int d1 = order[order.length - 2];
      int d0 = order[order.length - 1];
      return shape[d1] < minDimSizeToFactor ? null : new int[] {d1, d0};
    }

    @Override
    public <P> OptState<P> init(P params) {
      Tree.Flat flat = Tree.flatten(params);
      List<Array> rows = new ArrayList<>();
      List<Array> cols = new ArrayList<>();
      List<Array> vs = new ArrayList<>();
      for (Array p : flat.leaves()) {
        Array placeholder = Array.zeros(p.dtype(), 1);
        int[] dims = factoredDims(p.shape());
        rows.add(dims == null ? placeholder : Array.zeros(p.dtype(), without(p.shape(), dims[1])));
        cols.add(dims == null ? placeholder : Array.zeros(p.dtype(), without(p.shape(), dims[0])));
        vs.add(dims == null ? Array.zerosLike(p) : placeholder);
      }
      return new FactoredState<>(Array.scalar(DType.I32, 0), flat.def().unflatten(rows), flat.def().unflatten(cols),
          flat.def().unflatten(vs));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof FactoredState<P> s)) {
        throw wrongState("adafactor", FactoredState.class, state);
      }
      if (params == null) {
        throw new IllegalArgumentException(
            "Optim.adafactor.update: params is null; adafactor needs the current params (their shapes pick the factored"
                + " dims, their RMS scales the update), pass them as the third argument");
      }
      // optax's _decay_rate_pow, in F32 as optax computes it whatever the params' dtype: 1 - (t+1)^-decayRate
      Array t = s.count().sub(decayOffset).add(1).astype(DType.F32);
      Array rate = t.pow(-decayRate).rsub(1);
      Array keep = rate.rsub(1);
      Tree.Flat flat = Tree.flatten(grads);
      List<Array> gs = flat.leaves();
      Tree.Flat pflat = Tree.flatten(params);
      List<Array> ps = pflat.leaves();
      List<Array> rows = Tree.leaves(s.vRow());
      List<Array> cols = Tree.leaves(s.vCol());
      List<Array> vs = Tree.leaves(s.v());
      if (rows.size() != gs.size() || cols.size() != gs.size() || vs.size() != gs.size() || ps.size() != gs.size()) {
        throw new IllegalArgumentException(
            "Optim.adafactor.update: the FactoredState holds " + vs.size() + " leaves per tree for gradients with "
                + gs.size() + "; pass the state that this optimizer's init(params) returned");
      }
      Array lr = lrAt(s.count());
      List<String> paths = weightDecayMask == null ? null : pflat.def().paths(); // read only for a mask
      List<Array> updates = new ArrayList<>(gs.size());
      List<Array> newRows = new ArrayList<>(gs.size());
      List<Array> newCols = new ArrayList<>(gs.size());
      List<Array> newVs = new ArrayList<>(gs.size());
      for (int i = 0; i < gs.size(); i++) {
        Array g = gs.get(i);
        Array p = ps.get(i);
        DType dt = p.dtype();
        Array r = rate.astype(dt);
        Array k = keep.astype(dt);
        Array placeholder = Array.zeros(dt, 1);
        Array gradSqr = g.square().add(eps);
        int[] dims = factoredDims(p.shape());
        Array u;
        if (dims != null) {
          int d1 = dims[0];
          int d0 = dims[1];
          Array row = r.mul(rows.get(i)).add(k.mul(gradSqr.mean(d0))).astype(dt);
          Array col = r.mul(cols.get(i)).add(k.mul(gradSqr.mean(d1))).astype(dt);
          int reducedD1 = d1 > d0 ? d1 - 1 : d1;
          Array rowFactor = row.div(row.meanKeepDims(reducedD1)).rsqrt();
          Array colFactor = col.rsqrt();
          u = g.mul(rowFactor.expandDims(d0)).mul(colFactor.expandDims(d1));
          newRows.add(row);
          newCols.add(col);
          newVs.add(placeholder);
        } else {
          Array v = r.mul(vs.get(i)).add(k.mul(gradSqr)).astype(dt);
          u = g.mul(v.rsqrt());
          newRows.add(placeholder);
          newCols.add(placeholder);
          newVs.add(v);
        }
        if (!Double.isNaN(options.clippingThreshold())) {
          // clip_by_block_rms: u / max(1, rms(u) / threshold)
          u = u.div(Moments.rms(u).div(options.clippingThreshold()).maximum(1.0));
        }
        if (lr != null) {
          u = u.mul(lr.astype(u.dtype()));
        }
        if (options.multiplyByParameterScale()) {
          // scale_by_param_block_rms: u * max-ish(rms(p), 1e-3) (optax's safe_root_mean_squares)
          Array rms = Moments.rms(p);
          u = u.mul(Array.where(rms.le(1e-3), Array.scalar(rms.dtype(), 1e-3), rms));
        }
        if (tail) {
          u = finish(u, p, decayOf(weightDecay, weightDecayMask, paths, i));
        }
        updates.add(u);
      }
      TreeDef def = flat.def();
      return Pair.of(def.unflatten(updates), new FactoredState<>(Optim.safeIncrement(s.count()),
          def.unflatten(newRows), def.unflatten(newCols), def.unflatten(newVs)));
    }

    private Array lrAt(Array count) {
      Optim.LearningRate lr = options.learningRate();
      if (lr == null) {
        return null;
      }
      return lr.schedule() == null ? Array.scalar(DType.F64, lr.fixed()) : Optim.scheduleValue("adafactor", lr.schedule(), count);
    }

    private static int[] without(int[] shape, int axis) {
      int[] out = new int[shape.length - 1];
      for (int i = 0, j = 0; i < shape.length; i++) {
        if (i != axis) {
          out[j++] = shape[i];
        }
      }
      return out;
    }
  }

  /**
   * The decay of leaf {@code i}: {@code weightDecay} where the mask (null: all) accepts its path, else 0.
   * {@code paths} is read only for a mask (null without one: no paths computed per update).
   */
  static double decayOf(double weightDecay, java.util.function.Predicate<String> mask, List<String> paths, int i) {
    return mask == null || mask.test(paths.get(i)) ? weightDecay : 0;
  }

  /** {@code add_decayed_weights} (when {@code weightDecay > 0}), then {@code scale(-1)}. */
  static Array finish(Array u, Array p, double weightDecay) {
    return (weightDecay == 0 ? u : u.add(p.mul(weightDecay))).neg();
  }

  /**
   * optax's {@code ema(momentum, debias=False, accumulator_dtype=float32)}, then the tail. The
   * accumulator is kept in F32 whatever the params' dtype, as adafactor's {@code dtype_momentum}
   * default has it.
   */
  record EmaTail(double momentum, double weightDecay, java.util.function.Predicate<String> weightDecayMask)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return new EmaState<>(Array.scalar(DType.I32, 0), Tree.map(p -> Array.zeros(DType.F32, p.shape()), params));
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      if (!(state instanceof EmaState<P> s)) {
        throw wrongState("adafactor", EmaState.class, state);
      }
      P ema = Moments.ema(updates, s.ema(), momentum);
      List<String> paths = weightDecayMask == null ? null : Tree.paths(params);
      int[] index = {0};
      P out = Tree.map((e, p) -> finish(e, p, decayOf(weightDecay, weightDecayMask, paths, index[0]++)), ema, params);
      return Pair.of(out, new EmaState<>(Optim.safeIncrement(s.count()), Tree.map(e -> e.astype(DType.F32), ema)));
    }
  }
}
