package dev.statelens.engine.autodiff;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Pair;
import dev.statelens.engine.ShapeDtype;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Tree;
import dev.statelens.engine.VjpResult;
import dev.statelens.engine.TreeDef;
import dev.statelens.engine.batching.Vmap;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.trace.JaxprEval;
import dev.statelens.engine.trace.StagingTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code vjp}, {@code jvp}, {@code jacrev} and {@code jacfwd} behind {@code Transforms}, all
 * built on {@link Linearized}: one forward pass under a {@link GradTrace}, then reverse sweeps
 * (the pullback) or sweeps of the recorded pullback (the pushforward).
 *
 * <p>Jacobians are computed as JAX does, by {@code vmap} of the pullback over the output's basis
 * ({@code jacrev}) or of the pushforward over the input's basis ({@code jacfwd}): the forward pass
 * runs once, the linear sweep runs batched. Jacobian shape: {@code out.shape ++ in.shape}, one
 * such array per leaf of the input (the Jacobian has the input's pytree structure).
 */
public final class Derivatives {
  private Derivatives() {}

  /**
   * {@code jax.vjp(fn, x)}: the output and a pullback from output cotangents to {@code x}'s; an
   * integer or bool leaf of {@code x} gets zeros of its dtype (JAX's float0).
   */
  public static <A, R> VjpResult<R, A> vjp(String what, Function<A, R> fn, A x) {
    Linearized lin = Linearized.of(what, fn, x, InputLeaves.ANY);
    R out = lin.outDef().unflatten(lin.outPrimals());
    return new VjpResult<>(out, ct -> {
      List<Array> cts = Linearized.matching(what, "cotangent", "output", lin.outDef(), lin.outPrimals(), ct);
      return lin.in().def().unflatten(lin.pullback(cts));
    });
  }

  /**
   * {@code jax.jvp(fn, (x,), (t,))}: the output and its tangent {@code J t} (same structure as
   * the output; zeros for integer and bool outputs). An integer or bool leaf of {@code x} takes
   * zeros of its own dtype as its tangent, where JAX takes {@code float0} zeros (docs/decisions.md).
   */
  public static <A, R> Pair<R, R> jvp(String what, Function<A, R> fn, A x, A tangent) {
    Tree.Flat in = Tree.flatten(x);
    List<Array> t = Linearized.tangents(what, in.def(), in.leaves(), tangent);
    Linearized lin = Linearized.of(what, fn, x, InputLeaves.ANY);
    List<Array> outTangent = lin.pushforward().apply(t);
    return Pair.of(lin.outDef().unflatten(lin.outPrimals()), lin.outDef().unflatten(outTangent));
  }

  /**
   * {@code jax.linearize(fn, x)}: the output and {@code t -> J t}; the forward pass and the record
   * of the pullback are made once, each call of the returned function is one sweep.
   */
  public static <A, R> Pair<R, Function<A, R>> linearize(String what, Function<A, R> fn, A x) {
    Linearized lin = Linearized.of(what, fn, x, InputLeaves.ANY);
    Tree.Flat in = lin.in(); // the primal's leaves, as the forward pass flattened them
    Function<List<Array>, List<Array>> pushforward = lin.pushforward();
    Function<A, R> jvp = tangent -> lin.outDef().unflatten(pushforward.apply(
        Linearized.tangents(what, in.def(), in.leaves(), tangent)));
    return Pair.of(lin.outDef().unflatten(lin.outPrimals()), jvp);
  }

  /**
   * {@code jax.linear_transpose(fn, x)}: the transpose of a linear {@code fn}. As in JAX, {@code fn}
   * is traced once on {@code x}'s shapes and dtypes (shape-only leaves serve), the dtypes must be
   * all float/complex, and a function that is not linear is refused ({@link Linearity}: the step,
   * its line and the fix) — here when the transpose is made, in JAX when it is first called. The
   * transpose is the pullback of the traced graph at zeros (the same at every point).
   */
  public static <A, R> Function<R, A> linearTranspose(String what, Function<A, R> fn, A x) {
    Tree.Flat in = Tree.flatten(x);
    List<Aval> inAvals = new ArrayList<>(in.leaves().size());
    for (Array leaf : in.leaves()) {
      inAvals.add(leaf.aval());
    }
    StagingTrace.TracedFunction traced = StagingTrace.traceFunction(what, inAvals,
        leaves -> fn.apply(in.def().unflatten(leaves)));
    Jaxpr jaxpr = traced.traced().jaxpr();
    boolean integers = requireOneKind(what, inAvals, jaxpr.outAvals());
    Linearity.check(what, jaxpr, integers);
    List<Array> consts = traced.traced().consts();
    TreeDef outDef = traced.outTree();
    if (integers) {
      Function<List<Array>, List<Array>> transpose = IntegerTranspose.of(what, jaxpr, consts);
      List<Array> outLike = jaxpr.outAvals().stream().map(ShapeDtype::of).toList();
      return ct -> {
        List<Array> cts = Linearized.matching(what, "cotangent", "output", outDef, outLike, ct);
        for (int i = 0; i < cts.size(); i++) {
          if (cts.get(i).dtype() != outLike.get(i).dtype()) {
            throw new ShapeError(what + ": cotangent leaf " + i + " is " + cts.get(i).aval() + " but the output is "
                + outLike.get(i).aval() + "; an integer function's transpose takes cotangents of its output's dtype "
                + "(astype(" + outLike.get(i).dtype() + "))");
          }
        }
        return in.def().unflatten(transpose.apply(cts));
      };
    }
    List<Array> zeros = new ArrayList<>(inAvals.size());
    for (Aval a : inAvals) {
      zeros.add(Array.zeros(a.dtype(), a.shape()));
    }
    VjpResult<List<Array>, List<Array>> flat = vjp(what, leaves -> JaxprEval.eval(jaxpr, consts, leaves), zeros);
    return ct -> in.def().unflatten(flat.pullback(
        Linearized.matching(what, "cotangent", "output", outDef, flat.out(), ct)));
  }

  /**
   * JAX's dtype rule for linear_transpose: float/complex throughout, or integer throughout (i32,
   * u32; bool is neither). True for an integer function ({@link IntegerTranspose}).
   */
  private static boolean requireOneKind(String what, List<Aval> in, List<Aval> out) {
    List<Aval> all = new ArrayList<>(in);
    all.addAll(out);
    if (all.stream().allMatch(a -> a.dtype().isInexact())) {
      return false;
    }
    if (all.stream().allMatch(a -> a.dtype().isInteger())) {
      return true;
    }
    throw new IllegalArgumentException(what + " takes a function from float or complex arrays to float or complex "
        + "arrays, or from integer arrays to integer arrays, got " + dtypes(in) + " -> " + dtypes(out) + "; cast "
        + "the argument or the result with astype (JAX: linear_transpose only supports [float or complex] -> "
        + "[float or complex], and integer -> integer functions)");
  }

  private static List<String> dtypes(List<Aval> avals) {
    return avals.stream().map(a -> a.dtype().toString().toLowerCase(java.util.Locale.ROOT)).toList();
  }

  /** {@code jax.jacrev(fn)(x)}: reverse mode, one batched pullback over the output's elements. */
  public static <A> A jacrev(String what, Function<A, Array> fn, A x) {
    return jacrev(what, fn, x, false);
  }

  /**
   * {@code jax.jacrev(fn, holomorphic=...)}: without holomorphic the output must be real (inputs
   * may be complex: each row is then the conjugated gradient, as {@code grad}'s); with it, inputs
   * and output complex and the rows are the complex derivatives.
   */
  public static <A> A jacrev(String what, Function<A, Array> fn, A x, boolean holomorphic) {
    return jacrev(what, fn, x, holomorphic, false);
  }

  /**
   * {@code jax.jacrev(fn, allow_int=True)}: the Jacobian of an integer or bool leaf is zeros of the
   * leaf's own dtype, shaped {@code out.shape ++ leaf.shape} (real JAX 0.10.2 gives int32 zeros there
   * too; for a bool leaf it fails inside its own reshaping, here it is false zeros).
   */
  public static <A> A jacrevAllowInt(String what, Function<A, Array> fn, A x) {
    return jacrev(what, fn, x, false, true);
  }

  private static <A> A jacrev(String what, Function<A, Array> fn, A x, boolean holomorphic, boolean allowInt) {
    if (holomorphic) {
      Grad.requireComplexInputs(what, x);
    }
    Linearized lin = Linearized.of(what, fn, x, allowInt ? InputLeaves.ANY : InputLeaves.JACREV);
    Array out = singleOutput(lin);
    Grad.checkOutputDtype(what, out, holomorphic);
    List<Array> inLeaves = lin.in().leaves();
    int m = out.size();
    List<Array> rows; // per input leaf: [m] ++ leaf.shape
    if (m == 0) {
      rows = new ArrayList<>();
      for (Array leaf : inLeaves) {
        rows.add(Array.zeros(leaf.dtype(), concat(new int[] {0}, leaf.shape())));
      }
    } else {
      Array basis = identity(m, out.dtype()).reshape(concat(new int[] {m}, out.shape()));
      rows = asArrays(Vmap.call(what, new Object[] {basis}, new Integer[] {0},
          args -> lin.pullback(List.of((Array) args[0]))));
    }
    List<Array> jac = new ArrayList<>(inLeaves.size());
    for (int i = 0; i < inLeaves.size(); i++) {
      jac.add(rows.get(i).reshape(concat(out.shape(), inLeaves.get(i).shape())));
    }
    return lin.in().def().unflatten(jac);
  }

  /**
   * {@code jax.jacfwd(fn)(x)}: forward mode, one batched pushforward over the input's elements
   * (all leaves together).
   */
  public static <A> A jacfwd(String what, Function<A, Array> fn, A x) {
    return jacfwd(what, fn, x, false);
  }

  /**
   * {@code jax.jacfwd(fn, holomorphic=...)}: without holomorphic the inputs must be real (a
   * complex output is fine: its columns are complex); with it, inputs and output complex.
   */
  public static <A> A jacfwd(String what, Function<A, Array> fn, A x, boolean holomorphic) {
    if (holomorphic) {
      Grad.requireComplexInputs(what, x);
    }
    // holomorphic: every leaf is complex by now, which grad's check accepts; else real floats only
    Linearized lin = Linearized.of(what, fn, x, holomorphic ? InputLeaves.GRAD : InputLeaves.JACFWD);
    Array out = singleOutput(lin);
    if (holomorphic && !out.dtype().isComplex()) {
      throw new IllegalArgumentException(what + " with holomorphic=true requires a complex output, got "
          + out.aval() + "; a holomorphic function maps complex to complex");
    }
    List<Array> inLeaves = lin.in().leaves();
    int n = 0;
    for (Array leaf : inLeaves) {
      n += leaf.size();
    }
    List<Array> jac = new ArrayList<>(inLeaves.size());
    if (n == 0) {
      for (Array leaf : inLeaves) {
        jac.add(Array.zeros(out.dtype(), concat(out.shape(), leaf.shape())));
      }
      return lin.in().def().unflatten(jac);
    }
    // the basis of the flattened input, split per leaf: leaf i gets columns [offset, offset+size)
    List<Array> basis = new ArrayList<>(inLeaves.size());
    int offset = 0;
    for (Array leaf : inLeaves) {
      Array rows = Array.arange(n).reshape(n, 1);
      Array cols = Array.arange(offset, offset + leaf.size()).reshape(1, leaf.size());
      basis.add(rows.eq(cols).astype(leaf.dtype()).reshape(concat(new int[] {n}, leaf.shape())));
      offset += leaf.size();
    }
    Function<List<Array>, List<Array>> push = lin.pushforward();
    @SuppressWarnings("unchecked")
    Array columns = asArrays(Vmap.call(what, new Object[] {basis}, new Integer[] {0},
        args -> push.apply((List<Array>) args[0]))).get(0); // [n] ++ out.shape
    offset = 0;
    for (Array leaf : inLeaves) {
      int r = leaf.ndim();
      Array block = columns.sliceAxis(0, offset, offset + leaf.size()).reshape(concat(leaf.shape(), out.shape()));
      // leaf.shape ++ out.shape -> out.shape ++ leaf.shape
      int[] perm = new int[block.ndim()];
      for (int k = 0; k < out.ndim(); k++) {
        perm[k] = r + k;
      }
      for (int k = 0; k < r; k++) {
        perm[out.ndim() + k] = k;
      }
      jac.add(block.transpose(perm));
      offset += leaf.size();
    }
    return lin.in().def().unflatten(jac);
  }

  private static Array singleOutput(Linearized lin) {
    if (!lin.outDef().isLeaf()) {
      throw new IllegalArgumentException(lin.what() + " requires the function to return one Array, got the "
          + "pytree " + lin.outDef() + "; take the Jacobian of each output leaf separately");
    }
    Array out = lin.outPrimals().get(0);
    if (!out.dtype().isInexact()) {
      throw new IllegalArgumentException(lin.what() + " requires a float output, got " + out.aval()
          + "; an integer or bool result has no derivative (convert with astype(DType.F32) if that is meant)");
    }
    return out;
  }

  /** The n x n identity, built from iota so that under jit it is staged, not a large constant. */
  private static Array identity(int n, DType dtype) {
    return Array.arange(n).reshape(n, 1).eq(Array.arange(n).reshape(1, n)).astype(dtype);
  }

  @SuppressWarnings("unchecked")
  private static List<Array> asArrays(Object tree) {
    return (List<Array>) tree;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] r = new int[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
