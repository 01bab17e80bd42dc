package dev.statelens.engine.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.statelens.engine.trace.SourceInfo;

/**
 * A traced graph, like JAX's jaxpr: constant variables (values captured at trace time, supplied
 * when the graph runs), input variables, equations in order, and outputs. Immutable;
 * {@link #toString()} prints like {@code jax.make_jaxpr}.
 */
public final class Jaxpr {
  private final List<Var> constvars;
  private final List<Var> invars;
  private final List<Eqn> eqns;
  private final List<Atom> outvars;
  /** Per equation, where the user's code bound it (null entries: unknown); empty when none was recorded. */
  private final List<SourceInfo> sources;
  private final boolean effectful;

  /** A graph without source positions (built by a pass, not by a trace). */
  public Jaxpr(List<Var> constvars, List<Var> invars, List<Eqn> eqns, List<? extends Atom> outvars) {
    this(constvars, invars, eqns, outvars, List.of());
  }

  /**
   * @param sources per equation of {@code eqns}, its position in the user's code (entries may be
   *     null), or an empty list when unknown
   */
  public Jaxpr(List<Var> constvars, List<Var> invars, List<Eqn> eqns, List<? extends Atom> outvars,
      List<SourceInfo> sources) {
    this.constvars = List.copyOf(constvars);
    this.invars = List.copyOf(invars);
    this.eqns = List.copyOf(eqns);
    this.outvars = List.copyOf(outvars);
    if (!sources.isEmpty() && sources.size() != this.eqns.size()) {
      throw new IllegalArgumentException("jaxpr has " + this.eqns.size() + " equations but " + sources.size()
          + " source positions; give one per equation (null for unknown) or none");
    }
    this.sources = sources.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(sources));
    this.effectful = this.eqns.stream().anyMatch(Jaxpr::isEffectful);
    checkWellFormed();
  }

  private static boolean isEffectful(Eqn e) {
    if (e.primitive().isEffectful()) {
      return true;
    }
    for (int i = 0; i < e.params().size(); i++) {
      if (e.params().value(i) instanceof Jaxpr j && j.isEffectful()) {
        return true;
      }
      if (e.params().value(i) instanceof List<?> l) {
        for (Object o : l) {
          if (o instanceof Jaxpr j && j.isEffectful()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void checkWellFormed() {
    Set<Var> defined = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    defined.addAll(constvars);
    defined.addAll(invars);
    for (Eqn e : eqns) {
      for (Atom a : e.inputs()) {
        if (a instanceof Var v && !defined.contains(v)) {
          throw new IllegalArgumentException("jaxpr uses an undefined variable " + v + " in " + e.primitive());
        }
      }
      defined.addAll(e.outputs());
    }
    for (Atom a : outvars) {
      if (a instanceof Var v && !defined.contains(v)) {
        throw new IllegalArgumentException("jaxpr output " + v + " is not defined");
      }
    }
  }

  public List<Var> constvars() {
    return constvars;
  }

  public List<Var> invars() {
    return invars;
  }

  public List<Eqn> eqns() {
    return eqns;
  }

  public List<Atom> outvars() {
    return outvars;
  }

  /**
   * Where the user's code bound each equation (JAX's {@code source_info}), parallel to
   * {@link #eqns()}, entries null where unknown; empty when the graph has none (built by a pass that
   * does not keep them). The printer, passes and backends ignore them.
   */
  public List<SourceInfo> sources() {
    return sources;
  }

  /** The position of equation {@code i}, or null when unknown. */
  public SourceInfo source(int i) {
    return sources.isEmpty() ? null : sources.get(i);
  }

  /** True if any equation (or sub-graph) has a run-time effect such as {@code debug_print}. */
  public boolean isEffectful() {
    return effectful;
  }

  public List<Aval> inAvals() {
    return invars.stream().map(Var::aval).toList();
  }

  public List<Aval> outAvals() {
    return outvars.stream().map(Atom::aval).toList();
  }

  /**
   * Dead-code elimination: drops equations whose outputs are unused, keeping effectful ones.
   * Inputs and constants are kept (the calling convention does not change).
   */
  public Jaxpr dce() {
    Set<Var> live = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Atom a : outvars) {
      if (a instanceof Var v) {
        live.add(v);
      }
    }
    List<Eqn> kept = new ArrayList<>();
    List<SourceInfo> keptSources = new ArrayList<>();
    for (int i = eqns.size() - 1; i >= 0; i--) {
      Eqn e = eqns.get(i);
      boolean needed = isEffectful(e) || e.outputs().stream().anyMatch(live::contains);
      if (needed) {
        kept.add(e);
        keptSources.add(source(i));
        for (Atom a : e.inputs()) {
          if (a instanceof Var v) {
            live.add(v);
          }
        }
      }
    }
    if (kept.size() == eqns.size()) {
      return this;
    }
    Collections.reverse(kept);
    Collections.reverse(keptSources);
    return new Jaxpr(constvars, invars, kept, outvars, sources.isEmpty() ? List.of() : keptSources);
  }

  /** A copy whose invars are {@code newInvars} (which must include all current invars). */
  public Jaxpr withInvars(List<Var> newInvars) {
    Set<Var> have = new HashSet<>(newInvars);
    for (Var v : invars) {
      if (!have.contains(v)) {
        throw new IllegalArgumentException("withInvars must keep every existing invar");
      }
    }
    return new Jaxpr(constvars, newInvars, eqns, outvars, sources);
  }

  @Override
  public String toString() {
    return JaxprPrinter.print(this);
  }
}
