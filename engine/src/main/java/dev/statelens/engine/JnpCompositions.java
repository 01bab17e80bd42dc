package dev.statelens.engine;

/**
 * jnp functions that JAX composes from lax ops, composed here the same way and in the same
 * order ({@code jax/_src/numpy/lax_numpy.py}, {@code polynomial.py}): {@code kron}, {@code cross},
 * {@code vander}, {@code polyval}, {@code convolve}/{@code correlate}, {@code interp} and
 * {@code bincount}. Grad, jit and vmap follow from the primitives. See docs/arrays.md.
 */
final class JnpCompositions {
  private JnpCompositions() {}

  /** {@code jnp.kron(a, b)}: a's axes interleaved with b's, multiplied with broadcasting, reshaped. */
  static Array kron(Array a, Array b) {
    DType dt = DType.promote(a.dtype(), b.dtype());
    a = a.astype(dt);
    b = b.astype(dt);
    int rank = Math.max(a.ndim(), b.ndim());
    a = a.reshape(leadingOnes(a.shape(), rank));
    b = b.reshape(leadingOnes(b.shape(), rank));
    int[] as = new int[2 * rank], bs = new int[2 * rank], out = new int[rank];
    for (int d = 0; d < rank; d++) {
      as[2 * d] = a.dim(d);
      as[2 * d + 1] = 1;
      bs[2 * d] = 1;
      bs[2 * d + 1] = b.dim(d);
      out[d] = a.dim(d) * b.dim(d);
    }
    return a.reshape(as).mul(b.reshape(bs)).reshape(out);
  }

  /** {@code shape} with leading 1s up to {@code rank} (Attention's {@code _ensure_4d} too). */
  static int[] leadingOnes(int[] shape, int rank) {
    int[] s = new int[rank];
    java.util.Arrays.fill(s, 1);
    System.arraycopy(shape, 0, s, rank - shape.length, shape.length);
    return s;
  }

  /**
   * {@code jnp.cross(a, b)} over the last axis (length 2 or 3 each, batch axes broadcast): for
   * 3-vectors {@code [a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0]}; a 2-vector is read as
   * {@code (x, y, 0)}; two 2-vectors give the scalar {@code a0 b1 - a1 b0}.
   */
  static Array cross(Array a, Array b) {
    int na = a.ndim() == 0 ? 0 : a.dim(-1), nb = b.ndim() == 0 ? 0 : b.dim(-1);
    if (na != 2 && na != 3 || nb != 2 && nb != 3) {
      throw new ShapeError("cross: the last axis of a " + a.aval() + " and b " + b.aval() + " must have length 2 "
          + "or 3 (the vectors' components); move the component axis last with moveaxis");
    }
    DType dt = DType.promote(a.dtype(), b.dtype());
    Array[] x = components(a.astype(dt), na);
    Array[] y = components(b.astype(dt), nb);
    if (na == 2 && nb == 2) {
      return x[0].mul(y[1]).sub(x[1].mul(y[0]));
    }
    Array zero = Array.scalar(dt, 0);
    Array a2 = na == 3 ? x[2] : zero, b2 = nb == 3 ? y[2] : zero;
    Array c0 = x[1].mul(b2).sub(a2.mul(y[1]));
    Array c1 = a2.mul(y[0]).sub(x[0].mul(b2));
    Array c2 = x[0].mul(y[1]).sub(x[1].mul(y[0]));
    return Array.stack(-1, c0, c1, c2);
  }

  private static Array[] components(Array v, int n) {
    Array[] c = new Array[n];
    for (int i = 0; i < n; i++) {
      c[i] = v.sliceAxis(-1, i, i + 1).squeeze(-1);
    }
    return c;
  }

  /**
   * {@code jnp.vander(x, n, increasing)}: {@code x[..., None] ** powers}, powers {@code n-1 .. 0}
   * (or {@code 0 .. n-1}); {@code n} defaults to {@code len(x)}.
   */
  static Array vander(Array x, int n, boolean increasing) {
    if (x.ndim() != 1) {
      throw new ShapeError("vander: x must be one-dimensional, got " + x.aval());
    }
    if (n < 0) {
      throw new ShapeError("vander: n must be >= 0, got " + n);
    }
    Array powers = Array.arange(n);
    if (!increasing) {
      powers = powers.flip(0);
    }
    Array f = x.dtype() == DType.BOOL ? x.astype(DType.I32) : x;
    return f.reshape(f.dim(0), 1).pow(powers.astype(f.dtype()).reshape(1, n));
  }

  /**
   * {@code jnp.polyval(p, x)}: Horner's rule from the highest coefficient, {@code y = y * x + p[i]}
   * starting from {@code y = 0} (JAX's scan), so the rounding is JAX's.
   */
  static Array polyval(Array p, Array x) {
    if (p.ndim() != 1) {
      throw new ShapeError("polyval: p must be a 1-d array of coefficients (highest power first), got " + p.aval());
    }
    DType dt = DType.promote(p.dtype(), x.dtype());
    Array xs = x.astype(dt);
    Array y = Array.zerosLike(xs);
    for (int i = 0; i < p.dim(0); i++) {
      y = y.mul(xs).add(p.sliceAxis(0, i, i + 1).reshape().astype(dt));
    }
    return y;
  }

  /** {@code jnp.convolve(a, v, mode)} and {@code jnp.correlate}: one {@code conv_general_dilated}, as JAX. */
  static Array conv1d(String op, Array x, Array y, String mode) {
    if (x.ndim() != 1 || y.ndim() != 1) {
      throw new ShapeError(op + ": only 1-d inputs, got " + x.aval() + " and " + y.aval());
    }
    if (x.dim(0) == 0 || y.dim(0) == 0) {
      throw new ShapeError(op + ": inputs cannot be empty, got " + x.aval() + " and " + y.aval());
    }
    DType dt = NumpyMath.floatyDtype(DType.promote(x.dtype(), y.dtype()));
    x = x.astype(dt);
    y = y.astype(dt);
    boolean reverseOut = false;
    if (x.dim(0) < y.dim(0)) {
      Array t = x;
      x = y;
      y = t;
      reverseOut = op.equals("correlate");
    }
    if (op.equals("convolve")) {
      y = y.flip(0);
    }
    int m = y.dim(0);
    int[] pad = switch (mode) {
      case "valid" -> new int[] {0, 0};
      case "same" -> new int[] {m / 2, m - m / 2 - 1};
      case "full" -> new int[] {m - 1, m - 1};
      default -> throw new IllegalArgumentException(op + ": mode must be one of \"full\", \"same\", \"valid\"; got \""
          + mode + "\"");
    };
    Array r = Lax.conv(x.reshape(1, 1, x.dim(0)), y.reshape(1, 1, m), new int[] {1}, new int[][] {pad});
    r = r.reshape(r.dim(2));
    return reverseOut ? r.flip(0) : r;
  }

  /**
   * {@code jnp.interp(x, xp, fp, left, right)}: piecewise-linear through {@code (xp, fp)}
   * ({@code xp} increasing), {@code left}/{@code right} (null: {@code fp[0]}/{@code fp[-1]}) outside.
   */
  static Array interp(Array x, Array xp, Array fp, Double left, Double right) {
    if (xp.ndim() != 1 || !java.util.Arrays.equals(xp.shape(), fp.shape())) {
      throw new ShapeError("interp: xp and fp must be one-dimensional arrays of equal size, got " + xp.aval()
          + " and " + fp.aval());
    }
    DType dt = DType.promote(NumpyMath.floatyDtype(x.dtype()), NumpyMath.floatyDtype(xp.dtype()));
    Array xa = x.astype(dt), xpa = xp.astype(dt), fpa = NumpyMath.floaty(fp);
    int n = xpa.dim(0);
    Array i = Array.searchsorted(xpa, xa, "right").clip(1, n - 1);
    Array im1 = i.sub(1);
    Array fpi = fpa.take(i, 0), fpm = fpa.take(im1, 0);
    Array xpi = xpa.take(i, 0), xpm = xpa.take(im1, 0);
    Array df = fpi.sub(fpm);
    Array dx = xpi.sub(xpm);
    Array delta = xa.sub(xpm);
    // np.spacing(finfo(dtype).eps): the gap above eps
    double eps = dt == DType.F64 ? Math.ulp(Math.ulp(1.0)) : Math.ulp(Math.ulp(1.0f));
    Array dx0 = dx.abs().le(eps);
    Array f = Array.where(dx0, fpm, fpm.add(delta.div(Array.where(dx0, 1.0, dx)).mul(df)));
    Array first = xpa.sliceAxis(0, 0, 1).reshape(), last = xpa.sliceAxis(0, n - 1, n).reshape();
    Array l = left == null ? fpa.sliceAxis(0, 0, 1).reshape() : Array.scalar(f.dtype(), left);
    Array r = right == null ? fpa.sliceAxis(0, n - 1, n).reshape() : Array.scalar(f.dtype(), right);
    f = Array.where(xa.lt(first), l, f);
    return Array.where(xa.gt(last), r, f);
  }

  /**
   * {@code jnp.bincount(x, weights, length=length)}: counts (or summed weights) of each value in
   * {@code [0, length)}; negative values count as 0, values at or past {@code length} are dropped.
   */
  static Array bincount(Array x, Array weights, int length) {
    if (x.dtype() == DType.BOOL) {
      x = x.astype(DType.I32);
    }
    if (x.dtype().isFloating() || x.ndim() != 1) {
      throw new ShapeError("bincount: x must be a 1-d integer array, got " + x.aval()
          + (x.dtype().isFloating() ? "; convert it with astype(DType.I32)" : "; flatten it with ravel()"));
    }
    if (length < 0) {
      throw new ShapeError("bincount: length must be >= 0, got " + length);
    }
    if (weights != null && !java.util.Arrays.equals(weights.shape(), x.shape())) {
      throw new ShapeError("bincount: weights " + weights.aval() + " must have x's shape " + x.aval());
    }
    DType dt = weights == null ? DType.I32 : weights.dtype();
    Array w = weights == null ? Array.full(DType.I32, x.shape(), 1) : weights;
    return Array.zeros(dt, length).at(x.max(Array.scalar(x.dtype(), 0))).add(w);
  }

  /**
   * {@code jnp.select(condlist, choicelist, default)}: where the first true condition picks its
   * choice, the default where none is true. JAX's argmax + {@code select_n}; here the same
   * selection as a chain of {@code where} from the last condition to the first (equal values and
   * gradients: a selection has no arithmetic). Conditions and choices broadcast together; the
   * choices and the default promote.
   */
  static Array select(java.util.List<Array> conditions, java.util.List<Array> choices, Array otherwise) {
    if (conditions.size() != choices.size()) {
      throw new ShapeError("select: " + conditions.size() + " conditions but " + choices.size()
          + " choices; pass one choice per condition");
    }
    if (conditions.isEmpty()) {
      throw new ShapeError("select: needs at least one condition (and its choice)");
    }
    DType dt = otherwise.dtype();
    for (Array c : choices) {
      dt = DType.promote(dt, c.dtype());
    }
    Array r = otherwise.astype(dt);
    for (int i = conditions.size() - 1; i >= 0; i--) {
      Array cond = conditions.get(i);
      if (cond.dtype() != DType.BOOL) {
        throw new ShapeError("select: condition " + i + " is " + cond.aval() + ", not bool; compare first, "
            + "e.g. x.gt(0), or convert with astype(DType.BOOL)");
      }
      r = Array.where(cond, choices.get(i).astype(dt), r);
    }
    return r;
  }

  /**
   * {@code jnp.interp(x, xp, fp, period=period)}: interpolation of periodic data (angles, phases).
   * As JAX: {@code x} and {@code xp} taken modulo {@code |period|}, {@code xp} sorted with its
   * {@code fp}, and one point of each end wrapped around past the other, so the line between the
   * last and the first sample closes the circle; {@code xp} need not be sorted.
   */
  static Array interpPeriodic(Array x, Array xp, Array fp, double period) {
    if (xp.ndim() != 1 || !java.util.Arrays.equals(xp.shape(), fp.shape())) {
      throw new ShapeError("interp: xp and fp must be one-dimensional arrays of equal size, got " + xp.aval()
          + " and " + fp.aval());
    }
    if (period == 0 || Double.isNaN(period)) {
      throw new IllegalArgumentException("interp: period must be non-zero (the length of one cycle, e.g. 2 pi or 360), got "
          + period);
    }
    DType dt = DType.promote(NumpyMath.floatyDtype(x.dtype()), NumpyMath.floatyDtype(xp.dtype()));
    Array p = Array.scalar(dt, Math.abs(period));
    Array xa = Ufuncs.remainder(x.astype(dt), p);
    Array xpa = Ufuncs.remainder(xp.astype(dt), p);
    Array order = xpa.argsort(0);
    xpa = xpa.take(order, 0);
    Array fpa = NumpyMath.floaty(fp).take(order, 0);
    int n = xpa.dim(0);
    xpa = Array.concatenate(0, xpa.sliceAxis(0, n - 1, n).sub(p), xpa, xpa.sliceAxis(0, 0, 1).add(p));
    fpa = Array.concatenate(0, fpa.sliceAxis(0, n - 1, n), fpa, fpa.sliceAxis(0, 0, 1));
    return interp(xa, xpa, fpa, null, null); // x mod period lies inside the wrapped xp: no left/right clamp applies
  }

  /**
   * {@code jnp.piecewise(x, condlist, funclist)}: where condition {@code i} holds, function
   * {@code i} of {@code x}; where none holds, the extra last function (or 0). As JAX (its
   * {@code argmax(cumsum(...))}), the <b>last</b> true condition wins. JAX applies the functions
   * per element ({@code vectorize(switch)}); here each is applied to the whole {@code x}, which is
   * the same for elementwise functions, and the results are selected (the same values and gradients).
   */
  static Array piecewise(Array x, java.util.List<Array> conditions,
      java.util.List<? extends java.util.function.Function<Array, Array>> functions) {
    java.util.Objects.requireNonNull(x, "piecewise: x is null");
    int nc = conditions.size(), nf = functions.size();
    if (nf != nc && nf != nc + 1) {
      throw new IllegalArgumentException("piecewise: with " + nc + " condition(s), either " + nc + " or " + (nc + 1)
          + " functions are expected (the extra one for where no condition holds); got " + nf);
    }
    Array result = nf == nc + 1 ? apply(functions.get(nc), x, -1) : Array.zeros(x.dtype(), x.shape());
    for (int i = 0; i < nc; i++) {
      Array c = conditions.get(i);
      if (c.dtype() != DType.BOOL) {
        c = c.ne(0);
      }
      Array.broadcastShapes("piecewise", c.shape(), x.shape());
      result = Array.where(c, apply(functions.get(i), x, i), result);
    }
    return result.broadcastTo(Array.broadcastShapes("piecewise", result.shape(), x.shape()));
  }

  private static Array apply(java.util.function.Function<Array, Array> f, Array x, int index) {
    Array y = java.util.Objects.requireNonNull(f, "piecewise: function " + index + " is null").apply(x);
    java.util.Objects.requireNonNull(y, () -> "piecewise: function " + (index < 0 ? "otherwise" : index) + " returned null");
    return y.astype(x.dtype()); // as JAX: every piece in x's dtype
  }
}
