package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.LearningRate;
import dev.statelens.engine.Optim.MuonOptions;
import dev.statelens.engine.Optim.MuonState;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.Optimizer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * optax.contrib's {@code muon}: a partition by rank — every 2-D leaf gets the momentum orthogonalised
 * by Newton–Schulz ({@link ScaleByMuon}), scaled by its shape, decayed and scaled by the rate; every
 * other leaf AdamW. optax's default {@code weight_dimension_numbers} (a matrix is {@code fanIn ×
 * fanOut}, dims 0 and 1).
 */
final class OptimMuon {
  private OptimMuon() {}

  static Optimizer of(LearningRate learningRate, MuonOptions o) {
    Optimizer matrices = new OptimCore.Chain(List.of(
        new ScaleByMuon(o.nsCoeffs(), o.nsSteps(), o.beta(), o.eps(), o.nesterov(), o.adaptive()),
        new ScaleByShape(o.consistentRms()),
        new OptimCore.AddDecayedWeights(o.weightDecay(), o.weightDecayMask()),
        learningRate.scaleTransform()));
    LearningRate adamRate = o.adamLearningRate() == null ? learningRate : LearningRate.of("muon", o.adamLearningRate());
    // optax: alias.adamw(adam_learning_rate, adam_b1, adam_b2, eps, adam_eps_root, adam_weight_decay, nesterov=nesterov)
    Optimizer others = new OptimCore.Adam("muon", adamRate, o.adamB1(), o.adamB2(), o.eps(), o.adamWeightDecay(),
        o.nesterov(), o.adamEpsRoot(), null, null);
    Map<String, Optimizer> parts = new TreeMap<>(Map.of("adam", others, "muon", matrices));
    // optax's default rule (every 2-D leaf), narrowed by muonLeaves (optax's None dimension numbers)
    return new OptimGroups.Partition(parts, (path, leaf) ->
        leaf.ndim() == 2 && (o.muonLeaves() == null || o.muonLeaves().test(path)) ? "muon" : "adam");
  }

  /** optax.contrib's {@code scale_by_muon}: the (Nesterov) momentum, orthogonalised per matrix. */
  record ScaleByMuon(double[] nsCoeffs, int nsSteps, double beta, double eps, boolean nesterov, boolean adaptive)
      implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      // optax keeps the coefficients as a state leaf (jnp.asarray: float64 under x64); F64 when a param is F64, else F32
      Array coeffs = Array.of(nsCoeffs).astype(Moments.defaultFloat(params));
      return new MuonState<>(Array.scalar(DType.I32, 0), Tree.map(Array::zerosLike, params), coeffs);
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P grads, OptState<P> state, P params) {
      if (!(state instanceof MuonState<P> s)) {
        throw wrongState("muon", MuonState.class, state);
      }
      P mu = Moments.ema(grads, s.mu(), beta);
      Array count = Optim.safeIncrement(s.count());
      Moments.Corrections c = new Moments.Corrections(beta, count, grads);
      P muHat = nesterov ? Moments.nesterovMuHat(mu, grads, beta, c) : Tree.map(c::correct, mu);
      P updates = Tree.map(m -> {
        Array u = orthogonalize(m, s.nsCoeffs());
        // adaptive: scaled by the dual norm <muHat, u> (Bernstein et al.)
        return adaptive ? m.mul(u).sum().mul(u) : u;
      }, muHat);
      return Pair.of(updates, new MuonState<>(count, mu, s.nsCoeffs()));
    }

    /**
     * optax's {@code orthogonalize_via_newton_schulz} with Frobenius preconditioning: {@code X / (||X|| +
     * eps)}, then {@code nsSteps} times {@code X = aX + (bA + cA²)X} with {@code A = XXᵀ} — on the
     * transpose of a tall matrix, so {@code A} is the smaller Gram matrix.
     */
    Array orthogonalize(Array m, Array coeffs) {
      if (m.ndim() != 2) {
        throw new IllegalArgumentException("Optim.muon: Newton–Schulz needs a matrix, got a leaf of shape " + m.aval()
            + "; muon sends only 2-D leaves here (the others go to Adam)");
      }
      boolean transposed = m.dim(0) > m.dim(1);
      Array x = transposed ? m.T() : m;
      x = x.div(Moments.norm(x).add(eps));
      Array c = coeffs.astype(x.dtype());
      Array a0 = c.get(0);
      Array a1 = c.get(1);
      Array a2 = c.get(2);
      for (int i = 0; i < nsSteps; i++) {
        Array gram = x.matmul(x.T());
        // optax's coeffs[1] * a + coeffs[2] * a @ a, which Python reads as (coeffs[2] * a) @ a
        Array b = a1.mul(gram).add(a2.mul(gram).matmul(gram));
        x = a0.mul(x).add(b.matmul(x));
      }
      return transposed ? x.T() : x;
    }
  }

  /**
   * optax.contrib's {@code scale_by_shape}: a {@code fanIn×fanOut} update times {@code sqrt(max(1,
   * fanOut/fanIn))} (width transfer), or with {@code consistentRms} times {@code sqrt(max(fanIn,
   * fanOut))·consistentRms}.
   */
  record ScaleByShape(Double consistentRms) implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "muon";
    }

    @Override
    public <P> P map(P updates, P params) {
      return Tree.map(u -> {
        double fanIn = u.dim(0);
        double fanOut = u.dim(1);
        double scale = consistentRms == null ? Math.sqrt(Math.max(1, fanOut / fanIn))
            : Math.sqrt(Math.max(fanIn, fanOut)) * consistentRms;
        return u.mul(scale);
      }, updates);
    }
  }
}
