package dev.statelens.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Pytrees: nested containers whose leaves are {@link Array}s, as in JAX's {@code jax.tree_util}.
 * Transforms flatten their arguments and results with these functions.
 *
 * <h2>Nodes and leaves</h2>
 * <ul>
 *   <li>{@link Array} — a leaf.
 *   <li>a record (including {@link Pair}) — children are its components in declaration order;
 *       rebuilt through the canonical constructor.
 *   <li>{@link List} — children by index; rebuilt as an unmodifiable list.
 *   <li>{@link Map} — children in sorted key order (keys must be mutually {@link Comparable});
 *       the keys are part of the structure; rebuilt as an unmodifiable {@link SortedMap}.
 *   <li>{@link Optional} — empty has no children, present has one.
 *   <li>{@code null} — a node without children (JAX's {@code None}).
 *   <li>a class registered with {@link #register} — children and auxiliary (static) data as its
 *       {@link NodeType} says. A registration takes precedence over the built-in rules for
 *       exactly that class (not its subclasses), e.g. to keep an {@code int} component of a
 *       record as auxiliary data.
 * </ul>
 * Anything else (an {@code Integer}, a {@code String}, an arbitrary object) is rejected with an
 * {@link IllegalArgumentException} naming its path: wrap numbers with {@code Array.scalar}, make
 * the class a record, or register it.
 *
 * <h2>Paths</h2>
 * Each leaf has a path built from the names of the nodes above it; the root has no name (a
 * caller prefixes an argument name if it wants one):
 * <ul>
 *   <li>record components by name, dot-separated: {@code params.weight};
 *       a {@link Pair}'s are {@code first} and {@code second};
 *   <li>list elements by index: {@code layers[0].w};
 *   <li>map entries by key: {@code opt_state.mu.bias}; keys that are not plain names (letters,
 *       digits, {@code _ $ -}) are quoted, {@code ["a b"]}, and non-string keys bracketed,
 *       {@code [3]};
 *   <li>{@link Optional} is transparent: the present value has the Optional's own path;
 *   <li>registered types by {@link NodeType#childName}, else by index {@code [i]};
 *   <li>a lone {@link Array} at the root has the empty path {@code ""}.
 * </ul>
 */
public final class Tree {

  private Tree() {}

  /** The leaves of a tree, in order, with the structure they came out of. */
  public record Flat(List<Array> leaves, TreeDef def) {
    public Flat {
      Objects.requireNonNull(leaves, "leaves");
      Objects.requireNonNull(def, "def");
      if (leaves.size() != def.numLeaves()) {
        throw new IllegalArgumentException(
            "Tree.Flat: " + leaves.size() + " leaves for the structure " + def + ", which has "
                + def.numLeaves() + "; pass the leaves that belong to this structure.");
      }
    }
  }

  /** One leaf with its path (see {@link Tree} for the path syntax). */
  public record PathLeaf(String path, Array leaf) {}

  /**
   * How to take a registered node type apart and put it back together, like JAX's
   * {@code register_pytree_node}.
   *
   * @param <T> the registered class
   */
  public interface NodeType<T> {
    /** The children of {@code node}, in order; each is again a pytree. */
    List<?> children(T node);

    /**
     * Static data of {@code node} that is not a child: part of the structure (the jit cache
     * key), so it needs a meaningful {@code equals}/{@code hashCode}. Default: none.
     */
    default Object aux(T node) {
      return null;
    }

    /** Builds a node from its auxiliary data and its (rebuilt) children. */
    T rebuild(Object aux, List<?> children);

    /**
     * The name of child {@code index} in paths and {@code toString} (a plain name like
     * {@code weight}); {@code null}, the default, names children by index, {@code [i]}.
     */
    default String childName(Object aux, int index) {
      return null;
    }
  }

  /** {@code Fn3} of leaves, for {@link #map(LeafFunction3, Object, Object, Object)}. */
  @FunctionalInterface
  public interface LeafFunction3 {
    Array apply(Array a, Array b, Array c);
  }

  // ---------------------------------------------------------------------------------------------
  // Flattening

  /** Splits {@code tree} into its leaves and its structure. */
  public static Flat flatten(Object tree) {
    if (tree instanceof Array leaf) {
      return new Flat(List.of(leaf), TreeDef.LEAF);
    }
    List<Array> leaves = new ArrayList<>();
    TreeDef def = flattenRoot(tree, leaves);
    return new Flat(Collections.unmodifiableList(leaves), def);
  }

  /** The leaves of {@code tree}, in order. */
  public static List<Array> leaves(Object tree) {
    return flatten(tree).leaves();
  }

  /** The structure of {@code tree}. */
  public static TreeDef structure(Object tree) {
    return flatten(tree).def();
  }

  /** The path of each leaf of {@code tree}, in leaf order. */
  public static List<String> paths(Object tree) {
    return structure(tree).paths();
  }

  /** Each leaf of {@code tree} with its path, in leaf order. */
  public static List<PathLeaf> flattenWithPaths(Object tree) {
    Flat flat = flatten(tree);
    List<String> paths = flat.def().paths();
    List<PathLeaf> result = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      result.add(new PathLeaf(paths.get(i), flat.leaves().get(i)));
    }
    return Collections.unmodifiableList(result);
  }

  /** Rebuilds a tree of structure {@code def} from {@code leaves}; see {@link TreeDef#unflatten}. */
  public static <T> T unflatten(TreeDef def, List<? extends Array> leaves) {
    return def.unflatten(leaves);
  }

  private static TreeDef flattenRoot(Object tree, List<Array> leaves) {
    try {
      return flattenNode(tree, leaves);
    } catch (NotANode e) {
      throw e.toUserError();
    }
  }

  static TreeDef flattenNode(Object node, List<Array> leaves) {
    if (node instanceof Array leaf) {
      leaves.add(leaf);
      return TreeDef.LEAF;
    }
    if (node == null) {
      return TreeDef.NONE;
    }
    return HANDLERS.get(node.getClass()).flatten(node, leaves);
  }

  /** Flattens one child, adding its path segment to the error if it is not a pytree. */
  private static TreeDef flattenChild(Object child, List<Array> leaves, TreeDef.Shape parent, int index) {
    try {
      return flattenNode(child, leaves);
    } catch (NotANode e) {
      e.segments.addFirst(parent.segment(index));
      throw e;
    }
  }

  /** Flattens the nodes of one class. Looked up once per class ({@link #HANDLERS}). */
  @FunctionalInterface
  private interface Handler {
    TreeDef flatten(Object node, List<Array> leaves);
  }

  private static final ConcurrentHashMap<Class<?>, Registration<?>> REGISTRY = new ConcurrentHashMap<>();

  /** Count of {@link #register} calls: {@link TreeMatcher} stops trusting its cached walk when it changes. */
  static volatile int registrations;

  /** True if exactly {@code type} is registered as a node type. */
  static boolean isRegistered(Class<?> type) {
    return REGISTRY.containsKey(type);
  }

  private static final ClassValue<Handler> HANDLERS =
      new ClassValue<>() {
        @Override
        protected Handler computeValue(Class<?> type) {
          return handlerFor(type);
        }
      };

  private static Handler handlerFor(Class<?> type) {
    Registration<?> registration = REGISTRY.get(type);
    if (registration != null) {
      return registration::flatten;
    }
    if (Array.class.isAssignableFrom(type)) {
      return (node, leaves) -> {
        leaves.add((Array) node);
        return TreeDef.LEAF;
      };
    }
    if (type.isRecord()) {
      TreeDef.RecordShape shape;
      try {
        shape = TreeDef.RecordShape.of(type);
      } catch (IllegalArgumentException inaccessible) {
        String problem = inaccessible.getMessage();
        return (node, leaves) -> {
          throw new NotANode(problem);
        };
      }
      return (node, leaves) -> flattenRecord(shape, node, leaves);
    }
    if (List.class.isAssignableFrom(type)) {
      return (node, leaves) -> flattenList((List<?>) node, leaves);
    }
    if (Map.class.isAssignableFrom(type)) {
      return (node, leaves) -> flattenMap((Map<?, ?>) node, leaves);
    }
    if (type == Optional.class) {
      return (node, leaves) -> flattenOptional((Optional<?>) node, leaves);
    }
    return (node, leaves) -> {
      throw new NotANode(type);
    };
  }

  private static TreeDef flattenRecord(TreeDef.RecordShape shape, Object record, List<Array> leaves) {
    TreeDef[] children = new TreeDef[shape.size()];
    for (int i = 0; i < children.length; i++) {
      children[i] = flattenChild(shape.component(record, i), leaves, shape, i);
    }
    return new TreeDef(shape, children);
  }

  private static TreeDef flattenList(List<?> list, List<Array> leaves) {
    TreeDef[] children = new TreeDef[list.size()];
    int i = 0;
    for (Object element : list) {
      children[i] = flattenChild(element, leaves, TreeDef.ListShape.INSTANCE, i);
      i++;
    }
    return new TreeDef(TreeDef.ListShape.INSTANCE, children);
  }

  private static TreeDef flattenMap(Map<?, ?> map, List<Array> leaves) {
    Object[] keys = sortedKeys(map);
    TreeDef.MapShape shape = new TreeDef.MapShape(Collections.unmodifiableList(Arrays.asList(keys)));
    TreeDef[] children = new TreeDef[keys.length];
    for (int i = 0; i < keys.length; i++) {
      children[i] = flattenChild(map.get(keys[i]), leaves, shape, i);
    }
    return new TreeDef(shape, children);
  }

  private static Object[] sortedKeys(Map<?, ?> map) {
    Object[] keys = map.keySet().toArray();
    for (Object key : keys) {
      if (key == null) {
        throw new NotANode("a Map has a null key; pytree map keys must be non-null and Comparable");
      }
      if (!(key instanceof Comparable<?>)) {
        throw new NotANode(
            "a Map has a key of type " + key.getClass().getName() + ", which is not Comparable; "
                + "pytree maps are ordered by sorted keys, so use String (or other Comparable) keys");
      }
    }
    if (!(map instanceof SortedMap<?, ?> sorted && sorted.comparator() == null)) {
      try {
        Arrays.sort(keys);
      } catch (ClassCastException e) {
        throw new NotANode(
            "a Map mixes key types that cannot be compared with each other (" + e.getMessage()
                + "); use keys of one Comparable type, e.g. all String");
      }
    }
    return keys;
  }

  private static TreeDef flattenOptional(Optional<?> optional, List<Array> leaves) {
    if (optional.isEmpty()) {
      return TreeDef.OPTIONAL_EMPTY;
    }
    TreeDef child = flattenChild(optional.get(), leaves, TreeDef.OptionalShape.INSTANCE, 0);
    return new TreeDef(TreeDef.OptionalShape.INSTANCE, new TreeDef[] {child});
  }

  /**
   * Thrown inside a flatten walk when a node is not a pytree; collects the path on its way up.
   * No stack trace: it becomes an {@link IllegalArgumentException} at the root.
   */
  private static final class NotANode extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Deque<String> segments = new ArrayDeque<>();
    final transient Class<?> type;

    NotANode(Class<?> type) {
      super(null, null, false, false);
      this.type = type;
    }

    NotANode(String problem) {
      super(problem, null, false, false);
      this.type = null;
    }

    IllegalArgumentException toUserError() {
      String path = "";
      for (String segment : segments) {
        path = TreeDef.joinPath(path, segment);
      }
      String where = path.isEmpty() ? "the tree root" : "'" + path + "'";
      if (type == null) {
        return new IllegalArgumentException("Tree: at " + where + ", " + getMessage() + ".");
      }
      return new IllegalArgumentException(
          "Tree: " + where + " is a " + type.getName() + ", which is neither a pytree leaf "
              + "(Array) nor a node (record, List, Map, Optional, null, or a registered type). "
              + "Wrap numbers with Array.scalar(...), make the class a record, or register it with "
              + "Tree.register(" + type.getSimpleName() + ".class, ...).");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Registration

  /** A registered node type (exactly one class). */
  record Registration<T>(Class<T> type, NodeType<T> nodeType) {

    TreeDef flatten(Object node, List<Array> leaves) {
      T typed = type.cast(node);
      List<?> children = nodeType.children(typed);
      if (children == null) {
        throw new IllegalStateException(
            "Tree: the NodeType registered for " + type.getName() + " returned null children; "
                + "return an empty list for a node without children.");
      }
      TreeDef.CustomShape shape = new TreeDef.CustomShape(this, nodeType.aux(typed));
      TreeDef[] defs = new TreeDef[children.size()];
      for (int i = 0; i < defs.length; i++) {
        defs[i] = flattenChild(children.get(i), leaves, shape, i);
      }
      return new TreeDef(shape, defs);
    }

    Object rebuild(Object aux, List<?> children) {
      return nodeType.rebuild(aux, children);
    }
  }

  /**
   * Makes instances of exactly {@code type} pytree nodes (JAX's {@code register_pytree_node}).
   * Register once, before the first use of the type in a tree.
   *
   * @throws IllegalArgumentException if {@code type} is {@link Array} (a leaf) or already
   *     registered
   */
  public static <T> void register(Class<T> type, NodeType<T> nodeType) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(nodeType, "nodeType");
    if (Array.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "Tree.register: " + type.getName() + " is an Array, which is always a leaf; register "
              + "container classes only.");
    }
    if (REGISTRY.putIfAbsent(type, new Registration<>(type, nodeType)) != null) {
      throw new IllegalArgumentException(
          "Tree.register: " + type.getName() + " is already registered as a pytree node; "
              + "register each class once (e.g. in a static initializer).");
    }
    HANDLERS.remove(type);
    registrations++;
  }

  /**
   * Lambda form of {@link #register(Class, NodeType)}: {@code children} lists a node's children,
   * {@code rebuild} builds a node from {@code (aux, children)}, {@code aux} extracts its static
   * data (may return {@code null}). Children are named by index in paths.
   */
  public static <T> void register(
      Class<T> type,
      Function<? super T, ? extends List<?>> children,
      BiFunction<Object, List<?>, ? extends T> rebuild,
      Function<? super T, ?> aux) {
    Objects.requireNonNull(children, "children");
    Objects.requireNonNull(rebuild, "rebuild");
    Objects.requireNonNull(aux, "aux");
    register(
        type,
        new NodeType<T>() {
          @Override
          public List<?> children(T node) {
            return children.apply(node);
          }

          @Override
          public Object aux(T node) {
            return aux.apply(node);
          }

          @Override
          public T rebuild(Object auxData, List<?> kids) {
            return rebuild.apply(auxData, kids);
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Mapping

  /** Applies {@code f} to every leaf; the result has {@code tree}'s structure. */
  public static <T> T map(Function<? super Array, ? extends Array> f, T tree) {
    Objects.requireNonNull(f, "f");
    Flat flat = flatten(tree);
    List<Array> leaves = flat.leaves();
    List<Array> mapped = new ArrayList<>(leaves.size());
    for (int i = 0; i < leaves.size(); i++) {
      mapped.add(checkResult(f.apply(leaves.get(i)), flat.def(), i));
    }
    return flat.def().unflatten(mapped);
  }

  /**
   * Applies {@code f} to corresponding leaves of two trees of the same structure, e.g.
   * {@code Tree.map((p, g) -> p.sub(g.mul(lr)), params, grads)}.
   *
   * @throws TreeStructureError if the structures differ
   */
  public static <T> T map(BiFunction<? super Array, ? super Array, ? extends Array> f, T a, T b) {
    Objects.requireNonNull(f, "f");
    Flat first = flatten(a);
    List<Array> second = sameStructureLeaves("Tree.map", first.def(), b, 2, 2);
    List<Array> leaves = first.leaves();
    List<Array> mapped = new ArrayList<>(leaves.size());
    for (int i = 0; i < leaves.size(); i++) {
      mapped.add(checkResult(f.apply(leaves.get(i), second.get(i)), first.def(), i));
    }
    return first.def().unflatten(mapped);
  }

  /**
   * Applies {@code f} to corresponding leaves of three trees of the same structure.
   *
   * @throws TreeStructureError if the structures differ
   */
  public static <T> T map(LeafFunction3 f, T a, T b, T c) {
    Objects.requireNonNull(f, "f");
    Flat first = flatten(a);
    List<Array> second = sameStructureLeaves("Tree.map", first.def(), b, 2, 3);
    List<Array> third = sameStructureLeaves("Tree.map", first.def(), c, 3, 3);
    List<Array> leaves = first.leaves();
    List<Array> mapped = new ArrayList<>(leaves.size());
    for (int i = 0; i < leaves.size(); i++) {
      mapped.add(checkResult(f.apply(leaves.get(i), second.get(i), third.get(i)), first.def(), i));
    }
    return first.def().unflatten(mapped);
  }

  /**
   * Applies {@code f} to the list of corresponding leaves of {@code first} and each of
   * {@code rest} (in that order); the result has {@code first}'s structure.
   *
   * @throws TreeStructureError if a structure differs from {@code first}'s
   */
  public static <T> T mapN(Function<? super List<Array>, ? extends Array> f, T first, Object... rest) {
    Objects.requireNonNull(f, "f");
    Objects.requireNonNull(rest, "rest");
    Flat head = flatten(first);
    int trees = rest.length + 1;
    List<List<Array>> all = new ArrayList<>(trees);
    all.add(head.leaves());
    for (int t = 0; t < rest.length; t++) {
      all.add(sameStructureLeaves("Tree.mapN", head.def(), rest[t], t + 2, trees));
    }
    List<Array> mapped = new ArrayList<>(head.def().numLeaves());
    for (int i = 0; i < head.def().numLeaves(); i++) {
      Array[] column = new Array[trees];
      for (int t = 0; t < trees; t++) {
        column[t] = all.get(t).get(i);
      }
      mapped.add(checkResult(f.apply(List.of(column)), head.def(), i));
    }
    return head.def().unflatten(mapped);
  }

  private static List<Array> sameStructureLeaves(
      String operation, TreeDef expected, Object tree, int position, int count) {
    Flat flat = flatten(tree);
    if (!expected.equals(flat.def())) {
      throw TreeStructureError.between(
          operation + ": tree " + position + " of " + count + " does not have the structure of tree 1",
          expected,
          flat.def());
    }
    return flat.leaves();
  }

  private static Array checkResult(Array result, TreeDef def, int index) {
    if (result == null) {
      String path = def.paths().get(index);
      throw new IllegalArgumentException(
          "Tree.map: the function returned null for the leaf at "
              + (path.isEmpty() ? "the root" : "'" + path + "'")
              + "; it must return an Array for every leaf.");
    }
    return result;
  }
}
