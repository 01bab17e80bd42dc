package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.cpu.FusedElementwise.Instr;
import dev.statelens.engine.backend.cpu.FusedElementwise.Op;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups elementwise equations of a jaxpr into {@link FusedElementwise} kernels.
 *
 * <p>Rule (simple on purpose): an elementwise equation is <em>inlined</em> into its consumer when
 * its output has exactly one use, that use is another fusible elementwise equation of the same
 * output shape, and it is not a graph output. A {@code broadcast_in_dim} with that single use is
 * inlined as a strided read of its operand. So groups are expression trees; values used twice
 * are materialized once, never recomputed. A group whose single use is a trailing-axis float
 * reduction is folded straight into it ({@link FusedReduction}). Fusible: float (F32/F64) unary and binary math,
 * comparisons of floats, {@code select_n} of floats, F32/F64 conversions. complex64 equations
 * (arithmetic, XLA's elementary functions, {@code complex/real/imag/conj/abs}) form groups of their
 * own, {@link FusedComplex}; a group never mixes the two kinds.
 *
 * <p>Switched off with the system property {@code statelens.cpu.fusion=false} (for comparison).
 */
final class Fusion {
  private Fusion() {}

  /** One step of the compiled program: a kernel over input atoms producing output vars. */
  record Planned(String name, CpuKernel kernel, Params params, List<Atom> inputs, List<Var> outputs) {}

  static boolean enabledByDefault() {
    return !"false".equalsIgnoreCase(System.getProperty("statelens.cpu.fusion", "true").trim());
  }

  /** The unfused program: one step per equation. */
  static List<Planned> unfused(Jaxpr jaxpr) {
    List<Planned> steps = new ArrayList<>();
    for (Eqn e : jaxpr.eqns()) {
      steps.add(original(e));
    }
    return steps;
  }

  private static Planned original(Eqn e) {
    return new Planned(e.primitive().name(), CpuKernels.lookup(e.primitive()), e.params(), e.inputs(), e.outputs());
  }

  private static boolean isFloat(DType d) {
    return d == DType.F32 || d == DType.F64;
  }

  /** True if {@code e} can be an operation of a fused group. */
  static boolean isFusibleElementwise(Eqn e) {
    Primitive p = e.primitive();
    if (e.outputs().size() != 1) {
      return false;
    }
    // a registered kernel other than the standard one (e.g. a user override) is respected
    if (!CpuKernels.isStandard(p)) {
      return false;
    }
    List<Atom> in = e.inputs();
    if (p == Prims.SELECT_N) {
      return in.size() == 3 && in.get(0).aval().dtype() == DType.BOOL && isFloat(in.get(1).aval().dtype());
    }
    if (p == Prims.CONVERT_ELEMENT_TYPE) {
      return isFloat(in.get(0).aval().dtype()) && isFloat(e.outputs().get(0).aval().dtype());
    }
    if (in.isEmpty() || !isFloat(in.get(0).aval().dtype())) {
      return false;
    }
    return (in.size() == 1 && Elementwise.FLOAT_UNARY.containsKey(p))
        || (in.size() == 2 && (Elementwise.FLOAT_BINARY.containsKey(p) || Elementwise.FLOAT_COMPARE.containsKey(p)));
  }

  /**
   * A float reduction over trailing axes (full sums, row sums) whose segments are short enough
   * that {@link Reductions} folds each one sequentially: the fused version folds in the same
   * order, so it gives the same bits.
   */
  static boolean isFusibleReduction(Eqn e) {
    Primitive p = e.primitive();
    if ((p != Prims.REDUCE_SUM && p != Prims.REDUCE_MAX && p != Prims.REDUCE_MIN) || !CpuKernels.isStandard(p)) {
      return false;
    }
    Aval x = e.inputs().get(0).aval();
    if (!isFloat(x.dtype())) {
      return false;
    }
    int[] axes = e.params().getInts("axes").clone();
    Arrays.sort(axes);
    for (int j = 0; j < axes.length; j++) {
      if (axes[j] != x.rank() - axes.length + j) {
        return false;
      }
    }
    int n = e.outputs().get(0).aval().size();
    return n > 0 && x.size() / n < 2 * Reductions.CHUNK;
  }

  private static boolean isBroadcastLeaf(Eqn e) {
    if (e.primitive() != Prims.BROADCAST_IN_DIM || !CpuKernels.isStandard(e.primitive())) {
      return false;
    }
    DType d = e.inputs().get(0).aval().dtype();
    return isFloat(d) || d == DType.BOOL;
  }

  /** A broadcast a complex group reads in place: of a c64, or of an f32 that {@code complex}/convert takes. */
  private static boolean isComplexBroadcastLeaf(Eqn e) {
    DType d = e.inputs().isEmpty() ? null : e.inputs().get(0).aval().dtype();
    return e.primitive() == Prims.BROADCAST_IN_DIM && CpuKernels.isStandard(e.primitive())
        && (d == DType.C64 || d == DType.F32);
  }

  /** True when {@code planned} (a {@link #plan}) runs some complex64 chain as one {@link FusedComplex} step. */
  static boolean fusesComplex(List<Planned> planned) {
    return planned.stream().anyMatch(p -> p.kernel() instanceof FusedComplex);
  }

  /** The fused program for {@code jaxpr}. */
  static List<Planned> plan(Jaxpr jaxpr) {
    List<Eqn> eqns = jaxpr.eqns();
    Map<Var, Integer> producer = new IdentityHashMap<>();
    Map<Var, Integer> uses = new IdentityHashMap<>();
    Map<Var, Integer> consumer = new IdentityHashMap<>();
    for (int i = 0; i < eqns.size(); i++) {
      Eqn e = eqns.get(i);
      for (Atom a : e.inputs()) {
        if (a instanceof Var v) {
          uses.merge(v, 1, Integer::sum);
          consumer.put(v, i);
        }
      }
      for (Var v : e.outputs()) {
        producer.put(v, i);
      }
    }
    for (Atom a : jaxpr.outvars()) {
      if (a instanceof Var v) {
        uses.merge(v, 1, Integer::sum);
        consumer.put(v, -1);
      }
    }
    boolean[] fusible = new boolean[eqns.size()];
    boolean[] complex = new boolean[eqns.size()];
    for (int i = 0; i < eqns.size(); i++) {
      fusible[i] = isFusibleElementwise(eqns.get(i));
      complex[i] = !fusible[i] && FusedComplex.isFusible(eqns.get(i));
    }
    boolean[] inlined = new boolean[eqns.size()];
    for (int i = 0; i < eqns.size(); i++) {
      Eqn e = eqns.get(i);
      boolean leaf = isBroadcastLeaf(e);
      boolean complexLeaf = isComplexBroadcastLeaf(e);
      if (e.outputs().size() != 1 || !(fusible[i] || complex[i] || leaf || complexLeaf)) {
        continue;
      }
      Var v = e.outputs().get(0);
      int c = consumer.getOrDefault(v, -1);
      boolean single = uses.getOrDefault(v, 0) == 1 && c >= 0;
      if (!single) {
        continue;
      }
      List<Var> consumed = eqns.get(c).outputs(); // a debug_callback consumer has none
      boolean sameShape = consumed.size() == 1 && consumed.get(0).aval().sameShape(v.aval());
      // real and complex groups stay apart: each inlines only its own kind (and the broadcasts it reads)
      inlined[i] = complex[c]
          ? sameShape && (complex[i] || complexLeaf)
          : (fusible[c] && sameShape && (fusible[i] || leaf)) || (fusible[i] && isFusibleReduction(eqns.get(c)));
    }
    List<Planned> steps = new ArrayList<>();
    List<Integer> roots = new ArrayList<>(); // per step, its root equation
    for (int i = 0; i < eqns.size(); i++) {
      Eqn e = eqns.get(i);
      if (inlined[i]) {
        continue;
      }
      if (isFusibleReduction(e) && e.inputs().get(0) instanceof Var in
          && producer.containsKey(in) && inlined[producer.get(in)]) {
        // the elementwise group that feeds this reduction is evaluated block by block and folded
        Builder b = new Builder(eqns, producer, inlined, in.aval());
        b.value(in);
        FusedReduction k = new FusedReduction(b.build(), e.primitive());
        add(steps, roots, i, new Planned("fused[" + e.primitive().name() + "," + b.names + "]", k, Params.EMPTY,
            List.copyOf(b.leaves.keySet().stream().map(LeafKey::atom).toList()), e.outputs()));
        continue;
      }
      if (complex[i]) {
        add(steps, roots, i, complexGroup(eqns, producer, inlined, e));
        continue;
      }
      if (!fusible[i]) {
        add(steps, roots, i, original(e));
        continue;
      }
      Builder b = new Builder(eqns, producer, inlined, e.outputs().get(0).aval());
      b.emit(e);
      if (b.ops == 1 && !b.hasBroadcastLeaf) {
        add(steps, roots, i, original(e)); // a lone op: the plain kernel has less overhead
        continue;
      }
      FusedElementwise k = b.build();
      add(steps, roots, i, new Planned("fused[" + b.names + "]", k, Params.EMPTY, List.copyOf(b.leaves.keySet().stream()
          .map(LeafKey::atom).toList()), e.outputs()));
    }
    return MultiOutput.enabled() ? MultiOutput.merge(eqns, producer, inlined, jaxpr, steps, roots) : steps;
  }

  private static void add(List<Planned> steps, List<Integer> roots, int root, Planned step) {
    steps.add(step);
    roots.add(root);
  }

  /** The complex group rooted at {@code root} as one {@link FusedComplex} step (a lone op: its own kernel). */
  private static Planned complexGroup(List<Eqn> eqns, Map<Var, Integer> producer, boolean[] inlined, Eqn root) {
    FusedComplex.Builder b = new FusedComplex.Builder(eqns, producer, inlined, root.outputs().get(0).aval());
    b.emit(root);
    if (b.ops == 1 && !b.hasBroadcastLeaf) {
      return original(root);
    }
    return new Planned("fused[" + b.names + "]", b.build(), Params.EMPTY, b.leaves(), root.outputs());
  }

  /** A leaf read: a variable with per-output-axis strides (dense, broadcast, or rank-0). */
  record LeafKey(Atom atom, List<Integer> strides) {
    @Override
    public boolean equals(Object o) {
      return o instanceof LeafKey k && k.atom == atom && k.strides.equals(strides);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(atom) * 31 + strides.hashCode();
    }
  }

  /** Builds one group's program by walking its expression tree from the root. */
  static final class Builder {
    final List<Eqn> eqns;
    final Map<Var, Integer> producer;
    final boolean[] inlined;
    final Aval out;
    final int[] dense;
    final List<Instr> prog = new ArrayList<>();
    final Map<LeafKey, Integer> leaves = new LinkedHashMap<>();
    final Map<LeafKey, Integer> leafRegister = new java.util.HashMap<>();
    final StringBuilder names = new StringBuilder();
    /** Values of inlined equations emitted so far: a value several members of a multi-output group read is computed once. */
    final Map<Var, Integer> emitted = new IdentityHashMap<>();
    int ops;
    boolean hasBroadcastLeaf;

    Builder(List<Eqn> eqns, Map<Var, Integer> producer, boolean[] inlined, Aval out) {
      this.eqns = eqns;
      this.producer = producer;
      this.inlined = inlined;
      this.out = out;
      this.dense = Strided.rowMajor(out.shape());
    }

    FusedElementwise build() {
      int[][] strides = new int[leaves.size()][];
      int j = 0;
      for (LeafKey k : leaves.keySet()) {
        strides[j++] = k.strides.stream().mapToInt(Integer::intValue).toArray();
      }
      return new FusedElementwise(prog.toArray(Instr[]::new), out.dtype(), out.shape(), strides);
    }

    private int add(Instr i) {
      prog.add(i);
      return prog.size() - 1;
    }

    /** Emits the value of {@code a}; returns its register. */
    int value(Atom a) {
      if (a instanceof Literal l) {
        double v = l.dtype() == DType.F32 ? (double) (float) l.value() : l.value();
        return add(new Instr(Op.CONST, 0, 0, 0, false, v, null));
      }
      Var v = (Var) a;
      Integer p = producer.get(v);
      if (p != null && inlined[p]) {
        Eqn e = eqns.get(p);
        if (e.primitive() == Prims.BROADCAST_IN_DIM) {
          hasBroadcastLeaf = true;
          Atom src = e.inputs().get(0);
          if (src instanceof Literal) {
            return value(src);
          }
          return leaf(src, Strided.broadcastStrides(src.aval(), e.params().getInts("broadcast_dimensions"), out.rank()));
        }
        Integer done = emitted.get(v);
        if (done != null) {
          return done;
        }
        int r = emit(e);
        emitted.put(v, r);
        return r;
      }
      return leaf(v, v.aval().isScalar() ? new int[out.rank()] : dense);
    }

    private int leaf(Atom a, int[] strides) {
      LeafKey key = new LeafKey(a, Arrays.stream(strides).boxed().toList());
      Integer reg = leafRegister.get(key);
      if (reg != null) {
        return reg;
      }
      int index = leaves.computeIfAbsent(key, k -> leaves.size());
      int r = add(new Instr(Op.LOAD, index, 0, 0, false, 0, null));
      leafRegister.put(key, r);
      return r;
    }

    /** The float comparison that produces {@code a} inside this group (used only here), or null. */
    private Eqn inlinedComparison(Atom a) {
      if (!(a instanceof Var v)) {
        return null;
      }
      Integer p = producer.get(v);
      if (p == null || !inlined[p]) {
        return null;
      }
      Eqn e = eqns.get(p);
      return Elementwise.FLOAT_COMPARE.containsKey(e.primitive()) ? e : null;
    }

    /** Emits equation {@code e} (fusible) and its inlined operands; returns its register. */
    int emit(Eqn e) {
      Primitive p = e.primitive();
      List<Atom> in = e.inputs();
      boolean f32 = e.outputs().get(0).aval().dtype() == DType.F32;
      ops++;
      names.append(names.isEmpty() ? "" : ",").append(p.name());
      if (p == Prims.SELECT_N) {
        Eqn test = inlinedComparison(in.get(0));
        if (test != null) {
          // where(a cmp b, ...): compare and select in one instruction, no 0/1 register between
          ops++;
          names.append(',').append(test.primitive().name());
          int a = value(test.inputs().get(0));
          int b = value(test.inputs().get(1));
          int c0 = value(in.get(1));
          int c1 = value(in.get(2));
          var cs = new FusedElementwise.CompareSelect(FusedElementwise.comparison(test.primitive()), c0, c1);
          return add(new Instr(Op.COMPARE_SELECT, a, b, 0, false, 0, cs));
        }
        int w = value(in.get(0));
        int c0 = value(in.get(1));
        int c1 = value(in.get(2));
        return add(new Instr(Op.SELECT, w, c0, c1, false, 0, null));
      }
      if (p == Prims.CONVERT_ELEMENT_TYPE) {
        return add(new Instr(Op.CONVERT, value(in.get(0)), 0, 0, f32, 0, null));
      }
      if (in.size() == 1) {
        int a = value(in.get(0));
        Op op = p == Prims.NEG ? Op.NEG : p == Prims.SQUARE ? Op.SQUARE : Op.UNARY;
        return add(new Instr(op, a, 0, 0, f32, 0, Elementwise.FLOAT_UNARY.get(p), p));
      }
      int a = value(in.get(0));
      int b = value(in.get(1));
      if (Elementwise.FLOAT_COMPARE.containsKey(p)) {
        return add(new Instr(Op.COMPARE, a, b, 0, false, 0, FusedElementwise.comparison(p)));
      }
      Op op = p == Prims.ADD ? Op.ADD : p == Prims.SUB ? Op.SUB : p == Prims.MUL ? Op.MUL
          : p == Prims.DIV ? Op.DIV : p == Prims.MAX ? Op.MAX : p == Prims.MIN ? Op.MIN : Op.BINARY;
      return add(new Instr(op, a, b, 0, f32, 0, Elementwise.FLOAT_BINARY.get(p)));
    }
  }
}
