package dev.statelens.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The structure of a pytree with its leaves taken out: what {@link Tree#flatten} returns beside
 * the leaves, and what {@link #unflatten} fills back in.
 *
 * <p>Immutable. {@code equals}/{@code hashCode} are structural (node kinds, record classes, list
 * lengths, map keys, custom auxiliary data) and the hash is computed once, so a {@code TreeDef}
 * is a cheap cache key (the {@code jit} cache uses it). {@code toString} reads like the tree with
 * {@code *} for each leaf: {@code Params(weight=*, bias=*)}, {@code [*, *]},
 * {@code {lr=*, mu=Params(weight=*, bias=*)}}, {@code Pair(*, *)}, {@code Optional[*]},
 * {@code Optional.empty}, {@code null}.
 */
public final class TreeDef {

  private static final TreeDef[] NO_CHILDREN = {};

  /** The structure of a single {@link Array}. */
  static final TreeDef LEAF = new TreeDef(LeafShape.INSTANCE, NO_CHILDREN);

  /** The structure of {@code null} (JAX's {@code None}): a node without children. */
  static final TreeDef NONE = new TreeDef(NoneShape.INSTANCE, NO_CHILDREN);

  static final TreeDef OPTIONAL_EMPTY = new TreeDef(OptionalShape.INSTANCE, NO_CHILDREN);

  private final Shape shape;
  private final TreeDef[] children;
  private final int numLeaves;
  private final int hash;
  private volatile List<String> paths;

  TreeDef(Shape shape, TreeDef[] children) {
    this.shape = shape;
    this.children = children;
    int leaves = shape == LeafShape.INSTANCE ? 1 : 0;
    int h = shape.hashCode();
    for (TreeDef child : children) {
      leaves += child.numLeaves;
      h = 31 * h + child.hash;
    }
    this.numLeaves = leaves;
    this.hash = h;
  }

  /** How many {@link Array} leaves a tree of this structure has. */
  public int numLeaves() {
    return numLeaves;
  }

  /** This node's kind (tests build structures a flatten never gives). */
  Shape shape() {
    return shape;
  }

  /** Whether this is the structure of a single {@link Array}. */
  public boolean isLeaf() {
    return shape == LeafShape.INSTANCE;
  }

  /** The structures of this node's children, in leaf order (empty for leaves and {@code null}). */
  public List<TreeDef> children() {
    return List.of(children);
  }

  /**
   * Rebuilds a tree of this structure with the given leaves, in {@link Tree#leaves} order. Lists
   * come back unmodifiable, maps as unmodifiable sorted maps, records through their canonical
   * constructor, registered types through their {@link Tree.NodeType#rebuild}.
   *
   * @throws IllegalArgumentException if the number of leaves does not match {@link #numLeaves()}
   */
  @SuppressWarnings("unchecked")
  public <T> T unflatten(List<? extends Array> leaves) {
    Objects.requireNonNull(leaves, "leaves");
    if (leaves.size() != numLeaves) {
      throw new IllegalArgumentException(
          "TreeDef.unflatten: the structure " + this + " has " + numLeaves + " leaves but "
              + leaves.size() + " were given; pass exactly the leaves Tree.flatten returned "
              + "(or as many, in the same order).");
    }
    return (T) rebuild(leaves.iterator());
  }

  /**
   * {@link #unflatten(List)} from an array (jit's cache-hit path): the same tree, without an
   * iterator; each child's leaves start where the previous child's end.
   *
   * @throws IllegalArgumentException if the number of leaves does not match {@link #numLeaves()}
   */
  @SuppressWarnings("unchecked")
  public <T> T unflatten(Array[] leaves) {
    Objects.requireNonNull(leaves, "leaves");
    if (leaves.length != numLeaves) {
      return unflatten(Arrays.asList(leaves)); // its error message
    }
    Builder b = builder;
    if (b == null) {
      builder = b = builder(0);
    }
    return (T) b.build(leaves);
  }

  /** Rebuilds one subtree from the leaf array: {@link #unflatten(Array[])} compiled once per structure. */
  @FunctionalInterface
  private interface Builder {
    Object build(Array[] leaves);
  }

  /** Built on first use; racing threads build equal ones. */
  private Builder builder;

  /**
   * This subtree (its leaves starting at {@code from}) as a builder: a leaf reads its slot, a
   * record of one to four components calls its spun constructor on its children's builders (no
   * {@code Object[]} of children), anything else falls back to {@link #rebuild(Array[], int)}.
   */
  @SuppressWarnings("unchecked")
  private Builder builder(int from) {
    if (shape == LeafShape.INSTANCE) {
      return leaves -> leaves[from];
    }
    if (shape instanceof RecordShape r && r.fastNew != null) {
      Builder[] c = new Builder[children.length];
      int at = from;
      for (int i = 0; i < c.length; i++) {
        c[i] = children[i].builder(at);
        at += children[i].numLeaves;
      }
      Object f = r.fastNew;
      Builder fast = switch (c.length) {
        case 1 -> {
          var f1 = (java.util.function.Function<Object, Object>) f;
          Builder c0 = c[0];
          yield leaves -> f1.apply(c0.build(leaves));
        }
        case 2 -> {
          var f2 = (java.util.function.BiFunction<Object, Object, Object>) f;
          Builder c0 = c[0];
          Builder c1 = c[1];
          yield leaves -> f2.apply(c0.build(leaves), c1.build(leaves));
        }
        case 3 -> {
          var f3 = (Fn3<Object, Object, Object, Object>) f;
          Builder c0 = c[0];
          Builder c1 = c[1];
          Builder c2 = c[2];
          yield leaves -> f3.apply(c0.build(leaves), c1.build(leaves), c2.build(leaves));
        }
        default -> {
          var f4 = (Fn4<Object, Object, Object, Object, Object>) f;
          Builder c0 = c[0];
          Builder c1 = c[1];
          Builder c2 = c[2];
          Builder c3 = c[3];
          yield leaves -> f4.apply(c0.build(leaves), c1.build(leaves), c2.build(leaves), c3.build(leaves));
        }
      };
      return leaves -> {
        try {
          return fast.build(leaves);
        } catch (ClassCastException e) {
          throw r.cannotRebuild(e);
        }
      };
    }
    return leaves -> rebuild(leaves, from);
  }

  private Object rebuild(Array[] leaves, int from) {
    if (shape == LeafShape.INSTANCE) {
      return leaves[from];
    }
    Object[] built = new Object[children.length];
    for (int i = 0; i < children.length; i++) {
      TreeDef child = children[i];
      built[i] = child.rebuild(leaves, from);
      from += child.numLeaves;
    }
    return shape.rebuild(built);
  }

  private Object rebuild(Iterator<? extends Array> leaves) {
    if (shape == LeafShape.INSTANCE) {
      return leaves.next();
    }
    Object[] built = new Object[children.length];
    for (int i = 0; i < children.length; i++) {
      built[i] = children[i].rebuild(leaves);
    }
    return shape.rebuild(built);
  }

  /**
   * The path of each leaf, in leaf order, as described in {@link Tree}: {@code params.weight},
   * {@code layers[0].w}, {@code mu.bias}. A lone leaf has the empty path.
   */
  public List<String> paths() {
    List<String> result = paths;
    if (result == null) {
      List<String> collected = new ArrayList<>(numLeaves);
      collectPaths("", collected);
      result = Collections.unmodifiableList(collected);
      paths = result;
    }
    return result;
  }

  /**
   * The leaf paths with the root named {@code rootName}, e.g. an argument name:
   * {@code params.weight} for a record, {@code layers[0]} for a list, {@code x} for a lone leaf.
   */
  public List<String> paths(String rootName) {
    Objects.requireNonNull(rootName, "rootName");
    List<String> relative = paths();
    List<String> named = new ArrayList<>(relative.size());
    for (String path : relative) {
      named.add(path.isEmpty() || path.charAt(0) == '[' ? rootName + path : rootName + "." + path);
    }
    return Collections.unmodifiableList(named);
  }

  private void collectPaths(String prefix, List<String> out) {
    if (shape == LeafShape.INSTANCE) {
      out.add(prefix);
      return;
    }
    for (int i = 0; i < children.length; i++) {
      children[i].collectPaths(joinPath(prefix, shape.segment(i)), out);
    }
  }

  /**
   * For each leaf, in leaf order: the record component it sits under, innermost record first
   * ({@code params.weight} → {@code Params.weight}; a leaf inside a list or map component → that
   * component), or null when no record encloses it. {@link Pair} is skipped (its components name
   * no user code). The recorder stores these so the IDE can open the component's declaration.
   */
  public List<RecordComponent> leafRecordComponents() {
    List<RecordComponent> out = new ArrayList<>(numLeaves);
    collectComponents(null, out);
    return Collections.unmodifiableList(out);
  }

  private void collectComponents(RecordComponent enclosing, List<RecordComponent> out) {
    if (shape == LeafShape.INSTANCE) {
      out.add(enclosing);
      return;
    }
    RecordComponent[] components = shape instanceof RecordShape r && !r.isPair ? r.type.getRecordComponents() : null;
    for (int i = 0; i < children.length; i++) {
      children[i].collectComponents(components != null ? components[i] : enclosing, out);
    }
  }

  /**
   * Joins a path and a child segment: {@code "name"} is a named child (dot-separated except at
   * the root), {@code "[..."} an indexed child, {@code ""} a transparent one (Optional).
   */
  static String joinPath(String prefix, String segment) {
    if (segment.isEmpty()) {
      return prefix;
    }
    if (segment.charAt(0) == '[' || prefix.isEmpty()) {
      return prefix + segment;
    }
    return prefix + "." + segment;
  }

  /**
   * Where this structure and {@code other} first differ, in leaf order, as {@code "at PATH: THIS
   * vs OTHER"} with the two differing subtrees; {@code null} if they are equal.
   */
  String firstDifference(TreeDef other) {
    return firstDifference(other, "");
  }

  private String firstDifference(TreeDef other, String path) {
    if (this == other) {
      return null;
    }
    if (!shape.equals(other.shape) || children.length != other.children.length) {
      String where = path.isEmpty() ? "the root" : path;
      return "at " + where + ": " + abbreviate(toString()) + " vs " + abbreviate(other.toString());
    }
    for (int i = 0; i < children.length; i++) {
      String found = children[i].firstDifference(other.children[i], joinPath(path, shape.segment(i)));
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof TreeDef other
            && hash == other.hash
            && numLeaves == other.numLeaves
            && shape.equals(other.shape)
            && Arrays.equals(children, other.children));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    appendTo(sb);
    return sb.toString();
  }

  void appendTo(StringBuilder sb) {
    shape.render(sb, children);
  }

  private static void appendChildren(StringBuilder sb, TreeDef[] children, String[] names) {
    for (int i = 0; i < children.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (names != null && names[i] != null) {
        sb.append(names[i]).append('=');
      }
      children[i].appendTo(sb);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Node shapes: what kind of node a TreeDef is, how to rebuild it, how its children are named.
  // Equality of shapes is the structural equality of TreeDef nodes (children compared apart).

  /** One kind of pytree node. */
  sealed interface Shape {
    /** Builds the node from its already rebuilt children. */
    Object rebuild(Object[] children);

    /** Path segment of child {@code index}; see {@link #joinPath}. */
    String segment(int index);

    void render(StringBuilder sb, TreeDef[] children);
  }

  enum LeafShape implements Shape {
    INSTANCE;

    @Override
    public Object rebuild(Object[] children) {
      throw new AssertionError("leaves are not rebuilt from children");
    }

    @Override
    public String segment(int index) {
      throw new AssertionError("a leaf has no children");
    }

    @Override
    public void render(StringBuilder sb, TreeDef[] children) {
      sb.append('*');
    }
  }

  enum NoneShape implements Shape {
    INSTANCE;

    @Override
    public Object rebuild(Object[] children) {
      return null;
    }

    @Override
    public String segment(int index) {
      throw new AssertionError("null has no children");
    }

    @Override
    public void render(StringBuilder sb, TreeDef[] children) {
      sb.append("null");
    }
  }

  /** A {@code List}: children by index, rebuilt as an unmodifiable list (nulls allowed). */
  enum ListShape implements Shape {
    INSTANCE;

    @Override
    public Object rebuild(Object[] children) {
      return Collections.unmodifiableList(Arrays.asList(children));
    }

    @Override
    public String segment(int index) {
      return "[" + index + "]";
    }

    @Override
    public void render(StringBuilder sb, TreeDef[] children) {
      sb.append('[');
      appendChildren(sb, children, null);
      sb.append(']');
    }
  }

  /** An {@code Optional}: transparent in paths; present has one child, empty none. */
  enum OptionalShape implements Shape {
    INSTANCE;

    @Override
    public Object rebuild(Object[] children) {
      return children.length == 0 ? Optional.empty() : Optional.ofNullable(children[0]);
    }

    @Override
    public String segment(int index) {
      return "";
    }

    @Override
    public void render(StringBuilder sb, TreeDef[] children) {
      if (children.length == 0) {
        sb.append("Optional.empty");
      } else {
        sb.append("Optional[");
        children[0].appendTo(sb);
        sb.append(']');
      }
    }
  }

  /**
   * A {@code Map}: children in sorted key order, rebuilt as an unmodifiable sorted map. The keys
   * are part of the structure.
   */
  record MapShape(List<Object> keys) implements Shape {

    @Override
    public Object rebuild(Object[] children) {
      TreeMap<Object, Object> map = new TreeMap<>();
      for (int i = 0; i < children.length; i++) {
        map.put(keys.get(i), children[i]);
      }
      return Collections.unmodifiableSortedMap(map);
    }

    /** {@code name} for identifier-like string keys, {@code ["a b"]} or {@code [3]} otherwise. */
    @Override
    public String segment(int index) {
      Object key = keys.get(index);
      if (key instanceof String s) {
        return isPlainName(s) ? s : "[\"" + s + "\"]";
      }
      return "[" + key + "]";
    }

    private static boolean isPlainName(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!Character.isLetterOrDigit(c) && c != '_' && c != '$' && c != '-') {
          return false;
        }
      }
      return true;
    }

    @Override
    public void render(StringBuilder sb, TreeDef[] children) {
      sb.append('{');
      for (int i = 0; i < children.length; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(keys.get(i)).append('=');
        children[i].appendTo(sb);
      }
      sb.append('}');
    }
  }

  /**
   * A record class: children are its components in declaration order, rebuilt through the
   * canonical constructor. One instance per class (cached by {@link Tree}), so identity is
   * equality.
   */
  static final class RecordShape implements Shape {
    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
    private static final MethodType CONSTRUCTOR = MethodType.methodType(Object.class, Object[].class);

    private final Class<?> type;
    private final String[] names;
    private final MethodHandle[] getters;
    private final MethodHandle constructor;
    /**
     * The canonical constructor as a spun lambda (a {@code Function}, {@code BiFunction},
     * {@link Fn3} or {@link Fn4} by arity), which the JIT inlines like a direct {@code new}; null
     * (use {@link #constructor}) for other arities, primitive components, or a record whose
     * package does not let us spin one.
     */
    final Object fastNew;
    private final boolean isPair;

    /** The public functional interface per arity for {@link #fastNew} (the lambda lives in the record's package). */
    private static final Class<?>[] NEW = {null, java.util.function.Function.class,
        java.util.function.BiFunction.class, Fn3.class, Fn4.class};

    private RecordShape(Class<?> type, String[] names, MethodHandle[] getters, MethodHandle constructor,
        Object fastNew) {
      this.type = type;
      this.names = names;
      this.getters = getters;
      this.constructor = constructor;
      this.fastNew = fastNew;
      this.isPair = type == Pair.class;
    }

    private static Object fastNew(Class<?> type, Constructor<?> canonical) {
      Class<?>[] params = canonical.getParameterTypes();
      if (params.length == 0 || params.length >= NEW.length) {
        return null;
      }
      for (Class<?> p : params) {
        if (p.isPrimitive()) {
          return null;
        }
      }
      try {
        MethodHandles.Lookup owner = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        MethodHandle mh = owner.unreflectConstructor(canonical);
        Class<?>[] erased = new Class<?>[params.length];
        Arrays.fill(erased, Object.class);
        return java.lang.invoke.LambdaMetafactory.metafactory(owner, "apply", MethodType.methodType(NEW[params.length]),
            MethodType.methodType(Object.class, erased), mh, MethodType.methodType(type, params)).getTarget().invoke();
      } catch (Throwable notOpen) {
        return null; // the method handle works wherever reflection does
      }
    }

    /** Reflects on {@code type} once: component accessors and the canonical constructor. */
    static RecordShape of(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      String[] names = new String[components.length];
      MethodHandle[] getters = new MethodHandle[components.length];
      Class<?>[] parameterTypes = new Class<?>[components.length];
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      try {
        for (int i = 0; i < components.length; i++) {
          names[i] = components[i].getName();
          parameterTypes[i] = components[i].getType();
          var accessor = components[i].getAccessor();
          accessor.trySetAccessible();
          getters[i] = lookup.unreflect(accessor).asType(GETTER);
        }
        Constructor<?> canonical = type.getDeclaredConstructor(parameterTypes);
        canonical.trySetAccessible();
        MethodHandle constructor =
            lookup.unreflectConstructor(canonical)
                .asSpreader(Object[].class, components.length)
                .asType(CONSTRUCTOR);
        return new RecordShape(type, names, getters, constructor, fastNew(type, canonical));
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalArgumentException(
            "record " + type.getName() + " cannot be a pytree node because its accessors or "
                + "canonical constructor are not accessible (" + e + "); make the record public "
                + "or open its package to dev.statelens.engine", e);
      }
    }

    int size() {
      return getters.length;
    }

    String name(int index) {
      return names[index];
    }

    Object component(Object record, int index) {
      try {
        return getters[index].invokeExact(record);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("accessor " + type.getSimpleName() + "." + names[index] + " failed", e);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object rebuild(Object[] children) {
      try {
        Object f = fastNew;
        if (f == null) {
          return constructor.invokeExact(children);
        }
        return switch (children.length) {
          case 1 -> ((java.util.function.Function<Object, Object>) f).apply(children[0]);
          case 2 -> ((java.util.function.BiFunction<Object, Object, Object>) f).apply(children[0], children[1]);
          case 3 -> ((Fn3<Object, Object, Object, Object>) f).apply(children[0], children[1], children[2]);
          default -> ((Fn4<Object, Object, Object, Object, Object>) f).apply(children[0], children[1], children[2],
              children[3]);
        };
      } catch (ClassCastException e) {
        throw cannotRebuild(e);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("constructor of " + type.getName() + " failed", e);
      }
    }

    IllegalArgumentException cannotRebuild(ClassCastException e) {
      return new IllegalArgumentException(
          "Tree: cannot rebuild record " + type.getName() + ": a component's declared type does "
              + "not accept the rebuilt child (" + e.getMessage() + "). Declare list/map "
              + "components as List/Map (unflatten returns unmodifiable List and SortedMap), "
              + "or register the record with Tree.register.", e);
    }

    @Override
    public String segment(int index) {
      return names[index];
    }

    @Override
    public void render(StringBuilder sb, TreeDef[] children) {
      sb.append(type.getSimpleName()).append('(');
      appendChildren(sb, children, isPair ? null : names);
      sb.append(')');
    }

    @Override
    public String toString() {
      return "record " + type.getName();
    }
  }

  /** A type registered with {@link Tree#register}; its auxiliary data is part of the structure. */
  record CustomShape(Tree.Registration<?> registration, Object aux) implements Shape {

    @Override
    public Object rebuild(Object[] children) {
      return registration.rebuild(aux, Collections.unmodifiableList(Arrays.asList(children)));
    }

    @Override
    public String segment(int index) {
      String name = registration.nodeType().childName(aux, index);
      return name == null ? "[" + index + "]" : name;
    }

    @Override
    public void render(StringBuilder sb, TreeDef[] children) {
      sb.append(registration.type().getSimpleName());
      if (aux != null) {
        sb.append('[').append(aux).append(']');
      }
      sb.append('(');
      String[] names = new String[children.length];
      for (int i = 0; i < names.length; i++) {
        names[i] = registration.nodeType().childName(aux, i);
      }
      appendChildren(sb, children, names);
      sb.append(')');
    }
  }
}
