package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Var;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Decides which equations of a (dead-code-free) jaxpr share a kernel, and in which order the
 * kernels run; {@link KernelGenerator} then writes the code. Each launch costs a few microseconds
 * on the host and the GPU, which dominates small training steps (the MLP Adam step had 30
 * launches), so the plan fuses the way XLA does:
 *
 * <ol>
 *   <li><b>Loop fusion</b>: runs of consecutive elementwise/layout equations of one shape form a
 *       group (one thread per element). Groups of the same shape are then merged whenever that
 *       creates no cycle (no path from one to the other through a third unit), so interleaved
 *       per-leaf updates (Adam's m, v, bias-corrected step, parameter update) are one kernel.
 *   <li><b>Scalar recomputation</b>: a size-1 value computed elementwise from literals and stored
 *       values ({@code 1/n}, Adam's bias corrections from the step count) is recomputed by every
 *       fused consumer instead of being stored and loaded, so it creates no dependency.
 *   <li><b>Multi-output reductions</b>: a reduction absorbs the group that produces its operand
 *       even when the group has other results: those are written as side outputs from the
 *       reduction's loop (each element is visited exactly once), and other reductions of the same
 *       group with the same iteration space accumulate in the same loop.
 *   <li><b>Horizontal fusion</b>: independent loop kernels at the same depth of the schedule
 *       (depth counted from the end, so that final updates gather at the last level) run as one
 *       launch that switches on the block index, one block range per sub-problem.
 * </ol>
 */
final class FusionPlan {
  /** Largest expression (equation count) recomputed per thread instead of stored. */
  static final int RECOMPUTE_MAX = 32;
  /** How many earlier groups of the same shape a group tries to merge with. */
  static final int MERGE_CANDIDATES = 32;
  /**
   * A reduction with fewer blocks than this writes side outputs only for small inputs: its one
   * block per output would otherwise do alone the work a whole-GPU elementwise kernel shares.
   */
  static final int SIDE_OUTPUT_MIN_BLOCKS = 32;
  static final long SIDE_OUTPUT_MAX_ELEMENTS = 1L << 16;
  /** Kernel parameter space is 4 KiB: a horizontal kernel takes at most this many pointers. */
  static final int HORIZONTAL_MAX_ARGS = 128;

  /** One kernel launch (or, for {@link Single}, one non-fused step) of the schedule. */
  sealed interface Unit permits Loop, Horizontal, Reduce, Single {}

  /** A fused elementwise group. */
  record Loop(Group group) implements Unit {}

  /** Independent groups launched together, one block range each. */
  record Horizontal(List<Group> parts) implements Unit {}

  /**
   * Reductions sharing one iteration space; {@code prologue} (nullable) is the group computing
   * their operands in place, whose stored values are written as side outputs.
   */
  record Reduce(List<Eqn> reductions, Group prologue) implements Unit {}

  /** Any other equation: alias, dot_general, argmax, cond, scan, host step, reduction of a literal. */
  record Single(Eqn eqn) implements Unit {}

  /** Elementwise/layout equations sharing one output shape, kept in jaxpr order. */
  static final class Group {
    final Aval shape;
    final List<Integer> index = new ArrayList<>();
    final List<Eqn> eqns = new ArrayList<>();
    final Set<Var> produced = Collections.newSetFromMap(new IdentityHashMap<>());

    Group(Aval shape) {
      this.shape = shape;
    }

    void add(int i, Eqn e) {
      index.add(i);
      eqns.add(e);
      produced.addAll(e.outputs());
    }

    boolean produces(Var v) {
      return produced.contains(v);
    }

    void absorb(Group other) {
      List<int[]> order = new ArrayList<>();
      List<Eqn> all = new ArrayList<>(eqns);
      all.addAll(other.eqns);
      List<Integer> idx = new ArrayList<>(index);
      idx.addAll(other.index);
      for (int k = 0; k < idx.size(); k++) {
        order.add(new int[] {idx.get(k), k});
      }
      order.sort(Comparator.comparingInt(a -> a[0]));
      index.clear();
      eqns.clear();
      for (int[] o : order) {
        index.add(o[0]);
        eqns.add(all.get(o[1]));
      }
      produced.addAll(other.produced);
    }
  }

  final List<Unit> units;
  private final Set<Var> recomputable;
  private final Map<Var, Eqn> producer;
  private final Set<Var> stored;

  private FusionPlan(List<Unit> units, Set<Var> recomputable, Map<Var, Eqn> producer, Set<Var> stored) {
    this.units = units;
    this.recomputable = recomputable;
    this.producer = producer;
    this.stored = stored;
  }

  /** True if fused consumers recompute {@code v} rather than load it. */
  boolean recomputable(Var v) {
    return recomputable.contains(v);
  }

  /** The equation producing {@code v} (null for graph inputs). */
  Eqn producer(Var v) {
    return producer.get(v);
  }

  /** The values of {@code g} that its kernel must write to memory, in equation order. */
  List<Var> stored(Group g) {
    List<Var> out = new ArrayList<>();
    for (Eqn e : g.eqns) {
      for (Var v : e.outputs()) {
        if (stored.contains(v)) {
          out.add(v);
        }
      }
    }
    return out;
  }

  // ---- planning --------------------------------------------------------------------------------

  private enum Kind { LOOP, REDUCE, SINGLE }

  /** A unit while planning; merged units point to the survivor. */
  private static final class Node {
    Kind kind;
    Group group;
    final List<Eqn> reductions = new ArrayList<>();
    Eqn single;
    final List<Integer> eqns = new ArrayList<>();
    List<Group> parts;
    Node into;
    int height;
    int weight;

    Node(Kind kind) {
      this.kind = kind;
    }

    Node find() {
      Node n = this;
      while (n.into != null) {
        n = n.into;
      }
      return n;
    }

    int first() {
      return Collections.min(eqns);
    }
  }

  private final static class Planner {
    final Jaxpr jaxpr;
    final List<Eqn> eqns;
    final Node[] nodeOf;
    final boolean[] fusible;
    final Map<Var, Integer> producerIndex = new IdentityHashMap<>();
    final Map<Var, Eqn> producer = new IdentityHashMap<>();
    final Map<Var, List<Integer>> uses = new IdentityHashMap<>();
    final Set<Var> graphOutputs = Collections.newSetFromMap(new IdentityHashMap<>());
    final Set<Var> recomputable = Collections.newSetFromMap(new IdentityHashMap<>());
    final Set<Var> stored = Collections.newSetFromMap(new IdentityHashMap<>());
    final List<Node> nodes = new ArrayList<>();

    Planner(Jaxpr jaxpr) {
      this.jaxpr = jaxpr;
      this.eqns = jaxpr.eqns();
      this.nodeOf = new Node[eqns.size()];
      this.fusible = new boolean[eqns.size()];
      for (int i = 0; i < eqns.size(); i++) {
        Eqn e = eqns.get(i);
        for (Var v : e.outputs()) {
          producerIndex.put(v, i);
          producer.put(v, e);
        }
        for (Atom a : e.inputs()) {
          if (a instanceof Var v) {
            uses.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
          }
        }
      }
      for (Atom a : jaxpr.outvars()) {
        if (a instanceof Var v) {
          graphOutputs.add(v);
        }
      }
    }

    FusionPlan plan() {
      findRecomputable();
      groupConsecutive();
      mergeSameShape();
      absorbIntoReductions();
      computeStored();
      List<Node> order = schedule(false);
      fuseHorizontally(order);
      List<Unit> units = new ArrayList<>();
      for (Node n : schedule(true)) {
        units.add(switch (n.kind) {
          case LOOP -> n.parts != null ? new Horizontal(List.copyOf(n.parts)) : new Loop(n.group);
          case REDUCE -> new Reduce(List.copyOf(n.reductions), n.group);
          case SINGLE -> new Single(n.single);
        });
      }
      return new FusionPlan(units, recomputable, producer, stored);
    }

    /** Size-1 elementwise values whose whole expression (down to stored values) is small. */
    void findRecomputable() {
      Map<Var, Integer> cost = new IdentityHashMap<>();
      for (int i = 0; i < eqns.size(); i++) {
        Eqn e = eqns.get(i);
        if (!ElementwiseOps.isElementwise(e) || e.outputs().size() != 1 || e.outputs().get(0).aval().size() != 1) {
          continue;
        }
        int c = 1;
        boolean ok = true;
        for (Atom a : e.inputs()) {
          if (a instanceof Var v && producer.containsKey(v) && KernelGenerator.isFusible(producer.get(v))) {
            Integer vc = cost.get(v);
            if (vc == null) {
              ok = false;
              break;
            }
            c += vc;
          }
        }
        if (ok && c <= RECOMPUTE_MAX) {
          cost.put(e.outputs().get(0), c);
          recomputable.add(e.outputs().get(0));
        }
      }
    }

    /** Stage 1: runs of consecutive elementwise/layout equations of one shape. */
    void groupConsecutive() {
      Node current = null;
      for (int i = 0; i < eqns.size(); i++) {
        Eqn e = eqns.get(i);
        if (KernelGenerator.isFusible(e)) {
          fusible[i] = true;
          Aval out = e.outputs().get(0).aval();
          Node cur = current;
          boolean fits = cur != null && cur.group.shape.sameShape(out)
              && (ElementwiseOps.isElementwise(e) || !readsFrom(e, cur.group));
          if (!fits) {
            current = add(new Node(Kind.LOOP));
            current.group = new Group(out);
          }
          current.group.add(i, e);
          current.eqns.add(i);
          nodeOf[i] = current;
          continue;
        }
        current = null;
        Node n;
        if (KernelGenerator.isReduction(e) && e.inputs().get(0) instanceof Var) {
          n = new Node(Kind.REDUCE);
          n.reductions.add(e);
        } else {
          n = new Node(Kind.SINGLE);
          n.single = e;
        }
        n.eqns.add(i);
        nodeOf[i] = add(n);
      }
    }

    Node add(Node n) {
      nodes.add(n);
      return n;
    }

    /** True if a layout equation of {@code e}'s kind would read a value computed in {@code g}. */
    static boolean readsFrom(Eqn e, Group g) {
      return e.inputs().stream().anyMatch(a -> a instanceof Var v && g.produces(v));
    }

    /** Stage 2: groups of one shape become one kernel where no cycle results. */
    void mergeSameShape() {
      List<Node> loops = nodes.stream().filter(n -> n.kind == Kind.LOOP).toList();
      for (int k = 1; k < loops.size(); k++) {
        Node g = loops.get(k);
        for (int h = k - 1, tried = 0; h >= 0 && tried < MERGE_CANDIDATES; h--) {
          Node target = loops.get(h);
          if (target.into != null || !target.group.shape.sameShape(g.group.shape)) {
            continue;
          }
          tried++;
          if (canMerge(target, g)) {
            target.group.absorb(g.group);
            target.eqns.addAll(g.eqns);
            g.into = target;
            break;
          }
        }
      }
    }

    boolean canMerge(Node a, Node b) {
      // a layout op reads its operand from memory at another index: not from the same kernel
      for (Eqn e : a.group.eqns) {
        if (!ElementwiseOps.isElementwise(e) && readsFrom(e, b.group)) {
          return false;
        }
      }
      for (Eqn e : b.group.eqns) {
        if (!ElementwiseOps.isElementwise(e) && readsFrom(e, a.group)) {
          return false;
        }
      }
      return !reachesThroughOthers(a, b) && !reachesThroughOthers(b, a);
    }

    /** True if {@code to} depends on {@code from} through some unit other than the two. */
    boolean reachesThroughOthers(Node from, Node to) {
      ArrayDeque<Node> work = new ArrayDeque<>();
      Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Node d : deps(to)) {
        if (d != from && seen.add(d)) {
          work.add(d);
        }
      }
      while (!work.isEmpty()) {
        Node n = work.poll();
        if (n == from) {
          return true;
        }
        for (Node d : deps(n)) {
          if (seen.add(d)) {
            work.add(d);
          }
        }
      }
      return false;
    }

    /** The units {@code n} reads from (recomputed scalars count as their stored sources). */
    Set<Node> deps(Node n) {
      Set<Node> out = new LinkedHashSet<>();
      for (int i : n.eqns) {
        for (Atom a : eqns.get(i).inputs()) {
          if (a instanceof Var v) {
            addDep(n, fusible[i], v, out);
          }
        }
      }
      return out;
    }

    private void addDep(Node n, boolean inlining, Var v, Set<Node> out) {
      Integer p = producerIndex.get(v);
      if (p == null) {
        return; // a graph input
      }
      Node owner = nodeOf[p].find();
      if (owner == n) {
        return;
      }
      if (inlining && recomputable.contains(v)) {
        for (Atom a : eqns.get(p).inputs()) {
          if (a instanceof Var u) {
            addDep(n, true, u, out);
          }
        }
        return;
      }
      out.add(owner);
    }

    /** Stage 3: reductions absorb their producer group (with side outputs) and their siblings. */
    void absorbIntoReductions() {
      for (Node r : new ArrayList<>(nodes)) {
        if (r.kind != Kind.REDUCE || r.into != null) {
          continue;
        }
        Eqn red = r.reductions.get(0);
        Var x = (Var) red.inputs().get(0);
        Integer p = producerIndex.get(x);
        if (p == null || !fusible[p]) {
          continue;
        }
        Node owner = nodeOf[p].find();
        String space = KernelGenerator.iterationSpace(red);
        if (owner.kind == Kind.REDUCE) {
          if (KernelGenerator.iterationSpace(owner.reductions.get(0)).equals(space)) {
            owner.reductions.add(red); // a sibling: same loop, one more accumulator
            owner.eqns.addAll(r.eqns);
            r.into = owner;
          }
          continue;
        }
        if (!sideOutputsAffordable(owner, red, space)) {
          continue;
        }
        owner.kind = Kind.REDUCE;
        owner.reductions.add(red);
        owner.eqns.addAll(r.eqns);
        r.into = owner;
      }
    }

    /**
     * A reduction with few blocks may absorb a large group only if the group has no result
     * besides the operands of reductions over the same iteration space.
     */
    boolean sideOutputsAffordable(Node group, Eqn red, String space) {
      long elements = red.inputs().get(0).aval().size();
      long outputs = red.outputs().get(0).aval().size();
      if (outputs >= SIDE_OUTPUT_MIN_BLOCKS || elements <= SIDE_OUTPUT_MAX_ELEMENTS) {
        return true;
      }
      for (int i : group.eqns) {
        for (Var v : eqns.get(i).outputs()) {
          if (graphOutputs.contains(v)) {
            return false;
          }
          for (int u : uses.getOrDefault(v, List.of())) {
            Node user = nodeOf[u].find();
            boolean sameLoop = user == group || (KernelGenerator.isReduction(eqns.get(u))
                && KernelGenerator.iterationSpace(eqns.get(u)).equals(space));
            if (!sameLoop && !(fusible[u] && recomputable.contains(v))) {
              return false;
            }
          }
        }
      }
      return true;
    }

    /** A group's value is stored if a graph output or read by another unit that cannot recompute it. */
    void computeStored() {
      for (int i = 0; i < eqns.size(); i++) {
        if (!fusible[i]) {
          continue;
        }
        Node owner = nodeOf[i].find();
        for (Var v : eqns.get(i).outputs()) {
          boolean need = graphOutputs.contains(v);
          for (int u : uses.getOrDefault(v, List.of())) {
            need |= nodeOf[u].find() != owner && !(fusible[u] && recomputable.contains(v));
          }
          if (need) {
            stored.add(v);
          }
        }
      }
      for (Node n : nodes) {
        if (n.into == null) {
          n.weight = switch (n.kind) {
            case LOOP -> n.group.eqns.stream().anyMatch(e -> e.outputs().stream().anyMatch(stored::contains)) ? 1 : 0;
            case REDUCE -> 1;
            case SINGLE -> KernelGenerator.isAlias(n.single) ? 0 : 1;
          };
        }
      }
    }

    /**
     * A topological order of the live units. With {@code byLevel}, units run level by level,
     * a level being the number of launches still to come after the unit ("as late as possible").
     */
    List<Node> schedule(boolean byLevel) {
      List<Node> live = nodes.stream().filter(n -> n.into == null).toList();
      Map<Node, Set<Node>> depsOf = new IdentityHashMap<>();
      Map<Node, List<Node>> users = new IdentityHashMap<>();
      for (Node n : live) {
        Set<Node> d = deps(n);
        depsOf.put(n, d);
        for (Node p : d) {
          users.computeIfAbsent(p, k -> new ArrayList<>()).add(n);
        }
      }
      Comparator<Node> byFirst = Comparator.comparingInt(Node::first);
      Comparator<Node> priority = byLevel ? Comparator.<Node>comparingInt(n -> -n.height).thenComparing(byFirst) : byFirst;
      PriorityQueue<Node> ready = new PriorityQueue<>(priority);
      Map<Node, Integer> waiting = new IdentityHashMap<>();
      for (Node n : live) {
        waiting.put(n, depsOf.get(n).size());
        if (depsOf.get(n).isEmpty()) {
          ready.add(n);
        }
      }
      List<Node> order = new ArrayList<>();
      while (!ready.isEmpty()) {
        Node n = ready.poll();
        order.add(n);
        for (Node u : users.getOrDefault(n, List.of())) {
          if (waiting.merge(u, -1, Integer::sum) == 0) {
            ready.add(u);
          }
        }
      }
      if (order.size() != live.size()) {
        throw new IllegalStateException("GPU fusion produced a cyclic schedule (a bug in FusionPlan)");
      }
      for (int k = order.size() - 1; k >= 0; k--) {
        Node n = order.get(k);
        int below = 0;
        for (Node u : users.getOrDefault(n, List.of())) {
          below = Math.max(below, u.height);
        }
        n.height = n.weight + below;
      }
      return order;
    }

    /**
     * Stage 4: loop kernels with the same height are independent (a path between two launching
     * units always lowers the height), so they can share a launch.
     */
    void fuseHorizontally(List<Node> order) {
      Map<Integer, List<Node>> byHeight = new HashMap<>();
      for (Node n : order) {
        if (n.kind == Kind.LOOP && n.weight == 1 && n.group.shape.size() > 0) {
          byHeight.computeIfAbsent(n.height, k -> new ArrayList<>()).add(n);
        }
      }
      for (List<Node> same : byHeight.values()) {
        Node head = null;
        int args = 0;
        for (Node n : same) {
          int a = argCount(n.group);
          if (head == null || args + a > HORIZONTAL_MAX_ARGS) {
            head = n;
            head.parts = new ArrayList<>(List.of(n.group));
            args = a;
            continue;
          }
          head.parts.add(n.group);
          head.eqns.addAll(n.eqns);
          args += a;
          n.into = head;
        }
      }
      for (Node n : nodes) {
        if (n.into == null && n.parts != null && n.parts.size() == 1) {
          n.parts = null;
        }
      }
    }

    /** Pointers a group's kernel takes: distinct values read from memory plus values stored. */
    int argCount(Group g) {
      Set<Var> read = Collections.newSetFromMap(new IdentityHashMap<>());
      int out = 0;
      for (Eqn e : g.eqns) {
        for (Atom a : e.inputs()) {
          if (a instanceof Var v && !g.produces(v)) {
            read.add(v);
          }
        }
        for (Var v : e.outputs()) {
          out += stored.contains(v) ? 1 : 0;
        }
      }
      return read.size() + out;
    }
  }

  static FusionPlan of(Jaxpr dceJaxpr) {
    return new Planner(dceJaxpr).plan();
  }
}
