package dev.statelens.engine;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import dev.statelens.engine.trace.StagingTrace;
import dev.statelens.engine.trace.TraceStack;
import dev.statelens.engine.trace.WhileStaging;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Structured control flow that works under {@code jit}, like {@code jax.lax}: {@link #cond},
 * {@link #forI} (fori_loop), {@link #whileLoop} (while_loop) and {@link #scan}. Carries and operands are pytrees.
 *
 * <p>Inside a jitted function these stage one primitive with sub-graphs (a Java {@code if} or
 * loop on a traced value cannot work there). Eagerly (and under grad with concrete values) they
 * simply run the Java code: one branch, or the loop.
 */
public final class Lax {
  private Lax() {}

  // ---- cond --------------------------------------------------------------------------------

  /** {@code pred ? trueFn.get() : falseFn.get()}; both branches must return the same types. */
  public static <T> T cond(Array pred, Supplier<T> trueFn, Supplier<T> falseFn) {
    return cond(pred, (Object unused) -> trueFn.get(), (Object unused) -> falseFn.get(), null);
  }

  /** {@code pred ? trueFn(operand) : falseFn(operand)}; {@code operand} is a pytree. */
  public static <A, T> T cond(Array pred, Function<A, T> trueFn, Function<A, T> falseFn, A operand) {
    Array p = predicate(pred);
    if (!stagingInnermost()) {
      Boolean value = concreteBool(p);
      if (value != null) {
        return value ? trueFn.apply(operand) : falseFn.apply(operand);
      }
    }
    Tree.Flat flat = Tree.flatten(operand);
    List<Aval> avals = avalsOf(flat.leaves());
    StagingTrace.TracedFunction t = StagingTrace.traceFunction("cond_true", avals,
        leaves -> trueFn.apply(flat.def().unflatten(leaves)));
    StagingTrace.TracedFunction f = StagingTrace.traceFunction("cond_false", avals,
        leaves -> falseFn.apply(flat.def().unflatten(leaves)));
    if (!t.outTree().equals(f.outTree())
        || !t.traced().jaxpr().outAvals().equals(f.traced().jaxpr().outAvals())) {
      throw new ShapeError("Lax.cond: the branches must return the same structure and types, got "
          + t.outTree() + " " + t.traced().jaxpr().outAvals() + " from trueFn and "
          + f.outTree() + " " + f.traced().jaxpr().outAvals() + " from falseFn");
    }
    // Both branches take: operands, then trueFn's captured values, then falseFn's.
    List<Array> tConsts = t.traced().consts();
    List<Array> fConsts = f.traced().consts();
    Jaxpr tj = withExtraInvars(t.traced().closureConverted(), avals.size() + tConsts.size(), avalsOf(fConsts));
    Jaxpr fj = withInsertedInvars(f.traced().closureConverted(), avals.size(), avalsOf(tConsts));
    List<Array> operands = new ArrayList<>();
    operands.add(p);
    operands.addAll(flat.leaves());
    operands.addAll(tConsts);
    operands.addAll(fConsts);
    List<Array> out = Prims.COND.bind(Params.of("branches", List.of(fj, tj)), operands.toArray(Array[]::new));
    return t.outTree().unflatten(out);
  }

  private static Array predicate(Array pred) {
    if (pred.ndim() != 0) {
      throw new ShapeError("Lax.cond: the predicate must be a scalar, got shape "
          + ShapeError.format(pred.shape()) + "; reduce it (e.g. any()) or use Array.where for elementwise choice");
    }
    return pred.dtype() == DType.BOOL ? pred : pred.ne(0);
  }

  /** Appends unused invars of {@code extra} avals at the end. */
  private static Jaxpr withExtraInvars(Jaxpr j, int at, List<Aval> extra) {
    List<Var> in = new ArrayList<>(j.invars());
    for (Aval a : extra) {
      in.add(new Var(a));
    }
    return new Jaxpr(List.of(), in, j.eqns(), j.outvars());
  }

  /** Inserts unused invars of {@code extra} avals at position {@code at}. */
  private static Jaxpr withInsertedInvars(Jaxpr j, int at, List<Aval> extra) {
    List<Var> in = new ArrayList<>(j.invars());
    List<Var> fresh = new ArrayList<>();
    for (Aval a : extra) {
      fresh.add(new Var(a));
    }
    in.addAll(at, fresh);
    return new Jaxpr(List.of(), in, j.eqns(), j.outvars());
  }

  // ---- switchCase ------------------------------------------------------------------------------

  /**
   * {@code lax.switch}: runs {@code branches[index](operand)}; the index is clamped into range,
   * as in JAX (below 0 runs the first branch, past the end the last). Every branch must return
   * the same structure and types. Staged (under jit) it is one {@code cond} with all branches.
   */
  @SafeVarargs
  public static <A, T> T switchCase(Array index, A operand, Function<A, T>... branches) {
    if (branches.length == 0) {
      throw new IllegalArgumentException("Lax.switchCase: needs at least one branch");
    }
    if (index.ndim() != 0 || !(index.dtype().isInteger() || index.dtype() == DType.BOOL)) {
      throw new ShapeError("Lax.switchCase: the index must be an integer scalar, got " + index.aval()
          + "; use Lax.cond for a bool predicate");
    }
    Array idx = index.astype(DType.I32);
    if (branches.length == 1) {
      return branches[0].apply(operand);
    }
    if (!stagingInnermost()) {
      Integer k = concreteInt(idx);
      if (k != null) {
        return branches[Math.max(0, Math.min(branches.length - 1, k))].apply(operand);
      }
    }
    Tree.Flat flat = Tree.flatten(operand);
    List<Aval> avals = avalsOf(flat.leaves());
    List<StagingTrace.TracedFunction> traced = new ArrayList<>();
    for (int i = 0; i < branches.length; i++) {
      Function<A, T> b = branches[i];
      StagingTrace.TracedFunction t = StagingTrace.traceFunction("switch_branch" + i, avals,
          leaves -> b.apply(flat.def().unflatten(leaves)));
      StagingTrace.TracedFunction first = traced.isEmpty() ? t : traced.get(0);
      if (!t.outTree().equals(first.outTree())
          || !t.traced().jaxpr().outAvals().equals(first.traced().jaxpr().outAvals())) {
        throw new ShapeError("Lax.switchCase: the branches must return the same structure and types, got "
            + first.outTree() + " " + first.traced().jaxpr().outAvals() + " from branch 0 and "
            + t.outTree() + " " + t.traced().jaxpr().outAvals() + " from branch " + i);
      }
      traced.add(t);
    }
    // every branch takes: operands, then each branch's captured values in branch order (its own used)
    List<Jaxpr> jaxprs = new ArrayList<>();
    for (int i = 0; i < traced.size(); i++) {
      Jaxpr j = traced.get(i).traced().closureConverted();
      List<Var> in = new ArrayList<>(j.invars().subList(0, avals.size()));
      for (int m = 0; m < traced.size(); m++) {
        if (m == i) {
          in.addAll(j.invars().subList(avals.size(), j.invars().size()));
        } else {
          for (Array c : traced.get(m).traced().consts()) {
            in.add(new Var(c.aval()));
          }
        }
      }
      jaxprs.add(new Jaxpr(List.of(), in, j.eqns(), j.outvars()));
    }
    List<Array> operands = new ArrayList<>();
    operands.add(idx);
    operands.addAll(flat.leaves());
    for (StagingTrace.TracedFunction t : traced) {
      operands.addAll(t.traced().consts());
    }
    List<Array> out = Prims.COND.bind(Params.of("branches", jaxprs), operands.toArray(Array[]::new));
    return traced.get(0).outTree().unflatten(out);
  }

  /** The index's value if it is known now (concrete, or a grad tracer's primal), else null. */
  private static Integer concreteInt(Array i) {
    if (i.isConcrete()) {
      return i.intValue();
    }
    try {
      return i.tracer().toConcrete("Lax.switchCase").intValue();
    } catch (ConcretizationError e) {
      return null;
    }
  }

  // ---- forI --------------------------------------------------------------------------------

  /**
   * {@code fori_loop}: {@code carry = body(i, carry)} for {@code i} in {@code [lower, upper)},
   * {@code i} an I32 scalar. Under jit it stages a scan of {@code upper - lower} steps.
   */
  public static <C> C forI(int lower, int upper, BiFunction<Array, C, C> body, C init) {
    if (!stagingInnermost()) {
      C carry = init;
      for (int i = lower; i < upper; i++) {
        carry = body.apply(Array.scalar(DType.I32, i), carry);
      }
      return carry;
    }
    int length = Math.max(0, upper - lower);
    Pair<Array, C> start = Pair.of(Array.scalar(DType.I32, lower), init);
    Tree.Flat initFlat = Tree.flatten(init);
    BiFunction<Pair<Array, C>, Object, Pair<Pair<Array, C>, Object>> step = (c, x) -> {
      C next = body.apply(c.first(), c.second());
      checkCarry("Lax.forI", initFlat, Tree.flatten(next)); // in forI's terms, before scan's (i, carry) pair
      return Pair.of(Pair.of(c.first().add(1), next), null);
    };
    Pair<Pair<Array, C>, Object> end = scanStaged(step, start, null, length);
    return end.first().second();
  }

  // ---- whileLoop -----------------------------------------------------------------------------

  /**
   * {@code lax.while_loop}: {@code while (cond(carry)) carry = body(carry)}; returns the final
   * carry (a pytree). {@code cond} must return a bool scalar; {@code body} must return a carry of
   * init's structure, shapes and dtypes. The trip count may depend on the data: under jit one
   * {@code while} primitive is staged and the graph serves every trip count.
   *
   * <p>Eagerly it is a plain Java loop. Under vmap a per-example predicate runs the loop while
   * any example's holds, updating only those whose own predicate holds. Not reverse-differentiable
   * (as in JAX): {@code grad}/{@code jvp} through it say so; use {@link #forI}/{@link #scan} with a
   * fixed trip count, or stopGradient the loop's inputs.
   */
  public static <C> C whileLoop(Function<C, Array> cond, Function<C, C> body, C init) {
    if (cond == null || body == null) {
      throw new IllegalArgumentException("Lax.whileLoop: cond and body must not be null");
    }
    Tree.Flat initFlat = Tree.flatten(init);
    C carry = init;
    if (!stagingInnermost()) {
      // plain Java loop while the values are concrete; a traced carry (grad, vmap) stages the rest
      Tree.Flat flat = initFlat;
      while (allConcrete(flat.leaves())) {
        Array p = whilePredicate(cond.apply(carry));
        if (!p.isConcrete()) {
          break; // the predicate depends on a traced value the cond closed over
        }
        if (!p.boolValue()) {
          return carry;
        }
        C next = body.apply(carry);
        flat = Tree.flatten(next);
        checkCarry("Lax.whileLoop", initFlat, flat);
        carry = next;
      }
      return whileStaged(cond, body, flat);
    }
    return whileStaged(cond, body, initFlat);
  }

  private static <C> C whileStaged(Function<C, Array> cond, Function<C, C> body, Tree.Flat carry) {
    dev.statelens.engine.TreeDef def = carry.def();
    List<Array> out = WhileStaging.stage(
        leaves -> whilePredicate(cond.apply(def.unflatten(leaves))),
        leaves -> {
          Tree.Flat next = Tree.flatten(body.apply(def.unflatten(leaves)));
          checkCarry("Lax.whileLoop", carry, next);
          return next.leaves();
        },
        carry.leaves());
    return def.unflatten(out);
  }

  /** JAX requires a bool scalar from cond_fun (no truthiness of numbers or arrays). */
  private static Array whilePredicate(Array p) {
    if (p == null) {
      throw new IllegalArgumentException("Lax.whileLoop: cond returned null; return a bool scalar such as err.gt(tol)");
    }
    if (p.ndim() != 0 || p.dtype() != DType.BOOL) {
      throw new ShapeError("Lax.whileLoop: cond must return a bool scalar, got " + p.aval()
          + "; compare to get a bool (e.g. err.gt(tol), i.lt(n)) and reduce an array with any() or all()");
    }
    return p;
  }

  private static boolean allConcrete(List<Array> leaves) {
    for (Array a : leaves) {
      if (!a.isConcrete()) {
        return false;
      }
    }
    return true;
  }

  // ---- scan --------------------------------------------------------------------------------

  /**
   * {@code lax.associative_scan(fn, elems, reverse, axis)}: the prefix scan of an associative
   * {@code fn} along {@code axis} of every leaf of {@code elems} (a pytree), computed as JAX does
   * (odd/even recursion, about 2 log2(n) applications of {@code fn} on halving slices), so the
   * rounding matches JAX's. {@code fn(a, b)} gets two elems-shaped pytrees whose axis is shorter
   * and must combine them elementwise along it. Result {@code [a, fn(a, b), fn(fn(a, b), c), ...]};
   * reversed, {@code [..., fn(fn(z, y), x), fn(z, y), z]}.
   */
  public static <T> T associativeScan(BiFunction<T, T, T> fn, T elems, boolean reverse, int axis) {
    return AssociativeScan.scan(fn, elems, reverse, axis);
  }

  /** {@link #associativeScan(BiFunction, Object, boolean, int)} forward along axis 0. */
  public static <T> T associativeScan(BiFunction<T, T, T> fn, T elems) {
    return AssociativeScan.scan(fn, elems, false, 0);
  }

  /**
   * {@code lax.cummax(x, axis, reverse)}: running maxima along {@code axis}, from the end when
   * {@code reverse}. Real: NaN propagates. c64: jnp's lexicographic order in XLA's fold order
   * (a NaN does not propagate; see docs/arrays.md).
   */
  public static Array cummax(Array x, int axis, boolean reverse) {
    return cumulative(dev.statelens.engine.ir.ArrayPrims.CUMMAX, x, axis, reverse);
  }

  /** {@code lax.cummin(x, axis, reverse)}: running minima ({@link #cummax}'s rules). */
  public static Array cummin(Array x, int axis, boolean reverse) {
    return cumulative(dev.statelens.engine.ir.ArrayPrims.CUMMIN, x, axis, reverse);
  }

  private static Array cumulative(dev.statelens.engine.ir.Primitive p, Array x, int axis, boolean reverse) {
    int a = axis < 0 ? axis + x.ndim() : axis;
    return p.bind1(Params.of("axis", a, "reverse", reverse), x);
  }

  /**
   * {@code lax.cumlogsumexp(x, axis, reverse)}: running {@code log(sum(exp(x)))} along
   * {@code axis}, as the associative scan of {@code logaddexp} (JAX differentiates it that way).
   */
  public static Array cumlogsumexp(Array x, int axis, boolean reverse) {
    if (!x.dtype().isFloating()) {
      throw new ShapeError("Lax.cumlogsumexp: x is " + x.aval() + "; it needs a float array (as lax's "
          + "logaddexp), e.g. x.astype(DType.F32)");
    }
    return AssociativeScan.scan((Array a, Array b) -> a.logaddexp(b), x, reverse, axis);
  }

  /**
   * {@code lax.scan}: for each slice {@code x} of {@code xs} along axis 0,
   * {@code (carry, y) = f(carry, x)}; returns the final carry and the ys stacked along a new
   * axis 0. {@code xs} is a pytree whose leaves share their leading dimension.
   */
  public static <C, X, Y> Pair<C, Y> scan(BiFunction<C, X, Pair<C, Y>> f, C init, X xs) {
    Tree.Flat xFlat = Tree.flatten(xs);
    if (xFlat.leaves().isEmpty()) {
      throw new IllegalArgumentException("Lax.scan: xs has no arrays, so the length is unknown; "
          + "use scan(f, init, xs, length)");
    }
    return scan(f, init, xs, leadingLength(xFlat.leaves()));
  }

  /** {@link #scan(BiFunction, Object, Object)} with an explicit length ({@code xs} may be null). */
  public static <C, X, Y> Pair<C, Y> scan(BiFunction<C, X, Pair<C, Y>> f, C init, X xs, int length) {
    Tree.Flat xFlat = Tree.flatten(xs);
    if (!xFlat.leaves().isEmpty() && leadingLength(xFlat.leaves()) != length) {
      throw new ShapeError("Lax.scan: length " + length + " does not match the leading dimension "
          + leadingLength(xFlat.leaves()) + " of xs");
    }
    if (!stagingInnermost() && length > 0) {
      return scanEager(f, init, xFlat, length);
    }
    return scanStaged(f, init, xs, length);
  }

  /**
   * {@code lax.scan(f, init, xs, length, reverse=True)} when {@code reverse}: the slices of
   * {@code xs} are visited from the last to the first, and the ys are stacked in {@code xs}'s order
   * ({@code ys[i]} is the output of the step that saw {@code xs[i]}), as JAX. E.g. discounted returns
   * {@code G[t] = r[t] + gamma G[t+1]}. Computed as the forward scan of the reversed xs, with
   * the ys reversed back, so {@code grad}, {@code jit} and {@code vmap} follow the forward scan.
   */
  public static <C, X, Y> Pair<C, Y> scan(BiFunction<C, X, Pair<C, Y>> f, C init, X xs, int length, boolean reverse) {
    if (!reverse) {
      return scan(f, init, xs, length);
    }
    X reversedXs = xs == null ? null : Tree.map((Array x) -> x.flip(0), xs);
    Pair<C, Y> result = scan(f, init, reversedXs, length);
    Y ys = result.second() == null ? null : Tree.map((Array y) -> y.flip(0), result.second());
    return Pair.of(result.first(), ys);
  }

  private static int leadingLength(List<Array> leaves) {
    int n = -1;
    for (Array a : leaves) {
      if (a.ndim() == 0) {
        throw new ShapeError("Lax.scan: every xs leaf needs a leading axis to scan over, got a rank-0 array");
      }
      if (n >= 0 && a.shape()[0] != n) {
        throw new ShapeError("Lax.scan: xs leaves have different leading dimensions: " + n + " and " + a.shape()[0]);
      }
      n = a.shape()[0];
    }
    return n;
  }

  private static <C, X, Y> Pair<C, Y> scanEager(BiFunction<C, X, Pair<C, Y>> f, C init, Tree.Flat xFlat, int length) {
    C carry = init;
    List<List<Array>> ys = new ArrayList<>();
    dev.statelens.engine.TreeDef yDef = null;
    for (int t = 0; t < length; t++) {
      List<Array> slice = new ArrayList<>(xFlat.leaves().size());
      for (Array leaf : xFlat.leaves()) {
        slice.add(leaf.get(t));
      }
      X x = xFlat.def().unflatten(slice);
      Pair<C, Y> r = f.apply(carry, x);
      carry = r.first();
      Tree.Flat yFlat = Tree.flatten(r.second());
      if (yDef != null && !yDef.equals(yFlat.def())) {
        throw new ShapeError("Lax.scan: the body returned y of structure " + yFlat.def()
            + " at step " + t + " but " + yDef + " before");
      }
      yDef = yFlat.def();
      ys.add(yFlat.leaves());
    }
    List<Array> stacked = new ArrayList<>();
    for (int j = 0; j < yDef.numLeaves(); j++) {
      Array[] column = new Array[length];
      for (int t = 0; t < length; t++) {
        column[t] = ys.get(t).get(j);
      }
      stacked.add(Array.stack(0, column));
    }
    return Pair.of(carry, yDef.unflatten(stacked));
  }

  /** The loop body's new carry must have init's structure and leaf types (a staged loop cannot change them). */
  private static void checkCarry(String who, Tree.Flat init, Tree.Flat got) {
    if (!got.def().equals(init.def())) {
      throw new ShapeError(who + ": the body must return a carry with the structure of init: "
          + init.def() + ", got " + got.def() + ". Return the same record/list/map shape the loop started with");
    }
    for (int i = 0; i < init.leaves().size(); i++) {
      Aval want = init.leaves().get(i).aval();
      Aval gotAval = got.leaves().get(i).aval();
      if (!want.equals(gotAval)) {
        String path = init.def().paths().get(i);
        throw new ShapeError(who + ": the body must return a carry of the same types as init: "
            + (path.isEmpty() ? "the carry" : "carry leaf " + path) + " is " + want + " in init but " + gotAval
            + " after the body; cast with astype, reshape, or make init the type the body returns");
      }
    }
  }

  private static <C, X, Y> Pair<C, Y> scanStaged(BiFunction<C, X, Pair<C, Y>> f, C init, X xs, int length) {
    Tree.Flat cFlat = Tree.flatten(init);
    Tree.Flat xFlat = Tree.flatten(xs);
    int nCarry = cFlat.leaves().size();
    List<Aval> inAvals = new ArrayList<>(avalsOf(cFlat.leaves()));
    for (Array x : xFlat.leaves()) {
      int[] s = x.shape();
      inAvals.add(Aval.of(x.dtype(), java.util.Arrays.copyOfRange(s, 1, s.length)));
    }
    dev.statelens.engine.TreeDef[] yDef = new dev.statelens.engine.TreeDef[1];
    StagingTrace.TracedFunction body = StagingTrace.traceFunction("scan_body", inAvals, leaves -> {
      C c = cFlat.def().unflatten(leaves.subList(0, nCarry));
      X x = xFlat.def().unflatten(leaves.subList(nCarry, leaves.size()));
      Pair<C, Y> r = f.apply(c, x);
      if (r == null) {
        throw new IllegalArgumentException("Lax.scan: the body must return Pair.of(newCarry, y), got null");
      }
      Tree.Flat newC = Tree.flatten(r.first());
      checkCarry("Lax.scan", cFlat, newC);
      Tree.Flat y = Tree.flatten(r.second());
      yDef[0] = y.def();
      List<Array> outs = new ArrayList<>(newC.leaves());
      outs.addAll(y.leaves());
      return outs;
    });
    List<Array> consts = body.traced().consts();
    List<Array> operands = new ArrayList<>(consts);
    operands.addAll(cFlat.leaves());
    operands.addAll(xFlat.leaves());
    List<Array> out = Prims.SCAN.bind(Params.of("jaxpr", body.traced().closureConvertedConstsFirst(),
        "length", length, "num_consts", consts.size(), "num_carry", nCarry, "reverse", false),
        operands.toArray(Array[]::new));
    C carry = cFlat.def().unflatten(out.subList(0, nCarry));
    Y ys = yDef[0].unflatten(out.subList(nCarry, out.size()));
    return Pair.of(carry, ys);
  }

  // ---- dynamic slices ----------------------------------------------------------------------

  /**
   * {@code lax.dynamic_slice(operand, start_indices, slice_sizes)}: the block of {@code sizes}
   * starting at {@code start} (one rank-0 i32/u32 per axis, traced or not). Each start is clamped
   * to {@code [0, dim - size]} so the block always fits, as in lax. Its gradient writes the
   * cotangent back into zeros ({@code dynamic_update_slice}).
   */
  public static Array dynamicSlice(Array operand, Array[] start, int... sizes) {
    Array[] args = new Array[start.length + 1];
    args[0] = operand;
    System.arraycopy(start, 0, args, 1, start.length);
    return dev.statelens.engine.ir.ArrayPrims.DYNAMIC_SLICE.bind1(Params.of("slice_sizes", sizes.clone()), args);
  }

  /**
   * {@code lax.dynamic_update_slice(operand, update, start_indices)}: {@code operand} with the
   * block {@code update} (same rank and dtype) written at {@code start}, clamped to
   * {@code [0, dim - update.dim]}. Writing row {@code t} of a buffer inside a jitted loop:
   * {@code Lax.dynamicUpdateSlice(buf, row.reshape(1, -1), t, Array.scalar(DType.I32, 0))}.
   */
  public static Array dynamicUpdateSlice(Array operand, Array update, Array... start) {
    Array[] args = new Array[start.length + 2];
    args[0] = operand;
    args[1] = update;
    System.arraycopy(start, 0, args, 2, start.length);
    return dev.statelens.engine.ir.ArrayPrims.DYNAMIC_UPDATE_SLICE.bind1(Params.EMPTY, args);
  }

  /**
   * {@code lax.dynamic_slice_in_dim}: {@code size} entries of {@code axis} from the traced
   * {@code start}; the other axes whole.
   */
  public static Array dynamicSliceInDim(Array operand, Array start, int size, int axis) {
    int a = inDimAxis("dynamicSliceInDim", operand, axis);
    Array[] starts = zeroStarts(operand.ndim());
    starts[a] = start;
    int[] sizes = operand.shape();
    sizes[a] = size;
    return dynamicSlice(operand, starts, sizes);
  }

  /**
   * {@code lax.dynamic_update_slice_in_dim}: {@code update} written along {@code axis} at the
   * traced {@code start} (the other axes at 0). Row t of a buffer:
   * {@code Lax.dynamicUpdateSliceInDim(buf, row.expandDims(0), t, 0)}.
   */
  public static Array dynamicUpdateSliceInDim(Array operand, Array update, Array start, int axis) {
    int a = inDimAxis("dynamicUpdateSliceInDim", operand, axis);
    Array[] starts = zeroStarts(operand.ndim());
    starts[a] = start;
    return dynamicUpdateSlice(operand, update, starts);
  }

  private static int inDimAxis(String op, Array x, int axis) {
    int a = axis < 0 ? axis + x.ndim() : axis;
    if (a < 0 || a >= x.ndim()) {
      throw new ShapeError(op + ": axis " + axis + " is out of range for shape "
          + x.aval().shapeString() + " (rank " + x.ndim() + ")");
    }
    return a;
  }

  private static Array[] zeroStarts(int rank) {
    Array[] s = new Array[rank];
    java.util.Arrays.fill(s, Array.scalar(DType.I32, 0));
    return s;
  }

  // ---- convolution and windowed reductions (docs/nn.md) -----------------------------------------

  /**
   * {@code jax.lax.conv(lhs, rhs, window_strides, padding)}: lhs {@code [N, C, spatial...]}, rhs
   * {@code [O, C, window...]}, output {@code [N, O, spatial...]}; padding {@code "SAME"},
   * {@code "SAME_LOWER"} or {@code "VALID"} ({@code lax.padtype_to_pads}).
   */
  public static Array conv(Array lhs, Array rhs, int[] windowStrides, String padding) {
    return Convolutions.convGeneralDilated(lhs, rhs, windowStrides, padding, null, null, nchw(lhs), 1);
  }

  /** {@code jax.lax.conv} with explicit {@code (lo, hi)} padding per spatial dim (may be negative). */
  public static Array conv(Array lhs, Array rhs, int[] windowStrides, int[][] padding) {
    return Convolutions.convGeneralDilated(lhs, rhs, windowStrides, padding, null, null, nchw(lhs), 1, 1);
  }

  /**
   * {@code jax.lax.conv_general_dilated} with layout strings as {@code dimension_numbers}, e.g.
   * {@code new String[] {"NHWC", "HWIO", "NHWC"}}; null strides/dilations mean 1.
   */
  public static Array convGeneralDilated(Array lhs, Array rhs, int[] windowStrides, String padding,
      int[] lhsDilation, int[] rhsDilation, String[] dimensionNumbers, int featureGroupCount) {
    return Convolutions.convGeneralDilated(lhs, rhs, windowStrides, padding, lhsDilation, rhsDilation,
        dimensionNumbers, featureGroupCount);
  }

  /**
   * {@code lax.conv_general_dilated(lhs, rhs, window_strides, padding, dimension_numbers=...)}, the
   * call of a channels-last CNN: {@code convGeneralDilated(x, w, new int[] {1, 1}, "SAME",
   * new String[] {"NHWC", "HWIO", "NHWC"})}; no dilation, one feature group.
   */
  public static Array convGeneralDilated(Array lhs, Array rhs, int[] windowStrides, String padding,
      String[] dimensionNumbers) {
    return convGeneralDilated(lhs, rhs, windowStrides, padding, null, null, dimensionNumbers, 1);
  }

  /** {@code jax.lax.conv_general_dilated} with explicit padding and a batch group count. */
  public static Array convGeneralDilated(Array lhs, Array rhs, int[] windowStrides, int[][] padding,
      int[] lhsDilation, int[] rhsDilation, String[] dimensionNumbers, int featureGroupCount,
      int batchGroupCount) {
    return Convolutions.convGeneralDilated(lhs, rhs, windowStrides, padding, lhsDilation, rhsDilation,
        dimensionNumbers, featureGroupCount, batchGroupCount);
  }

  /**
   * {@code jax.lax.conv_transpose(lhs, rhs, strides, padding)}: the upsampling convolution of
   * U-Net/VAE decoders (flax {@code ConvTranspose}), channels last as JAX's default: lhs
   * {@code [N, spatial..., C]}, rhs {@code [spatial..., I, O]}; padding "SAME" (output
   * {@code in * stride}) or "VALID". See docs/nn.md.
   */
  public static Array convTranspose(Array lhs, Array rhs, int[] strides, String padding) {
    return Convolutions.convTranspose(lhs, rhs, strides, padding, null, null, null, false);
  }

  /**
   * {@code lax.conv_transpose(lhs, rhs, strides, padding, rhs_dilation, dimension_numbers,
   * transpose_kernel)}: null dilation means 1, null layouts JAX's channels-last default;
   * {@code transposeKernel} flips the kernel and swaps its I/O axes, which makes this the transpose
   * (the gradient) of the strided {@code conv_general_dilated} with that kernel.
   */
  public static Array convTranspose(Array lhs, Array rhs, int[] strides, String padding, int[] rhsDilation,
      String[] dimensionNumbers, boolean transposeKernel) {
    return Convolutions.convTranspose(lhs, rhs, strides, padding, null, rhsDilation, dimensionNumbers, transposeKernel);
  }

  /** {@code lax.conv_transpose} with explicit {@code (lo, hi)} padding pairs. */
  public static Array convTranspose(Array lhs, Array rhs, int[] strides, int[][] padding, int[] rhsDilation,
      String[] dimensionNumbers, boolean transposeKernel) {
    return Convolutions.convTranspose(lhs, rhs, strides, null, padding, rhsDilation, dimensionNumbers, transposeKernel);
  }

  /** {@code lax.padtype_to_pads}: the {@code (lo, hi)} pairs of "SAME", "SAME_LOWER" or "VALID". */
  public static int[][] padtypeToPads(int[] inShape, int[] windowShape, int[] windowStrides, String padding) {
    return Convolutions.padtypeToPads(inShape, windowShape, windowStrides, padding);
  }

  /**
   * {@code lax.reduce_window(x, 0., lax.add, ...)} = {@code reduce_window_sum}: one window
   * dimension, stride and {@code (lo, hi)} zero padding per axis of {@code x}.
   */
  public static Array reduceWindowSum(Array x, int[] windowDimensions, int[] windowStrides, int[][] padding) {
    return Convolutions.reduceWindow(dev.statelens.engine.ir.ConvPrims.REDUCE_WINDOW_SUM, x, windowDimensions,
        windowStrides, padding);
  }

  /** {@code lax.reduce_window(x, -inf, lax.max, ...)} = {@code reduce_window_max} ({@code -inf} padding). */
  public static Array reduceWindowMax(Array x, int[] windowDimensions, int[] windowStrides, int[][] padding) {
    return Convolutions.reduceWindow(dev.statelens.engine.ir.ConvPrims.REDUCE_WINDOW_MAX, x, windowDimensions,
        windowStrides, padding);
  }

  /**
   * {@code lax.reduce_window(x, 0., lax.add, window_dimensions, window_strides, padding)} with
   * JAX's padding string, "SAME", "SAME_LOWER" or "VALID" ({@link #padtypeToPads}); null strides
   * mean 1.
   */
  public static Array reduceWindowSum(Array x, int[] windowDimensions, int[] windowStrides, String padding) {
    return reduceWindowSum(x, windowDimensions, windowStrides,
        windowPads("reduceWindowSum", x, windowDimensions, windowStrides, padding));
  }

  /**
   * {@code lax.reduce_window(x, -jnp.inf, lax.max, window_dimensions, window_strides, padding)}
   * with JAX's padding string, "SAME", "SAME_LOWER" or "VALID" — the max pool of a JAX program
   * ({@code (1, 2, 2, 1), (1, 2, 2, 1), "VALID"} on NHWC); null strides mean 1.
   */
  public static Array reduceWindowMax(Array x, int[] windowDimensions, int[] windowStrides, String padding) {
    return reduceWindowMax(x, windowDimensions, windowStrides,
        windowPads("reduceWindowMax", x, windowDimensions, windowStrides, padding));
  }

  /** The (lo, hi) pairs of a padding string, after checking one window dim and stride per axis of x. */
  private static int[][] windowPads(String op, Array x, int[] windowDimensions, int[] windowStrides, String padding) {
    int n = x.ndim();
    if (windowDimensions == null || windowDimensions.length != n
        || (windowStrides != null && windowStrides.length != n)) {
      throw new IllegalArgumentException(op + ": x has " + n + " axes " + java.util.Arrays.toString(x.shape())
          + ", so window dimensions " + java.util.Arrays.toString(windowDimensions) + " and strides "
          + java.util.Arrays.toString(windowStrides) + " need " + n + " entries each, as in JAX: 1 for an axis not"
          + " pooled, e.g. {1, 2, 2, 1} for a 2x2 pool of NHWC");
    }
    int[] strides = windowStrides == null ? new int[n] : windowStrides;
    if (windowStrides == null) {
      java.util.Arrays.fill(strides, 1);
    }
    return padtypeToPads(x.shape(), windowDimensions, strides, padding);
  }

  private static String[] nchw(Array lhs) {
    String spatial = "HWDUVXYZ".substring(0, Math.max(1, Math.min(8, lhs.ndim() - 2)));
    return new String[] {"NC" + spatial, "OI" + spatial, "NC" + spatial};
  }

  // ---- helpers -----------------------------------------------------------------------------

  /**
   * True when operations are being staged into a graph: the innermost dynamic trace stages, even
   * if a grad trace sits above it (jit(grad(f)) keeps loops as one scan instead of unrolling).
   */
  private static boolean stagingInnermost() {
    return TraceStack.dynamic() instanceof StagingTrace;
  }

  /** The predicate's value if it is known now (concrete, or a grad tracer's primal), else null. */
  private static Boolean concreteBool(Array p) {
    if (p.isConcrete()) {
      return p.boolValue();
    }
    try {
      return p.tracer().toConcrete("Lax.cond").boolValue();
    } catch (ConcretizationError e) {
      return null;
    }
  }

  private static List<Aval> avalsOf(List<Array> arrays) {
    List<Aval> r = new ArrayList<>(arrays.size());
    for (Array a : arrays) {
      r.add(a.aval());
    }
    return r;
  }

  /**
   * {@code lax.top_k(x, k)}: the k largest elements along the last axis, descending, and their
   * i32 indices; equal values come lower index first, NaN above everything. One stable sort of
   * the line (O(n log n), not a partial selection); gradients flow to the selected elements.
   */
  public static Pair<Array, Array> topK(Array x, int k) {
    return Searching.topK(x, k);
  }

  /**
   * {@code lax.sort(operands, dimension, is_stable, num_keys)}: every operand (one shape) reordered
   * by the lexicographic order of the first {@code numKeys}, stable; see {@link Sorting#sort(java.util.List, int, boolean, int)}.
   */
  public static java.util.List<Array> sort(java.util.List<Array> operands, int dimension, boolean isStable, int numKeys) {
    return Sorting.sort(operands, dimension, isStable, numKeys);
  }

  // ---- elementwise lax functions --------------------------------------------------------------

  /**
   * {@code lax.zeta(x, q)}: the Hurwitz zeta function, as the primitive: one float dtype, equal
   * shapes (or rank 0), no promotion, and no gradient (as JAX); {@link Special#zeta} promotes,
   * broadcasts and differentiates. Subnormal arguments and results are flushed to zero, as XLA's
   * CPU does for JAX (docs/special.md, "zeta").
   */
  public static Array zeta(Array x, Array q) {
    return Special.zetaFlushed(x, q);
  }

  // ---- lax.map, clamp, select_n, rev, batch_matmul, reduce (docs/control-flow.md, docs/arrays.md) ----

  /**
   * {@code lax.map(f, xs)}: {@code f} over the slices of {@code xs} (a pytree) along axis 0, one
   * at a time, the results stacked along a new axis 0: a {@link #scan} with no carry, so under jit
   * one loop is staged and memory stays one slice's worth.
   */
  public static <X, Y> Y map(Function<X, Y> f, X xs) {
    return scan((List<Array> c, X x) -> Pair.of(c, f.apply(x)), List.<Array>of(), xs).second();
  }

  /**
   * {@code lax.map(f, xs, batch_size=b)}: {@code f} vmapped over chunks of {@code b} slices inside
   * the scan (more parallel work per step, {@code b} slices' memory); the last
   * {@code n mod b} slices are one extra vmapped call, as in JAX.
   */
  public static <X, Y> Y map(Function<X, Y> f, X xs, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("Lax.map: batchSize must be >= 1, got " + batchSize
          + "; use map(f, xs) for one slice at a time");
    }
    Tree.Flat flat = Tree.flatten(xs);
    if (flat.leaves().isEmpty()) {
      throw new IllegalArgumentException("Lax.map: xs has no arrays to map over");
    }
    int n = leadingLength(flat.leaves());
    int batches = n / batchSize;
    int rest = n - batches * batchSize;
    Function<X, Y> vf = Transforms.vmap(f);
    Y ys = null;
    if (batches > 0) {
      X scanXs = Tree.map((Array a) -> a.sliceAxis(0, 0, batches * batchSize)
          .reshape(concatShape(new int[] {batches, batchSize}, a.shape(), 1)), xs);
      Y batched = scan((List<Array> c, X x) -> Pair.of(c, vf.apply(x)), List.<Array>of(), scanXs).second();
      ys = Tree.map((Array a) -> a.reshape(concatShape(new int[] {-1}, a.shape(), 2)), batched);
    }
    if (rest > 0) {
      Y tail = vf.apply(Tree.map((Array a) -> a.sliceAxis(0, batches * batchSize, n), xs));
      ys = ys == null ? tail : Tree.map((Array a, Array b) -> Array.concatenate(0, a, b), ys, tail);
    }
    return ys;
  }

  private static int[] concatShape(int[] head, int[] shape, int drop) {
    int[] out = java.util.Arrays.copyOf(head, head.length + shape.length - drop);
    System.arraycopy(shape, drop, out, head.length, shape.length - drop);
    return out;
  }

  /**
   * {@code lax.clamp(min, x, max)}: {@code min(max(x, min), max)}; min and max are rank 0 or x's
   * shape, all of x's dtype. lax's gradient: x's where {@code min < x < max} strictly, min's where
   * {@code x < min < max}, max's where {@code x > max} (so at a tie none gets it).
   */
  public static Array clamp(Array min, Array x, Array max) {
    for (Array bound : new Array[] {min, max}) {
      if (bound.dtype() != x.dtype()) {
        throw new ShapeError("Lax.clamp: min, x and max must have one dtype, got " + min.dtype().numpyName() + ", "
            + x.dtype().numpyName() + " and " + max.dtype().numpyName() + "; convert with astype (lax does not promote)");
      }
      if (bound.ndim() != 0 && !java.util.Arrays.equals(bound.shape(), x.shape())) {
        throw new ShapeError("Lax.clamp: min and max must be rank 0 or x's shape " + java.util.Arrays.toString(x.shape())
            + ", got " + java.util.Arrays.toString(bound.shape()) + "; use jnp-style x.clip(min, max) to broadcast");
      }
    }
    return CLAMP.apply(min, x, max);
  }

  private static final Fn3<Array, Array, Array, Array> CLAMP = clampWithLaxGradient();

  private static Fn3<Array, Array, Array, Array> clampWithLaxGradient() {
    java.util.function.BiFunction<List<Array>, Array, List<Array>> bwd = (r, g) -> {
      Array lo = r.get(0);
      Array x = r.get(1);
      Array hi = r.get(2);
      Array zero = Array.zeros(g.dtype(), new int[0]);
      Array gx = Array.where(x.gt(lo).and(x.lt(hi)), g, zero);
      Array gLo = Array.where(lo.gt(x).and(lo.lt(hi)), g, zero);
      Array gHi = Array.where(hi.lt(x), g, zero);
      return List.of(lo.ndim() == 0 ? gLo.sum() : gLo, gx, hi.ndim() == 0 ? gHi.sum() : gHi);
    };
    Function<List<Array>, Array> cv = Transforms.customVjp(
        (List<Array> a) -> a.get(1).maximum(a.get(0)).minimum(a.get(2)),
        (List<Array> a) -> Pair.of(a.get(1).maximum(a.get(0)).minimum(a.get(2)), a),
        bwd);
    return (lo, x, hi) -> cv.apply(List.of(lo, x, hi));
  }

  /**
   * {@code lax.select_n(which, cases...)}: element i of {@code cases[which[i]]}. {@code which} is
   * bool (at most two cases: false picks the first) or int32 (in {@code [0, n)}), rank 0 or the
   * cases' shape; the cases share one shape and dtype. More than two cases are a tree of selects,
   * as XLA lowers them.
   */
  public static Array selectN(Array which, Array... cases) {
    if (cases.length == 0) {
      throw new IllegalArgumentException("Lax.selectN: needs at least one case");
    }
    for (Array c : cases) {
      if (c.dtype() != cases[0].dtype() || !java.util.Arrays.equals(c.shape(), cases[0].shape())) {
        throw new ShapeError("Lax.selectN: the cases must have one shape and dtype, got " + cases[0].dtype().numpyName()
            + java.util.Arrays.toString(cases[0].shape()) + " and " + c.dtype().numpyName() + java.util.Arrays.toString(c.shape()));
      }
    }
    if (which.ndim() != 0 && !java.util.Arrays.equals(which.shape(), cases[0].shape())) {
      throw new ShapeError("Lax.selectN: which must be rank 0 or the cases' shape " + java.util.Arrays.toString(cases[0].shape())
          + ", got " + java.util.Arrays.toString(which.shape()));
    }
    if (which.dtype() == DType.BOOL) {
      if (cases.length > 2) {
        throw new IllegalArgumentException("Lax.selectN: a bool which selects between at most 2 cases, got "
            + cases.length + "; pass an int32 which");
      }
    } else if (which.dtype() != DType.I32 && which.dtype() != DType.U32) {
      throw new ShapeError("Lax.selectN: which must be bool or int32, got " + which.dtype().numpyName());
    }
    return selectRange(which, cases, 0, cases.length);
  }

  private static Array selectRange(Array which, Array[] cases, int lo, int hi) {
    if (hi - lo == 1) {
      return cases[lo];
    }
    int mid = lo + (hi - lo + 1) / 2;
    Array pickHigh = which.dtype() == DType.BOOL ? which : which.ge(Array.scalar(which.dtype(), mid));
    Array low = selectRange(which, cases, lo, mid);
    Array high = selectRange(which, cases, mid, hi);
    Array p = pickHigh.ndim() == 0 && low.ndim() > 0 ? pickHigh.broadcastTo(low.shape()) : pickHigh;
    return Array.where(p, high, low);
  }

  /** {@code lax.rev(x, dimensions)}: reverses the order of elements along each of {@code dimensions}. */
  public static Array rev(Array x, int... dimensions) {
    return x.flip(dimensions);
  }

  /**
   * {@code lax.batch_matmul(lhs, rhs)}: batched matrix products of operands of equal rank >= 2
   * with equal leading (batch) dimensions ({@code dot_general}, no broadcasting).
   */
  public static Array batchMatmul(Array lhs, Array rhs) {
    if (lhs.ndim() != rhs.ndim() || lhs.ndim() < 2) {
      throw new ShapeError("Lax.batchMatmul: operands must be at least 2-d and of one rank, got "
          + lhs.ndim() + "-d and " + rhs.ndim() + "-d; use matmul to broadcast");
    }
    int r = lhs.ndim();
    if (!java.util.Arrays.equals(java.util.Arrays.copyOf(lhs.shape(), r - 2), java.util.Arrays.copyOf(rhs.shape(), r - 2))) {
      throw new ShapeError("Lax.batchMatmul: batch dimensions differ, " + java.util.Arrays.toString(lhs.shape()) + " and "
          + java.util.Arrays.toString(rhs.shape()) + "; use matmul to broadcast them");
    }
    return lhs.matmul(rhs);
  }

  /**
   * {@code lax.reduce(x, init, computation, dimensions)} for any associative, commutative
   * {@code computation} (XLA requires both): a pairwise tree over each dimension (each step one
   * vectorized call of {@code computation} on two halves), then {@code computation(init, .)}.
   * Differentiable through {@code computation}. For sum/max/min/prod use the dedicated
   * reductions: faster, and their rounding is XLA's.
   */
  public static Array reduce(Array x, Array init, BiFunction<Array, Array, Array> computation, int... dimensions) {
    if (init.ndim() != 0 || init.dtype() != x.dtype()) {
      throw new ShapeError("Lax.reduce: init must be a rank-0 " + x.dtype().numpyName() + " array, got "
          + init.dtype().numpyName() + java.util.Arrays.toString(init.shape()));
    }
    int[] dims = dimensions.clone();
    java.util.Arrays.sort(dims);
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0 || dims[i] >= x.ndim() || (i > 0 && dims[i] == dims[i - 1])) {
        throw new ShapeError("Lax.reduce: dimensions " + java.util.Arrays.toString(dimensions)
            + " must be distinct axes of a " + x.ndim() + "-d array (no negative axes in lax)");
      }
    }
    Array acc = x;
    for (int k = dims.length - 1; k >= 0; k--) {
      int axis = dims[k];
      if (acc.shape()[axis] == 0) {   // nothing to reduce: init alone, in the output's shape
        int[] kept = java.util.stream.IntStream.range(0, x.ndim())
            .filter(d -> java.util.Arrays.binarySearch(dims, d) < 0).map(d -> x.shape()[d]).toArray();
        return init.broadcastTo(kept);
      }
      while (acc.shape()[axis] > 1) {
        int n = acc.shape()[axis];
        int half = n / 2;
        Array paired = computation.apply(acc.sliceAxis(axis, 0, half), acc.sliceAxis(axis, half, 2 * half));
        acc = n % 2 == 0 ? paired : Array.concatenate(axis, paired, acc.sliceAxis(axis, n - 1, n));
      }
      acc = acc.squeeze(axis);
    }
    return computation.apply(init.broadcastTo(acc.shape()), acc);
  }
}
