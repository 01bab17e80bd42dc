package dev.statelens.engine;

import static dev.statelens.engine.Optim.wrongState;

import dev.statelens.engine.Optim.MaskedState;
import dev.statelens.engine.Optim.OptState;
import dev.statelens.engine.Optim.Optimizer;
import dev.statelens.engine.Optim.PartitionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Parameter groups: optax's {@code masked}, {@code partition} (alias {@code multi_transform}) and
 * {@code set_to_zero}. A masked-out leaf becomes {@code null} in the tree the inner optimizer sees
 * — a node without leaves, as optax's {@code MaskedNode} — so the inner state holds nothing for it.
 */
final class OptimGroups {
  private OptimGroups() {}

  /** Which leaves of {@code tree} the mask accepts, by path ({@link Tree#paths}). */
  static boolean[] keep(Object tree, Predicate<String> mask) {
    List<String> paths = Tree.paths(tree);
    boolean[] keep = new boolean[paths.size()];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = mask.test(paths.get(i));
    }
    return keep;
  }

  /** {@code tree} with the leaves not kept replaced by {@code null}. */
  static <P> P hide(P tree, boolean[] keep, String who) {
    Tree.Flat flat = Tree.flatten(tree);
    List<Array> leaves = new ArrayList<>(keep.length);
    for (int i = 0; i < keep.length; i++) {
      leaves.add(keep[i] ? flat.leaves().get(i) : null);
    }
    try {
      return flat.def().unflatten(leaves);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Optim." + who + ": cannot leave the unselected leaves out of " + flat.def()
              + " (" + e.getMessage() + "); its constructors must accept null for a left-out leaf, as optax's"
              + " MaskedNode: use records without null checks, Maps or Lists for the params", e);
    }
  }

  /** {@code updates} with the kept leaves taken from {@code inner} (the transformed, hidden tree). */
  static <P> P merge(P updates, Object inner, boolean[] keep) {
    Tree.Flat flat = Tree.flatten(updates);
    List<Array> transformed = Tree.leaves(inner);
    List<Array> out = new ArrayList<>(keep.length);
    int j = 0;
    for (int i = 0; i < keep.length; i++) {
      out.add(keep[i] ? transformed.get(j++) : flat.leaves().get(i));
    }
    return flat.def().unflatten(out);
  }

  static <P> OptState<P> initMasked(Optimizer inner, P params, boolean[] keep, String who) {
    return new MaskedState<>(inner.init(hide(params, keep, who)));
  }

  static <P> Pair<P, OptState<P>> updateMasked(
      Optimizer inner, P updates, OptState<P> state, P params, boolean[] keep, String who) {
    if (!(state instanceof MaskedState<P> s)) {
      throw wrongState(who, MaskedState.class, state);
    }
    P hidden = hide(updates, keep, who);
    P hiddenParams = params == null ? null : hide(params, keep, who);
    Pair<P, OptState<P>> r = Optim.transformPart(inner, hidden, s.innerState(), hiddenParams);
    return Pair.of(merge(updates, r.first(), keep), new MaskedState<>(r.second()));
  }

  /** optax's {@code masked(inner, mask)}, the mask a test on each leaf's path. */
  record Masked(Optimizer inner, Predicate<String> mask) implements Optim.Transform {
    @Override
    public <P> OptState<P> init(P params) {
      return initMasked(inner, params, keep(params, mask), "masked");
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      return updateMasked(inner, updates, state, params, keep(updates, mask), "masked");
    }
  }

  /**
   * optax's {@code partition}: one masked transform per label, applied in label order. The label is a
   * function of the leaf's path and the leaf itself (muon's labels go by rank; the user's
   * {@link Optim#partition} by path).
   */
  record Partition(Map<String, Optimizer> transforms, BiFunction<String, Array, String> labelFn) implements Optim.Transform {
    static Partition byPath(Map<String, Optimizer> transforms, Function<String, String> labelFn) {
      return new Partition(transforms, (path, leaf) -> labelFn.apply(path));
    }

    @Override
    public <P> OptState<P> init(P params) {
      List<String> labels = labels(params);
      Map<String, OptState<P>> states = new TreeMap<>();
      transforms.forEach((label, tx) -> states.put(label, initMasked(tx, params, select(labels, label), "partition")));
      return new PartitionState<>(states);
    }

    @Override
    public <P> Pair<P, OptState<P>> transform(P updates, OptState<P> state, P params) {
      if (!(state instanceof PartitionState<P> s)) {
        throw wrongState("partition", PartitionState.class, state);
      }
      if (!s.innerStates().keySet().equals(transforms.keySet())) {
        throw new IllegalArgumentException(
            "Optim.partition.update: the PartitionState has groups " + s.innerStates().keySet() + " but this partition has "
                + transforms.keySet() + "; pass the state that this partition's init(params) returned");
      }
      List<String> labels = labels(updates);
      Map<String, OptState<P>> next = new TreeMap<>();
      P out = updates;
      for (Map.Entry<String, Optimizer> e : transforms.entrySet()) {
        Pair<P, OptState<P>> r = updateMasked(
            e.getValue(), out, s.innerStates().get(e.getKey()), params, select(labels, e.getKey()), "partition");
        out = r.first();
        next.put(e.getKey(), r.second());
      }
      return Pair.of(out, new PartitionState<>(next));
    }

    /** Each leaf's label, checked against the transforms (optax: "Some parameters have no corresponding transformation"). */
    private List<String> labels(Object tree) {
      List<String> paths = Tree.paths(tree);
      List<Array> leaves = Tree.leaves(tree);
      List<String> labels = new ArrayList<>(paths.size());
      for (int i = 0; i < paths.size(); i++) {
        String path = paths.get(i);
        String label = labelFn.apply(path, leaves.get(i));
        if (label == null || !transforms.containsKey(label)) {
          throw new IllegalArgumentException(
              "Optim.partition: the leaf '" + path + "' has label " + (label == null ? "null" : "'" + label + "'")
                  + ", which names no transform; the transforms are " + new TreeSet<>(transforms.keySet())
                  + "; return one of those from the labelFn, or add a transform for it (setToZero() to freeze those leaves)");
        }
        labels.add(label);
      }
      return labels;
    }

    private static boolean[] select(List<String> labels, String label) {
      boolean[] keep = new boolean[labels.size()];
      for (int i = 0; i < keep.length; i++) {
        keep[i] = labels.get(i).equals(label);
      }
      return keep;
    }
  }

  /** optax's {@code set_to_zero}: every update becomes 0 (with {@code masked}: freeze). */
  record SetToZero() implements Optim.StatelessTransform {
    @Override
    public String name() {
      return "setToZero";
    }

    @Override
    public <P> P map(P updates, P params) {
      return Tree.map(Array::zerosLike, updates);
    }
  }
}
