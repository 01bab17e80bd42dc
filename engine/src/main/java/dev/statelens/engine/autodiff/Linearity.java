package dev.statelens.engine.autodiff;

import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.CallInlining;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Var;
import dev.statelens.engine.trace.SourceInfo;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The linearity check of {@code linearTranspose}, as JAX 0.10.2's {@code linear_transpose} makes
 * it: JAX stages the function with its arguments unknown, then runs the backward pass, and an
 * equation that depends on the argument and receives a nonzero cotangent must have a transpose
 * rule that takes the operands the argument reaches. So {@code sin(x)} is refused, {@code x + 1}
 * is not (the constant drops out, as in JAX), a non-linear step whose result is dropped or is an
 * integer/bool (a comparison) is not looked at, and {@code x * x} is refused (both operands depend
 * on the argument). The walk is over the engine's jaxpr, so the refusal names the equation's
 * primitive and the user's line.
 */
final class Linearity {
  private Linearity() {}

  /** Steps linear in every operand (a constant operand just drops out of the transpose). */
  private static final Set<String> LINEAR = Set.of("add", "sub", "neg", "reduce_sum", "broadcast_in_dim",
      "reshape", "transpose", "squeeze", "rev", "slice", "pad", "concatenate", "convert_element_type", "real",
      "imag", "conj", "complex", "cumsum", "reduce_window_sum", "fft");

  /** Steps that are bilinear: linear in one operand while the others are constants. */
  private static final Set<String> ONE_LINEAR_OPERAND = Set.of("mul", "dot_general", "conv_general_dilated");

  /** Operand {@code first} (and, when {@code andAfter}, every one after it) must not depend on the argument. */
  private record ConstantOperands(int first, boolean andAfter) {}

  /** Per step, the operands that must not depend on the argument (indices, predicates, divisors). */
  private static final Map<String, ConstantOperands> CONSTANT_OPERANDS = Map.of(
      "div", only(1), "select_n", only(0), "gather", only(1), "scatter_add", only(1), "scatter", only(1),
      "dynamic_slice", from(1), "dynamic_update_slice", from(2), "triangular_solve", only(0), "cond", only(0));

  private static ConstantOperands only(int operand) {
    return new ConstantOperands(operand, false);
  }

  private static ConstantOperands from(int operand) {
    return new ConstantOperands(operand, true);
  }

  /**
   * Refuses {@code jaxpr} (invars: the argument's leaves; constvars: values it closed over) unless
   * it is linear in its invars wherever a cotangent reaches.
   */
  static void check(String what, Jaxpr jaxpr) {
    check(what, jaxpr, false);
  }

  /**
   * {@link #check(String, Jaxpr)} of an integer-to-integer function ({@code integers}): its integer
   * steps carry the cotangents, as in JAX's transpose of one. (Sub-graphs are walked as floats:
   * {@link IntegerTranspose} refuses control flow on an integer argument's path.)
   */
  static void check(String what, Jaxpr jaxpr, boolean integers) {
    Set<Var> linear = identitySet();
    linear.addAll(jaxpr.invars());
    Set<Var> cotangent = identitySet();
    for (Atom a : jaxpr.outvars()) {
      if (a instanceof Var v) {
        cotangent.add(v);
      }
    }
    walk(what, jaxpr, linear, cotangent, integers);
  }

  /** Forward: which variables depend on the argument; backward: which equations a cotangent reaches. */
  private static void walk(String what, Jaxpr jaxpr, Set<Var> linear, Set<Var> cotangent, boolean integers) {
    List<Eqn> eqns = jaxpr.eqns();
    addDependents(eqns, linear);
    for (int k = eqns.size() - 1; k >= 0; k--) {
      Eqn e = eqns.get(k);
      boolean reached = e.outputs().stream().anyMatch(v -> cotangent.contains(v) && linear.contains(v)
          && (v.aval().dtype().isInexact() || integers && v.aval().dtype().isInteger()));
      if (!reached) {
        continue; // JAX skips an equation whose cotangents are all zero
      }
      boolean[] lin = new boolean[e.inputs().size()];
      for (int i = 0; i < lin.length; i++) {
        lin[i] = e.inputs().get(i) instanceof Var v && linear.contains(v);
      }
      String refusal = refusal(what, e, lin);
      if (refusal != null) {
        throw new IllegalArgumentException(what + ": the function is not linear in its argument: "
            + e.primitive().name() + at(jaxpr.source(k)) + refusal + ". " + what
            + " transposes linear functions only (sums, negation, scaling and matmul by constants, reshapes, "
            + "slices, gathers); for the transposed Jacobian of a non-linear function at a point x use "
            + "Transforms.vjp(fn, x).pullback()");
      }
      for (int i = 0; i < lin.length; i++) {
        if (lin[i]) {
          cotangent.add((Var) e.inputs().get(i));
        }
      }
    }
  }

  /** Why {@code e} cannot be transposed in its operands {@code lin}, or null if it can. */
  private static String refusal(String what, Eqn e, boolean[] lin) {
    String name = e.primitive().name();
    ConstantOperands constant = CONSTANT_OPERANDS.get(name);
    if (constant != null) {
      int to = constant.andAfter() ? lin.length : constant.first() + 1;
      for (int i = constant.first(); i < to; i++) {
        if (lin[i]) {
          return constantOperandRefusal(name);
        }
      }
    }
    if (name.equals("cond")) {
      for (Jaxpr branch : e.params().<Jaxpr>getList("branches")) {
        sub(what, branch, lin, 1, 0, 0);
      }
      return null;
    }
    if (LINEAR.contains(name) || constant != null) {
      return null;
    }
    if (ONE_LINEAR_OPERAND.contains(name)) {
      int n = 0;
      for (boolean b : lin) {
        n += b ? 1 : 0;
      }
      return n <= 1 ? null : " takes two operands that both depend on the argument (x * x is not linear; "
          + "JAX fails an assertion in its transpose rule)";
    }
    return switch (name) {
      case "scan" -> {
        sub(what, e.params().getJaxpr("jaxpr"), lin, 0, e.params().getInt("num_consts"), e.params().getInt("num_carry"));
        yield null;
      }
      case "while" -> " (JAX: Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with "
          + "dynamic start/stop values. Try using lax.scan, or using fori_loop with static start/stop.)";
      case "pure_callback" -> " (JAX: Pure callbacks do not support transpose.)";
      case "io_callback" -> " (JAX: IO callbacks do not support transpose.)";
      case "custom_vjp_call" -> " has no transpose rule: a custom VJP is for grad, not for linearTranspose "
          + "(JAX: Transpose rule (for reverse-mode differentiation) for 'custom_vjp_call' not implemented)";
      default -> {
        if (CallInlining.isCall(e.primitive())) { // checkpoint: its body is what gets transposed
          sub(what, e.params().getJaxpr("jaxpr"), lin, 0, 0, 0);
          yield null;
        }
        yield " has no transpose rule (JAX: Transpose rule (for reverse-mode differentiation) for '" + name
            + "' not implemented)";
      }
    };
  }

  private static String constantOperandRefusal(String name) {
    return switch (name) {
      case "div" -> " divides by a value that depends on the argument (JAX: nonlinear div can't be transposed)";
      case "select_n", "cond" -> " chooses by a predicate computed from the argument (where(x > 0, x, 0) is not "
          + "linear; JAX fails an assertion in its transpose rule)";
      case "triangular_solve" -> " solves with a matrix that depends on the argument (only the right-hand side "
          + "may; JAX fails an assertion in its transpose rule)";
      default -> " indexes with positions computed from the argument (JAX fails an assertion in its transpose rule)";
    };
  }

  /**
   * Checks a sub-graph whose invars take the equation's operands from {@code skip} on (cond's
   * branches skip the index). A scan's carry ({@code nCarry} outputs feeding the invars after its
   * {@code nConsts} consts) is linear if its initial value or the body makes it so. Every output
   * of the body counts as reached: JAX's scan transpose instantiates zero cotangents.
   */
  private static void sub(String what, Jaxpr body, boolean[] lin, int skip, int nConsts, int nCarry) {
    Set<Var> linear = identitySet();
    for (int i = 0; i < body.invars().size(); i++) {
      if (lin[skip + i]) {
        linear.add(body.invars().get(i));
      }
    }
    for (boolean grew = nCarry > 0; grew; ) { // at most one more round per carry
      Set<Var> reach = identitySet();
      reach.addAll(linear);
      addDependents(body.eqns(), reach);
      grew = false;
      for (int j = 0; j < nCarry; j++) {
        if (body.outvars().get(j) instanceof Var v && reach.contains(v)) {
          grew |= linear.add(body.invars().get(nConsts + j));
        }
      }
    }
    Set<Var> cotangent = identitySet();
    for (Atom a : body.outvars()) {
      if (a instanceof Var v) {
        cotangent.add(v);
      }
    }
    walk(what, body, linear, cotangent, false);
  }

  /** Adds to {@code vars} the outputs of every equation (in order) with an operand in it. */
  private static void addDependents(List<Eqn> eqns, Set<Var> vars) {
    for (Eqn e : eqns) {
      if (e.inputs().stream().anyMatch(vars::contains)) {
        vars.addAll(e.outputs());
      }
    }
  }

  static String at(SourceInfo source) {
    return source == null ? "" : " (at " + source.site().location() + ")";
  }

  private static Set<Var> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
