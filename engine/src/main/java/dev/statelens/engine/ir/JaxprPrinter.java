package dev.statelens.engine.ir;

import dev.statelens.engine.DType;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints jaxprs as {@code jax.make_jaxpr} does: variables named a, b, ..., z, ba, bb, ... in
 * order of definition, typed at their definition ({@code a:f32[3]}), literals inline
 * ({@code 2.0:f32[]}), params sorted by name. Short graphs print on one line, longer ones with
 * one equation per line. The output is stable: tests compare it as text.
 */
public final class JaxprPrinter {
  private static final int ONE_LINE_WIDTH = 80;

  private JaxprPrinter() {}

  /** Names variables in order of first definition; shared by a jaxpr and its sub-jaxprs. */
  static final class Names {
    private final Map<Var, String> names = new IdentityHashMap<>();

    String define(Var v) {
      String name = encode(names.size());
      names.put(v, name);
      return name;
    }

    String use(Atom a) {
      if (a instanceof Literal l) {
        return l.toString();
      }
      String n = names.get((Var) a);
      return n != null ? n : "?" + ((Var) a).aval();
    }

    private static String encode(int i) {
      StringBuilder sb = new StringBuilder();
      do {
        sb.append((char) ('a' + i % 26));
        i /= 26;
      } while (i > 0);
      return sb.reverse().toString();
    }
  }

  public static String print(Jaxpr jaxpr) {
    return print(jaxpr, new Names(), "");
  }

  static String printEqn(Eqn eqn) {
    return eqnText(eqn, new Names(), "");
  }

  static String print(Jaxpr jaxpr, Names names, String indent) {
    StringBuilder head = new StringBuilder("{ lambda ");
    head.append(binders(jaxpr.constvars(), names)).append("; ");
    head.append(binders(jaxpr.invars(), names)).append(". let");
    String[] eqns = new String[jaxpr.eqns().size()];
    boolean multiLineEqn = false;
    for (int i = 0; i < eqns.length; i++) {
      eqns[i] = eqnText(jaxpr.eqns().get(i), names, indent + "    ");
      multiLineEqn |= eqns[i].contains("\n");
    }
    StringBuilder outs = new StringBuilder("(");
    List<Atom> outvars = jaxpr.outvars();
    for (int i = 0; i < outvars.size(); i++) {
      outs.append(i > 0 ? ", " : "").append(names.use(outvars.get(i)));
    }
    outs.append(outvars.size() == 1 ? ",)" : ")");

    String oneLine = head + " " + String.join("; ", eqns) + " in " + outs + " }";
    if (!multiLineEqn && indent.length() + oneLine.length() <= ONE_LINE_WIDTH) {
      return oneLine;
    }
    StringBuilder sb = new StringBuilder(head);
    for (String e : eqns) {
      sb.append('\n').append(indent).append("    ").append(e);
    }
    return sb.append('\n').append(indent).append("  in ").append(outs).append(" }").toString();
  }

  private static String binders(List<Var> vars, Names names) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < vars.size(); i++) {
      Var v = vars.get(i);
      sb.append(i > 0 ? " " : "").append(names.define(v)).append(':').append(v.aval());
    }
    return sb.toString();
  }

  private static String eqnText(Eqn eqn, Names names, String indent) {
    // as JAX: inputs are named, then outputs defined, then sub-jaxprs in params get their names
    StringBuilder args = new StringBuilder();
    for (Atom a : eqn.inputs()) {
      args.append(' ').append(names.use(a));
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < eqn.outputs().size(); i++) {
      Var v = eqn.outputs().get(i);
      sb.append(i > 0 ? " " : "").append(names.define(v)).append(':').append(v.aval());
    }
    if (eqn.outputs().isEmpty()) {
      sb.append("_");
    }
    String params = printParams(eqn.params(), names, indent);
    return sb.append(" = ").append(eqn.primitive().name()).append(params).append(args).toString();
  }

  static String printParams(Params params, Names names, String indent) {
    if (params.size() == 0) {
      return "";
    }
    boolean hasJaxpr = false;
    String[] parts = new String[params.size()];
    for (int i = 0; i < params.size(); i++) {
      String v = value(params.value(i), names, indent + "  ");
      hasJaxpr |= v.contains("{ lambda");
      parts[i] = params.key(i) + "=" + v;
    }
    if (!hasJaxpr) {
      return "[" + String.join(" ", parts) + "]";
    }
    StringBuilder sb = new StringBuilder("[");
    for (String p : parts) {
      sb.append('\n').append(indent).append("  ").append(p);
    }
    return sb.append('\n').append(indent).append(']').toString();
  }

  private static String value(Object v, Names names, String indent) {
    if (v instanceof int[] a) {
      StringBuilder sb = new StringBuilder("(");
      for (int i = 0; i < a.length; i++) {
        sb.append(i > 0 ? ", " : "").append(a[i]);
      }
      return sb.append(a.length == 1 ? ",)" : ")").toString();
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v == null) {
      return "None";
    }
    if (v instanceof DType d) {
      return d.numpyName();
    }
    if (v instanceof Jaxpr j) {
      return print(j, names, indent);
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("(");
      boolean nested = l.stream().anyMatch(x -> x instanceof Jaxpr);
      for (int i = 0; i < l.size(); i++) {
        String s = value(l.get(i), names, indent + "  ");
        if (nested) {
          sb.append('\n').append(indent).append("  ").append(s);
        } else {
          sb.append(i > 0 ? ", " : "").append(s);
        }
      }
      if (nested) {
        return sb.append('\n').append(indent).append(')').toString();
      }
      return sb.append(l.size() == 1 ? ",)" : ")").toString();
    }
    return String.valueOf(v);
  }
}
