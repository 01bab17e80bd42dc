package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code while} whose condition holds element by element and whose body updates only the
 * elements whose condition holds: what a scalar loop under {@code vmap} becomes (JAX's batching
 * rule; {@code ElementwiseWhile} in the engine, behind expn's series and continued fraction and
 * hyp1f1's series). Such a loop is one kernel, one thread per element, each looping on its own
 * until its own condition fails, instead of the host-driven {@link GpuProgram.While} (a launch or
 * two and a one-byte read-back per iteration of the slowest element).
 *
 * <p>The same values, not just close ones: once element i's condition is false the whole-array
 * loop selects its old carry, and its condition reads only its own carry and constants, so it
 * stays false; element i's carry is therefore the per-element loop's. This holds only when the body
 * really is guarded by the condition, so {@link #of} accepts a loop only when
 * <ul>
 *   <li>every carry has one shape S and every constant has S or is rank-0;
 *   <li>the condition is {@code reduce_max} (any) over all axes of a bool[S] predicate computed
 *       elementwise (registers only: elementwise primitives, broadcasts of rank-0 values);
 *   <li>the body is elementwise the same way, and each of its outputs is its own carry unchanged or
 *       {@code select_n(g, carry_k, next)} with g the condition's predicate, expression for
 *       expression (the same primitives, parameters and literals over the same carries and
 *       constants);
 *   <li>no complex or 16-bit value appears (their device code has its own rounding rules; those
 *       loops stay host-driven).
 * </ul>
 * Anything else keeps the host-driven loop, which is right for any while.
 */
final class ElementwiseLoop {
  final Eqn eqn;
  final Aval shape;
  final Jaxpr cond;
  final Jaxpr body;
  final int condConsts;
  final int bodyConsts;
  /** The condition's bool[S] predicate (the operand of its reduce_max). */
  final Atom predicate;

  private ElementwiseLoop(Eqn eqn, Aval shape, Jaxpr cond, Jaxpr body, int condConsts, int bodyConsts, Atom predicate) {
    this.eqn = eqn;
    this.shape = shape;
    this.cond = cond;
    this.body = body;
    this.condConsts = condConsts;
    this.bodyConsts = bodyConsts;
    this.predicate = predicate;
  }

  /** Turns the loop kernels off (host-driven loops for all): for A/B timings and checks on a device. */
  static final String PROPERTY = "statelens.gpu.elementwiseLoops";

  /** False when {@link #PROPERTY} is {@code false}; a value other than true/false is refused, naming both. */
  static boolean enabled() {
    String v = System.getProperty(PROPERTY, "true");
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + " is not a choice: use true (element-by-element "
          + "while loops as one kernel each, the default) or false (every while driven from the host)");
    }
    return v.equals("true");
  }

  /** The loop of {@code e} when it is an element-by-element loop (class comment), else null. */
  static ElementwiseLoop of(Eqn e) {
    if (!e.primitive().name().equals("while")) {
      return null;
    }
    Jaxpr cond = e.params().getJaxpr("cond_jaxpr");
    Jaxpr body = e.params().getJaxpr("body_jaxpr");
    int nc = e.params().getInt("cond_nconsts");
    int nb = e.params().getInt("body_nconsts");
    int nCarry = e.inputs().size() - nc - nb;
    if (nCarry < 1 || !cond.constvars().isEmpty() || !body.constvars().isEmpty() || cond.outvars().size() != 1) {
      return null;
    }
    Aval shape = e.inputs().get(nc + nb).aval();
    if (shape.size() == 0) {
      return null;
    }
    for (int i = 0; i < e.inputs().size(); i++) {
      Aval a = e.inputs().get(i).aval();
      boolean carry = i >= nc + nb;
      if (!registerType(a.dtype()) || !(a.sameShape(shape) || (!carry && a.isScalar()))) {
        return null;
      }
    }
    Atom predicate = anyOperand(cond, shape);
    if (predicate == null || !elementwise(cond, shape, true) || !elementwise(body, shape, false)) {
      return null;
    }
    ElementwiseLoop loop = new ElementwiseLoop(e, shape, cond, body, nc, nb, predicate);
    return loop.guarded() ? loop : null;
  }

  private static boolean registerType(DType d) {
    return !d.isComplex() && !d.is16BitFloat();
  }

  /** The bool[S] operand of the condition's {@code reduce_max} over all axes (its output), or null. */
  private static Atom anyOperand(Jaxpr cond, Aval shape) {
    if (!(cond.outvars().get(0) instanceof Var out)) {
      return null;
    }
    Eqn last = producer(cond, out);
    if (last == null || last != cond.eqns().getLast() || !last.primitive().name().equals("reduce_max") || last.inputs().size() != 1) {
      return null;
    }
    Atom p = last.inputs().get(0);
    if (p.aval().dtype() != DType.BOOL || !p.aval().sameShape(shape) || last.params().getInts("axes").length != shape.rank()) {
      return null;
    }
    // the reduction must be the condition's only non-elementwise step, used for nothing else
    for (Eqn q : cond.eqns()) {
      if (q != last && q.inputs().contains(out)) {
        return null;
      }
    }
    return p;
  }

  /** Every equation of {@code j} computes in registers per element (the condition's final reduce aside). */
  private static boolean elementwise(Jaxpr j, Aval shape, boolean isCond) {
    List<Eqn> eqns = j.eqns();
    for (int k = 0; k < eqns.size(); k++) {
      Eqn q = eqns.get(k);
      if (isCond && k == eqns.size() - 1 && q.primitive().name().equals("reduce_max")) {
        continue;
      }
      if (!inRegisters(q)) {
        return false;
      }
      for (Var v : q.outputs()) {
        if (!perElement(v.aval(), shape)) {
          return false;
        }
      }
      for (Atom a : q.inputs()) {
        if (!perElement(a.aval(), shape)) {
          return false;
        }
      }
    }
    for (Atom a : j.outvars()) {
      if (!isCond && !a.aval().sameShape(shape)) {
        return false;
      }
    }
    return true;
  }

  /** A value a thread holds in a register: of the loop's shape (its element) or rank-0. */
  private static boolean perElement(Aval a, Aval shape) {
    return registerType(a.dtype()) && (a.sameShape(shape) || a.isScalar());
  }

  /** An equation this loop computes in registers: one-output elementwise, a broadcast of a scalar, or an identity. */
  private static boolean inRegisters(Eqn q) {
    String n = q.primitive().name();
    if (n.equals("broadcast_in_dim")) {
      return q.inputs().get(0).aval().isScalar();
    }
    if (n.equals("stop_gradient")) {
      return true;
    }
    return q.outputs().size() == 1 && ElementwiseOps.isElementwise(q) && !KernelGenerator.onHost(q)
        && !(n.equals("select_n") && q.inputs().size() != 3);
  }

  private static Eqn producer(Jaxpr j, Var v) {
    for (Eqn q : j.eqns()) {
      if (q.outputs().contains(v)) {
        return q;
      }
    }
    return null;
  }

  // ---- the guard -------------------------------------------------------------------------------

  /** Each body output is its carry unchanged or {@code select_n(predicate, carry, next)}. */
  private boolean guarded() {
    int nCarry = eqn.inputs().size() - condConsts - bodyConsts;
    List<Atom> outs = body.outvars();
    if (outs.size() != nCarry) {
      return false;
    }
    for (int k = 0; k < nCarry; k++) {
      Atom o = outs.get(k);
      Var carryIn = body.invars().get(bodyConsts + k);
      if (o == carryIn) {
        continue;
      }
      Eqn sel = o instanceof Var v ? producer(body, v) : null;
      if (sel == null || !sel.primitive().name().equals("select_n") || sel.inputs().size() != 3
          || sel.inputs().get(1) != carryIn || !same(body, sel.inputs().get(0), cond, predicate)) {
        return false;
      }
    }
    return true;
  }

  /** The outer value an input of {@code j} stands for: the operand's atom for a constant, the carry's index for a carry. */
  private Object leaf(Jaxpr j, Var v) {
    int at = j.invars().indexOf(v);
    if (at < 0) {
      return null;
    }
    int consts = j == body ? bodyConsts : condConsts;
    int first = j == body ? condConsts : 0;
    if (at < consts) {
      Atom outer = eqn.inputs().get(first + at);
      return outer instanceof Literal l ? l : new Identity(outer);
    }
    return at - consts;
  }

  /** Object identity as equality (an outer variable, for {@link #same}). */
  private record Identity(Atom atom) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity i && i.atom == atom;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(atom);
    }
  }

  /** Whether {@code a} in {@code ja} and {@code b} in {@code jb} compute the same value, expression for expression. */
  private boolean same(Jaxpr ja, Atom a, Jaxpr jb, Atom b) {
    if (a instanceof Literal la) {
      return la.equals(b);
    }
    if (!(a instanceof Var va) || !(b instanceof Var vb)) {
      return false;
    }
    Object leafA = leaf(ja, va);
    Object leafB = leaf(jb, vb);
    if (leafA != null || leafB != null) {
      return leafA != null && leafA.equals(leafB);
    }
    Eqn pa = producer(ja, va);
    Eqn pb = producer(jb, vb);
    if (pa == null || pb == null || !pa.primitive().name().equals(pb.primitive().name())
        || !pa.params().equals(pb.params()) || pa.inputs().size() != pb.inputs().size()
        || pa.outputs().indexOf(va) != pb.outputs().indexOf(vb)) {
      return false;
    }
    for (int i = 0; i < pa.inputs().size(); i++) {
      if (!same(ja, pa.inputs().get(i), jb, pb.inputs().get(i))) {
        return false;
      }
    }
    return true;
  }

  // ---- code ------------------------------------------------------------------------------------

  /**
   * The kernel: parameters are the distinct operands (in {@link #operands} order, each read at the
   * thread's element or at 0 when rank-0), then one output per carry.
   */
  String kernel(String name) {
    List<Atom> ops = operands();
    Map<Atom, String> param = new IdentityHashMap<>();
    List<String> decl = new ArrayList<>();
    for (Atom a : ops) {
      String p = "p" + param.size();
      param.put(a, p);
      decl.add("const " + CTypes.storage(a.aval().dtype()) + "* __restrict__ " + p);
    }
    int nCarry = eqn.outputs().size();
    for (int k = 0; k < nCarry; k++) {
      decl.add(CTypes.storage(eqn.outputs().get(k).aval().dtype()) + "* __restrict__ o" + k);
    }
    StringBuilder k = new StringBuilder();
    k.append("extern \"C\" __global__ void __launch_bounds__(").append(KernelGenerator.BLOCK).append(") ")
        .append(name).append('(').append(String.join(", ", decl)).append(") {\n");
    k.append("  // while over ").append(shape).append(", element by element: ").append(nCarry).append(" carries\n");
    k.append("  const sl_idx i = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n");
    k.append("  if (i >= ").append(shape.size()).append("LL) return;\n");
    Map<Atom, String> loaded = new IdentityHashMap<>();
    for (Atom a : ops) {
      String r = "a" + loaded.size();
      String idx = a.aval().isScalar() ? "0" : "i";
      k.append("  const ").append(CTypes.reg(a.aval().dtype())).append(' ').append(r).append(" = ")
          .append(CTypes.load(a.aval().dtype(), param.get(a), idx)).append(";\n");
      loaded.put(a, r);
    }
    List<Atom> in = eqn.inputs();
    int nc = condConsts;
    int nb = bodyConsts;
    for (int c = 0; c < nCarry; c++) {
      k.append("  ").append(CTypes.reg(eqn.outputs().get(c).aval().dtype())).append(" x").append(c).append(" = ")
          .append(operand(in.get(nc + nb + c), loaded)).append(";\n");
    }
    k.append("  while (true) {\n");
    Statements cs = new Statements("c");
    for (int j = 0; j < nc; j++) {
      cs.bind(cond.invars().get(j), operand(in.get(j), loaded));
    }
    for (int c = 0; c < nCarry; c++) {
      cs.bind(cond.invars().get(nc + c), "x" + c);
    }
    List<Eqn> condEqns = cond.eqns();
    for (Eqn q : condEqns.subList(0, condEqns.size() - 1)) {
      cs.statement(q);
    }
    k.append(cs.code).append("    if (!").append(cs.value(predicate)).append(") break;\n");
    Statements bs = new Statements("b");
    for (int j = 0; j < nb; j++) {
      bs.bind(body.invars().get(j), operand(in.get(nc + j), loaded));
    }
    for (int c = 0; c < nCarry; c++) {
      bs.bind(body.invars().get(nb + c), "x" + c);
    }
    for (Eqn q : body.eqns()) {
      bs.statement(q);
    }
    k.append(bs.code);
    // all next values first, then the carries: an output may read another carry
    for (int c = 0; c < nCarry; c++) {
      k.append("    const ").append(CTypes.reg(eqn.outputs().get(c).aval().dtype())).append(" n").append(c)
          .append(" = ").append(bs.value(body.outvars().get(c))).append(";\n");
    }
    for (int c = 0; c < nCarry; c++) {
      k.append("    x").append(c).append(" = n").append(c).append(";\n");
    }
    k.append("  }\n");
    for (int c = 0; c < nCarry; c++) {
      k.append("  o").append(c).append("[i] = ").append(CTypes.store(eqn.outputs().get(c).aval().dtype(), "x" + c))
          .append(";\n");
    }
    return k.append("}\n").toString();
  }

  /** The distinct stored operands the kernel reads (literal operands are written in place). */
  List<Atom> operands() {
    Map<Atom, Boolean> seen = new IdentityHashMap<>();
    List<Atom> out = new ArrayList<>();
    for (Atom a : eqn.inputs()) {
      if (!(a instanceof Literal) && seen.put(a, Boolean.TRUE) == null) {
        out.add(a);
      }
    }
    return out;
  }

  private static String operand(Atom a, Map<Atom, String> loaded) {
    return a instanceof Literal l ? CTypes.literal(l) : loaded.get(a);
  }

  /** Register statements for a sub-graph's equations, inside the loop's block. */
  private static final class Statements {
    final String prefix;
    final Map<Var, String> names = new LinkedHashMap<>();
    final StringBuilder code = new StringBuilder();
    int temp;

    Statements(String prefix) {
      this.prefix = prefix;
    }

    void bind(Var v, String register) {
      names.put(v, register);
    }

    String value(Atom a) {
      return a instanceof Literal l ? CTypes.literal(l) : names.get((Var) a);
    }

    void statement(Eqn q) {
      String n = q.primitive().name();
      Var out = q.outputs().get(0);
      if (n.equals("broadcast_in_dim") || n.equals("stop_gradient")) {
        names.put(out, value(q.inputs().get(0)));
        return;
      }
      String r = prefix + (temp++);
      code.append("    const ").append(CTypes.reg(out.aval().dtype())).append(' ').append(r).append(" = ")
          .append(ElementwiseOps.expr(q, q.inputs().stream().map(this::value).toList())).append(";\n");
      names.put(out, r);
    }
  }
}
