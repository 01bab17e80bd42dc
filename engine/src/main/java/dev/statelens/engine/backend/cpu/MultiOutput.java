package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.cpu.Fusion.Builder;
import dev.statelens.engine.backend.cpu.Fusion.LeafKey;
import dev.statelens.engine.backend.cpu.Fusion.Planned;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges {@link Fusion}'s f32 steps over one small shape into {@link FusedMultiOutput} steps
 * (XLA's multi-output fusion): an elementwise group and the groups and reductions that read its
 * value (the layer norm gradient's {@code p = g * x} read by a row sum and a column sum), and
 * steps that read the same array (a column sum of {@code g} beside {@code g * x}), as long as the
 * merged group contains a reduction: that is where separate steps write an array only to read it
 * back. Only shapes with rows of at most a block; above {@link Parallel#ELEMENTWISE_GRAIN} elements
 * (where the step runs on several threads) only groups whose folds split over threads in their
 * order ({@link #splittable}).
 *
 * <p>A merged step runs where its first member ran; a merge is refused when some member reads a
 * value that a step outside the group computes after that point (which also rules out cycles).
 * {@code -Dstatelens.cpu.multioutput=false} keeps the separate steps (for comparisons).
 */
final class MultiOutput {
  private MultiOutput() {}

  static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty("statelens.cpu.multioutput", "true").trim());
  }

  /** Rank ≥ 2, rows of at most a block. */
  private static boolean fits(Aval a) {
    return a.dtype() == DType.F32 && a.rank() >= 2 && a.size() > 0 && a.dim(a.rank() - 1) <= FusedElementwise.BLOCK;
  }

  /** A float sum/max/min of a fitting f32 value over its trailing axes (as Fusion fuses) or its leading axes. */
  private static boolean isReduction(Eqn e) {
    Primitive p = e.primitive();
    if ((p != Prims.REDUCE_SUM && p != Prims.REDUCE_MAX && p != Prims.REDUCE_MIN) || !CpuKernels.isStandard(p)
        || !(e.inputs().get(0) instanceof Var) || !fits(e.inputs().get(0).aval())) {
      return false;
    }
    return Fusion.isFusibleReduction(e) || isLeading(e);
  }

  private static boolean isLeading(Eqn e) {
    int[] axes = e.params().getInts("axes").clone();
    Arrays.sort(axes);
    for (int j = 0; j < axes.length; j++) {
      if (axes[j] != j) {
        return false;
      }
    }
    return axes.length > 0 && axes.length < e.inputs().get(0).aval().rank();
  }

  private static Reductions.Op op(Primitive p) {
    return p == Prims.REDUCE_SUM ? Reductions.Op.SUM : p == Prims.REDUCE_MAX ? Reductions.Op.MAX : Reductions.Op.MIN;
  }

  /** {@code steps} (one per root equation {@code roots}) with mergeable f32 steps merged. */
  static List<Planned> merge(List<Eqn> eqns, Map<Var, Integer> producer, boolean[] inlined, Jaxpr jaxpr,
      List<Planned> steps, List<Integer> roots) {
    int m = steps.size();
    Aval[] shape = new Aval[m]; // a member's shape: its output's, a reduction's input's; null: not a member
    boolean[] reduction = new boolean[m];
    boolean[] leading = new boolean[m]; // a leading-axis reduction (else trailing, where reduction[s])
    int[] outputs = new int[m]; // a reduction's number of outputs
    Map<Var, Integer> stepOf = new IdentityHashMap<>();
    for (int s = 0; s < m; s++) {
      Planned p = steps.get(s);
      for (Var v : p.outputs()) {
        stepOf.put(v, s);
      }
      Eqn e = eqns.get(roots.get(s));
      if (isReduction(e)) {
        shape[s] = e.inputs().get(0).aval();
        reduction[s] = true;
        leading[s] = !Fusion.isFusibleReduction(e);
        outputs[s] = e.outputs().get(0).aval().size();
      } else if (Fusion.isFusibleElementwise(e) && fits(e.outputs().get(0).aval())
          && (p.kernel() instanceof FusedElementwise || p.kernel() == CpuKernels.lookup(e.primitive()))) {
        shape[s] = e.outputs().get(0).aval();
      }
    }
    // edges: a member reads another's value, or two members read one array of their shape
    List<int[]> edges = new ArrayList<>();
    Map<Var, Integer> lastReader = new IdentityHashMap<>();
    for (int y = 0; y < m; y++) {
      if (shape[y] == null) {
        continue;
      }
      for (Atom a : steps.get(y).inputs()) {
        if (!(a instanceof Var v) || !v.aval().sameShape(shape[y])) {
          continue;
        }
        Integer x = stepOf.get(v);
        if (x != null && shape[x] != null && !reduction[x]) {
          edges.add(new int[] {x, y});
        }
        Integer sibling = lastReader.put(v, y);
        if (sibling != null && sibling != y) {
          edges.add(new int[] {sibling, y});
        }
      }
    }
    int[] comp = new int[m];
    Map<Integer, List<Integer>> members = new HashMap<>();
    for (int s = 0; s < m; s++) {
      comp[s] = s;
      if (shape[s] != null) {
        members.put(s, new ArrayList<>(List.of(s)));
      }
    }
    for (int[] edge : edges) {
      int a = comp[edge[0]];
      int b = comp[edge[1]];
      if (a == b || !shape[a].sameShape(shape[b])) {
        continue;
      }
      List<Integer> merged = new ArrayList<>(members.get(a));
      merged.addAll(members.get(b));
      merged.sort(null);
      if (!valid(merged, steps, stepOf, reduction) || !splittable(merged, shape[a], reduction, leading, outputs)) {
        continue;
      }
      int keep = Math.min(a, b);
      int drop = Math.max(a, b);
      members.remove(drop);
      members.put(keep, merged);
      for (int s : merged) {
        comp[s] = keep;
      }
    }
    Set<Atom> graphOutputs = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    graphOutputs.addAll(jaxpr.outvars());
    Map<Integer, Planned> mergedAt = new HashMap<>();
    boolean[] absorbed = new boolean[m];
    for (List<Integer> group : members.values()) {
      if (group.size() < 2 || group.stream().noneMatch(s -> reduction[s])) {
        continue;
      }
      Planned p = build(group, eqns, producer, inlined, steps, roots, reduction, shape[group.get(0)], graphOutputs, stepOf);
      if (p != null) {
        mergedAt.put(group.get(0), p);
        for (int s : group) {
          absorbed[s] = true;
        }
      }
    }
    if (mergedAt.isEmpty()) {
      return steps;
    }
    List<Planned> out = new ArrayList<>();
    for (int s = 0; s < m; s++) {
      if (mergedAt.containsKey(s)) {
        out.add(mergedAt.get(s));
      } else if (!absorbed[s]) {
        out.add(steps.get(s));
      }
    }
    return out;
  }

  /**
   * True when the merged step can run on several threads with each fold in order, or need not: a
   * group above {@link Parallel#ELEMENTWISE_GRAIN} elements ({@link FusedMultiOutput}) splits
   * by columns for its leading reductions (rows of at least {@link FusedMultiOutput#MIN_SPLIT_WIDTH}),
   * or at segment boundaries for its trailing ones (at least two segments each); with both, by
   * the leading reductions' lanes where every trailing segment fits in one lane's run of rows
   * ({@link FusedMultiOutput#laneRows}). Separate steps would run on all cores.
   */
  private static boolean splittable(List<Integer> group, Aval shape, boolean[] reduction, boolean[] leading,
      int[] outputs) {
    if (shape.size() <= Parallel.ELEMENTWISE_GRAIN) {
      return true;
    }
    boolean anyLeading = group.stream().anyMatch(s -> reduction[s] && leading[s]);
    boolean anyTrailing = group.stream().anyMatch(s -> reduction[s] && !leading[s]);
    int rowLen = shape.dim(shape.rank() - 1);
    if (anyLeading && anyTrailing) {
      int[] leadingSizes = group.stream().filter(s -> reduction[s] && leading[s]).mapToInt(s -> outputs[s]).toArray();
      int[] segments = group.stream().filter(s -> reduction[s] && !leading[s]).mapToInt(s -> shape.size() / outputs[s])
          .toArray();
      return FusedMultiOutput.laneRows(rowLen, leadingSizes, segments) > 0;
    }
    if (anyLeading) {
      return rowLen >= FusedMultiOutput.MIN_SPLIT_WIDTH;
    }
    return group.stream().allMatch(s -> !reduction[s] || outputs[s] >= 2);
  }

  /**
   * True when every value the members read from outside is computed before the first member, and
   * no member reads a member reduction's result (it exists only after the whole pass).
   */
  private static boolean valid(List<Integer> group, List<Planned> steps, Map<Var, Integer> stepOf, boolean[] reduction) {
    int first = group.get(0);
    for (int s : group) {
      for (Atom a : steps.get(s).inputs()) {
        Integer x = a instanceof Var v ? stepOf.get(v) : null;
        if (x != null && (group.contains(x) ? reduction[x] : x > first)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The merged step, or null when its program is not an f32 one over f32/bool leaves. */
  private static Planned build(List<Integer> group, List<Eqn> eqns, Map<Var, Integer> producer, boolean[] inlined,
      List<Planned> steps, List<Integer> roots, boolean[] reduction, Aval shape, Set<Atom> graphOutputs,
      Map<Var, Integer> stepOf) {
    Set<Integer> inGroup = new java.util.HashSet<>(group);
    boolean[] asInlined = inlined.clone();
    for (int s : group) {
      if (!reduction[s]) {
        asInlined[roots.get(s)] = true; // read by value: computed once, in the group's registers
      }
    }
    Builder b = new Builder(eqns, producer, asInlined, shape);
    List<Var> outputs = new ArrayList<>();
    List<FusedMultiOutput.Output> specs = new ArrayList<>();
    for (int s : group) {
      Eqn e = eqns.get(roots.get(s));
      if (reduction[s]) {
        int reg = b.value(e.inputs().get(0));
        b.names.append(b.names.isEmpty() ? "" : ",").append(e.primitive().name());
        Aval out = e.outputs().get(0).aval();
        int n = out.size();
        FusedMultiOutput.Kind kind = Fusion.isFusibleReduction(e) ? FusedMultiOutput.Kind.TRAILING : FusedMultiOutput.Kind.LEADING;
        specs.add(new FusedMultiOutput.Output(reg, kind, op(e.primitive()), n, shape.size() / n));
        outputs.add(e.outputs().get(0));
        continue;
      }
      Var v = e.outputs().get(0);
      int reg = b.value(v);
      if (usedOutside(v, group, inGroup, steps, graphOutputs)) {
        specs.add(new FusedMultiOutput.Output(reg, FusedMultiOutput.Kind.VALUE, null, shape.size(), 0));
        outputs.add(v);
      }
    }
    for (LeafKey k : b.leaves.keySet()) {
      DType d = k.atom().aval().dtype();
      Integer x = k.atom() instanceof Var v ? stepOf.get(v) : null;
      if ((d != DType.F32 && d != DType.BOOL) || (x != null && inGroup.contains(x))) {
        return null; // a member's value read as an array (through a broadcast, say) does not exist yet
      }
    }
    FusedElementwise expr = b.build();
    if (!expr.usesF32Lanes()) {
      return null;
    }
    return new Planned("fused[" + b.names + "]", new FusedMultiOutput(expr, specs.toArray(FusedMultiOutput.Output[]::new)),
        Params.EMPTY, List.copyOf(b.leaves.keySet().stream().map(LeafKey::atom).toList()), outputs);
  }

  /** True when a step outside the group, or the graph's result, reads {@code v}. */
  private static boolean usedOutside(Var v, List<Integer> group, Set<Integer> inGroup, List<Planned> steps,
      Set<Atom> graphOutputs) {
    if (graphOutputs.contains(v)) {
      return true;
    }
    for (int s = 0; s < steps.size(); s++) {
      if (!inGroup.contains(s) && steps.get(s).inputs().contains(v)) {
        return true;
      }
    }
    return false;
  }
}
