package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.CallbackPrims;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.random.RandomPrimitives;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * VJP rules of the standard primitives ({@link Prims}, plus {@code erf_inv}), following JAX's
 * derivative conventions (e.g. {@code abs'(0) = 1}, {@code max} splits the gradient evenly on
 * ties, {@code reduce_max} splits it among all maximal elements).
 *
 * <p>Rank-0 operands of elementwise binary primitives are implicitly broadcast (lax's scalar
 * promotion), so their cotangent is the sum of the output cotangent.
 */
final class StandardVjps {
  private StandardVjps() {}

  @FunctionalInterface
  private interface Unary {
    /** Cotangent of x from x, the output y and the output cotangent g. */
    Array apply(Array x, Array y, Array g);
  }

  @FunctionalInterface
  private interface Binary {
    /** Cotangent of operand {@code which} (0 or 1), before un-broadcasting. */
    Array apply(int which, Array x, Array y, Array out, Array g);
  }

  static void registerAll() {
    for (Primitive p : List.of(Prims.SIGN, Prims.FLOOR, Prims.CEIL, Prims.ROUND, Prims.STOP_GRADIENT,
        Prims.IS_FINITE, Prims.NOT, Prims.AND, Prims.OR, Prims.XOR, Prims.SHIFT_LEFT,
        Prims.SHIFT_RIGHT_LOGICAL, Prims.SHIFT_RIGHT_ARITHMETIC, Prims.EQ, Prims.NE, Prims.LT, Prims.LE,
        Prims.GT, Prims.GE, Prims.BITCAST_CONVERT_TYPE, Prims.IOTA, Prims.ARGMAX, Prims.ARGMIN,
        Prims.DEBUG_PRINT, CallbackPrims.DEBUG_CALLBACK, RandomPrimitives.THREEFRY2X32)) {
      Vjp.register(p, Vjp.ZERO);
    }
    // as JAX: a host function has no derivative the engine could know; the user supplies one
    for (Primitive p : List.of(CallbackPrims.PURE_CALLBACK, CallbackPrims.IO_CALLBACK)) {
      Vjp.register(p, new Vjp.NotDifferentiable(p.name() + " cannot be differentiated: the engine cannot see "
          + "inside a host function. Wrap the function that calls it in Transforms.customVjp (or customJvp) with "
          + "its derivative, or stopGradient() its operands (JAX: callbacks do not support JVP; use jax.custom_jvp)"));
    }

    unary(Prims.NEG, (x, y, g) -> g.neg());
    unary(Prims.ABS, (x, y, g) -> x.dtype().isComplex() ? ComplexVjps.absOfComplex(x, y, g)
        : Array.where(x.ge(0), g, g.neg()));
    unary(Prims.EXP, (x, y, g) -> g.mul(y));
    unary(Prims.LOG, (x, y, g) -> g.div(x));
    unary(Prims.LOG1P, (x, y, g) -> g.div(x.add(1)));
    unary(Prims.ERF, (x, y, g) -> g.mul(x.square().neg().exp()).mul(2 / Math.sqrt(Math.PI)));
    unary(Prims.ERFC, (x, y, g) -> g.mul(x.square().neg().exp()).mul(-2 / Math.sqrt(Math.PI)));
    unary(Prims.EXPM1, (x, y, g) -> g.mul(y.add(1)));
    unary(Prims.TANH, (x, y, g) -> g.mul(y.square().rsub(1)));
    unary(Prims.LOGISTIC, (x, y, g) -> g.mul(y).mul(y.rsub(1)));
    unary(Prims.SIN, (x, y, g) -> g.mul(x.cos()));
    unary(Prims.COS, (x, y, g) -> g.mul(x.sin()).neg());
    // lax's JVP rules (tan from its output; acosh with x^2 - 1, as lax: the domain is x >= 1)
    unary(Prims.TAN, (x, y, g) -> g.mul(y.square().add(1)));
    unary(Prims.ASIN, (x, y, g) -> g.mul(x.square().rsub(1).rsqrt()));
    unary(Prims.ACOS, (x, y, g) -> g.mul(x.square().rsub(1).rsqrt()).neg());
    unary(Prims.ATAN, (x, y, g) -> g.div(x.square().add(1)));
    unary(Prims.SINH, (x, y, g) -> g.mul(x.cosh()));
    unary(Prims.COSH, (x, y, g) -> g.mul(x.sinh()));
    unary(Prims.ASINH, (x, y, g) -> g.mul(x.square().add(1).rsqrt()));
    unary(Prims.ACOSH, (x, y, g) -> g.mul(x.square().sub(1).rsqrt()));
    unary(Prims.ATANH, (x, y, g) -> x.add(1).reciprocal().mul(g.div(x.rsub(1))));
    unary(Prims.EXP2, (x, y, g) -> g.mul(y).mul(Math.log(2)));
    unary(Prims.SQRT, (x, y, g) -> g.mul(0.5).div(y));
    unary(Prims.RSQRT, (x, y, g) -> g.mul(y.div(x)).mul(-0.5));
    // lax's rule: g * (1/3) * ans^-2
    unary(Prims.CBRT, (x, y, g) -> g.mul(Array.scalar(x.dtype(), 1.0 / 3).mul(y.square().reciprocal())));
    unary(Prims.SQUARE, (x, y, g) -> g.mul(x).mul(2));
    unary(RandomPrimitives.ERF_INV, (x, y, g) -> g.mul(y.square().exp()).mul(Math.sqrt(Math.PI) / 2));

    binary(Prims.ADD, (w, x, y, out, g) -> g);
    binary(Prims.SUB, (w, x, y, out, g) -> w == 0 ? g : g.neg());
    binary(Prims.MUL, (w, x, y, out, g) -> w == 0 ? g.mul(y) : g.mul(x));
    binary(Prims.DIV, (w, x, y, out, g) -> w == 0 ? g.div(y) : g.mul(out).div(y).neg());
    binary(Prims.REM, (w, x, y, out, g) -> {
      if (w == 0) {
        return g;
      }
      Array q = x.div(y);
      return g.neg().mul(q.sign().mul(q.abs().floor()));
    });
    binary(Prims.POW, (w, x, y, out, g) -> {
      if (w == 0) {
        // y * x^(y-1), defined as 0 where y == 0 (so 0^0 has derivative 0, as in JAX)
        Array jac = Array.where(y.eq(0), 0.0, y.mul(x.pow(y.sub(1))));
        return g.mul(jac);
      }
      // log(x) * x^y, with log(0) replaced by 0 (JAX's _replace_zero)
      Array safeX = Array.where(x.eq(0), 1.0, x);
      return g.mul(safeX.log().mul(out));
    });
    binary(Prims.MAX, (w, x, y, out, g) -> g.mul(balancedEq(w == 0 ? x : y, out, w == 0 ? y : x)));
    binary(Prims.MIN, (w, x, y, out, g) -> g.mul(balancedEq(w == 0 ? x : y, out, w == 0 ? y : x)));
    binary(Prims.ATAN2, (w, x, y, out, g) -> {
      Array denom = x.square().add(y.square());
      return w == 0 ? g.mul(y).div(denom) : g.mul(x).div(denom).neg();
    });

    registerSpecial();

    Vjp.register(Prims.SELECT_N, (p, in, out, ct, needed) -> {
      Array which = in.get(0);
      Array g = ct.get(0);
      return Arrays.asList(null,
          needed[1] ? Array.where(which, 0.0, g) : null,
          needed[2] ? Array.where(which, g, 0.0) : null);
    });
    Vjp.register(Prims.CONVERT_ELEMENT_TYPE, (p, in, out, ct, needed) ->
        Arrays.asList(in.get(0).dtype().isInexact()
            ? ct.get(0).astype(in.get(0).dtype()) : null)); // c64 -> f32 keeps the real part, as JAX

    registerShapeRules();
    registerReductions();
    Vjp.register(Prims.DOT_GENERAL, StandardVjps::dotGeneral);
    registerIndexing();
    ArrayVjps.registerAll();
    ConvVjps.registerAll();
  }

  // ---- special functions (jax/_src/lax/special.py's JVP rules) -----------------------------------

  private static void registerSpecial() {
    unary(Prims.LGAMMA, (x, y, g) -> g.mul(special(Prims.DIGAMMA, x)));
    unary(Prims.DIGAMMA, (x, y, g) -> g.mul(special(Prims.POLYGAMMA, Array.scalar(x.dtype(), 1), x)));
    binary(Prims.POLYGAMMA, (w, m, x, out, g) -> {
      if (w == 0) {
        throw new UnsupportedOperationException("polygamma: the gradient with respect to the order m is not "
            + "supported (as in JAX: m is a natural number); differentiate with respect to x only");
      }
      return g.mul(special(Prims.POLYGAMMA, m.add(1), x));
    });
    binary(Prims.IGAMMA, (w, a, x, out, g) -> w == 0 ? g.mul(special(Prims.IGAMMA_GRAD_A, a, x)) : g.mul(igammaDx(a, x)));
    binary(Prims.IGAMMAC, (w, a, x, out, g) ->
        w == 0 ? g.mul(special(Prims.IGAMMA_GRAD_A, a, x)).neg() : g.mul(igammaDx(a, x)).neg());
    // JAX 0.10.2 registers no JVP for zeta_p: jax.scipy.special.zeta differentiates through its own
    // series expansion (a custom_jvp), which Special.zeta does too
    Vjp.register(Prims.ZETA, new Vjp.NotDifferentiable("lax.zeta has no differentiation rule (none in JAX "
        + "either); use Special.zeta(x, q), which differentiates in x and q through JAX's series expansion"));
    Vjp.register(Prims.IGAMMA_GRAD_A, new Vjp.NotDifferentiable("igamma_grad_a has no derivative rule (none in JAX "
        + "either); differentiate igamma once, or use finite differences of igamma_grad_a"));
    Vjp.register(Prims.RANDOM_GAMMA_GRAD, new Vjp.NotDifferentiable("random_gamma_grad has no derivative rule "
        + "(none in JAX either): the second derivative of a gamma draw in its shape is not available"));
    Vjp.register(Prims.BETAINC, (p, in, out, ct, needed) -> {
      if (needed[0] || needed[1]) {
        throw new UnsupportedOperationException("betainc: the gradient with respect to a and b is not supported "
            + "(JAX: 'Betainc gradient with respect to a and b not supported'); differentiate with respect to x only, "
            + "holding a and b constant (stopGradient)");
      }
      Array a = in.get(0);
      Array b = in.get(1);
      Array x = in.get(2);
      // lbeta = lgamma(a) + lgamma(b) - lgamma(a + b); d/dx = exp((b - 1) log1p(-x) + (a - 1) log(x) - lbeta)
      Array lbeta = special(Prims.LGAMMA, a).add(special(Prims.LGAMMA, b)).sub(special(Prims.LGAMMA, a.add(b)));
      Array partialX = b.sub(1).mul(x.neg().log1p()).add(a.sub(1).mul(x.log())).sub(lbeta).exp();
      return Arrays.asList(null, null, needed[2] ? unbroadcast(partialX.mul(ct.get(0)), x) : null);
    });
  }

  /** {@code d igamma(a, x) / dx = exp(-x + (a - 1) log(x) - lgamma(a))}, as lax's igamma_gradx. */
  private static Array igammaDx(Array a, Array x) {
    return x.neg().add(a.sub(1).mul(x.log())).sub(special(Prims.LGAMMA, a)).exp();
  }

  /** An elementwise special-function primitive on operands of one dtype, rank-0 ones broadcast first. */
  private static Array special(Primitive p, Array... operands) {
    int[] shape = new int[0];
    for (Array o : operands) {
      if (o.ndim() > 0) {
        shape = o.shape();
      }
    }
    Array[] ops = new Array[operands.length];
    for (int i = 0; i < ops.length; i++) {
      ops[i] = operands[i].ndim() == 0 && shape.length > 0 ? operands[i].broadcastTo(shape) : operands[i];
    }
    return p.bind1(Params.EMPTY, ops);
  }

  // ---- indexing --------------------------------------------------------------------------------

  /**
   * gather's cotangent is scattered back (added, so an index taken twice gets both cotangents);
   * scatter_add's is the output's for the operand and gathered for the updates. Indices get none.
   */
  private static void registerIndexing() {
    Vjp.register(Prims.GATHER, (p, in, out, ct, needed) -> Arrays.asList(
        needed[0] ? Prims.SCATTER_ADD.bind1(p, Vjp.zeros(in.get(0)), in.get(1), ct.get(0)) : null,
        null));
    Vjp.register(Prims.SCATTER_ADD, (p, in, out, ct, needed) -> Arrays.asList(
        needed[0] ? ct.get(0) : null,
        null,
        needed[2] ? Prims.GATHER.bind1(p, ct.get(0), in.get(1)) : null));
  }

  // ---- elementwise -----------------------------------------------------------------------------

  private static void unary(Primitive p, Unary rule) {
    Vjp.register(p, (params, in, out, ct, needed) ->
        Arrays.asList(rule.apply(in.get(0), out.get(0), ct.get(0))));
  }

  private static void binary(Primitive p, Binary rule) {
    Vjp.register(p, (params, in, out, ct, needed) -> {
      Array x = in.get(0);
      Array y = in.get(1);
      List<Array> r = Arrays.asList(null, null);
      for (int w = 0; w < 2; w++) {
        if (needed[w]) {
          r.set(w, unbroadcast(rule.apply(w, x, y, out.get(0), ct.get(0)), in.get(w)));
        }
      }
      return r;
    });
  }

  /** 1 where x is the result and y is not, 1/2 where both are (a tie), else 0 (JAX's rule). */
  private static Array balancedEq(Array x, Array out, Array y) {
    Array half = y.eq(out).astype(out.dtype()).mul(-0.5).add(1);
    return x.eq(out).astype(out.dtype()).mul(half);
  }

  /** The cotangent of a rank-0 operand that lax broadcast implicitly: the sum. */
  static Array unbroadcast(Array g, Array operand) {
    Array r = operand.ndim() == 0 && g.ndim() != 0 ? g.sum() : g;
    return r.dtype() == operand.dtype() ? r : r.astype(operand.dtype());
  }

  // ---- shapes ----------------------------------------------------------------------------------

  private static void registerShapeRules() {
    Vjp.register(Prims.BROADCAST_IN_DIM, (p, in, out, ct, needed) -> {
      Array x = in.get(0);
      int[] outShape = p.getInts("shape");
      int[] dims = p.getInts("broadcast_dimensions");
      boolean[] keep = new boolean[outShape.length];
      for (int i = 0; i < dims.length; i++) {
        keep[dims[i]] = x.dim(i) == outShape[dims[i]];
      }
      List<Integer> summed = new ArrayList<>();
      for (int d = 0; d < outShape.length; d++) {
        if (!keep[d]) {
          summed.add(d);
        }
      }
      Array g = sumAxes(ct.get(0), summed.stream().mapToInt(Integer::intValue).toArray());
      return Arrays.asList(reshape(g, x.shape()));
    });
    Vjp.register(Prims.RESHAPE, (p, in, out, ct, needed) -> Arrays.asList(reshape(ct.get(0), in.get(0).shape())));
    Vjp.register(Prims.SQUEEZE, (p, in, out, ct, needed) -> Arrays.asList(reshape(ct.get(0), in.get(0).shape())));
    Vjp.register(Prims.TRANSPOSE, (p, in, out, ct, needed) -> {
      int[] perm = p.getInts("permutation");
      int[] inverse = new int[perm.length];
      for (int i = 0; i < perm.length; i++) {
        inverse[perm[i]] = i;
      }
      return Arrays.asList(Prims.TRANSPOSE.bind1(Params.of("permutation", inverse), ct.get(0)));
    });
    Vjp.register(Prims.REV, (p, in, out, ct, needed) -> Arrays.asList(Prims.REV.bind1(p, ct.get(0))));
    Vjp.register(Prims.SLICE, (p, in, out, ct, needed) -> {
      Array x = in.get(0);
      int[] start = p.getInts("start_indices");
      int[] strides = p.getInts("strides");
      Array g = ct.get(0);
      int[] lo = new int[x.ndim()];
      int[] hi = new int[x.ndim()];
      int[] interior = new int[x.ndim()];
      for (int i = 0; i < lo.length; i++) {
        int n = g.dim(i);
        lo[i] = start[i];
        interior[i] = strides[i] - 1;
        int core = n == 0 ? 0 : n + (n - 1) * interior[i];
        hi[i] = x.dim(i) - lo[i] - core;
      }
      return Arrays.asList(pad(g, lo, hi, interior));
    });
    Vjp.register(Prims.PAD, (p, in, out, ct, needed) -> {
      Array x = in.get(0);
      int[] lo = p.getInts("low");
      int[] hi = p.getInts("high");
      int[] interior = p.getInts("interior");
      Array g = ct.get(0);
      // undo cropping (negative padding) with zeros, then take every (interior+1)-th element
      int[] uncropLo = new int[lo.length];
      int[] uncropHi = new int[lo.length];
      int[] start = new int[lo.length];
      int[] limit = new int[lo.length];
      int[] strides = new int[lo.length];
      boolean crop = false;
      for (int i = 0; i < lo.length; i++) {
        uncropLo[i] = Math.max(-lo[i], 0);
        uncropHi[i] = Math.max(-hi[i], 0);
        crop |= uncropLo[i] > 0 || uncropHi[i] > 0;
        int n = x.dim(i);
        int core = n == 0 ? 0 : n + (n - 1) * interior[i];
        start[i] = Math.max(lo[i], 0);
        limit[i] = start[i] + core;
        strides[i] = interior[i] + 1;
      }
      Array full = crop ? pad(g, uncropLo, uncropHi, new int[lo.length]) : g;
      Array gx = Prims.SLICE.bind1(Params.of("start_indices", start, "limit_indices", limit, "strides", strides), full);
      Array gv = needed[1] ? sumAll(g).sub(sumAll(gx)) : null;
      return Arrays.asList(gx, gv);
    });
    Vjp.register(Prims.CONCATENATE, (p, in, out, ct, needed) -> {
      int axis = p.getInt("dimension");
      Array g = ct.get(0);
      List<Array> r = new ArrayList<>(in.size());
      int offset = 0;
      for (int k = 0; k < in.size(); k++) {
        Array x = in.get(k);
        if (needed[k]) {
          int[] start = new int[x.ndim()];
          int[] limit = g.shape();
          int[] strides = new int[x.ndim()];
          Arrays.fill(strides, 1);
          start[axis] = offset;
          limit[axis] = offset + x.dim(axis);
          r.add(Prims.SLICE.bind1(Params.of("start_indices", start, "limit_indices", limit, "strides", strides), g));
        } else {
          r.add(null);
        }
        offset += x.dim(axis);
      }
      return r;
    });
  }

  private static Array pad(Array g, int[] lo, int[] hi, int[] interior) {
    return Prims.PAD.bind1(Params.of("low", lo, "high", hi, "interior", interior), g, Array.scalar(g.dtype(), 0));
  }

  static Array reshape(Array g, int[] shape) {
    return Arrays.equals(g.shape(), shape) ? g : Prims.RESHAPE.bind1(Params.of("new_sizes", shape), g);
  }

  static Array sumAxes(Array g, int[] axes) {
    return axes.length == 0 ? g : Prims.REDUCE_SUM.bind1(Params.of("axes", axes), g);
  }

  private static Array sumAll(Array g) {
    int[] axes = new int[g.ndim()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return sumAxes(g, axes);
  }

  // ---- reductions ------------------------------------------------------------------------------

  private static void registerReductions() {
    Vjp.register(Prims.REDUCE_SUM, (p, in, out, ct, needed) ->
        Arrays.asList(broadcastBack(ct.get(0), in.get(0), p.getInts("axes"))));
    VjpRule chooser = (p, in, out, ct, needed) -> {
      // the gradient goes to every element equal to the result, split evenly among ties
      Array x = in.get(0);
      int[] axes = p.getInts("axes");
      Array hits = x.eq(broadcastBack(out.get(0), x, axes)).astype(x.dtype());
      Array counts = broadcastBack(sumAxes(hits, axes), x, axes);
      return Arrays.asList(broadcastBack(ct.get(0), x, axes).mul(hits).div(counts));
    };
    Vjp.register(Prims.REDUCE_MAX, chooser);
    Vjp.register(Prims.REDUCE_MIN, chooser);
  }

  /** Broadcasts a value reduced over {@code axes} back to the shape of {@code x}. */
  private static Array broadcastBack(Array reduced, Array x, int[] axes) {
    int[] kept = new int[x.ndim() - axes.length];
    for (int d = 0, j = 0; d < x.ndim(); d++) {
      if (!contains(axes, d)) {
        kept[j++] = d;
      }
    }
    if (kept.length == x.ndim()) {
      return reduced;
    }
    return Prims.BROADCAST_IN_DIM.bind1(Params.of("shape", x.shape(), "broadcast_dimensions", kept), reduced);
  }

  // ---- dot_general -----------------------------------------------------------------------------

  /**
   * The transpose of dot_general: each operand's cotangent is a dot_general of the output
   * cotangent with the other operand, followed by a transpose back into the operand's axis order.
   */
  private static List<Array> dotGeneral(Params p, List<Array> in, List<Array> out, List<Array> ct, boolean[] needed) {
    List<int[]> dn = p.getList("dimension_numbers");
    int[] lc = dn.get(0), rc = dn.get(1), lb = dn.get(2), rb = dn.get(3);
    Array x0 = in.get(0);
    Array y0 = in.get(1);
    Array g = ct.get(0);
    // with preferred_element_type (bf16 x bf16 -> f32) the cotangent is wider than the operands:
    // multiply in its dtype (the operands widen exactly) and round each gradient once to its
    // operand's dtype, as JAX's transpose rule does
    Array x = x0.astype(g.dtype());
    Array y = y0.astype(g.dtype());
    int nb = lb.length;
    int[] xFree = free(x.ndim(), lc, lb);
    int[] yFree = free(y.ndim(), rc, rb);
    int[] gBatch = range(0, nb);
    int[] gX = range(nb, nb + xFree.length);
    int[] gY = range(nb + xFree.length, g.ndim());
    Array dx = null;
    Array dy = null;
    if (needed[0]) {
      // (batch, xFree, yFree) . y over yFree -> (batch, xFree, y's contracting axes ascending)
      Array r = Array.dotGeneral(g, y, gY, yFree, gBatch, rb);
      dx = r.transpose(backPermutation(x.ndim(), lb, xFree, lc, rc));
    }
    if (needed[1]) {
      // x . (batch, xFree, yFree) over xFree -> (batch, x's contracting axes ascending, yFree):
      // for a plain matmul this is already y's layout, so no transpose is materialized
      Array r = Array.dotGeneral(x, g, xFree, gX, lb, gBatch);
      int[] perm = new int[y.ndim()];
      for (int i = 0; i < nb; i++) {
        perm[rb[i]] = i;
      }
      int[] lcSorted = lc.clone();
      Arrays.sort(lcSorted);
      for (int k = 0; k < rc.length; k++) {
        perm[rc[k]] = nb + Arrays.binarySearch(lcSorted, lc[k]);
      }
      for (int j = 0; j < yFree.length; j++) {
        perm[yFree[j]] = nb + lc.length + j;
      }
      dy = r.transpose(perm);
    }
    return Arrays.asList(dx == null ? null : dx.astype(x0.dtype()), dy == null ? null : dy.astype(y0.dtype()));
  }

  /**
   * For an operand with batch axes {@code batch}, free axes {@code free} and contracting axes
   * {@code contract} (paired with the other operand's {@code otherContract}): where each of its
   * axes sits in (batch, free, other's contracting axes in ascending order).
   */
  private static int[] backPermutation(int rank, int[] batch, int[] free, int[] contract, int[] otherContract) {
    int[] perm = new int[rank];
    for (int i = 0; i < batch.length; i++) {
      perm[batch[i]] = i;
    }
    for (int j = 0; j < free.length; j++) {
      perm[free[j]] = batch.length + j;
    }
    int[] sorted = otherContract.clone();
    Arrays.sort(sorted);
    for (int k = 0; k < contract.length; k++) {
      perm[contract[k]] = batch.length + free.length + Arrays.binarySearch(sorted, otherContract[k]);
    }
    return perm;
  }

  private static int[] free(int rank, int[] contract, int[] batch) {
    return java.util.stream.IntStream.range(0, rank)
        .filter(d -> !contains(contract, d) && !contains(batch, d)).toArray();
  }

  private static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }
}
