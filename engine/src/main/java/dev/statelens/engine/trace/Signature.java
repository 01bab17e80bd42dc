package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.TreeDef;
import dev.statelens.engine.ir.Aval;
import java.util.Arrays;
import java.util.List;

/** A jit cache key: the arguments' pytree structure plus each leaf's shape and dtype. */
public final class Signature {
  private final TreeDef treeDef;
  private final Aval[] avals;
  private final int hash;

  Signature(TreeDef treeDef, Aval[] avals) {
    this.treeDef = treeDef;
    this.avals = avals;
    this.hash = 31 * treeDef.hashCode() + Arrays.hashCode(avals);
  }

  static Signature of(TreeDef def, List<Array> leaves) {
    Aval[] avals = new Aval[leaves.size()];
    for (int i = 0; i < avals.length; i++) {
      avals[i] = leaves.get(i).aval();
    }
    return new Signature(def, avals);
  }

  /** Allocation-free check against flattened arguments (the cache-hit fast path). */
  boolean matches(TreeDef def, List<Array> leaves) {
    if (leaves.size() != avals.length || !treeDef.equals(def)) {
      return false;
    }
    for (int i = 0; i < avals.length; i++) {
      if (!avals[i].equals(leaves.get(i).aval())) {
        return false;
      }
    }
    return true;
  }

  /** True if the leaves have this signature's shapes and dtypes, in order (structure checked apart). */
  boolean matchesAvals(Array[] leaves) {
    if (leaves.length != avals.length) {
      return false;
    }
    for (int i = 0; i < avals.length; i++) {
      Aval a = leaves[i].aval();
      if (a != avals[i] && !avals[i].equals(a)) {
        return false;
      }
    }
    return true;
  }

  public TreeDef treeDef() {
    return treeDef;
  }

  public List<Aval> avals() {
    return List.of(avals);
  }

  /**
   * Why {@code this} needed a new trace compared with {@code previous}: the first leaf (by path,
   * arguments named arg0, arg1, ...) whose shape or dtype changed, or the structure change.
   */
  public String differenceFrom(Signature previous) {
    if (!treeDef.equals(previous.treeDef)) {
      return "argument structure changed: " + previous.treeDef + " -> " + treeDef;
    }
    List<String> paths = argPaths(treeDef);
    for (int i = 0; i < avals.length; i++) {
      if (!avals[i].equals(previous.avals[i])) {
        return paths.get(i) + " changed from " + previous.avals[i] + " to " + avals[i];
      }
    }
    return "same signature";
  }

  /** Leaf paths of an argument list, each rooted at its argument name {@code argN}. */
  public static List<String> argPaths(TreeDef argsDef) {
    return argsDef.paths().stream().map(p -> p.replaceFirst("^\\[(\\d+)\\]", "arg$1")).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature s && s.hash == hash && s.treeDef.equals(treeDef)
        && Arrays.equals(s.avals, avals);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return treeDef + " " + Arrays.toString(avals);
  }
}
