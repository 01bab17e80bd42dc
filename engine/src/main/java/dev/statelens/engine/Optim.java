package dev.statelens.engine;

import dev.statelens.engine.trace.RecordingTaps;
import dev.statelens.engine.trace.TraceStack;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Optimizers with explicit state, like optax: nothing is stored in the optimizer object, every
 * step takes the state in and hands the new state back, so a training step can be jitted.
 *
 * <pre>{@code
 * Optim.Optimizer opt = Optim.adam(1e-3);
 * Optim.OptState<Params> state = opt.init(params);
 * var step = Transforms.jit((Params p, Optim.OptState<Params> s, Array x) -> {
 *   Params g = Transforms.grad(Model::loss).apply(p, x);
 *   var r = opt.update(g, s, p);                       // (updates, newState)
 *   return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
 * });
 * }</pre>
 *
 * <p>The states are records, so they are pytrees and their leaves have readable paths: an
 * {@link AdamState} passed as {@code opt_state} records as {@code opt_state.count},
 * {@code opt_state.mu.weight}, {@code opt_state.nu.weight}. The step counter is an I32 array,
 * not a Java int, so it is traced (not baked in) under {@code jit}.
 *
 * <p>Besides {@code sgd} and {@code adam}: momentum SGD ({@link #sgd(double, double, boolean)}),
 * AdamW ({@link #adamw(double)}), RMSProp ({@link #rmsprop(double)}), Adagrad
 * ({@link #adagrad(double)}), Lion ({@link #lion(double)}), gradient clipping
 * ({@link #clipByGlobalNorm}), chaining ({@link #chain}), learning-rate {@link Schedule}s
 * ({@link #adam(Schedule)} and the other {@code Schedule} overloads) and the wrappers
 * {@link #applyIfFinite}, {@link #multiSteps} and {@link #addDecayedWeights}; NAdam(W), Adamax,
 * AdaBelief, RAdam, LAMB and Adafactor ({@link #nadam}, {@link #adafactor(double)}, ...); parameter
 * groups ({@link #partition}, {@link #masked}, {@link #freeze}); and optax's small transforms
 * ({@link #clip}, {@link #zeroNans}, {@link #scale}, {@link #scaleBySchedule}, {@link #trace});
 * {@link #injectHyperparams} (hyperparameters in the state, changed without a retrace); Yogi,
 * Adadelta, NovoGrad, LARS, SM3, Fromage and noisy SGD ({@link #yogi(double)}, ...); the transforms
 * {@link #ema}, {@link #applyEvery}, {@link #centralize}, {@link #keepParamsNonnegative},
 * {@link #scaleByTrustRatio()}, {@link #addNoise} and the {@link #lookahead} wrapper; AMSGrad, Adan, Rprop,
 * Polyak SGD (a {@link ValueOptimizer}: the loss goes into the update) and optax.contrib's
 * {@link #muon(double)} and {@link #scheduleFree} ({@link #scheduleFreeEvalParams}) — each with optax's formulas, defaults and state names (docs/optim.md). Every optimizer here
 * hands the gradients it receives to a recording's gradient-norm tap, once per update (a chain
 * taps the raw gradients it receives, before any clipping).
 */
public final class Optim {

  private Optim() {}

  /** The state of an optimizer for parameters of type {@code P}; a pytree. */
  public interface OptState<P> {}

  /**
   * A gradient transformation with explicit state (optax's {@code GradientTransformation}).
   * Implementations must be pure: {@code update} may not change the optimizer or its
   * arguments, so it can run under {@code jit}.
   */
  public interface Optimizer {

    /** The initial state for {@code params} (a pytree of arrays). */
    <P> OptState<P> init(P params);

    /**
     * The updates to add to {@code params} ({@link Optim#applyUpdates}) and the next state.
     *
     * @param grads gradients, with the structure of {@code params}
     * @param state the state from {@link #init} or the previous {@code update}
     * @param params the current parameters
     */
    <P> Pair<P, OptState<P>> update(P grads, OptState<P> state, P params);
  }

  /** Plain SGD keeps no state (optax's {@code EmptyState}). */
  public record SgdState<P>() implements OptState<P> {}

  /** A transformation without state, e.g. {@link #clipByGlobalNorm} (optax's {@code EmptyState}). */
  public record EmptyState<P>() implements OptState<P> {}

  /**
   * Adam's and AdamW's state (optax's {@code ScaleByAdamState}).
   *
   * @param count the number of updates so far, I32 scalar
   * @param mu first-moment estimate, same structure as the params
   * @param nu second-moment estimate, same structure as the params
   */
  public record AdamState<P>(Array count, P mu, P nu) implements OptState<P> {
    public AdamState {
      checkCount("AdamState", count, "Optim.adam(...)");
    }
  }

  /**
   * Momentum SGD's state (optax's {@code TraceState}).
   *
   * @param trace the velocity, same structure as the params
   */
  public record TraceState<P>(P trace) implements OptState<P> {}

  /**
   * The step count of a scheduled learning rate (optax's {@code ScaleByScheduleState}), the state of
   * {@link #sgd(Schedule)}.
   *
   * @param count the number of updates so far, I32 scalar; the schedule is read at it before the
   *     increment
   */
  public record ScheduleState<P>(Array count) implements OptState<P> {
    public ScheduleState {
      checkCount("ScheduleState", count, "Optim.sgd(schedule)");
    }
  }

  /**
   * The state of {@link #chain}: the inner optimizers' states in chain order (optax's tuple). A
   * pytree whose children are named by index, so leaves read {@code opt_state[1].mu.w} (the second
   * optimizer's first moment of {@code w}).
   */
  public record ChainState<P>(List<OptState<P>> states) implements OptState<P> {
    static {
      @SuppressWarnings({"unchecked", "rawtypes"})
      Class<ChainState<Object>> type = (Class) ChainState.class;
      Tree.register(type, ChainState::states, (aux, kids) -> new ChainState<>(asStates(kids)), s -> null);
    }

    public ChainState {
      Objects.requireNonNull(states, "states");
      states = List.copyOf(states);
    }

    @SuppressWarnings("unchecked")
    private static List<OptState<Object>> asStates(List<?> kids) {
      return (List<OptState<Object>>) kids;
    }
  }

  /**
   * RMSProp's state (optax's {@code ScaleByRmsState}), the state of {@link #rmsprop(double)}.
   *
   * @param nu the moving average of the squared gradients, same structure as the params
   */
  public record ScaleByRmsState<P>(P nu) implements OptState<P> {}

  /**
   * Centered RMSProp's state (optax's {@code ScaleByRStdDevState}).
   *
   * @param mu the moving average of the gradients
   * @param nu the moving average of the squared gradients
   */
  public record ScaleByRStdDevState<P>(P mu, P nu) implements OptState<P> {}

  /**
   * Adagrad's state (optax's {@code ScaleByRssState}).
   *
   * @param sumOfSquares the sum of the squared gradients so far, started at
   *     {@code initialAccumulatorValue}
   */
  public record ScaleByRssState<P>(P sumOfSquares) implements OptState<P> {}

  /**
   * Lion's state (optax's {@code ScaleByLionState}).
   *
   * @param count the number of updates so far, I32 scalar (a schedule is read at it)
   * @param mu the moving average of the gradients (with {@code b2})
   */
  public record ScaleByLionState<P>(Array count, P mu) implements OptState<P> {
    public ScaleByLionState {
      checkCount("ScaleByLionState", count, "Optim.lion(...)");
    }
  }

  /**
   * The state of {@link #applyIfFinite} (optax's {@code ApplyIfFiniteState}).
   *
   * @param notfiniteCount non-finite steps in a row (I32 scalar; 0 after a finite step)
   * @param lastFinite whether the last step's gradients were all finite (BOOL scalar)
   * @param totalNotfinite non-finite steps in all (I32 scalar)
   * @param innerState the wrapped optimizer's state, unchanged by a skipped step
   */
  public record ApplyIfFiniteState<P>(Array notfiniteCount, Array lastFinite, Array totalNotfinite, OptState<P> innerState)
      implements OptState<P> {
    public ApplyIfFiniteState {
      checkCount("ApplyIfFiniteState.notfiniteCount", notfiniteCount, "Optim.applyIfFinite(...)");
      checkCount("ApplyIfFiniteState.totalNotfinite", totalNotfinite, "Optim.applyIfFinite(...)");
      Objects.requireNonNull(lastFinite, "lastFinite");
      Objects.requireNonNull(innerState, "innerState");
    }
  }

  /**
   * The state of {@link #multiSteps} (optax's {@code MultiStepsState}).
   *
   * @param miniStep the mini-steps since the last real update, 0 to k-1 (I32 scalar)
   * @param gradientStep the real updates so far (I32 scalar)
   * @param innerOptState the wrapped optimizer's state, changed only by a real update
   * @param accGrads the mean of this round's gradients so far, same structure as the params
   */
  public record MultiStepsState<P>(Array miniStep, Array gradientStep, OptState<P> innerOptState, P accGrads)
      implements OptState<P> {
    public MultiStepsState {
      checkCount("MultiStepsState.miniStep", miniStep, "Optim.multiSteps(...)");
      checkCount("MultiStepsState.gradientStep", gradientStep, "Optim.multiSteps(...)");
      Objects.requireNonNull(innerOptState, "innerOptState");
    }

    /**
     * optax's {@code MultiSteps.has_updated}: whether the update that produced this state was a
     * real one ({@code miniStep == 0 && gradientStep > 0}), a BOOL scalar (traced under jit).
     */
    public Array hasUpdated() {
      return miniStep.eq(0).logicalAnd(gradientStep.gt(0));
    }
  }

  /**
   * The state of {@link #masked} (optax's {@code MaskedState}): the inner optimizer's state for the
   * selected leaves only; the others are {@code null} in its trees, so they have no leaves there.
   */
  public record MaskedState<P>(OptState<P> innerState) implements OptState<P> {
    public MaskedState {
      Objects.requireNonNull(innerState, "innerState");
    }
  }

  /**
   * The state of {@link #partition} / {@link #multiTransform} (optax's {@code PartitionState}, alias
   * {@code MultiTransformState}): one {@link MaskedState} per label, in label order, so leaves read
   * {@code opt_state.innerStates.adam.innerState.mu.dense.w}.
   */
  public record PartitionState<P>(Map<String, OptState<P>> innerStates) implements OptState<P> {
    public PartitionState {
      Objects.requireNonNull(innerStates, "innerStates");
      innerStates = Collections.unmodifiableSortedMap(new TreeMap<>(innerStates));
    }
  }

  /**
   * AdaBelief's state (optax's {@code ScaleByBeliefState}).
   *
   * @param count the number of updates so far, I32 scalar
   * @param mu first-moment estimate
   * @param nu second moment of the prediction error {@code g - mu}
   */
  public record ScaleByBeliefState<P>(Array count, P mu, P nu) implements OptState<P> {
    public ScaleByBeliefState {
      checkCount("ScaleByBeliefState", count, "Optim.adabelief(...)");
    }
  }

  /**
   * Adafactor's state (optax's {@code FactoredState}). For a factored leaf (a matrix whose two
   * largest dims are both at least {@code minDimSizeToFactor}) {@code vRow}/{@code vCol} hold the
   * row and column means of the squared gradients and {@code v} a {@code [1]} placeholder; for the
   * others {@code v} holds the full second moment and the two factors are placeholders — optax's
   * layout, so the trees always have the params' structure.
   *
   * @param count the number of updates so far, I32 scalar
   */
  public record FactoredState<P>(Array count, P vRow, P vCol, P v) implements OptState<P> {
    public FactoredState {
      checkCount("FactoredState", count, "Optim.adafactor(...)");
    }
  }

  /**
   * An exponential moving average's state (optax's {@code EmaState}): {@link #ema}'s, and adafactor's momentum.
   *
   * @param count the number of updates so far, I32 scalar
   * @param ema the average (F32 leaves in adafactor, its {@code dtype_momentum}; {@link #ema}'s accumulator dtype)
   */
  public record EmaState<P>(Array count, P ema) implements OptState<P> {
    public EmaState {
      checkCount("EmaState", count, "Optim.ema(...) or Optim.adafactor(..., momentum, ...)");
    }
  }

  /**
   * The state of {@link #zeroNans} (optax's {@code ZeroNansState}): per leaf a BOOL scalar, whether
   * the last update held a NaN there (and had it zeroed).
   */
  public record ZeroNansState<P>(P foundNan) implements OptState<P> {}

  /**
   * The state of {@link #injectHyperparams} (optax's {@code InjectHyperparamsState}): the
   * hyperparameters as scalar arrays, so a jitted step takes them as inputs and changing one
   * ({@link #withHyperparam}) does not retrace.
   *
   * @param count the number of updates so far, I32 scalar; a scheduled hyperparameter is read at it
   * @param hyperparams each hyperparameter's value in the last update (at init: the first one's), by name
   * @param innerState the state of the optimizer the factory builds
   */
  public record InjectHyperparamsState<P>(Array count, Map<String, Array> hyperparams, OptState<P> innerState)
      implements OptState<P> {
    public InjectHyperparamsState {
      checkCount("InjectHyperparamsState", count, "Optim.injectHyperparams(...)");
      Objects.requireNonNull(hyperparams, "hyperparams");
      Objects.requireNonNull(innerState, "innerState");
      hyperparams = Collections.unmodifiableSortedMap(new TreeMap<>(hyperparams));
    }

    /**
     * This state with hyperparameter {@code name} set to {@code value} for the next updates (optax's
     * {@code state.hyperparams[name] = value}), kept in the dtype and shape it had, so a jitted step
     * runs the graph it already has. A scheduled hyperparameter is recomputed from the count at every
     * update, so setting it has no effect, as in optax.
     */
    public InjectHyperparamsState<P> withHyperparam(String name, double value) {
      Array old = hyperparams.get(name);
      if (old == null) {
        throw new IllegalArgumentException(
            "InjectHyperparamsState.withHyperparam: no hyperparameter '" + name + "'; this state holds "
                + hyperparams.keySet() + " (the names given to Optim.injectHyperparams)");
      }
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException(
            "InjectHyperparamsState.withHyperparam: '" + name + "' must be a finite number, got " + value);
      }
      Map<String, Array> next = new TreeMap<>(hyperparams);
      next.put(name, Array.full(old.dtype(), old.shape(), value));
      return new InjectHyperparamsState<>(count, next, innerState);
    }
  }

  /**
   * Adadelta's state (optax's {@code ScaleByAdaDeltaState}).
   *
   * @param eG the moving average of the squared gradients
   * @param eX the moving average of the squared (unscaled) updates
   */
  public record ScaleByAdaDeltaState<P>(P eG, P eX) implements OptState<P> {}

  /**
   * NovoGrad's state (optax's {@code ScaleByNovogradState}).
   *
   * @param count the number of updates so far, I32 scalar
   * @param mu the first moment, same structure as the params
   * @param nu per leaf one scalar, the moving average of its gradient's squared norm
   */
  public record ScaleByNovogradState<P>(Array count, P mu, P nu) implements OptState<P> {
    public ScaleByNovogradState {
      checkCount("ScaleByNovogradState", count, "Optim.novograd(...)");
    }
  }

  /**
   * SM3's state (optax's {@code ScaleBySM3State}).
   *
   * @param mu per leaf (in {@code Tree.leaves(params)} order) one accumulator per dim, of that dim's length
   * @param nu the momentum of the scaled gradients, same structure as the params
   */
  public record ScaleBySM3State<P>(List<List<Array>> mu, P nu) implements OptState<P> {
    public ScaleBySM3State {
      Objects.requireNonNull(mu, "mu");
    }
  }

  /**
   * The state of {@link #addNoise} and {@link #noisySgd} (optax's {@code AddNoiseState}).
   *
   * @param count the number of updates so far, I32 scalar (the noise anneals with it)
   * @param rngKey the key the next update splits for its noise
   */
  public record AddNoiseState<P>(Array count, Key rngKey) implements OptState<P> {
    public AddNoiseState {
      checkCount("AddNoiseState", count, "Optim.addNoise(...)");
      Objects.requireNonNull(rngKey, "rngKey");
    }
  }

  /**
   * The state of {@link #applyEvery} (optax's {@code ApplyEvery}).
   *
   * @param count calls since the last emitted update, 0 to k-1 (I32 scalar)
   * @param gradAcc the sum of this round's updates so far
   */
  public record ApplyEveryState<P>(Array count, P gradAcc) implements OptState<P> {
    public ApplyEveryState {
      checkCount("ApplyEveryState", count, "Optim.applyEvery(k)");
    }
  }

  /**
   * The params {@link #lookahead} trains (optax's {@code LookaheadParams}): the fast ones, which the
   * gradients are taken at, and the slow ones, which move every {@code syncPeriod} steps.
   */
  public record LookaheadParams<P>(P fast, P slow) {
    /** Both copies equal to {@code params}: the start of a lookahead run (optax's {@code init_synced}). */
    public static <P> LookaheadParams<P> initSynced(P params) {
      return new LookaheadParams<>(params, params);
    }
  }

  /**
   * The state of {@link #lookahead} (optax's {@code LookaheadState}).
   *
   * @param fastState the fast optimizer's state
   * @param stepsSinceSync fast steps since the last synchronisation, 0 to syncPeriod-1 (I32 scalar)
   */
  public record LookaheadState<P>(OptState<P> fastState, Array stepsSinceSync) {
    public LookaheadState {
      Objects.requireNonNull(fastState, "fastState");
      checkCount("LookaheadState.stepsSinceSync", stepsSinceSync, "Optim.lookahead(...)");
    }
  }

  /**
   * optax's {@code lookahead} wrapper: unlike an {@link Optimizer} it trains a {@link LookaheadParams}
   * pair with the gradients of the fast params, so its types say so.
   */
  public interface Lookahead {
    /** The state for {@code params} ({@link LookaheadParams#initSynced} at the start). */
    <P> LookaheadState<P> init(LookaheadParams<P> params);

    /**
     * The updates of both copies ({@link Optim#applyUpdates} adds them) and the next state.
     *
     * @param grads the gradients at {@code params.fast()}
     */
    <P> Pair<LookaheadParams<P>, LookaheadState<P>> update(P grads, LookaheadState<P> state, LookaheadParams<P> params);
  }

  /**
   * An optimizer whose update also takes the loss value: optax's {@code update(grads, state, params,
   * value=loss)} of a {@code GradientTransformationExtraArgs} ({@link #polyakSgd}). The three-argument
   * {@code update} is refused with the fix named, so a missing value cannot pass silently; for the same
   * reason it cannot sit inside {@link #chain} or the wrappers, which call that one.
   */
  public interface ValueOptimizer extends Optimizer {
    /**
     * The updates and the next state, given the loss at {@code params}.
     *
     * @param value the loss at {@code params}, a scalar array (traced under jit; e.g. from
     *     {@code Transforms.valueAndGrad})
     */
    <P> Pair<P, OptState<P>> update(P grads, OptState<P> state, P params, Array value);

    /** {@link #update(Object, OptState, Object, Array)} with the loss as a number. */
    default <P> Pair<P, OptState<P>> update(P grads, OptState<P> state, P params, double value) {
      return update(grads, state, params, Array.scalar(DType.F64, value));
    }
  }

  /**
   * The options of {@link #muon(double, MuonOptions)}, optax.contrib's {@code muon} arguments with its
   * defaults ({@link #defaults()}); change one with its {@code with...} method.
   *
   * @param nsCoeffs the Newton–Schulz coefficients {@code (a, b, c)} of {@code aX + (bA + cA²)X}, {@code A = XXᵀ}
   * @param nsSteps the Newton–Schulz iterations
   * @param beta the momentum's decay
   * @param eps added to the matrix norm before the first iteration, and Adam's eps
   * @param weightDecay the matrices' decoupled weight decay (times the learning rate)
   * @param weightDecayMask which matrices decay, by path (null: all)
   * @param nesterov Nesterov momentum, for both parts
   * @param adaptive scale each orthogonalised update by {@code <muHat, update>} (the dual norm)
   * @param adamB1 the other leaves' Adam {@code b1}
   * @param adamB2 the other leaves' Adam {@code b2}
   * @param adamEpsRoot the other leaves' Adam {@code eps_root}
   * @param adamWeightDecay the other leaves' AdamW decay
   * @param adamLearningRate the other leaves' learning rate (null: Muon's)
   * @param consistentRms null: scale a {@code fanIn×fanOut} update by {@code sqrt(max(1, fanOut/fanIn))}; else by
   *     {@code sqrt(max(fanIn, fanOut))·consistentRms} (0.2 matches AdamW's update RMS)
   */
  public record MuonOptions(double[] nsCoeffs, int nsSteps, double beta, double eps, double weightDecay,
      Predicate<String> weightDecayMask, boolean nesterov, boolean adaptive, double adamB1, double adamB2,
      double adamEpsRoot, double adamWeightDecay, Schedule adamLearningRate, Double consistentRms,
      Predicate<String> muonLeaves) {
    public MuonOptions {
      Objects.requireNonNull(nsCoeffs, "nsCoeffs");
      if (nsCoeffs.length != 3) {
        throw new IllegalArgumentException("Optim.MuonOptions: nsCoeffs must hold 3 numbers (a, b, c), got "
            + nsCoeffs.length + " (optax's default is (3.4445, -4.7750, 2.0315))");
      }
      nsCoeffs = nsCoeffs.clone();
    }

    /** optax.contrib.muon's defaults: coefficients (3.4445, -4.7750, 2.0315), 5 steps, beta 0.95, eps 1e-8, Nesterov, Adam 0.9/0.999. */
    public static MuonOptions defaults() {
      return new MuonOptions(new double[] {3.4445, -4.7750, 2.0315}, 5, 0.95, 1e-8, 0.0, null, true, false, 0.9, 0.999,
          0.0, 0.0, null, null, null);
    }

    @Override
    public double[] nsCoeffs() {
      return nsCoeffs.clone();
    }

    public MuonOptions withNsCoeffs(double a, double b, double c) {
      return new MuonOptions(new double[] {a, b, c}, nsSteps, beta, eps, weightDecay, weightDecayMask, nesterov, adaptive,
          adamB1, adamB2, adamEpsRoot, adamWeightDecay, adamLearningRate, consistentRms, muonLeaves);
    }

    public MuonOptions withNsSteps(int steps) {
      return new MuonOptions(nsCoeffs, steps, beta, eps, weightDecay, weightDecayMask, nesterov, adaptive, adamB1, adamB2,
          adamEpsRoot, adamWeightDecay, adamLearningRate, consistentRms, muonLeaves);
    }

    public MuonOptions withBeta(double b) {
      return new MuonOptions(nsCoeffs, nsSteps, b, eps, weightDecay, weightDecayMask, nesterov, adaptive, adamB1, adamB2,
          adamEpsRoot, adamWeightDecay, adamLearningRate, consistentRms, muonLeaves);
    }

    public MuonOptions withEps(double e) {
      return new MuonOptions(nsCoeffs, nsSteps, beta, e, weightDecay, weightDecayMask, nesterov, adaptive, adamB1, adamB2,
          adamEpsRoot, adamWeightDecay, adamLearningRate, consistentRms, muonLeaves);
    }

    /** The matrices' weight decay, on the leaves whose path {@code mask} accepts (null: all). */
    public MuonOptions withWeightDecay(double decay, Predicate<String> mask) {
      return new MuonOptions(nsCoeffs, nsSteps, beta, eps, decay, mask, nesterov, adaptive, adamB1, adamB2, adamEpsRoot,
          adamWeightDecay, adamLearningRate, consistentRms, muonLeaves);
    }

    public MuonOptions withNesterov(boolean on) {
      return new MuonOptions(nsCoeffs, nsSteps, beta, eps, weightDecay, weightDecayMask, on, adaptive, adamB1, adamB2,
          adamEpsRoot, adamWeightDecay, adamLearningRate, consistentRms, muonLeaves);
    }

    public MuonOptions withAdaptive(boolean on) {
      return new MuonOptions(nsCoeffs, nsSteps, beta, eps, weightDecay, weightDecayMask, nesterov, on, adamB1, adamB2,
          adamEpsRoot, adamWeightDecay, adamLearningRate, consistentRms, muonLeaves);
    }

    /** The Adam part (every leaf that is not a matrix): {@code b1, b2, eps_root}, AdamW's decay and its own rate (null: Muon's). */
    public MuonOptions withAdam(double b1, double b2, double epsRoot, double weightDecay, Schedule learningRate) {
      return new MuonOptions(nsCoeffs, nsSteps, beta, eps, this.weightDecay, weightDecayMask, nesterov, adaptive, b1, b2,
          epsRoot, weightDecay, learningRate, consistentRms, muonLeaves);
    }

    /** {@link #withAdam(double, double, double, double, Schedule)} with a fixed rate for the Adam part. */
    public MuonOptions withAdam(double b1, double b2, double epsRoot, double weightDecay, double learningRate) {
      return withAdam(b1, b2, epsRoot, weightDecay, Schedule.constant(learningRate));
    }

    public MuonOptions withConsistentRms(Double rms) {
      return new MuonOptions(nsCoeffs, nsSteps, beta, eps, weightDecay, weightDecayMask, nesterov, adaptive, adamB1, adamB2,
          adamEpsRoot, adamWeightDecay, adamLearningRate, rms, muonLeaves);
    }

    /**
     * Which 2-D leaves Muon trains, by path (null: all of them, optax's default); the others go to Adam
     * — optax's {@code muon_weight_dimension_numbers} with {@code None} for a leaf, e.g. to leave an
     * embedding or the output layer to Adam. Leaves of another rank always go to Adam.
     */
    public MuonOptions withMuonLeaves(Predicate<String> mask) {
      return new MuonOptions(nsCoeffs, nsSteps, beta, eps, weightDecay, weightDecayMask, nesterov, adaptive, adamB1, adamB2,
          adamEpsRoot, adamWeightDecay, adamLearningRate, consistentRms, mask);
    }
  }

  /**
   * The options of {@link #adamw(double, AdamWOptions)} and {@link #nadamw(double, AdamWOptions)}: optax's
   * keyword arguments of {@code adamw} with its defaults ({@link #defaults()}: b1 0.9, b2 0.999, eps 1e-8,
   * eps_root 0, mu_dtype None, weight_decay 1e-4, mask None); change one with its {@code with...} method,
   * named like optax's keyword, so {@code optax.adamw(lr, weight_decay=0.01, mask=m)} is
   * {@code Optim.adamw(lr, AdamWOptions.defaults().withWeightDecay(0.01).withMask(m))}.
   *
   * @param b1 the first moment's decay
   * @param b2 the second moment's decay
   * @param eps added to the root of the second moment
   * @param epsRoot added inside the root
   * @param muDtype the first moment's dtype (null: the params')
   * @param weightDecay the decoupled weight decay (times the learning rate)
   * @param mask which leaves decay, a test on the leaf's path (null: all); {@link #maskWhere} makes one
   *     from a test on the leaves, as optax's callable mask
   */
  public record AdamWOptions(double b1, double b2, double eps, double epsRoot, DType muDtype, double weightDecay,
      Predicate<String> mask) {
    /** optax.adamw's defaults: b1 0.9, b2 0.999, eps 1e-8, eps_root 0, mu_dtype None, weight_decay 1e-4, mask None. */
    public static AdamWOptions defaults() {
      return new AdamWOptions(0.9, 0.999, 1e-8, 0.0, null, 1e-4, null);
    }

    public AdamWOptions withB1(double b) {
      return new AdamWOptions(b, b2, eps, epsRoot, muDtype, weightDecay, mask);
    }

    public AdamWOptions withB2(double b) {
      return new AdamWOptions(b1, b, eps, epsRoot, muDtype, weightDecay, mask);
    }

    public AdamWOptions withEps(double e) {
      return new AdamWOptions(b1, b2, e, epsRoot, muDtype, weightDecay, mask);
    }

    public AdamWOptions withEpsRoot(double e) {
      return new AdamWOptions(b1, b2, eps, e, muDtype, weightDecay, mask);
    }

    public AdamWOptions withMuDtype(DType dtype) {
      return new AdamWOptions(b1, b2, eps, epsRoot, dtype, weightDecay, mask);
    }

    public AdamWOptions withWeightDecay(double decay) {
      return new AdamWOptions(b1, b2, eps, epsRoot, muDtype, decay, mask);
    }

    /** The leaves that decay, by path (null: all), e.g. {@code path -> !path.endsWith("bias")}. */
    public AdamWOptions withMask(Predicate<String> decays) {
      return new AdamWOptions(b1, b2, eps, epsRoot, muDtype, weightDecay, decays);
    }
  }

  /**
   * The state of {@link #addDecayedWeights(Schedule)} (optax's {@code WeightDecaySchedule}).
   *
   * @param count the number of updates so far, I32 scalar; the weight decay is read at it
   */
  public record WeightDecayScheduleState<P>(Array count) implements OptState<P> {
    public WeightDecayScheduleState {
      checkCount("WeightDecayScheduleState", count, "Optim.addDecayedWeights(schedule)");
    }
  }

  /**
   * AMSGrad's state (optax's {@code ScaleByAmsgradState}).
   *
   * @param count the number of updates so far, I32 scalar
   * @param mu first-moment estimate
   * @param nu second-moment estimate
   * @param nuMax the elementwise maximum of the (bias-corrected) second moments so far, which the step divides by
   */
  public record ScaleByAmsgradState<P>(Array count, P mu, P nu, P nuMax) implements OptState<P> {
    public ScaleByAmsgradState {
      checkCount("ScaleByAmsgradState", count, "Optim.amsgrad(...)");
    }
  }

  /**
   * Adan's state (optax's {@code ScaleByAdanState}, its field names).
   *
   * @param m the moving average of the gradients
   * @param v the moving average of the gradient differences {@code g - gPrev}
   * @param n the moving average of {@code (g + (1-b2)·(g - gPrev))²}
   * @param g the last gradients
   * @param t the number of updates so far, I32 scalar
   */
  public record ScaleByAdanState<P>(P m, P v, P n, P g, Array t) implements OptState<P> {
    public ScaleByAdanState {
      checkCount("ScaleByAdanState.t", t, "Optim.adan(...)");
    }
  }

  /**
   * Rprop's state (optax's {@code ScaleByRpropState}).
   *
   * @param stepSizes each element's step size, started at the learning rate
   * @param prevUpdates the last step's {@code stepSize·sign(g)} (0 where the gradient's sign flipped)
   */
  public record ScaleByRpropState<P>(P stepSizes, P prevUpdates) implements OptState<P> {}

  /**
   * Muon's state for its matrices (optax.contrib's {@code MuonState}).
   *
   * @param count the number of updates so far, I32 scalar
   * @param mu the momentum of the gradients
   * @param nsCoeffs the Newton–Schulz coefficients {@code [a, b, c]} (optax keeps them in the state too)
   */
  public record MuonState<P>(Array count, P mu, Array nsCoeffs) implements OptState<P> {
    public MuonState {
      checkCount("MuonState", count, "Optim.muon(...)");
      Objects.requireNonNull(nsCoeffs, "nsCoeffs");
    }
  }

  /**
   * An RMS scaling with a step count, for its bias correction (optax's {@code ScaleByRmsWithCountState}):
   * the second-moment part of {@link #scheduleFreeAdamw}.
   *
   * @param count the number of updates so far, I32 scalar
   * @param nu the moving average of the squared gradients
   */
  public record ScaleByRmsWithCountState<P>(Array count, P nu) implements OptState<P> {
    public ScaleByRmsWithCountState {
      checkCount("ScaleByRmsWithCountState", count, "Optim.scheduleFreeAdamw(...)");
    }
  }

  /**
   * The state of {@link #scheduleFree} (optax.contrib's {@code ScheduleFreeState}). The params a
   * schedule-free run trains are {@code y}, where the gradients are taken; evaluate the model at
   * {@link #scheduleFreeEvalParams} ({@code x}).
   *
   * @param b1 the interpolation {@code b1}, a scalar in the params' dtype
   * @param weightSum the sum of the averaging weights so far
   * @param stepCount the step, from 1 (I32 scalar; a schedule is read at it)
   * @param maxLr the largest learning rate so far
   * @param baseOptimizerState the base optimizer's state
   * @param z the base optimizer's own iterate
   */
  public record ScheduleFreeState<P>(Array b1, Array weightSum, Array stepCount, Array maxLr, OptState<P> baseOptimizerState,
      P z) implements OptState<P> {
    public ScheduleFreeState {
      checkCount("ScheduleFreeState.stepCount", stepCount, "Optim.scheduleFree(...)");
      Objects.requireNonNull(baseOptimizerState, "baseOptimizerState");
    }
  }

  /**
   * The hyperparameters {@link #injectHyperparams} hands its factory: each a scalar array (traced
   * under {@code jit}), as a constant {@link Schedule} for the factories that take one (every
   * learning rate) or as the array itself.
   */
  public interface Hyperparams {
    /** Hyperparameter {@code name} as a {@link Schedule} that returns its current value at any count. */
    Schedule get(String name);

    /** Hyperparameter {@code name}'s current value, a scalar array in the params' float dtype. */
    Array value(String name);
  }

  /** {@code optax.sgd(learning_rate)}: {@code updates = -lr * grads}. */
  public static Optimizer sgd(double learningRate) {
    return new OptimCore.Sgd(checkLearningRate("sgd", learningRate));
  }

  /**
   * {@code optax.sgd(learning_rate, momentum, nesterov)}: with {@code trace} starting at zeros,
   * {@code trace = g + momentum * trace}, {@code updates = -lr * trace}, or with Nesterov
   * {@code updates = -lr * (g + momentum * trace)} (the new trace). State: {@link TraceState}.
   */
  public static Optimizer sgd(double learningRate, double momentum, boolean nesterov) {
    checkLearningRate("sgd", learningRate);
    return new OptimCore.Momentum("sgd", checkMomentum(momentum), nesterov, -learningRate);
  }

  /**
   * {@code optax.sgd(schedule)}: {@code updates = -schedule(count) * grads} with {@code count} the
   * number of previous updates (optax's {@code scale_by_schedule}: the first update uses
   * {@code schedule(0)}). State: {@link ScheduleState}.
   */
  public static Optimizer sgd(Schedule learningRate) {
    return OptimElementwise.ScaleBySchedule.learningRate("sgd", Objects.requireNonNull(learningRate, "Optim.sgd: learningRate (schedule)"));
  }

  /**
   * {@code optax.sgd(schedule, momentum, nesterov)}: the momentum trace of
   * {@link #sgd(double, double, boolean)}, scaled by {@code -schedule(count)} as in
   * {@link #sgd(Schedule)}. State: a {@link ChainState} of ({@link TraceState},
   * {@link ScheduleState}), optax's structure: {@code opt_state[0].trace.w}, {@code opt_state[1].count}.
   */
  public static Optimizer sgd(Schedule learningRate, double momentum, boolean nesterov) {
    Objects.requireNonNull(learningRate, "Optim.sgd: learningRate (schedule)");
    return new OptimCore.Chain(List.of(new OptimCore.Momentum("sgd", checkMomentum(momentum), nesterov, 1), OptimElementwise.ScaleBySchedule.learningRate("sgd", learningRate)));
  }

  /** {@code optax.adam(learning_rate)} with optax's defaults b1=0.9, b2=0.999, eps=1e-8. */
  public static Optimizer adam(double learningRate) {
    return adam(learningRate, 0.9, 0.999, 1e-8);
  }

  /**
   * {@code optax.adam(learning_rate, b1, b2, eps)}: with {@code t} the step number from 1,
   * {@code mu = b1*mu + (1-b1)*g}, {@code nu = b2*nu + (1-b2)*g²},
   * {@code updates = -lr * (mu/(1-b1^t)) / (sqrt(nu/(1-b2^t)) + eps)}.
   */
  public static Optimizer adam(double learningRate, double b1, double b2, double eps) {
    checkLearningRate("adam", learningRate);
    checkAdam("adam", b1, b2, eps);
    return new OptimCore.Adam("adam", LearningRate.fixed(learningRate), b1, b2, eps, 0, false, 0.0, null, null);
  }

  /**
   * {@code optax.adam(schedule)}: Adam whose step {@code t} (from 1) is scaled by
   * {@code schedule(t - 1)}, the count before the update, as optax's {@code scale_by_schedule}
   * reads it. State: {@link AdamState}, whose count serves both (optax keeps two equal counters).
   */
  public static Optimizer adam(Schedule learningRate) {
    return adam(learningRate, 0.9, 0.999, 1e-8);
  }

  /** {@link #adam(Schedule)} with explicit {@code b1, b2, eps}. */
  public static Optimizer adam(Schedule learningRate, double b1, double b2, double eps) {
    checkAdam("adam", b1, b2, eps);
    return new OptimCore.Adam("adam", LearningRate.of("adam", learningRate), b1, b2, eps, 0, false, 0.0, null, null);
  }

  /**
   * {@code optax.adamw(learning_rate)} with optax's defaults b1=0.9, b2=0.999, eps=1e-8,
   * weight_decay=1e-4.
   */
  public static Optimizer adamw(double learningRate) {
    return adamw(learningRate, 0.9, 0.999, 1e-8, 1e-4);
  }

  /**
   * {@code optax.adamw(learning_rate, b1, b2, eps, weight_decay)}: Adam with decoupled weight
   * decay, {@code updates = -lr * (mu_hat / (sqrt(nu_hat) + eps) + weightDecay * params)} (optax's
   * chain of {@code scale_by_adam}, {@code add_decayed_weights}, {@code scale_by_learning_rate}).
   * Every leaf decays; optax's {@code mask}, {@code eps_root} and {@code mu_dtype}:
   * {@link #adamw(double, double, double, double, double, DType, double, Predicate)}. State:
   * {@link AdamState}.
   */
  public static Optimizer adamw(double learningRate, double b1, double b2, double eps, double weightDecay) {
    checkLearningRate("adamw", learningRate);
    checkAdam("adamw", b1, b2, eps);
    return new OptimCore.Adam("adamw", LearningRate.fixed(learningRate), b1, b2, eps, checkWeightDecay(weightDecay), false, 0.0, null, null);
  }

  /** {@code optax.adamw(schedule)}: as {@link #adam(Schedule)}, with weight decay 1e-4. */
  public static Optimizer adamw(Schedule learningRate) {
    return adamw(learningRate, 0.9, 0.999, 1e-8, 1e-4);
  }

  /**
   * {@code optax.adamw(schedule, b1, b2, eps, weight_decay)}: step {@code t} (from 1) scaled by
   * {@code schedule(t - 1)}; the decay term is scaled by the schedule too, as in optax.
   */
  public static Optimizer adamw(Schedule learningRate, double b1, double b2, double eps, double weightDecay) {
    checkAdam("adamw", b1, b2, eps);
    return new OptimCore.Adam("adamw", LearningRate.of("adamw", learningRate), b1, b2, eps, checkWeightDecay(weightDecay), false, 0.0, null, null);
  }

  /**
   * {@code optax.clip_by_global_norm(max_norm)}: with {@code n = globalNorm(grads)}, every leaf
   * {@code g} becomes {@code n < maxNorm ? g : g / n * maxNorm} (optax's select, same order of
   * operations). State: {@link EmptyState}. Use it first in a {@link #chain}.
   */
  public static Optimizer clipByGlobalNorm(double maxNorm) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException(
          "Optim.clipByGlobalNorm: maxNorm must be a finite number > 0, got " + maxNorm
              + " (the largest global gradient norm let through, e.g. 1.0)");
    }
    return new OptimCore.ClipByGlobalNorm(maxNorm);
  }

  /**
   * {@code optax.global_norm(tree)}: {@code sqrt} of the sum of all leaves' squared elements, a
   * scalar in the leaves' promoted dtype (F32 0 for a tree without leaves).
   */
  public static Array globalNorm(Object tree) {
    Array total = squaredGlobalNorm(tree);
    return total == null ? Array.scalar(DType.F32, 0) : total.sqrt();
  }

  /**
   * optax's {@code tree_l2_norm(tree, squared=True)}: the sum of all leaves' squared elements, or
   * null for a tree without leaves.
   */
  static Array squaredGlobalNorm(Object tree) {
    Array total = null;
    for (Array leaf : Tree.leaves(tree)) {
      Array s = leaf.square().sum();
      total = total == null ? s : total.add(s);
    }
    return total;
  }

  /**
   * {@code optax.chain(*transforms)}: each optimizer transforms the previous one's output, in
   * order; the last one's output is the update. State: a {@link ChainState} of the inner states
   * ({@code opt_state[0]}, {@code opt_state[1].mu.w}, ...). A recording taps the gradients once,
   * as the chain receives them (before clipping).
   *
   * <pre>{@code
   * Optim.chain(Optim.clipByGlobalNorm(1.0), Optim.adamw(Schedule.warmupCosineDecay(0, 1e-3, 100, 5000, 0)))
   * }</pre>
   */
  public static Optimizer chain(Optimizer... optimizers) {
    Objects.requireNonNull(optimizers, "Optim.chain: optimizers");
    if (optimizers.length == 0) {
      throw new IllegalArgumentException(
          "Optim.chain: no optimizers given; pass at least one, e.g. chain(clipByGlobalNorm(1.0), adam(1e-3))");
    }
    for (int i = 0; i < optimizers.length; i++) {
      if (optimizers[i] == null) {
        throw new IllegalArgumentException("Optim.chain: optimizer " + i + " is null");
      }
    }
    return new OptimCore.Chain(List.of(optimizers));
  }

  /**
   * {@code optax.apply_updates}: {@code params + updates}, leaf by leaf, each result cast back
   * to its parameter's dtype.
   *
   * @throws TreeStructureError if {@code updates} does not have the structure of {@code params}
   */
  public static <P> P applyUpdates(P params, P updates) {
    return Tree.map((p, u) -> p.add(u).astype(p.dtype()), params, updates);
  }

  // ---- RMSProp, Adagrad, Lion --------------------------------------------------------------------

  /** {@code optax.rmsprop(learning_rate)} with optax's defaults decay=0.9, eps=1e-8. */
  public static Optimizer rmsprop(double learningRate) {
    return rmsprop(learningRate, 0.9, 1e-8, 0, false, 0, false);
  }

  /**
   * {@code optax.rmsprop(learning_rate, decay, eps, initial_scale, centered, momentum, nesterov)}:
   * {@code nu = decay*nu + (1-decay)*g²} (from {@code initialScale}),
   * {@code updates = -lr * g * rsqrt(nu + eps)}; centered also tracks {@code mu = decay*mu +
   * (1-decay)*g} and divides by {@code rsqrt(nu - mu² + eps)}. With {@code momentum > 0} optax's
   * {@code trace} follows the learning rate: {@code trace = u + momentum*trace}, the update is the
   * trace (Nesterov: {@code u + momentum*trace}). optax's {@code momentum=None} is {@code 0} here.
   * State: {@link ScaleByRmsState} ({@link ScaleByRStdDevState} when centered), or with momentum a
   * {@link ChainState} of that and a {@link TraceState}.
   */
  public static Optimizer rmsprop(
      double learningRate, double decay, double eps, double initialScale, boolean centered, double momentum, boolean nesterov) {
    checkLearningRate("rmsprop", learningRate);
    OptimCore.ScaleByRms rms = rmsParts(decay, eps, initialScale, centered, momentum, -learningRate);
    return momentum == 0 ? rms : new OptimCore.Chain(List.of(rms, new OptimCore.Momentum("rmsprop", momentum, nesterov, 1)));
  }

  /** {@code optax.rmsprop(schedule)}: as {@link #rmsprop(double)}, scaled by {@code -schedule(count)}. */
  public static Optimizer rmsprop(Schedule learningRate) {
    return rmsprop(learningRate, 0.9, 1e-8, 0, false, 0, false);
  }

  /**
   * {@code optax.rmsprop(schedule, ...)}: state a {@link ChainState} of ({@link ScaleByRmsState},
   * {@link ScheduleState}[, {@link TraceState}]), optax's structure.
   */
  public static Optimizer rmsprop(
      Schedule learningRate, double decay, double eps, double initialScale, boolean centered, double momentum, boolean nesterov) {
    Objects.requireNonNull(learningRate, "Optim.rmsprop: learningRate (schedule)");
    List<Optimizer> parts = new ArrayList<>(List.of(
        rmsParts(decay, eps, initialScale, centered, momentum, 1), OptimElementwise.ScaleBySchedule.learningRate("rmsprop", learningRate)));
    if (momentum != 0) {
      parts.add(new OptimCore.Momentum("rmsprop", momentum, nesterov, 1));
    }
    return new OptimCore.Chain(parts);
  }

  private static OptimCore.ScaleByRms rmsParts(double decay, double eps, double initialScale, boolean centered, double momentum, double scale) {
    checkDecay("rmsprop", "decay", decay, "0.9");
    checkNonNegative("rmsprop", "eps", eps, "optax's default is 1e-8");
    checkNonNegative("rmsprop", "initialScale", initialScale, "the start of nu; optax's default is 0");
    checkNonNegative("rmsprop", "momentum", momentum, "0 means none, optax's momentum=None; 0.9 is usual");
    return new OptimCore.ScaleByRms(decay, eps, initialScale, centered, scale);
  }

  /** {@code optax.adagrad(learning_rate)} with optax's defaults initial_accumulator_value=0.1, eps=1e-7. */
  public static Optimizer adagrad(double learningRate) {
    return adagrad(learningRate, 0.1, 1e-7);
  }

  /**
   * {@code optax.adagrad(learning_rate, initial_accumulator_value, eps)} ({@code scale_by_rss}):
   * {@code s = s + g²} (from {@code initialAccumulatorValue}), {@code updates = -lr * g *
   * (s > 0 ? rsqrt(s + eps) : 0)}. State: {@link ScaleByRssState}.
   */
  public static Optimizer adagrad(double learningRate, double initialAccumulatorValue, double eps) {
    checkLearningRate("adagrad", learningRate);
    return rss(initialAccumulatorValue, eps, -learningRate);
  }

  /** {@code optax.adagrad(schedule)}: state a {@link ChainState} of ({@link ScaleByRssState}, {@link ScheduleState}). */
  public static Optimizer adagrad(Schedule learningRate) {
    return adagrad(learningRate, 0.1, 1e-7);
  }

  /** {@link #adagrad(Schedule)} with explicit {@code initialAccumulatorValue, eps}. */
  public static Optimizer adagrad(Schedule learningRate, double initialAccumulatorValue, double eps) {
    Objects.requireNonNull(learningRate, "Optim.adagrad: learningRate (schedule)");
    return new OptimCore.Chain(List.of(rss(initialAccumulatorValue, eps, 1), OptimElementwise.ScaleBySchedule.learningRate("adagrad", learningRate)));
  }

  private static OptimCore.ScaleByRss rss(double initialAccumulatorValue, double eps, double scale) {
    checkNonNegative("adagrad", "initialAccumulatorValue", initialAccumulatorValue, "optax's default is 0.1");
    checkNonNegative("adagrad", "eps", eps, "optax's default is 1e-7");
    return new OptimCore.ScaleByRss(initialAccumulatorValue, eps, scale);
  }

  /** {@code optax.lion(learning_rate)} with optax's defaults b1=0.9, b2=0.99, weight_decay=1e-3. */
  public static Optimizer lion(double learningRate) {
    return lion(learningRate, 0.9, 0.99, 1e-3);
  }

  /**
   * {@code optax.lion(learning_rate, b1, b2, weight_decay)} (chain of {@code scale_by_lion},
   * {@code add_decayed_weights}, {@code scale_by_learning_rate}):
   * {@code updates = -lr * (sign((1-b1)*g + b1*mu) + weightDecay * params)}, then
   * {@code mu = b2*mu + (1-b2)*g}. State: {@link ScaleByLionState}. Use a learning rate 3-10x
   * smaller than AdamW's: every coordinate moves by a full {@code lr}.
   */
  public static Optimizer lion(double learningRate, double b1, double b2, double weightDecay) {
    checkLearningRate("lion", learningRate);
    return lionOf(LearningRate.fixed(learningRate), b1, b2, weightDecay);
  }

  /** {@code optax.lion(schedule)}: the schedule read at {@link ScaleByLionState#count()} before its increment. */
  public static Optimizer lion(Schedule learningRate) {
    return lion(learningRate, 0.9, 0.99, 1e-3);
  }

  /** {@link #lion(Schedule)} with explicit {@code b1, b2, weightDecay}. */
  public static Optimizer lion(Schedule learningRate, double b1, double b2, double weightDecay) {
    return lionOf(LearningRate.of("lion", learningRate), b1, b2, weightDecay);
  }

  /**
   * {@code optax.lion(learning_rate, b1, b2, mu_dtype, weight_decay, mask)}: {@code muDtype} keeps the
   * moment in that dtype (null: the params'), the decay only on the leaves whose path {@code mask}
   * accepts (null: all).
   */
  public static Optimizer lion(double learningRate, double b1, double b2, DType muDtype, double weightDecay,
      Predicate<String> mask) {
    checkLearningRate("lion", learningRate);
    return lionOf(LearningRate.fixed(learningRate), b1, b2, weightDecay, muDtype, mask);
  }

  /** {@link #lion(double, double, double, DType, double, Predicate)} with a schedule. */
  public static Optimizer lion(Schedule learningRate, double b1, double b2, DType muDtype, double weightDecay,
      Predicate<String> mask) {
    return lionOf(LearningRate.of("lion", learningRate), b1, b2, weightDecay, muDtype, mask);
  }

  private static Optimizer lionOf(LearningRate lr, double b1, double b2, double weightDecay) {
    return lionOf(lr, b1, b2, weightDecay, null, null);
  }

  private static Optimizer lionOf(LearningRate lr, double b1, double b2, double weightDecay, DType muDtype,
      Predicate<String> mask) {
    checkDecay("lion", "b1", b1, "0.9");
    checkDecay("lion", "b2", b2, "0.99");
    checkNonNegative("lion", "weightDecay", weightDecay, "optax's default is 1e-3");
    checkFloatDtype("lion", "muDtype", muDtype);
    return new OptimCore.Lion(lr, b1, b2, weightDecay, muDtype, mask);
  }

  // ---- wrappers ----------------------------------------------------------------------------------

  /**
   * {@code optax.apply_if_finite(inner, max_consecutive_errors)}: a step whose gradients hold a
   * NaN or an infinity is skipped — the updates are zeros and {@code inner}'s state is kept — and
   * counted in {@link ApplyIfFiniteState}. After more than {@code maxConsecutiveErrors} such steps
   * in a row the step is applied anyway (optax's rule: the training is broken, let it show). Under
   * {@code jit} the choice is a traced {@link Lax#cond}, so one graph serves both.
   */
  public static Optimizer applyIfFinite(Optimizer inner, int maxConsecutiveErrors) {
    Objects.requireNonNull(inner, "Optim.applyIfFinite: inner (the optimizer to protect, e.g. Optim.adam(1e-3))");
    if (maxConsecutiveErrors < 0) {
      throw new IllegalArgumentException(
          "Optim.applyIfFinite: maxConsecutiveErrors must be >= 0, got " + maxConsecutiveErrors
              + " (the non-finite steps in a row to skip before applying one anyway, e.g. 5)");
    }
    return new OptimCore.ApplyIfFinite(inner, maxConsecutiveErrors);
  }

  /**
   * {@code optax.MultiSteps(inner, every_k_schedule=k)}: gradient accumulation. Each call adds the
   * gradients to a running mean ({@code acc += (g - acc) / (miniStep + 1)}, optax's
   * {@code use_grad_mean=True}); every {@code k}-th call hands the mean to {@code inner} and
   * returns its updates, the other calls return zeros and leave {@code inner}'s state alone. k
   * mini-steps are one step of {@code inner} on the mean gradient. As in optax, {@code inner}
   * runs at every call and a traced select keeps or drops its result, so a jitted step has one
   * graph. State: {@link MultiStepsState}.
   */
  public static Optimizer multiSteps(Optimizer inner, int everyKSteps) {
    Objects.requireNonNull(inner, "Optim.multiSteps: inner (the optimizer to feed the mean gradient, e.g. Optim.adam(1e-3))");
    if (everyKSteps < 1) {
      throw new IllegalArgumentException(
          "Optim.multiSteps: everyKSteps must be >= 1, got " + everyKSteps
              + " (the mini-batches per real update, e.g. 4; 1 updates every call)");
    }
    return new OptimCore.MultiSteps(inner, everyKSteps);
  }

  /**
   * {@code optax.add_decayed_weights(weight_decay)}: {@code updates + weightDecay * params}.
   * Put it before the learning rate in a {@link #chain}, e.g.
   * {@code chain(addDecayedWeights(1e-4), sgd(0.1))}. State: {@link EmptyState}.
   */
  public static Optimizer addDecayedWeights(double weightDecay) {
    return addDecayedWeights(weightDecay, null);
  }

  /**
   * {@code optax.add_decayed_weights(weight_decay, mask)} with the mask a test on each leaf's path
   * inside the params ({@link Tree#paths}: {@code weight}, {@code layers[0].b}): leaves it
   * accepts decay, the others pass unchanged, e.g. {@code path -> !path.endsWith("bias")} (optax's
   * usual "no decay on biases").
   */
  public static Optimizer addDecayedWeights(double weightDecay, Predicate<String> mask) {
    checkNonNegative("addDecayedWeights", "weightDecay", weightDecay, "1e-4 is usual");
    return new OptimCore.AddDecayedWeights(weightDecay, mask);
  }

  /**
   * {@code optax.add_decayed_weights(schedule)}: {@code updates + schedule(count)·params}, the weight
   * decay read at the count before the update (a decay schedule; or, inside
   * {@link #injectHyperparams}, {@code hp.get("weight_decay")} to change it between steps). State:
   * {@link WeightDecayScheduleState}.
   */
  public static Optimizer addDecayedWeights(Schedule weightDecay) {
    return addDecayedWeights(weightDecay, null);
  }

  /** {@link #addDecayedWeights(Schedule)} on the leaves whose path the mask accepts (null: all). */
  public static Optimizer addDecayedWeights(Schedule weightDecay, Predicate<String> mask) {
    Objects.requireNonNull(weightDecay, "Optim.addDecayedWeights: weightDecay (schedule)");
    return new OptimTransforms.ScheduledDecay("addDecayedWeights", weightDecay, mask);
  }

  // ---- parameter groups -------------------------------------------------------------------------

  /**
   * optax's callable {@code mask}, e.g. {@code mask=lambda p: jax.tree.map(lambda x: x.ndim > 1, p)}
   * (decay the matrices, not the biases and norms): the mask that accepts the paths of the leaves of
   * {@code params} that {@code test} accepts, for any optimizer that takes a path mask —
   * {@code Optim.adamw(lr, 0.9, 0.999, 1e-8, 0, null, 0.01, Optim.maskWhere(params, w -> w.ndim() > 1))}.
   * The test runs once, here, on these params (optax calls it on each update's params: the same for a
   * tree whose shapes do not change); pass the params the optimizer will update.
   */
  public static Predicate<String> maskWhere(Object params, Predicate<Array> test) {
    Objects.requireNonNull(params, "Optim.maskWhere: params (the tree whose leaves the test picks)");
    Objects.requireNonNull(test, "Optim.maskWhere: test (e.g. leaf -> leaf.ndim() > 1)");
    java.util.Set<String> accepted = new java.util.HashSet<>();
    for (Tree.PathLeaf leaf : Tree.flattenWithPaths(params)) {
      if (test.test(leaf.leaf())) {
        accepted.add(leaf.path());
      }
    }
    return accepted::contains;
  }

  /**
   * {@code optax.masked(inner, mask)}: {@code inner} transforms only the leaves whose path
   * ({@link Tree#paths}: {@code dense.w}, {@code layers[0].b}) the mask accepts; the others pass
   * through unchanged. As in optax, {@code inner} sees a tree without the other leaves (they are
   * {@code null}, a node without leaves, like optax's {@code MaskedNode}), so its state holds
   * nothing for them and a global norm inside it covers the selected leaves only. State:
   * {@link MaskedState}.
   */
  public static Optimizer masked(Optimizer inner, Predicate<String> mask) {
    Objects.requireNonNull(inner, "Optim.masked: inner (the optimizer for the selected leaves)");
    Objects.requireNonNull(mask, "Optim.masked: mask (a test on each leaf's path, e.g. path -> !path.endsWith(\"b\"))");
    return new OptimGroups.Masked(inner, mask);
  }

  /**
   * {@code optax.partition(transforms, param_labels)}: each leaf gets the label {@code labelFn}
   * gives its path, and the transform of that label (each runs {@link #masked} to its leaves, in
   * label order), e.g. Adam for the weights and SGD for the biases:
   *
   * <pre>{@code
   * Optim.partition(Map.of("w", Optim.adam(1e-3), "b", Optim.sgd(1e-2)), path -> path.endsWith(".b") ? "b" : "w")
   * }</pre>
   *
   * Every label must name a transform (use {@link #setToZero()} to freeze a group). State:
   * {@link PartitionState} of one {@link MaskedState} per label.
   */
  public static Optimizer partition(Map<String, Optimizer> transforms, Function<String, String> labelFn) {
    Objects.requireNonNull(transforms, "Optim.partition: transforms (label -> optimizer)");
    Objects.requireNonNull(labelFn, "Optim.partition: labelFn (a leaf's path -> its label)");
    if (transforms.isEmpty()) {
      throw new IllegalArgumentException(
          "Optim.partition: no transforms given; pass one optimizer per label, e.g. Map.of(\"w\", adam(1e-3), \"b\", sgd(1e-2))");
    }
    transforms.forEach((label, tx) -> {
      if (label == null || tx == null) {
        throw new IllegalArgumentException("Optim.partition: the transform for label " + label + " is " + tx
            + "; every label and transform must be non-null");
      }
    });
    return OptimGroups.Partition.byPath(Collections.unmodifiableSortedMap(new TreeMap<>(transforms)), labelFn);
  }

  /** {@code optax.multi_transform}, optax's older name of {@link #partition}. */
  public static Optimizer multiTransform(Map<String, Optimizer> transforms, Function<String, String> labelFn) {
    return partition(transforms, labelFn);
  }

  /** {@code optax.set_to_zero()}: every update is 0. State: {@link EmptyState}. */
  public static Optimizer setToZero() {
    return new OptimGroups.SetToZero();
  }

  /**
   * {@code optax.transforms.freeze(mask)}: {@code masked(setToZero(), mask)}, the leaves the mask
   * accepts do not move. State: {@link MaskedState}.
   */
  public static Optimizer freeze(Predicate<String> mask) {
    return masked(setToZero(), mask);
  }

  // ---- more of optax's optimizers -----------------------------------------------------------------

  /** {@code optax.nadam(learning_rate)} (b1 0.9, b2 0.999, eps 1e-8): Adam with Nesterov momentum. */
  public static Optimizer nadam(double learningRate) {
    return nadam(learningRate, 0.9, 0.999, 1e-8);
  }

  /**
   * {@code optax.nadam(learning_rate, b1, b2, eps)}: Adam whose {@code mu_hat} looks one step ahead,
   * {@code b1·mu/(1-b1^(t+1)) + (1-b1)·g/(1-b1^t)}. State: {@link AdamState}.
   */
  public static Optimizer nadam(double learningRate, double b1, double b2, double eps) {
    checkLearningRate("nadam", learningRate);
    checkAdam("nadam", b1, b2, eps);
    return new OptimCore.Adam("nadam", LearningRate.fixed(learningRate), b1, b2, eps, 0, true, 0.0, null, null);
  }

  /** {@code optax.nadam(schedule)}. */
  public static Optimizer nadam(Schedule learningRate) {
    return nadam(learningRate, 0.9, 0.999, 1e-8);
  }

  /** {@code optax.nadam(schedule, b1, b2, eps)}. */
  public static Optimizer nadam(Schedule learningRate, double b1, double b2, double eps) {
    checkAdam("nadam", b1, b2, eps);
    return new OptimCore.Adam("nadam", LearningRate.of("nadam", learningRate), b1, b2, eps, 0, true, 0.0, null, null);
  }

  /** {@code optax.nadamw(learning_rate)} (b1 0.9, b2 0.999, eps 1e-8, weight_decay 1e-4). */
  public static Optimizer nadamw(double learningRate) {
    return nadamw(learningRate, 0.9, 0.999, 1e-8, 1e-4);
  }

  /** {@code optax.nadamw(learning_rate, b1, b2, eps, weight_decay)}: NAdam with AdamW's decoupled decay. State: {@link AdamState}. */
  public static Optimizer nadamw(double learningRate, double b1, double b2, double eps, double weightDecay) {
    checkLearningRate("nadamw", learningRate);
    checkAdam("nadamw", b1, b2, eps);
    checkNonNegative("nadamw", "weightDecay", weightDecay, "optax's default is 1e-4");
    return new OptimCore.Adam("nadamw", LearningRate.fixed(learningRate), b1, b2, eps, weightDecay, true, 0.0, null, null);
  }

  /** {@code optax.nadamw(schedule)}. */
  public static Optimizer nadamw(Schedule learningRate) {
    return nadamw(learningRate, 0.9, 0.999, 1e-8, 1e-4);
  }

  /** {@code optax.nadamw(schedule, b1, b2, eps, weight_decay)}. */
  public static Optimizer nadamw(Schedule learningRate, double b1, double b2, double eps, double weightDecay) {
    checkAdam("nadamw", b1, b2, eps);
    checkNonNegative("nadamw", "weightDecay", weightDecay, "optax's default is 1e-4");
    return new OptimCore.Adam("nadamw", LearningRate.of("nadamw", learningRate), b1, b2, eps, weightDecay, true, 0.0, null, null);
  }

  /** {@code optax.adamax(learning_rate)} (b1 0.9, b2 0.999, eps 1e-8). */
  public static Optimizer adamax(double learningRate) {
    return adamax(learningRate, 0.9, 0.999, 1e-8);
  }

  /**
   * {@code optax.adamax(learning_rate, b1, b2, eps)}: Adam with the infinity norm,
   * {@code nu = max(|g| + eps, b2·nu)}, {@code update = -lr·(mu/(1-b1^t))/nu}. State: {@link AdamState}.
   */
  public static Optimizer adamax(double learningRate, double b1, double b2, double eps) {
    checkLearningRate("adamax", learningRate);
    checkAdam("adamax", b1, b2, eps);
    return new OptimAdamFamily.Adamax(LearningRate.fixed(learningRate), b1, b2, eps);
  }

  /** {@code optax.adamax(schedule)}. */
  public static Optimizer adamax(Schedule learningRate) {
    return adamax(learningRate, 0.9, 0.999, 1e-8);
  }

  /** {@code optax.adamax(schedule, b1, b2, eps)}. */
  public static Optimizer adamax(Schedule learningRate, double b1, double b2, double eps) {
    checkAdam("adamax", b1, b2, eps);
    return new OptimAdamFamily.Adamax(LearningRate.of("adamax", learningRate), b1, b2, eps);
  }

  /** {@code optax.adabelief(learning_rate)} (b1 0.9, b2 0.999, eps 1e-16, eps_root 1e-16). */
  public static Optimizer adabelief(double learningRate) {
    return adabelief(learningRate, 0.9, 0.999, 1e-16, 1e-16);
  }

  /**
   * {@code optax.adabelief(learning_rate, b1, b2, eps, eps_root)}: Adam whose second moment is of
   * the prediction error, {@code nu = b2·nu + (1-b2)·(g - mu)² + epsRoot}. State:
   * {@link ScaleByBeliefState}.
   */
  public static Optimizer adabelief(double learningRate, double b1, double b2, double eps, double epsRoot) {
    checkLearningRate("adabelief", learningRate);
    checkAdam("adabelief", b1, b2, eps);
    checkNonNegative("adabelief", "epsRoot", epsRoot, "optax's default is 1e-16");
    return new OptimAdamFamily.Belief(LearningRate.fixed(learningRate), b1, b2, eps, epsRoot, false);
  }

  /**
   * {@code optax.adabelief(learning_rate, b1, b2, eps, eps_root, nesterov=...)}: with
   * {@code nesterov}, NAdam's look-ahead {@code mu_hat} ({@link #nadam}).
   */
  public static Optimizer adabelief(double learningRate, double b1, double b2, double eps, double epsRoot, boolean nesterov) {
    checkLearningRate("adabelief", learningRate);
    return beliefOf(LearningRate.fixed(learningRate), b1, b2, eps, epsRoot, nesterov);
  }

  /** {@link #adabelief(double, double, double, double, double, boolean)} with a schedule. */
  public static Optimizer adabelief(Schedule learningRate, double b1, double b2, double eps, double epsRoot, boolean nesterov) {
    return beliefOf(LearningRate.of("adabelief", learningRate), b1, b2, eps, epsRoot, nesterov);
  }

  private static Optimizer beliefOf(LearningRate lr, double b1, double b2, double eps, double epsRoot, boolean nesterov) {
    checkAdam("adabelief", b1, b2, eps);
    checkNonNegative("adabelief", "epsRoot", epsRoot, "optax's default is 1e-16");
    return new OptimAdamFamily.Belief(lr, b1, b2, eps, epsRoot, nesterov);
  }

  /** {@code optax.adabelief(schedule)}. */
  public static Optimizer adabelief(Schedule learningRate) {
    return adabelief(learningRate, 0.9, 0.999, 1e-16, 1e-16);
  }

  /** {@code optax.adabelief(schedule, b1, b2, eps, eps_root)}. */
  public static Optimizer adabelief(Schedule learningRate, double b1, double b2, double eps, double epsRoot) {
    checkAdam("adabelief", b1, b2, eps);
    checkNonNegative("adabelief", "epsRoot", epsRoot, "optax's default is 1e-16");
    return new OptimAdamFamily.Belief(LearningRate.of("adabelief", learningRate), b1, b2, eps, epsRoot, false);
  }

  /** {@code optax.radam(learning_rate)} (b1 0.9, b2 0.999, eps 1e-8, threshold 5). */
  public static Optimizer radam(double learningRate) {
    return radam(learningRate, 0.9, 0.999, 1e-8, 5.0);
  }

  /**
   * {@code optax.radam(learning_rate, b1, b2, eps, threshold)}: rectified Adam. With
   * {@code ro = ro_inf - 2t·b2^t/(1-b2^t)} ({@code ro_inf = 2/(1-b2) - 1}), the update is Adam's
   * times the rectification {@code r(ro)} once {@code ro >= threshold}, and the plain bias-corrected
   * momentum {@code -lr·mu_hat} before (the first steps with b2 = 0.999). State: {@link AdamState}.
   */
  public static Optimizer radam(double learningRate, double b1, double b2, double eps, double threshold) {
    return radam(learningRate, b1, b2, eps, 0.0, threshold, false);
  }

  /** {@code optax.radam(schedule)}. */
  public static Optimizer radam(Schedule learningRate) {
    return radam(learningRate, 0.9, 0.999, 1e-8, 5.0);
  }

  /** {@code optax.radam(schedule, b1, b2, eps, threshold)}. */
  public static Optimizer radam(Schedule learningRate, double b1, double b2, double eps, double threshold) {
    return radam(learningRate, b1, b2, eps, threshold, false);
  }

  /**
   * {@code optax.radam(learning_rate, b1, b2, eps, threshold, nesterov=...)}: with
   * {@code nesterov}, NAdam's look-ahead {@code mu_hat} ({@link #nadam}).
   */
  public static Optimizer radam(double learningRate, double b1, double b2, double eps, double threshold, boolean nesterov) {
    return radam(learningRate, b1, b2, eps, 0.0, threshold, nesterov);
  }

  /** {@link #radam(double, double, double, double, double, boolean)} with a schedule. */
  public static Optimizer radam(Schedule learningRate, double b1, double b2, double eps, double threshold, boolean nesterov) {
    checkRadam(b1, b2, eps, 0.0, threshold); // before LearningRate.of: a bad number is named before a null schedule
    return new OptimAdamFamily.RAdam(LearningRate.of("radam", learningRate), b1, b2, eps, threshold, nesterov, 0.0);
  }

  /**
   * {@code optax.radam(learning_rate, b1, b2, eps, eps_root, threshold, nesterov=...)}: with
   * {@code epsRoot} inside the root of the rectified step, {@code sqrt(nu_hat + epsRoot) + eps}.
   */
  public static Optimizer radam(double learningRate, double b1, double b2, double eps, double epsRoot, double threshold,
      boolean nesterov) {
    checkLearningRate("radam", learningRate);
    checkRadam(b1, b2, eps, epsRoot, threshold);
    return new OptimAdamFamily.RAdam(LearningRate.fixed(learningRate), b1, b2, eps, threshold, nesterov, epsRoot);
  }

  /** {@link #radam(double, double, double, double, double, double, boolean)} with a schedule. */
  public static Optimizer radam(Schedule learningRate, double b1, double b2, double eps, double epsRoot, double threshold,
      boolean nesterov) {
    LearningRate lr = LearningRate.of("radam", learningRate); // here a null schedule is named first, as it always was
    checkRadam(b1, b2, eps, epsRoot, threshold);
    return new OptimAdamFamily.RAdam(lr, b1, b2, eps, threshold, nesterov, epsRoot);
  }

  /** RAdam's checks, in the order every overload reports them: b1, b2, eps, epsRoot, threshold. */
  private static void checkRadam(double b1, double b2, double eps, double epsRoot, double threshold) {
    checkAdam("radam", b1, b2, eps);
    checkNonNegative("radam", "epsRoot", epsRoot, "optax's default is 0");
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException(
          "Optim.radam: threshold must be a finite number, got " + threshold + " (optax's default is 5.0)");
    }
  }

  /** {@code optax.lamb(learning_rate)} (b1 0.9, b2 0.999, eps 1e-6, weight_decay 0). */
  public static Optimizer lamb(double learningRate) {
    return lamb(learningRate, 0.9, 0.999, 1e-6, 0.0);
  }

  /**
   * {@code optax.lamb(learning_rate, b1, b2, eps, weight_decay)}: Adam's direction plus
   * {@code weightDecay·params}, scaled per leaf by the trust ratio {@code ||params|| / ||u||} (1
   * where either norm is 0), then by {@code -lr}. optax's {@code mask} and {@code eps_root}:
   * {@link #lamb(double, double, double, double, double, double, Predicate)}. State:
   * {@link AdamState}.
   */
  public static Optimizer lamb(double learningRate, double b1, double b2, double eps, double weightDecay) {
    checkLearningRate("lamb", learningRate);
    checkAdam("lamb", b1, b2, eps);
    checkNonNegative("lamb", "weightDecay", weightDecay, "optax's default is 0");
    return new OptimAdamFamily.Lamb(LearningRate.fixed(learningRate), b1, b2, eps, weightDecay, 0.0, null);
  }

  /** {@code optax.lamb(schedule)}. */
  public static Optimizer lamb(Schedule learningRate) {
    return lamb(learningRate, 0.9, 0.999, 1e-6, 0.0);
  }

  /** {@code optax.lamb(schedule, b1, b2, eps, weight_decay)}. */
  public static Optimizer lamb(Schedule learningRate, double b1, double b2, double eps, double weightDecay) {
    checkAdam("lamb", b1, b2, eps);
    checkNonNegative("lamb", "weightDecay", weightDecay, "optax's default is 0");
    return new OptimAdamFamily.Lamb(LearningRate.of("lamb", learningRate), b1, b2, eps, weightDecay, 0.0, null);
  }

  /**
   * {@code optax.adafactor()} with optax's defaults and no learning rate ({@code learning_rate=None}:
   * the step size is the parameter scale alone): min_dim_size_to_factor 128, decay_rate 0.8,
   * multiply_by_parameter_scale, clipping_threshold 1, no momentum, eps 1e-30.
   */
  public static Optimizer adafactor() {
    return adafactorOf(null, 128, 0.8, 0, true, 1.0, null, 0.0, 1e-30, true);
  }

  /** {@code optax.adafactor(learning_rate)}, optax's other defaults as in {@link #adafactor()}. */
  public static Optimizer adafactor(double learningRate) {
    return adafactor(learningRate, 128, 0.8, 0, true, 1.0, null, 0.0, 1e-30, true);
  }

  /** {@code optax.adafactor(schedule)}. */
  public static Optimizer adafactor(Schedule learningRate) {
    return adafactor(learningRate, 128, 0.8, 0, true, 1.0, null, 0.0, 1e-30, true);
  }

  /**
   * {@code optax.adafactor(learning_rate, min_dim_size_to_factor, decay_rate, decay_offset,
   * multiply_by_parameter_scale, clipping_threshold, momentum, weight_decay_rate, eps, factored)}.
   * The second moment of a leaf whose two largest dims are both at least {@code minDimSizeToFactor}
   * is kept as a row and a column mean (memory {@code n + m} instead of {@code n·m}); the decay
   * is {@code 1 - (t+1)^-decayRate}. The update is then clipped to block RMS
   * {@code clippingThreshold} ({@code null}: no clipping), times the learning rate, times the
   * parameter's RMS (at least 1e-3) if {@code multiplyByParameterScale}, averaged with
   * {@code momentum} ({@code null}: none; kept in F32), plus {@code weightDecayRate·params}, and
   * negated. State: {@link FactoredState}; with momentum a {@link ChainState} of it and an
   * {@link EmaState}.
   */
  public static Optimizer adafactor(double learningRate, int minDimSizeToFactor, double decayRate, int decayOffset,
      boolean multiplyByParameterScale, Double clippingThreshold, Double momentum, double weightDecayRate, double eps,
      boolean factored) {
    checkLearningRate("adafactor", learningRate);
    return adafactorOf(LearningRate.fixed(learningRate), minDimSizeToFactor, decayRate, decayOffset,
        multiplyByParameterScale, clippingThreshold, momentum, weightDecayRate, eps, factored);
  }

  /** {@link #adafactor(double, int, double, int, boolean, Double, Double, double, double, boolean)} with a schedule. */
  public static Optimizer adafactor(Schedule learningRate, int minDimSizeToFactor, double decayRate, int decayOffset,
      boolean multiplyByParameterScale, Double clippingThreshold, Double momentum, double weightDecayRate, double eps,
      boolean factored) {
    return adafactorOf(LearningRate.of("adafactor", learningRate), minDimSizeToFactor, decayRate, decayOffset,
        multiplyByParameterScale, clippingThreshold, momentum, weightDecayRate, eps, factored);
  }

  /**
   * {@link #adafactor(double, int, double, int, boolean, Double, Double, double, double, boolean)} with
   * optax's {@code weight_decay_mask}: the decay only on the leaves whose path ({@link Tree#paths})
   * the mask accepts (null: all).
   */
  public static Optimizer adafactor(double learningRate, int minDimSizeToFactor, double decayRate, int decayOffset,
      boolean multiplyByParameterScale, Double clippingThreshold, Double momentum, double weightDecayRate, double eps,
      boolean factored, Predicate<String> weightDecayMask) {
    checkLearningRate("adafactor", learningRate);
    return adafactorOf(LearningRate.fixed(learningRate), minDimSizeToFactor, decayRate, decayOffset,
        multiplyByParameterScale, clippingThreshold, momentum, weightDecayRate, eps, factored, weightDecayMask);
  }

  /** {@link #adafactor(double, int, double, int, boolean, Double, Double, double, double, boolean, Predicate)} with a schedule. */
  public static Optimizer adafactor(Schedule learningRate, int minDimSizeToFactor, double decayRate, int decayOffset,
      boolean multiplyByParameterScale, Double clippingThreshold, Double momentum, double weightDecayRate, double eps,
      boolean factored, Predicate<String> weightDecayMask) {
    return adafactorOf(LearningRate.of("adafactor", learningRate), minDimSizeToFactor, decayRate, decayOffset,
        multiplyByParameterScale, clippingThreshold, momentum, weightDecayRate, eps, factored, weightDecayMask);
  }

  private static Optimizer adafactorOf(LearningRate lr, int minDimSizeToFactor, double decayRate, int decayOffset,
      boolean multiplyByParameterScale, Double clippingThreshold, Double momentum, double weightDecayRate, double eps,
      boolean factored) {
    return adafactorOf(lr, minDimSizeToFactor, decayRate, decayOffset, multiplyByParameterScale, clippingThreshold,
        momentum, weightDecayRate, eps, factored, null);
  }

  private static Optimizer adafactorOf(LearningRate lr, int minDimSizeToFactor, double decayRate, int decayOffset,
      boolean multiplyByParameterScale, Double clippingThreshold, Double momentum, double weightDecayRate, double eps,
      boolean factored, Predicate<String> weightDecayMask) {
    if (minDimSizeToFactor < 1) {
      throw new IllegalArgumentException(
          "Optim.adafactor: minDimSizeToFactor must be >= 1, got " + minDimSizeToFactor
              + " (optax's default is 128; factored=false keeps every second moment whole)");
    }
    if (!(decayRate > 0) || Double.isInfinite(decayRate)) {
      throw new IllegalArgumentException(
          "Optim.adafactor: decayRate must be a finite number > 0, got " + decayRate
              + " (the exponent of the decay 1 - (t+1)^-decayRate; optax's default is 0.8)");
    }
    if (clippingThreshold != null && !(clippingThreshold > 0 && Double.isFinite(clippingThreshold))) {
      throw new IllegalArgumentException(
          "Optim.adafactor: clippingThreshold must be a finite number > 0 or null (no clipping), got "
              + clippingThreshold + " (optax's default is 1.0)");
    }
    if (momentum != null) {
      checkDecay("adafactor", "momentum", momentum, "None, i.e. null; 0.9 is usual");
    }
    checkNonNegative("adafactor", "weightDecayRate", weightDecayRate, "optax's default is None, i.e. 0");
    checkNonNegative("adafactor", "eps", eps, "optax's default is 1e-30");
    var options = new OptimAdafactor.Options(clippingThreshold == null ? Double.NaN : clippingThreshold, lr,
        multiplyByParameterScale);
    var rms = new OptimAdafactor.Factored(factored, decayRate, decayOffset, minDimSizeToFactor, eps, options,
        momentum == null, weightDecayRate, weightDecayMask);
    return momentum == null ? rms : new OptimCore.Chain(List.of(rms, new OptimAdafactor.EmaTail(momentum, weightDecayRate, weightDecayMask)));
  }

  // ---- the Adam family's remaining options: eps_root, mu_dtype, the decay mask ---------------------

  /**
   * {@code optax.adam(learning_rate, b1, b2, eps, eps_root, mu_dtype)}: {@code epsRoot} is added
   * inside the root ({@code sqrt(nu_hat + epsRoot) + eps}, for meta-gradients through Adam);
   * {@code muDtype} keeps the first moment in that dtype (e.g. {@link DType#BF16} for F32 params, to
   * halve its memory; null: the params' own). The update is computed from the moment before the cast,
   * as optax does.
   */
  public static Optimizer adam(double learningRate, double b1, double b2, double eps, double epsRoot, DType muDtype) {
    checkLearningRate("adam", learningRate);
    return adamOf("adam", LearningRate.fixed(learningRate), b1, b2, eps, epsRoot, muDtype, 0, null, false);
  }

  /** {@link #adam(double, double, double, double, double, DType)} with a schedule. */
  public static Optimizer adam(Schedule learningRate, double b1, double b2, double eps, double epsRoot, DType muDtype) {
    return adamOf("adam", LearningRate.of("adam", learningRate), b1, b2, eps, epsRoot, muDtype, 0, null, false);
  }

  /**
   * {@code optax.adamw(learning_rate, b1, b2, eps, eps_root, mu_dtype, weight_decay, mask)}: as
   * {@link #adam(double, double, double, double, double, DType)}, the decay only on the leaves whose
   * path ({@link Tree#paths}) {@code mask} accepts (null: all), e.g. {@code path -> !path.endsWith("bias")}.
   */
  public static Optimizer adamw(double learningRate, double b1, double b2, double eps, double epsRoot, DType muDtype,
      double weightDecay, Predicate<String> mask) {
    checkLearningRate("adamw", learningRate);
    return adamOf("adamw", LearningRate.fixed(learningRate), b1, b2, eps, epsRoot, muDtype, weightDecay, mask, false);
  }

  /** {@link #adamw(double, double, double, double, double, DType, double, Predicate)} with a schedule. */
  public static Optimizer adamw(Schedule learningRate, double b1, double b2, double eps, double epsRoot, DType muDtype,
      double weightDecay, Predicate<String> mask) {
    return adamOf("adamw", LearningRate.of("adamw", learningRate), b1, b2, eps, epsRoot, muDtype, weightDecay, mask, false);
  }

  /**
   * {@code optax.adamw(learning_rate, **options)}: AdamW with its options by name, e.g.
   * {@code Optim.adamw(1e-3, AdamWOptions.defaults().withWeightDecay(0.01).withMask(path -> !path.endsWith("bias")))};
   * the same optimizer as {@link #adamw(double, double, double, double, double, DType, double, Predicate)}.
   */
  public static Optimizer adamw(double learningRate, AdamWOptions options) {
    checkLearningRate("adamw", learningRate);
    return adamOf("adamw", LearningRate.fixed(learningRate), checkOptions("adamw", options), false);
  }

  /** {@link #adamw(double, AdamWOptions)} with a schedule. */
  public static Optimizer adamw(Schedule learningRate, AdamWOptions options) {
    return adamOf("adamw", LearningRate.of("adamw", learningRate), checkOptions("adamw", options), false);
  }

  /** {@code optax.nadamw(learning_rate, **options)}: {@link #adamw(double, AdamWOptions)} with Nesterov momentum. */
  public static Optimizer nadamw(double learningRate, AdamWOptions options) {
    checkLearningRate("nadamw", learningRate);
    return adamOf("nadamw", LearningRate.fixed(learningRate), checkOptions("nadamw", options), true);
  }

  /** {@link #nadamw(double, AdamWOptions)} with a schedule. */
  public static Optimizer nadamw(Schedule learningRate, AdamWOptions options) {
    return adamOf("nadamw", LearningRate.of("nadamw", learningRate), checkOptions("nadamw", options), true);
  }

  private static AdamWOptions checkOptions(String name, AdamWOptions options) {
    return Objects.requireNonNull(options, "Optim." + name + ": options (AdamWOptions.defaults() for optax's)");
  }

  private static Optimizer adamOf(String name, LearningRate lr, AdamWOptions o, boolean nesterov) {
    return adamOf(name, lr, o.b1(), o.b2(), o.eps(), o.epsRoot(), o.muDtype(), o.weightDecay(), o.mask(), nesterov);
  }

  /** {@code optax.nadam(learning_rate, b1, b2, eps, eps_root, mu_dtype)}. */
  public static Optimizer nadam(double learningRate, double b1, double b2, double eps, double epsRoot, DType muDtype) {
    checkLearningRate("nadam", learningRate);
    return adamOf("nadam", LearningRate.fixed(learningRate), b1, b2, eps, epsRoot, muDtype, 0, null, true);
  }

  /** {@code optax.nadamw(learning_rate, b1, b2, eps, eps_root, mu_dtype, weight_decay, mask)}. */
  public static Optimizer nadamw(double learningRate, double b1, double b2, double eps, double epsRoot, DType muDtype,
      double weightDecay, Predicate<String> mask) {
    checkLearningRate("nadamw", learningRate);
    return adamOf("nadamw", LearningRate.fixed(learningRate), b1, b2, eps, epsRoot, muDtype, weightDecay, mask, true);
  }

  private static Optimizer adamOf(String name, LearningRate lr, double b1, double b2, double eps, double epsRoot,
      DType muDtype, double weightDecay, Predicate<String> mask, boolean nesterov) {
    checkAdam(name, b1, b2, eps);
    checkNonNegative(name, "epsRoot", epsRoot, "optax's default is 0");
    checkFloatDtype(name, "muDtype", muDtype);
    checkNonNegative(name, "weightDecay", weightDecay, "optax's default is 1e-4");
    return new OptimCore.Adam(name, lr, b1, b2, eps, weightDecay, nesterov, epsRoot, muDtype, mask);
  }

  /**
   * {@code optax.lamb(learning_rate, b1, b2, eps, eps_root, weight_decay, mask)}: LAMB with
   * {@code epsRoot} inside the root and the decay only on the leaves whose path {@code mask} accepts
   * (null: all); the trust ratio still scales every leaf, as in optax.
   */
  public static Optimizer lamb(double learningRate, double b1, double b2, double eps, double epsRoot, double weightDecay,
      Predicate<String> mask) {
    checkLearningRate("lamb", learningRate);
    return lambOf(LearningRate.fixed(learningRate), b1, b2, eps, epsRoot, weightDecay, mask);
  }

  /** {@link #lamb(double, double, double, double, double, double, Predicate)} with a schedule. */
  public static Optimizer lamb(Schedule learningRate, double b1, double b2, double eps, double epsRoot, double weightDecay,
      Predicate<String> mask) {
    return lambOf(LearningRate.of("lamb", learningRate), b1, b2, eps, epsRoot, weightDecay, mask);
  }

  private static Optimizer lambOf(LearningRate lr, double b1, double b2, double eps, double epsRoot, double weightDecay,
      Predicate<String> mask) {
    checkAdam("lamb", b1, b2, eps);
    checkNonNegative("lamb", "epsRoot", epsRoot, "optax's default is 0");
    checkNonNegative("lamb", "weightDecay", weightDecay, "optax's default is 0");
    return new OptimAdamFamily.Lamb(lr, b1, b2, eps, weightDecay, epsRoot, mask);
  }

  // ---- Yogi, Adadelta, NovoGrad, LARS, SM3, Fromage, noisy SGD ------------------------------------

  /** {@code optax.yogi(learning_rate)} (b1 0.9, b2 0.999, eps 1e-3). */
  public static Optimizer yogi(double learningRate) {
    return yogi(learningRate, 0.9, 0.999, 1e-3);
  }

  /**
   * {@code optax.yogi(learning_rate, b1, b2, eps)}: Adam whose second moment moves additively,
   * {@code nu = nu - (1-b2)·sign(nu - g²)·g²}, both moments starting at 1e-6 (optax's
   * {@code initial_accumulator_value}); {@code update = -lr·mu_hat/(sqrt(nu_hat) + eps)}. State:
   * {@link AdamState}.
   */
  public static Optimizer yogi(double learningRate, double b1, double b2, double eps) {
    checkLearningRate("yogi", learningRate);
    return yogiOf(LearningRate.fixed(learningRate), b1, b2, eps);
  }

  /** {@code optax.yogi(schedule)}. */
  public static Optimizer yogi(Schedule learningRate) {
    return yogi(learningRate, 0.9, 0.999, 1e-3);
  }

  /** {@code optax.yogi(schedule, b1, b2, eps)}. */
  public static Optimizer yogi(Schedule learningRate, double b1, double b2, double eps) {
    return yogiOf(LearningRate.of("yogi", learningRate), b1, b2, eps);
  }

  private static Optimizer yogiOf(LearningRate lr, double b1, double b2, double eps) {
    checkDecay("yogi", "b1", b1, "0.9");
    checkDecay("yogi", "b2", b2, "0.999");
    checkNonNegative("yogi", "eps", eps, "optax's default is 1e-3");
    return new OptimMore.Yogi(lr, b1, b2, eps, 0.0, 1e-6);
  }

  /** {@code optax.adadelta(learning_rate)} (rho 0.9, eps 1e-6, no weight decay). */
  public static Optimizer adadelta(double learningRate) {
    return adadelta(learningRate, 0.9, 1e-6, 0.0, null);
  }

  /**
   * {@code optax.adadelta(learning_rate, rho, eps, weight_decay, weight_decay_mask)}: with
   * {@code g} the gradient plus {@code weightDecay·params} (on the leaves whose path the mask accepts;
   * null: all), {@code E[g²] = rho·E[g²] + (1-rho)·g²}, {@code dx = sqrt(E[dx²] + eps) / sqrt(E[g²] +
   * eps)·g}, {@code E[dx²] = rho·E[dx²] + (1-rho)·dx²}, {@code update = -lr·dx}. State:
   * {@link ScaleByAdaDeltaState}. optax's {@code learning_rate=None} (no scaling, and so no descent)
   * is not offered: give 1.0 for the paper's rule.
   */
  public static Optimizer adadelta(double learningRate, double rho, double eps, double weightDecay, Predicate<String> weightDecayMask) {
    checkLearningRate("adadelta", learningRate);
    checkAdadelta(rho, eps, weightDecay);
    return new OptimMore.Adadelta(-learningRate, rho, eps, weightDecay, weightDecayMask);
  }

  /** {@code optax.adadelta(schedule)}: state a {@link ChainState} of ({@link ScaleByAdaDeltaState}, {@link ScheduleState}). */
  public static Optimizer adadelta(Schedule learningRate) {
    return adadelta(learningRate, 0.9, 1e-6, 0.0, null);
  }

  /** {@code optax.adadelta(schedule, rho, eps, weight_decay, weight_decay_mask)}. */
  public static Optimizer adadelta(Schedule learningRate, double rho, double eps, double weightDecay, Predicate<String> weightDecayMask) {
    Objects.requireNonNull(learningRate, "Optim.adadelta: learningRate (schedule)");
    checkAdadelta(rho, eps, weightDecay);
    return new OptimCore.Chain(List.of(new OptimMore.Adadelta(1, rho, eps, weightDecay, weightDecayMask),
        OptimElementwise.ScaleBySchedule.learningRate("adadelta", learningRate)));
  }

  private static void checkAdadelta(double rho, double eps, double weightDecay) {
    checkDecay("adadelta", "rho", rho, "0.9");
    checkNonNegative("adadelta", "eps", eps, "optax's default is 1e-6");
    checkNonNegative("adadelta", "weightDecay", weightDecay, "optax's default is 0");
  }

  /** {@code optax.novograd(learning_rate)} (b1 0.9, b2 0.25, eps 1e-6, eps_root 0, weight_decay 0). */
  public static Optimizer novograd(double learningRate) {
    return novograd(learningRate, 0.9, 0.25, 1e-6, 0.0, 0.0);
  }

  /**
   * {@code optax.novograd(learning_rate, b1, b2, eps, eps_root, weight_decay)}: per leaf, {@code nu =
   * b2·nu + (1-b2)·||g||²} (a scalar), {@code mu = b1·mu + g/(sqrt(nu + epsRoot) + eps) +
   * weightDecay·params}, both started from the first gradient alone; {@code update = -lr·mu}. State:
   * {@link ScaleByNovogradState}.
   */
  public static Optimizer novograd(double learningRate, double b1, double b2, double eps, double epsRoot, double weightDecay) {
    checkLearningRate("novograd", learningRate);
    return novogradOf(LearningRate.fixed(learningRate), b1, b2, eps, epsRoot, weightDecay);
  }

  /** {@code optax.novograd(schedule)}. */
  public static Optimizer novograd(Schedule learningRate) {
    return novograd(learningRate, 0.9, 0.25, 1e-6, 0.0, 0.0);
  }

  /** {@code optax.novograd(schedule, b1, b2, eps, eps_root, weight_decay)}. */
  public static Optimizer novograd(Schedule learningRate, double b1, double b2, double eps, double epsRoot, double weightDecay) {
    return novogradOf(LearningRate.of("novograd", learningRate), b1, b2, eps, epsRoot, weightDecay);
  }

  private static Optimizer novogradOf(LearningRate lr, double b1, double b2, double eps, double epsRoot, double weightDecay) {
    checkDecay("novograd", "b1", b1, "0.9");
    checkDecay("novograd", "b2", b2, "0.25");
    checkNonNegative("novograd", "eps", eps, "optax's default is 1e-6");
    checkNonNegative("novograd", "epsRoot", epsRoot, "optax's default is 0");
    checkNonNegative("novograd", "weightDecay", weightDecay, "optax's default is 0");
    return new OptimMore.Novograd(lr, b1, b2, eps, epsRoot, weightDecay);
  }

  /** {@code optax.lars(learning_rate)} (weight_decay 0, trust_coefficient 0.001, eps 0, momentum 0.9). */
  public static Optimizer lars(double learningRate) {
    return lars(learningRate, 0.0, null, 0.001, 0.0, null, 0.9, false);
  }

  /**
   * {@code optax.lars(learning_rate, weight_decay, weight_decay_mask, trust_coefficient, eps,
   * trust_ratio_mask, momentum, nesterov)}: the chain {@link #addDecayedWeights}, the trust ratio
   * ({@link #scaleByTrustRatio(double, double, double)}, {@link #masked} when
   * {@code trustRatioMask} is given), {@code -lr}, {@link #trace}. A null mask is optax's
   * {@code True} (every leaf). State: {@link ChainState} of ({@link EmptyState}, {@link EmptyState}
   * or {@link MaskedState}, {@link EmptyState} or {@link ScheduleState}, {@link TraceState}) — optax's.
   */
  public static Optimizer lars(double learningRate, double weightDecay, Predicate<String> weightDecayMask,
      double trustCoefficient, double eps, Predicate<String> trustRatioMask, double momentum, boolean nesterov) {
    checkLearningRate("lars", learningRate);
    return larsOf(new OptimElementwise.Scale(-learningRate), weightDecay, weightDecayMask, trustCoefficient, eps,
        trustRatioMask, momentum, nesterov);
  }

  /** {@code optax.lars(schedule)}. */
  public static Optimizer lars(Schedule learningRate) {
    return lars(learningRate, 0.0, null, 0.001, 0.0, null, 0.9, false);
  }

  /** {@code optax.lars(schedule, ...)}. */
  public static Optimizer lars(Schedule learningRate, double weightDecay, Predicate<String> weightDecayMask,
      double trustCoefficient, double eps, Predicate<String> trustRatioMask, double momentum, boolean nesterov) {
    Objects.requireNonNull(learningRate, "Optim.lars: learningRate (schedule)");
    return larsOf(OptimElementwise.ScaleBySchedule.learningRate("lars", learningRate), weightDecay, weightDecayMask,
        trustCoefficient, eps, trustRatioMask, momentum, nesterov);
  }

  private static Optimizer larsOf(Optimizer lr, double weightDecay, Predicate<String> weightDecayMask,
      double trustCoefficient, double eps, Predicate<String> trustRatioMask, double momentum, boolean nesterov) {
    checkNonNegative("lars", "weightDecay", weightDecay, "optax's default is 0");
    checkNonNegative("lars", "trustCoefficient", trustCoefficient, "optax's default is 0.001");
    checkNonNegative("lars", "eps", eps, "optax's default is 0");
    checkNonNegative("lars", "momentum", momentum, "optax's default is 0.9");
    Optimizer trust = new OptimTransforms.ScaleByTrustRatio(0.0, trustCoefficient, eps);
    return new OptimCore.Chain(List.of(new OptimCore.AddDecayedWeights(weightDecay, weightDecayMask),
        trustRatioMask == null ? trust : masked(trust, trustRatioMask), lr, new OptimCore.Momentum("lars", momentum, nesterov, 1)));
  }

  /** {@code optax.sm3(learning_rate)} (momentum 0.9). */
  public static Optimizer sm3(double learningRate) {
    return sm3(learningRate, 0.9);
  }

  /**
   * {@code optax.sm3(learning_rate, momentum)}: memory-light Adagrad. A leaf of rank r keeps r
   * accumulators, one per dim; an element's second moment is {@code g²} plus the least of its
   * row's/column's/... accumulators, each accumulator then the max over its slice;
   * {@code nu = momentum·nu + (1-momentum)·g/sqrt(v + 1e-8)} (0 where {@code v} is 0),
   * {@code update = -lr·nu}. Scalar leaves are refused (optax fails on them). optax takes no
   * schedule here. State: {@link ScaleBySM3State}.
   */
  public static Optimizer sm3(double learningRate, double momentum) {
    checkLearningRate("sm3", learningRate);
    checkDecay("sm3", "momentum", momentum, "0.9");
    return new OptimMore.Sm3(learningRate, momentum);
  }

  /** {@code optax.fromage(learning_rate)} (min_norm 1e-6). */
  public static Optimizer fromage(double learningRate) {
    return fromage(learningRate, 1e-6);
  }

  /**
   * {@code optax.fromage(learning_rate, min_norm)}: the trust ratio (norms at least {@code minNorm}),
   * times {@code -lr/sqrt(1 + lr²)}, plus {@code (1/sqrt(1 + lr²) - 1)·params} (a shrink that keeps
   * the params' norm from growing). State: {@link ChainState} of three {@link EmptyState}s, optax's.
   */
  public static Optimizer fromage(double learningRate, double minNorm) {
    checkLearningRate("fromage", learningRate);
    checkNonNegative("fromage", "minNorm", minNorm, "optax's default is 1e-6");
    double mult = 1 / Math.sqrt(1 + learningRate * learningRate);
    return new OptimCore.Chain(List.of(new OptimTransforms.ScaleByTrustRatio(minNorm, 1.0, 0.0),
        new OptimElementwise.Scale(-(learningRate * mult)), new OptimTransforms.SignedDecay(mult - 1)));
  }

  /** {@code optax.fromage(schedule)} (min_norm 1e-6). */
  public static Optimizer fromage(Schedule learningRate) {
    return fromage(learningRate, 1e-6);
  }

  /**
   * {@code optax.fromage(schedule, min_norm)}: as {@link #fromage(double, double)} with
   * {@code lr = schedule(count)} at each update. State: {@link ChainState} of ({@link EmptyState},
   * {@link ScheduleState}, {@link WeightDecayScheduleState}), optax's.
   */
  public static Optimizer fromage(Schedule learningRate, double minNorm) {
    Objects.requireNonNull(learningRate, "Optim.fromage: learningRate (schedule)");
    checkNonNegative("fromage", "minNorm", minNorm, "optax's default is 1e-6");
    // optax: mult_lr(c) = 1 / (1 + lr(c)**2)**0.5
    Function<Array, Array> mult = c -> scheduleValue("fromage", learningRate, c).square().add(1).pow(0.5).rdiv(1);
    return new OptimCore.Chain(List.of(new OptimTransforms.ScaleByTrustRatio(minNorm, 1.0, 0.0),
        OptimElementwise.ScaleBySchedule.learningRate("fromage", c -> mult.apply(c).mul(learningRate.apply(c))),
        new OptimTransforms.ScheduledDecay("fromage", c -> mult.apply(c).sub(1), null)));
  }

  /** {@code optax.noisy_sgd(learning_rate, key=key)} (eta 0.01, gamma 0.55). */
  public static Optimizer noisySgd(double learningRate, Key key) {
    return noisySgd(learningRate, 0.01, 0.55, key);
  }

  /**
   * {@code optax.noisy_sgd(learning_rate, eta, gamma, key)}: {@link #addNoise}, then {@code -lr}.
   * State: {@link AddNoiseState} (the key is in it, so a jitted step draws new noise every call).
   */
  public static Optimizer noisySgd(double learningRate, double eta, double gamma, Key key) {
    checkLearningRate("noisySgd", learningRate);
    checkNoise("noisySgd", eta, gamma, key);
    return new OptimMore.AddNoise(eta, gamma, key, LearningRate.fixed(learningRate));
  }

  /** {@code optax.noisy_sgd(schedule, eta, gamma, key)}: the schedule read at {@link AddNoiseState#count()} before its increment. */
  public static Optimizer noisySgd(Schedule learningRate, double eta, double gamma, Key key) {
    checkNoise("noisySgd", eta, gamma, key);
    return new OptimMore.AddNoise(eta, gamma, key, LearningRate.of("noisySgd", learningRate));
  }

  /**
   * {@code optax.add_noise(eta, gamma, key)}: {@code u + sqrt(eta / t^gamma)·N(0, 1)} per element,
   * {@code t} the step from 1, the noise drawn as optax draws it (the state's key split in two, the
   * second split into one key per leaf), so it is JAX's, bit for bit. State: {@link AddNoiseState}.
   */
  public static Optimizer addNoise(double eta, double gamma, Key key) {
    checkNoise("addNoise", eta, gamma, key);
    return new OptimMore.AddNoise(eta, gamma, key, null);
  }

  private static void checkNoise(String name, double eta, double gamma, Key key) {
    checkNonNegative(name, "eta", eta, "the noise variance at step 1; optax's default is 0.01");
    checkNonNegative(name, "gamma", gamma, "the variance decays as t^-gamma; optax's default is 0.55");
    Objects.requireNonNull(key, "Optim." + name + ": key (the noise's PRNG key, e.g. Random.key(0))");
  }

  // ---- wrappers and transforms: ema, applyEvery, centralize, ..., lookahead ----------------------

  /** {@code optax.ema(decay)} (debias true, the accumulator in the params' dtype). */
  public static Optimizer ema(double decay) {
    return ema(decay, true, null);
  }

  /**
   * {@code optax.ema(decay, debias, accumulator_dtype)}: {@code ema = (1-decay)·u + decay·ema}, the
   * update is {@code ema} ({@code debias}: {@code ema/(1 - decay^t)}, so the first steps are not
   * pulled to 0). {@code accumulatorDtype} null keeps the params' dtype. State: {@link EmaState}.
   */
  public static Optimizer ema(double decay, boolean debias, DType accumulatorDtype) {
    checkDecay("ema", "decay", decay, "none; 0.9 or 0.999 are usual");
    checkFloatDtype("ema", "accumulatorDtype", accumulatorDtype);
    return new OptimTransforms.Ema(decay, debias, accumulatorDtype);
  }

  /**
   * {@code optax.apply_every(k)}: sums the updates of k calls and hands the sum on at every k-th,
   * zeros between. The parts after it in a chain still run every call (for k mini-batches as one
   * step, use {@link #multiSteps}). State: {@link ApplyEveryState}.
   */
  public static Optimizer applyEvery(int k) {
    if (k < 1) {
      throw new IllegalArgumentException(
          "Optim.applyEvery: k must be >= 1, got " + k + " (the calls summed per emitted update; 1 passes every update on)");
    }
    return new OptimTransforms.ApplyEvery(k);
  }

  /** {@code optax.centralize()}: each leaf of rank ≥ 2 minus its mean over all dims but the first. State: {@link EmptyState}. */
  public static Optimizer centralize() {
    return new OptimTransforms.Centralize();
  }

  /**
   * {@code optax.keep_params_nonnegative()}: where {@code params + update} would be negative the update
   * is {@code -params}, so the params stop at 0. Last in a chain. State: {@link EmptyState}.
   */
  public static Optimizer keepParamsNonnegative() {
    return new OptimTransforms.KeepParamsNonnegative();
  }

  /** {@code optax.scale_by_trust_ratio()}: as {@link #scaleByTrustRatio(double, double, double)} with (0, 1, 0). */
  public static Optimizer scaleByTrustRatio() {
    return scaleByTrustRatio(0.0, 1.0, 0.0);
  }

  /**
   * {@code optax.scale_by_trust_ratio(min_norm, trust_coefficient, eps)}: each leaf's update times
   * {@code trustCoefficient·||params||/(||update|| + eps)}, both norms at least {@code minNorm}, 1
   * where either is 0 (LAMB's and LARS's per-layer scaling). State: {@link EmptyState}.
   */
  public static Optimizer scaleByTrustRatio(double minNorm, double trustCoefficient, double eps) {
    checkNonNegative("scaleByTrustRatio", "minNorm", minNorm, "optax's default is 0");
    checkNonNegative("scaleByTrustRatio", "trustCoefficient", trustCoefficient, "optax's default is 1");
    checkNonNegative("scaleByTrustRatio", "eps", eps, "optax's default is 0");
    return new OptimTransforms.ScaleByTrustRatio(minNorm, trustCoefficient, eps);
  }

  /** {@code optax.lookahead(fast_optimizer, sync_period, slow_step_size)} (reset_state false). */
  public static Lookahead lookahead(Optimizer fastOptimizer, int syncPeriod, double slowStepSize) {
    return lookahead(fastOptimizer, syncPeriod, slowStepSize, false);
  }

  /**
   * {@code optax.lookahead(fast_optimizer, sync_period, slow_step_size, reset_state)}: train a
   * {@link LookaheadParams} pair (start with {@link LookaheadParams#initSynced}); the gradients are
   * taken at {@code params.fast()}. Every {@code syncPeriod} steps the slow params move
   * {@code slowStepSize} of the way to the fast ones and the fast ones restart there
   * ({@code resetState}: with the fast optimizer's state reset too). State: {@link LookaheadState}.
   */
  public static Lookahead lookahead(Optimizer fastOptimizer, int syncPeriod, double slowStepSize, boolean resetState) {
    Objects.requireNonNull(fastOptimizer, "Optim.lookahead: fastOptimizer (e.g. Optim.adam(1e-3))");
    if (syncPeriod < 1) {
      throw new IllegalArgumentException(
          "Optim.lookahead: syncPeriod must be >= 1, got " + syncPeriod + " (fast steps between synchronisations; 5 is usual)");
    }
    if (!(slowStepSize >= 0 && slowStepSize <= 1)) {
      throw new IllegalArgumentException(
          "Optim.lookahead: slowStepSize must be in [0, 1], got " + slowStepSize
              + " (the fraction of the way the slow params move to the fast ones; 0.5 is usual)");
    }
    return new OptimLookahead(fastOptimizer, syncPeriod, slowStepSize, resetState);
  }

  static void checkFloatDtype(String optimizer, String name, DType dtype) {
    if (dtype != null && !dtype.isFloating()) {
      throw new IllegalArgumentException(
          "Optim." + optimizer + ": " + name + " must be a floating dtype (F32, BF16, F16, F64) or null (the params'),"
              + " got " + dtype);
    }
  }

  // ---- injected hyperparameters -------------------------------------------------------------------

  /**
   * {@code optax.inject_hyperparams(inner_factory)(**hyperparams)}: the hyperparameters live in the
   * state ({@link InjectHyperparamsState#hyperparams()}), and {@code factory} builds the optimizer
   * from them at every update. So a jitted step takes them as inputs: change one between steps with
   * {@link InjectHyperparamsState#withHyperparam} (no retrace), read the rate a schedule gave from the
   * state, or give a {@link Schedule} as the value to have it evaluated from the count.
   *
   * <pre>{@code
   * Optim.Optimizer opt = Optim.injectHyperparams(hp -> Optim.adam(hp.get("learning_rate")), Map.of("learning_rate", 1e-3));
   * var state = (Optim.InjectHyperparamsState<Params>) opt.init(params);
   * state = state.withHyperparam("learning_rate", 1e-4);   // the jitted step keeps its graph
   * }</pre>
   *
   * The factory must build an optimizer whose state does not depend on the values (any of this
   * class's does); flags and other fixed arguments are plain Java in it.
   *
   * @param hyperparams each name's start value (a number; floats are kept in the params' widest
   *     float dtype, as optax's) or its {@link Schedule}
   */
  public static Optimizer injectHyperparams(Function<Hyperparams, Optimizer> factory, Map<String, ?> hyperparams) {
    Objects.requireNonNull(factory, "Optim.injectHyperparams: factory (hp -> the optimizer, e.g. hp -> Optim.adam(hp.get(\"learning_rate\")))");
    return new OptimInject.Inject(factory, OptimInject.checkSpec(hyperparams));
  }

  // ---- AMSGrad, Adan, Rprop, Polyak SGD; optax.contrib's Muon and schedule-free ------------------

  /** {@code optax.amsgrad(learning_rate)} (b1 0.9, b2 0.999, eps 1e-8, eps_root 0). */
  public static Optimizer amsgrad(double learningRate) {
    return amsgrad(learningRate, 0.9, 0.999, 1e-8, 0.0, null, true, true);
  }

  /** {@code optax.amsgrad(schedule)}: the schedule read at {@link ScaleByAmsgradState#count()} before its increment. */
  public static Optimizer amsgrad(Schedule learningRate) {
    return amsgrad(learningRate, 0.9, 0.999, 1e-8, 0.0, null, true, true);
  }

  /**
   * {@code optax.amsgrad(learning_rate, b1, b2, eps, eps_root, mu_dtype, bias_correction_mu,
   * bias_correction_nu)}: Adam that divides by the largest second moment so far, {@code nuMax =
   * max(nuMax, nu_hat)}, {@code update = -lr·mu_hat/(sqrt(nuMax + epsRoot) + eps)}; without the bias
   * corrections (the paper's form) {@code mu_hat = mu}, and {@code nuMax} tracks {@code nu} itself.
   * State: {@link ScaleByAmsgradState}.
   */
  public static Optimizer amsgrad(double learningRate, double b1, double b2, double eps, double epsRoot, DType muDtype,
      boolean biasCorrectionMu, boolean biasCorrectionNu) {
    checkLearningRate("amsgrad", learningRate);
    return amsgradOf(LearningRate.fixed(learningRate), b1, b2, eps, epsRoot, muDtype, biasCorrectionMu, biasCorrectionNu);
  }

  /** {@link #amsgrad(double, double, double, double, double, DType, boolean, boolean)} with a schedule. */
  public static Optimizer amsgrad(Schedule learningRate, double b1, double b2, double eps, double epsRoot, DType muDtype,
      boolean biasCorrectionMu, boolean biasCorrectionNu) {
    return amsgradOf(LearningRate.of("amsgrad", learningRate), b1, b2, eps, epsRoot, muDtype, biasCorrectionMu,
        biasCorrectionNu);
  }

  private static Optimizer amsgradOf(LearningRate lr, double b1, double b2, double eps, double epsRoot, DType muDtype,
      boolean biasCorrectionMu, boolean biasCorrectionNu) {
    checkDecay("amsgrad", "b1", b1, "0.9");
    checkDecay("amsgrad", "b2", b2, "0.999");
    checkNonNegative("amsgrad", "eps", eps, "optax's default is 1e-8");
    checkNonNegative("amsgrad", "epsRoot", epsRoot, "optax's default is 0");
    checkFloatDtype("amsgrad", "muDtype", muDtype);
    return new OptimAdamFamily.Amsgrad(lr, b1, b2, eps, epsRoot, muDtype, biasCorrectionMu, biasCorrectionNu);
  }

  /** {@code optax.adan(learning_rate)} (b1 0.98, b2 0.92, b3 0.99, eps 1e-8, eps_root 1e-8, weight_decay 0). */
  public static Optimizer adan(double learningRate) {
    return adan(learningRate, 0.98, 0.92, 0.99, 1e-8, 1e-8, 0.0, null);
  }

  /** {@code optax.adan(schedule)}. */
  public static Optimizer adan(Schedule learningRate) {
    return adan(learningRate, 0.98, 0.92, 0.99, 1e-8, 1e-8, 0.0, null);
  }

  /**
   * {@code optax.adan(learning_rate, b1, b2, b3, eps, eps_root, weight_decay, mask)}: adaptive Nesterov
   * momentum. With {@code d = g - gPrev} (0 at the first step), {@code m = ema(g, b1)}, {@code v =
   * ema(d, b2)}, {@code n = ema((g + (1-b2)·d)², b3)}, all bias-corrected, the update is {@code -lr·((m +
   * (1-b2)·v)/(sqrt(n + epsRoot) + eps) + weightDecay·params)}, the decay on the leaves whose path
   * {@code mask} accepts (null: all). State: {@link ScaleByAdanState}.
   */
  public static Optimizer adan(double learningRate, double b1, double b2, double b3, double eps, double epsRoot,
      double weightDecay, Predicate<String> mask) {
    checkLearningRate("adan", learningRate);
    return adanOf(LearningRate.fixed(learningRate), b1, b2, b3, eps, epsRoot, weightDecay, mask);
  }

  /** {@link #adan(double, double, double, double, double, double, double, Predicate)} with a schedule. */
  public static Optimizer adan(Schedule learningRate, double b1, double b2, double b3, double eps, double epsRoot,
      double weightDecay, Predicate<String> mask) {
    return adanOf(LearningRate.of("adan", learningRate), b1, b2, b3, eps, epsRoot, weightDecay, mask);
  }

  private static Optimizer adanOf(LearningRate lr, double b1, double b2, double b3, double eps, double epsRoot,
      double weightDecay, Predicate<String> mask) {
    checkDecay("adan", "b1", b1, "0.98");
    checkDecay("adan", "b2", b2, "0.92");
    checkDecay("adan", "b3", b3, "0.99");
    checkNonNegative("adan", "eps", eps, "optax's default is 1e-8");
    checkNonNegative("adan", "epsRoot", epsRoot, "optax's default is 1e-8");
    checkNonNegative("adan", "weightDecay", weightDecay, "optax's default is 0");
    return new OptimAdamFamily.Adan(lr, b1, b2, b3, eps, epsRoot, weightDecay, mask);
  }

  /** {@code optax.rprop(learning_rate)} (eta_minus 0.5, eta_plus 1.2, min_step_size 1e-6, max_step_size 50). */
  public static Optimizer rprop(double learningRate) {
    return rprop(learningRate, 0.5, 1.2, 1e-6, 50.0);
  }

  /**
   * {@code optax.rprop(learning_rate, eta_minus, eta_plus, min_step_size, max_step_size)}: resilient
   * backpropagation. Every element keeps its own step size, started at {@code learningRate}: times
   * {@code etaPlus} while its gradient keeps its sign, times {@code etaMinus} when the sign flips (then
   * that element skips a step), clipped to {@code [minStepSize, maxStepSize]}. As in optax 0.2.8 the
   * update applied is the previous step's {@code -stepSize·sign(g)} (so the first update is 0), 0 where
   * the sign just flipped. Only the gradients' signs count. State: {@link ScaleByRpropState}.
   */
  public static Optimizer rprop(double learningRate, double etaMinus, double etaPlus, double minStepSize, double maxStepSize) {
    checkLearningRate("rprop", learningRate);
    checkNonNegative("rprop", "etaMinus", etaMinus, "the step's shrink on a sign flip; optax's default is 0.5");
    checkNonNegative("rprop", "etaPlus", etaPlus, "the step's growth while the sign holds; optax's default is 1.2");
    checkNonNegative("rprop", "minStepSize", minStepSize, "optax's default is 1e-6");
    checkNonNegative("rprop", "maxStepSize", maxStepSize, "optax's default is 50");
    if (minStepSize > maxStepSize) {
      throw new IllegalArgumentException("Optim.rprop: minStepSize " + minStepSize + " is above maxStepSize " + maxStepSize
          + "; the step sizes are clipped into [minStepSize, maxStepSize] (optax's defaults are 1e-6 and 50)");
    }
    return new OptimStepSizes.Rprop(learningRate, etaMinus, etaPlus, minStepSize, maxStepSize);
  }

  /** {@code optax.polyak_sgd()} (max_learning_rate 1, scaling 1, f_min 0, eps 0, variant "sps"). */
  public static ValueOptimizer polyakSgd() {
    return polyakSgd(1.0, 1.0, 0.0, 0.0, false);
  }

  /**
   * {@code optax.polyak_sgd(max_learning_rate, scaling, f_min, eps, variant)}: SGD whose step is
   * Polyak's, {@code min((loss - fMin)/(||u||² + eps), maxLearningRate)} with {@code u = -scaling·g}
   * (0 when {@code ||u||² + eps} is below float64's machine epsilon); {@code plus} is optax's variant
   * {@code "sps+"}, the gap {@code loss - fMin} clipped at 0 (else a loss below {@code fMin} steps
   * uphill). Needs the loss: call {@link ValueOptimizer#update(Object, OptState, Object, Array)}.
   * State: {@link EmptyState}.
   */
  public static ValueOptimizer polyakSgd(double maxLearningRate, double scaling, double fMin, double eps, boolean plus) {
    checkLearningRate("polyakSgd", scaling);
    return polyakOf(maxLearningRate, LearningRate.fixed(scaling), fMin, eps, plus);
  }

  /** {@link #polyakSgd(double, double, double, double, boolean)} with the scaling a schedule. State: {@link ScheduleState}. */
  public static ValueOptimizer polyakSgd(double maxLearningRate, Schedule scaling, double fMin, double eps, boolean plus) {
    return polyakOf(maxLearningRate, LearningRate.of("polyakSgd", scaling), fMin, eps, plus);
  }

  private static ValueOptimizer polyakOf(double maxLearningRate, LearningRate scaling, double fMin, double eps, boolean plus) {
    checkNonNegative("polyakSgd", "maxLearningRate", maxLearningRate, "the largest step; optax's default is 1");
    checkNonNegative("polyakSgd", "eps", eps, "optax's default is 0");
    if (!Double.isFinite(fMin)) {
      throw new IllegalArgumentException("Optim.polyakSgd: fMin must be a finite number, got " + fMin
          + " (a lower bound of the loss; 0 for a model that fits its data)");
    }
    return new OptimStepSizes.Polyak(maxLearningRate, scaling, fMin, eps, plus);
  }

  /** {@code optax.contrib.muon(learning_rate)} with optax's defaults ({@link MuonOptions#defaults()}). */
  public static Optimizer muon(double learningRate) {
    return muon(learningRate, MuonOptions.defaults());
  }

  /** {@code optax.contrib.muon(schedule)}. */
  public static Optimizer muon(Schedule learningRate) {
    return muon(learningRate, MuonOptions.defaults());
  }

  /**
   * {@code optax.contrib.muon(learning_rate, ...)}: momentum orthogonalised by Newton–Schulz for every
   * 2-D leaf (a {@code fanIn×fanOut} matrix), AdamW (Nesterov by default) for every other leaf. A
   * matrix's update is its (Nesterov) momentum, divided by its Frobenius norm, run through
   * {@code nsSteps} quintic Newton–Schulz iterations (on the transpose when it has more rows than
   * columns), so its singular values move towards 1; then scaled by its shape
   * ({@link MuonOptions#consistentRms()}), plus the weight decay, times {@code -lr}. State: a
   * {@link PartitionState} of {@code adam} ({@link MaskedState} of an {@link AdamState}) and
   * {@code muon} ({@link MaskedState} of a {@link ChainState} of {@link MuonState}, two
   * {@link EmptyState}s and the learning rate's state), optax's.
   */
  public static Optimizer muon(double learningRate, MuonOptions options) {
    checkLearningRate("muon", learningRate);
    return OptimMuon.of(LearningRate.fixed(learningRate), checkMuon(options));
  }

  /** {@link #muon(double, MuonOptions)} with a schedule. */
  public static Optimizer muon(Schedule learningRate, MuonOptions options) {
    Objects.requireNonNull(learningRate, "Optim.muon: learningRate (schedule)");
    return OptimMuon.of(LearningRate.of("muon", learningRate), checkMuon(options));
  }

  private static MuonOptions checkMuon(MuonOptions o) {
    Objects.requireNonNull(o, "Optim.muon: options (MuonOptions.defaults() for optax's)");
    if (o.nsSteps() < 1) {
      throw new IllegalArgumentException(
          "Optim.muon: nsSteps must be >= 1, got " + o.nsSteps() + " (the Newton–Schulz iterations; optax's default is 5)");
    }
    for (double c : o.nsCoeffs()) {
      if (!Double.isFinite(c)) {
        throw new IllegalArgumentException("Optim.muon: nsCoeffs must be finite numbers, got " + java.util.Arrays.toString(o.nsCoeffs()));
      }
    }
    checkDecay("muon", "beta", o.beta(), "0.95");
    checkNonNegative("muon", "eps", o.eps(), "optax's default is 1e-8");
    checkNonNegative("muon", "weightDecay", o.weightDecay(), "optax's default is 0");
    checkDecay("muon", "adamB1", o.adamB1(), "0.9");
    checkDecay("muon", "adamB2", o.adamB2(), "0.999");
    checkNonNegative("muon", "adamEpsRoot", o.adamEpsRoot(), "optax's default is 0");
    checkNonNegative("muon", "adamWeightDecay", o.adamWeightDecay(), "optax's default is 0");
    if (o.consistentRms() != null) {
      checkNonNegative("muon", "consistentRms", o.consistentRms(), "null for optax's width scaling; 0.2 matches AdamW");
    }
    return o;
  }

  /**
   * {@code optax.contrib.schedule_free(base_optimizer, learning_rate, b1=0.9)} (weight_lr_power 2, the
   * state in the params' dtype).
   */
  public static Optimizer scheduleFree(Optimizer baseOptimizer, double learningRate) {
    return scheduleFree(baseOptimizer, learningRate, 0.9, 2.0, null);
  }

  /**
   * {@code optax.contrib.schedule_free(base_optimizer, learning_rate, b1, weight_lr_power, state_dtype)}:
   * no learning-rate decay needed. The base optimizer (give it no momentum: {@code b1 = 0} for Adam)
   * moves its own iterate {@code z}; the params the model trains at are {@code y = b1·x + (1-b1)·z},
   * with {@code x} the running average of the {@code z}s, weighted by {@code maxLr^weightLrPower} (so a
   * warmup counts less). Evaluate at {@link #scheduleFreeEvalParams} ({@code x}). {@code learningRate}
   * is only the averaging weight here: give the base optimizer its rate too. {@code stateDtype} keeps
   * {@code z} in that dtype (null: the params'). State: {@link ScheduleFreeState}.
   */
  public static Optimizer scheduleFree(Optimizer baseOptimizer, double learningRate, double b1, double weightLrPower,
      DType stateDtype) {
    checkLearningRate("scheduleFree", learningRate);
    return scheduleFreeOf(baseOptimizer, LearningRate.fixed(learningRate), b1, weightLrPower, stateDtype);
  }

  /** {@link #scheduleFree(Optimizer, double, double, double, DType)} with a schedule (a warmup, no decay), read at the step from 1. */
  public static Optimizer scheduleFree(Optimizer baseOptimizer, Schedule learningRate, double b1, double weightLrPower,
      DType stateDtype) {
    return scheduleFreeOf(baseOptimizer, LearningRate.of("scheduleFree", learningRate), b1, weightLrPower, stateDtype);
  }

  private static Optimizer scheduleFreeOf(Optimizer base, LearningRate lr, double b1, double weightLrPower, DType stateDtype) {
    Objects.requireNonNull(base, "Optim.scheduleFree: baseOptimizer (e.g. Optim.sgd(lr) or Optim.adam(lr, 0, 0.999, 1e-8))");
    if (!(b1 > 0 && b1 <= 1)) {
      throw new IllegalArgumentException("Optim.scheduleFree: b1 must be in (0, 1], got " + b1
          + " (the interpolation between the average and the base iterate; optax's default is 0.9, and it must be > 0)");
    }
    if (!Double.isFinite(weightLrPower)) {
      throw new IllegalArgumentException("Optim.scheduleFree: weightLrPower must be a finite number, got " + weightLrPower
          + " (optax's default is 2)");
    }
    checkFloatDtype("scheduleFree", "stateDtype", stateDtype);
    return new OptimScheduleFree.ScheduleFree(base, lr, b1, weightLrPower, stateDtype);
  }

  /** {@code optax.contrib.schedule_free_sgd(learning_rate)} (no warmup, b1 0.9, no weight decay, weight_lr_power 2). */
  public static Optimizer scheduleFreeSgd(double learningRate) {
    return scheduleFreeSgd(learningRate, 0, 0.9, 0.0, 2.0, null);
  }

  /**
   * {@code optax.contrib.schedule_free_sgd(learning_rate, warmup_steps, b1, weight_decay,
   * weight_lr_power, state_dtype)}: {@link #scheduleFree} over SGD (after
   * {@link #addDecayedWeights(double)} when {@code weightDecay > 0}), the rate warmed up linearly from
   * 0 over {@code warmupSteps} (0: none). State: {@link ScheduleFreeState}.
   */
  public static Optimizer scheduleFreeSgd(double learningRate, int warmupSteps, double b1, double weightDecay,
      double weightLrPower, DType stateDtype) {
    checkLearningRate("scheduleFreeSgd", learningRate);
    checkNonNegative("scheduleFreeSgd", "weightDecay", weightDecay, "0 is none, optax's default");
    Schedule warmup = warmup("scheduleFreeSgd", learningRate, warmupSteps);
    Optimizer sgd = warmup == null ? sgd(learningRate) : sgd(warmup);
    Optimizer base = weightDecay == 0 ? sgd : chain(addDecayedWeights(weightDecay), sgd);
    return warmup == null ? scheduleFree(base, learningRate, b1, weightLrPower, stateDtype)
        : scheduleFree(base, warmup, b1, weightLrPower, stateDtype);
  }

  /** {@code optax.contrib.schedule_free_adamw(learning_rate)} (b1 0.9, b2 0.999, eps 1e-8, no weight decay). */
  public static Optimizer scheduleFreeAdamw(double learningRate) {
    return scheduleFreeAdamw(learningRate, 0, 0.9, 0.999, 1e-8, 0.0, 2.0, null);
  }

  /**
   * {@code optax.contrib.schedule_free_adamw(learning_rate, warmup_steps, b1, b2, eps, weight_decay,
   * weight_lr_power, state_dtype)}: {@link #scheduleFree} over Adam without momentum (optax's chain of
   * a bias-corrected RMS scaling, eps outside the root, the decay and the rate). State:
   * {@link ScheduleFreeState} over a {@link ChainState} of ({@link ScaleByRmsWithCountState},
   * {@link EmptyState}, {@link EmptyState} or {@link ScheduleState}).
   */
  public static Optimizer scheduleFreeAdamw(double learningRate, int warmupSteps, double b1, double b2, double eps,
      double weightDecay, double weightLrPower, DType stateDtype) {
    checkLearningRate("scheduleFreeAdamw", learningRate);
    checkDecay("scheduleFreeAdamw", "b2", b2, "0.999");
    checkNonNegative("scheduleFreeAdamw", "eps", eps, "optax's default is 1e-8");
    checkNonNegative("scheduleFreeAdamw", "weightDecay", weightDecay, "optax's default is 0");
    Schedule warmup = warmup("scheduleFreeAdamw", learningRate, warmupSteps);
    Optimizer base = new OptimCore.Chain(List.of(new OptimScheduleFree.ScaleByRmsWithCount(b2, eps),
        new OptimCore.AddDecayedWeights(weightDecay, null),
        warmup == null ? new OptimElementwise.Scale(-learningRate)
            : OptimElementwise.ScaleBySchedule.learningRate("scheduleFreeAdamw", warmup)));
    return warmup == null ? scheduleFree(base, learningRate, b1, weightLrPower, stateDtype)
        : scheduleFree(base, warmup, b1, weightLrPower, stateDtype);
  }

  /** optax's {@code warmup_constant_schedule(0, lr, warmup_steps)} (a linear schedule), or null for no warmup. */
  private static Schedule warmup(String optimizer, double learningRate, int warmupSteps) {
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("Optim." + optimizer + ": warmupSteps must be >= 0, got " + warmupSteps
          + " (the linear warmup's length; 0 is none, optax's warmup_steps=None)");
    }
    return warmupSteps == 0 ? null : Schedule.linear(0.0, learningRate, warmupSteps);
  }

  /**
   * {@code optax.contrib.schedule_free_eval_params(state, params)}: the params to evaluate a
   * schedule-free run at, {@code x = (y - (1-b1)·z)/b1}.
   *
   * @param state the {@link ScheduleFreeState} (also found inside a chain or a wrapper's state)
   */
  public static <P> P scheduleFreeEvalParams(OptState<P> state, P params) {
    ScheduleFreeState<P> s = OptimScheduleFree.find(state);
    Array b1 = s.b1();
    return Tree.map((y, z) -> y.sub(b1.rsub(1).mul(z)).div(b1), params, s.z());
  }

  // ---- building blocks ---------------------------------------------------------------------------

  /** {@code optax.clip(max_delta)}: every element clipped into {@code [-maxDelta, maxDelta]}. State: {@link EmptyState}. */
  public static Optimizer clip(double maxDelta) {
    if (!(maxDelta >= 0) || Double.isInfinite(maxDelta)) {
      throw new IllegalArgumentException(
          "Optim.clip: maxDelta must be a finite number >= 0, got " + maxDelta
              + " (the largest magnitude let through per element, e.g. 1.0; for the norm use clipByGlobalNorm)");
    }
    return new OptimElementwise.Clip(maxDelta);
  }

  /**
   * {@code optax.zero_nans()}: NaNs in the updates become 0 (infinities stay). State:
   * {@link ZeroNansState}, which says per leaf whether the last update had a NaN.
   */
  public static Optimizer zeroNans() {
    return new OptimElementwise.ZeroNans();
  }

  /** {@code optax.scale(step_size)}: every update times {@code factor}. State: {@link EmptyState}. */
  public static Optimizer scale(double factor) {
    if (!Double.isFinite(factor)) {
      throw new IllegalArgumentException("Optim.scale: factor must be a finite number, got " + factor);
    }
    return new OptimElementwise.Scale(factor);
  }

  /**
   * {@code optax.scale_by_schedule(step_size_fn)}: updates times {@code schedule(count)}, count the
   * updates before this one. No sign flip: end a chain with {@code scale(-1)} or use a negative
   * schedule to descend. State: {@link ScheduleState}.
   */
  public static Optimizer scaleBySchedule(Schedule schedule) {
    return new OptimElementwise.ScaleBySchedule("scaleBySchedule", Objects.requireNonNull(schedule, "Optim.scaleBySchedule: schedule"), false);
  }

  /**
   * {@code optax.trace(decay, nesterov)}: momentum without a learning rate, {@code trace = g +
   * decay·trace}, the update is {@code trace} (Nesterov: {@code g + decay·trace}). State:
   * {@link TraceState}.
   */
  public static Optimizer trace(double decay, boolean nesterov) {
    checkNonNegative("trace", "decay", decay, "0.9 is usual");
    return new OptimCore.Momentum("trace", decay, nesterov, 1);
  }

  // ---- implementations -------------------------------------------------------------------------

  /**
   * The optimizers defined here: {@code update} taps the gradients for a recording, then
   * transforms. A {@link Chain} taps once and calls its parts' {@code transform}, so the
   * recorder sees one set of gradient norms per update, of the raw gradients.
   */
  interface Transform extends Optimizer {
    <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params);

    @Override
    default <P> Pair<P, OptState<P>> update(P grads, OptState<P> state, P params) {
      tapGradients(grads, params);
      return transform(grads, state, params);
    }
  }

  /**
   * A transform that keeps no state (optax's {@code EmptyState}): only how it maps the updates.
   * {@link #name()} is the factory's name, for the error a state from another optimizer gets.
   */
  interface StatelessTransform extends Transform {
    String name();

    <P> P map(P updates, P params);

    @Override
    default <P> OptState<P> init(P params) {
      Tree.flatten(params); // a bad tree fails at init, as every optimizer's does
      return new EmptyState<>();
    }

    @Override
    default <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      if (!(state instanceof EmptyState<P>)) {
        throw wrongState(name(), EmptyState.class, state);
      }
      return Pair.of(map(updates, params), state);
    }
  }

  /** A fixed learning rate, or a schedule read at the count before the update (optax's indexing). */
  record LearningRate(double fixed, Schedule schedule, String optimizer) {
    static LearningRate fixed(double lr) {
      return new LearningRate(lr, null, null);
    }

    static LearningRate of(String optimizer, Schedule schedule) {
      return new LearningRate(Double.NaN, Objects.requireNonNull(schedule, "Optim." + optimizer + ": schedule"), optimizer);
    }

    /**
     * {@code u -> -lr * u}: a fixed rate as a weak scalar; a schedule's value cast to each
     * update's dtype first, as optax's {@code scale_by_schedule} does.
     */
    Function<Array, Array> scaleAt(Array count) {
      if (schedule == null) {
        return u -> u.mul(-fixed);
      }
      Array lr = scheduleValue(optimizer, schedule, count);
      return u -> u.mul(lr.astype(u.dtype()).neg());
    }

    /** The learning-rate part of a chain ({@code u -> -lr·u}): optax's {@code scale(-lr)} or {@code scale_by_learning_rate(schedule)}. */
    Optimizer scaleTransform() {
      return schedule == null ? new OptimElementwise.Scale(-fixed) : OptimElementwise.ScaleBySchedule.learningRate(optimizer, schedule);
    }
  }

  static Array scheduleValue(String optimizer, Schedule schedule, Array count) {
    Array lr = schedule.apply(count);
    if (lr == null || lr.ndim() != 0) {
      throw new IllegalArgumentException(
          "Optim." + optimizer + ": the learning-rate schedule returned "
              + (lr == null ? "null" : "an array of shape " + lr.aval())
              + " at a step; a Schedule must return a scalar array (e.g. Array.scalar(DType.F64, lr))");
    }
    return lr;
  }

  /** One part's update inside a wrapper or chain: parts defined here skip their tap (done once, outside). */
  static <P> Pair<P, OptState<P>> transformPart(Optimizer o, P updates, OptState<P> state, P params) {
    return o instanceof Transform t ? t.transform(updates, state, params) : o.update(updates, state, params);
  }

  /** optax's {@code numerics.safe_increment} for I32 counters: stops at the largest int instead of wrapping. */
  static Array safeIncrement(Array count) {
    return Array.where(count.lt(Integer.MAX_VALUE), count.add(1), count);
  }

  /**
   * While a run is recorded, an update traced under jit adds a tap that hands the recorder the
   * gradients' norms at run time ({@code grad_norm/params.weight}, {@code grad_norm}; see
   * {@code Recorder.gradNorms}). Otherwise the graph is left as it is.
   */
  static void tapGradients(Object grads, Object params) {
    if (TraceStack.isTracing()) {
      RecordingTaps.Tapper tapper = RecordingTaps.consult();
      if (tapper != null) {
        tapper.gradients(grads, params);
      }
    }
  }

  static IllegalArgumentException wrongState(String optimizer, Class<?> expected, Object state) {
    return new IllegalArgumentException(
        "Optim." + optimizer + ".update: the state is "
            + (state == null ? "null" : "a " + state.getClass().getSimpleName())
            + ", expected a " + expected.getSimpleName()
            + "; pass the state that this optimizer's init(params) (or its previous update) returned");
  }

  /**
   * A counter leaf must be I32. Its shape is not checked: a vmapped state (an ensemble, one
   * optimizer state per member) rebuilds its records with one count per member, and JAX's rule
   * holds here too — a pytree's constructor must accept any leaf a transform hands it.
   */
  static void checkCount(String state, Array count, String init) {
    Objects.requireNonNull(count, "count");
    if (count.dtype() != DType.I32) {
      throw new IllegalArgumentException(
          (state.contains(".") ? state : state + ".count") + " must be I32 (a scalar, or one per member of a vmapped"
              + " batch), got " + count.aval() + "; build the state with " + init + ".init(params)");
    }
  }

  static double checkLearningRate(String optimizer, double learningRate) {
    if (!Double.isFinite(learningRate) || learningRate < 0) {
      throw new IllegalArgumentException(
          "Optim." + optimizer + ": the learning rate must be a finite number >= 0, got " + learningRate
              + (learningRate < 0 ? " (the update already descends: -lr * direction; to ascend, negate the loss)" : ""));
    }
    return learningRate;
  }

  static void checkAdam(String optimizer, double b1, double b2, double eps) {
    checkDecay(optimizer, "b1", b1);
    checkDecay(optimizer, "b2", b2);
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException(
          "Optim." + optimizer + ": eps must be a finite number >= 0, got " + eps + " (optax's default is 1e-8)");
    }
  }

  static void checkDecay(String optimizer, String name, double decay) {
    checkDecay(optimizer, name, decay, optimizer.startsWith("adam") ? (name.equals("b1") ? "0.9" : "0.999") : "0.9");
  }

  static void checkDecay(String optimizer, String name, double decay, String optaxDefault) {
    if (!(decay >= 0 && decay < 1)) {
      throw new IllegalArgumentException(
          "Optim." + optimizer + ": " + name + " must be in [0, 1), got " + decay
              + (optimizer.startsWith("adam") ? " (optax's defaults are b1=0.9, b2=0.999)" : " (optax's default is " + optaxDefault + ")"));
    }
  }

  static void checkNonNegative(String optimizer, String name, double value, String hint) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Optim." + optimizer + ": " + name + " must be a finite number >= 0, got " + value + " (" + hint + ")");
    }
  }

  private static double checkMomentum(double momentum) {
    if (!(momentum >= 0) || Double.isInfinite(momentum)) {
      throw new IllegalArgumentException(
          "Optim.sgd: momentum must be a finite number >= 0, got " + momentum + " (0.9 is usual; 0 is plain SGD)");
    }
    return momentum;
  }

  private static double checkWeightDecay(double weightDecay) {
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          "Optim.adamw: weightDecay must be a finite number >= 0, got " + weightDecay + " (optax's default is 1e-4)");
    }
    return weightDecay;
  }
}
