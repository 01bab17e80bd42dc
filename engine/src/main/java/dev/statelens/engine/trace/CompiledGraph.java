package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.TreeDef;
import dev.statelens.engine.TreeMatcher;
import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.Executable;
import dev.statelens.engine.ir.Jaxpr;
import java.util.List;

/**
 * One cached trace of a jitted function: its signature, the traced graph with the constant values
 * captured at trace time, the output structure, and the compiled executable (made on first use).
 */
public final class CompiledGraph {
  private final Signature signature;
  private final Jaxpr jaxpr;
  private final List<Array> consts;
  private final TreeDef outTree;
  private final int traceIndex;
  private volatile Executable executable;
  private volatile Buffer[] constBuffers;

  CompiledGraph(Signature signature, Jaxpr jaxpr, List<Array> consts, TreeDef outTree, int traceIndex) {
    this.signature = signature;
    this.jaxpr = jaxpr;
    this.consts = consts;
    this.outTree = outTree;
    this.traceIndex = traceIndex;
  }

  public Signature signature() {
    return signature;
  }

  /** The graph as traced (not dead-code eliminated), printable like jax.make_jaxpr. */
  public Jaxpr jaxpr() {
    return jaxpr;
  }

  /** Values of the jaxpr's constvars, captured at trace time. */
  public List<Array> consts() {
    return consts;
  }

  public TreeDef outTree() {
    return outTree;
  }

  /** 0 for the first trace of the function, 1 for the first retrace, ... */
  public int traceIndex() {
    return traceIndex;
  }

  Executable executable(Backend backend) {
    Executable e = executable;
    if (e == null) {
      synchronized (this) {
        e = executable;
        if (e == null) {
          Buffer[] cb = new Buffer[consts.size()];
          for (int i = 0; i < cb.length; i++) {
            cb[i] = consts.get(i).buffer();
          }
          constBuffers = cb;
          // custom_vjp_call / checkpoint run their sub-graph: inlined, as JAX lowers them; divisions
          // by a constant or a broadcast become multiplications by the reciprocal, as XLA's simplifier
          // does after its DCE (a dead primal division must not count as a second reader of a divisor)
          Jaxpr inlined = dev.statelens.engine.ir.CallInlining.inline(jaxpr).dce();
          e = backend.compile(dev.statelens.engine.ir.ReciprocalDivision.apply(inlined).dce());
          executable = e;
        }
      }
    }
    return e;
  }

  /** Argument matcher for the cache-hit path, built from the first call's arguments (null: none). */
  private volatile TreeMatcher matcher;
  private volatile boolean matcherTried;

  /**
   * The argument leaves if {@code args} have exactly this graph's signature (structure, shapes,
   * dtypes), else null; allocation-free apart from the leaf array.
   */
  Array[] matchArgs(Object[] args) {
    TreeMatcher m = matcher;
    if (m == null) {
      return null;
    }
    Array[] leaves = new Array[m.numLeaves()];
    return m.leaves(args, leaves) && signature.matchesAvals(leaves) ? leaves : null;
  }

  /** Builds the matcher once, from arguments whose structure {@code argsDef} is this graph's. */
  void learnArgs(Object[] args, TreeDef argsDef) {
    if (!matcherTried && argsDef.equals(signature.treeDef())) {
      matcherTried = true;
      matcher = TreeMatcher.of(args, argsDef);
    }
  }

  /** The constants' host arrays for {@code host} (the executable's, so one per graph); null if one has none. */
  private volatile Object[] constHostData;

  Object[] constHostData(Executable.HostEntry host) {
    Object[] data = constHostData;
    if (data == null) {
      Buffer[] cb = constBuffers;
      data = new Object[cb.length];
      for (int i = 0; i < cb.length; i++) {
        data[i] = host.hostData(cb[i]);
        if (data[i] == null) {
          return null;
        }
      }
      constHostData = data;
    }
    return data;
  }

  Buffer[] constBuffers() {
    return constBuffers;
  }

  @Override
  public String toString() {
    return jaxpr.toString();
  }
}
