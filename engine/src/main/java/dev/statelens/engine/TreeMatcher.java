package dev.statelens.engine;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Engine internal (jit's cache-hit path): recognises argument lists that have one known pytree
 * structure and collects their leaves in a single walk, without building a {@link TreeDef} or any
 * list. Built once per cached jit signature from a sample of the arguments; {@link #leaves}
 * answers false for anything it is not sure about (another structure, a type registered since,
 * a registered node type), and the caller then takes the general {@link Tree#flatten} path, so
 * errors and retraces behave exactly as without it.
 */
public final class TreeMatcher {
  private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);

  private final Node[] args;
  private final int numLeaves;
  /** {@link Tree#registrations} when built: a later registration may change how a record flattens. */
  private final int registrations;

  private TreeMatcher(Node[] args, int numLeaves, int registrations) {
    this.args = args;
    this.numLeaves = numLeaves;
    this.registrations = registrations;
  }

  /**
   * The matcher for argument lists structured like {@code sampleArgs} (whose flattened structure
   * is {@code argsDef}); null when the structure holds a node kind it does not handle (registered
   * types), in which case callers always flatten.
   */
  public static TreeMatcher of(Object[] sampleArgs, TreeDef argsDef) {
    int registrations = Tree.registrations;
    try {
      Node[] nodes = new Node[sampleArgs.length];
      for (int i = 0; i < nodes.length; i++) {
        nodes[i] = node(sampleArgs[i]);
      }
      TreeMatcher m = new TreeMatcher(nodes, argsDef.numLeaves(), registrations);
      // the walk must see exactly what Tree.flatten saw
      Array[] check = new Array[m.numLeaves];
      return m.leaves(sampleArgs, check) && argsDef.equals(Tree.structure(Arrays.asList(sampleArgs))) ? m : null;
    } catch (Unsupported | ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Number of leaves the matched structure has (the size {@link #leaves} fills). */
  public int numLeaves() {
    return numLeaves;
  }

  /**
   * If {@code args} has this structure, writes its leaves in {@link Tree#leaves} order into
   * {@code out} (length {@link #numLeaves()}) and returns true; otherwise returns false.
   */
  public boolean leaves(Object[] args, Array[] out) {
    if (args.length != this.args.length || registrations != Tree.registrations) {
      return false;
    }
    int at = 0;
    for (int i = 0; i < args.length; i++) {
      at = this.args[i].match(args[i], out, at);
      if (at < 0) {
        return false;
      }
    }
    return true;
  }

  private static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static Node node(Object sample) throws Unsupported, ReflectiveOperationException {
    if (sample instanceof Array) {
      return Leaf.INSTANCE;
    }
    if (sample == null) {
      return NullNode.INSTANCE;
    }
    Class<?> type = sample.getClass();
    if (Tree.isRegistered(type)) {
      throw new Unsupported();
    }
    if (type.isRecord()) {
      RecordComponent[] components = type.getRecordComponents();
      @SuppressWarnings("unchecked")
      Function<Object, Object>[] getters = new Function[components.length];
      Node[] children = new Node[components.length];
      for (int i = 0; i < components.length; i++) {
        getters[i] = getter(type, components[i]);
        Object child;
        try {
          child = getters[i].apply(sample);
        } catch (RuntimeException | Error e) {
          throw new Unsupported();
        }
        children[i] = node(child);
      }
      return new RecordNode(type, getters, children);
    }
    if (sample instanceof List<?> list) {
      List<Node> children = new ArrayList<>(list.size());
      for (Object element : list) {
        children.add(node(element));
      }
      return new ListNode(type, children.toArray(Node[]::new));
    }
    if (sample instanceof Map<?, ?> map) {
      Object[] keys = map.keySet().toArray();
      Arrays.sort(keys);
      Node[] children = new Node[keys.length];
      for (int i = 0; i < keys.length; i++) {
        children[i] = node(map.get(keys[i]));
      }
      return new MapNode(type, keys, children);
    }
    if (sample instanceof Optional<?> optional) {
      return new OptionalNode(optional.isPresent() ? node(optional.get()) : null);
    }
    throw new Unsupported();
  }

  /**
   * A fast accessor: a lambda class spun for the accessor ({@link LambdaMetafactory}), which the
   * JIT inlines like a direct call, where the record's package lets us; else a method handle
   * (several times slower per call: it is not a constant the JIT can inline).
   */
  @SuppressWarnings("unchecked")
  private static Function<Object, Object> getter(Class<?> type, RecordComponent component)
      throws ReflectiveOperationException {
    var accessor = component.getAccessor();
    if (!component.getType().isPrimitive()) {
      try {
        MethodHandles.Lookup owner = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        MethodHandle mh = owner.unreflect(accessor);
        return (Function<Object, Object>) LambdaMetafactory.metafactory(owner, "apply",
            MethodType.methodType(Function.class), MethodType.methodType(Object.class, Object.class), mh,
            MethodType.methodType(component.getType(), type)).getTarget().invoke();
      } catch (Throwable notOpen) {
        // fall through: the method handle below works wherever Tree.flatten's does
      }
    }
    accessor.trySetAccessible();
    MethodHandle mh = MethodHandles.lookup().unreflect(accessor).asType(GETTER);
    return record -> {
      try {
        return mh.invokeExact(record);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** One node of the expected structure: matches {@code o}, appends its leaves, returns the next index or -1. */
  private interface Node {
    int match(Object o, Array[] out, int at);
  }

  private enum Leaf implements Node {
    INSTANCE;

    @Override
    public int match(Object o, Array[] out, int at) {
      if (o instanceof Array a) {
        out[at] = a;
        return at + 1;
      }
      return -1;
    }
  }

  private enum NullNode implements Node {
    INSTANCE;

    @Override
    public int match(Object o, Array[] out, int at) {
      return o == null ? at : -1;
    }
  }

  private record RecordNode(Class<?> type, Function<Object, Object>[] getters, Node[] children) implements Node {
    @Override
    public int match(Object o, Array[] out, int at) {
      if (o == null || o.getClass() != type) {
        return -1;
      }
      for (int i = 0; i < children.length && at >= 0; i++) {
        Object child;
        try {
          child = getters[i].apply(o);
        } catch (RuntimeException | Error e) {
          return -1; // the general path reports the accessor's failure
        }
        at = children[i].match(child, out, at);
      }
      return at;
    }
  }

  /**
   * Lists and maps match only their sample's exact class: {@link Tree} picks how to flatten by
   * class (a registered or record class that is also a List flattens differently).
   */
  private record ListNode(Class<?> type, Node[] children) implements Node {
    @Override
    public int match(Object o, Array[] out, int at) {
      if (o == null || o.getClass() != type || ((List<?>) o).size() != children.length) {
        return -1;
      }
      List<?> list = (List<?>) o;
      if (list.size() != children.length) {
        return -1;
      }
      int i = 0;
      for (Object element : list) {
        if (i == children.length || at < 0) {
          return -1;
        }
        at = children[i++].match(element, out, at);
      }
      return i == children.length ? at : -1;
    }
  }

  private record MapNode(Class<?> type, Object[] keys, Node[] children) implements Node {
    @Override
    public int match(Object o, Array[] out, int at) {
      if (o == null || o.getClass() != type) {
        return -1;
      }
      Map<?, ?> map = (Map<?, ?>) o;
      if (map.size() != keys.length) {
        return -1;
      }
      for (int i = 0; i < keys.length && at >= 0; i++) {
        if (!map.containsKey(keys[i])) {
          return -1;
        }
        at = children[i].match(map.get(keys[i]), out, at);
      }
      return at;
    }
  }

  private record OptionalNode(Node present) implements Node {
    @Override
    public int match(Object o, Array[] out, int at) {
      if (!(o instanceof Optional<?> optional) || optional.isPresent() != (present != null)) {
        return -1;
      }
      return present == null ? at : present.match(optional.get(), out, at);
    }
  }
}
