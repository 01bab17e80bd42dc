package dev.statelens.engine.ir;

import dev.statelens.engine.DType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The static parameters of an equation ({@code axes=(0,)}, {@code new_dtype=float32},
 * {@code jaxpr={...}}). Immutable; keys are kept sorted, as JAX prints them. Values are
 * {@code Integer}, {@code Double}, {@code Boolean}, {@code String}, {@link DType},
 * {@code int[]} (copied), {@link Jaxpr}, or a {@code List} of those.
 */
public final class Params {
  public static final Params EMPTY = new Params(new String[0], new Object[0]);

  private final String[] keys;
  private final Object[] values;
  private final int hash;

  private Params(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
    int h = 1;
    for (int i = 0; i < keys.length; i++) {
      h = 31 * h + keys[i].hashCode();
      h = 31 * h + Arrays.deepHashCode(new Object[] {values[i]});
    }
    this.hash = h;
  }

  /** {@code Params.of("axes", new int[] {0}, "keepdims", false)}. */
  public static Params of(Object... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("Params.of needs key/value pairs, got an odd count");
    }
    int n = keyValues.length / 2;
    String[] k = new String[n];
    Object[] v = new Object[n];
    for (int i = 0; i < n; i++) {
      if (!(keyValues[2 * i] instanceof String key)) {
        throw new IllegalArgumentException("Params key #" + i + " must be a String, got " + keyValues[2 * i]);
      }
      k[i] = key;
      v[i] = copyValue(key, keyValues[2 * i + 1]);
    }
    // insertion sort by key: few params, and keeps construction allocation-light
    for (int i = 1; i < n; i++) {
      for (int j = i; j > 0 && k[j - 1].compareTo(k[j]) > 0; j--) {
        String tk = k[j]; k[j] = k[j - 1]; k[j - 1] = tk;
        Object tv = v[j]; v[j] = v[j - 1]; v[j - 1] = tv;
      }
    }
    for (int i = 1; i < n; i++) {
      if (k[i].equals(k[i - 1])) {
        throw new IllegalArgumentException("duplicate Params key '" + k[i] + "'");
      }
    }
    return new Params(k, v);
  }

  private static Object copyValue(String key, Object value) {
    if (value instanceof int[] a) {
      return a.clone();
    }
    if (value instanceof Integer || value instanceof Double || value instanceof Boolean
        || value instanceof String || value instanceof DType || value instanceof Jaxpr
        || value instanceof Opaque || value == null) {
      return value;
    }
    if (value instanceof Long l) {
      return l.intValue() == l ? (Object) l.intValue() : (Object) l.doubleValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof List<?> list) {
      return List.copyOf(list.stream().map(x -> copyValue(key, x)).toList());
    }
    throw new IllegalArgumentException("Params value for '" + key + "' has unsupported type "
        + value.getClass().getName() + ": use Integer, Double, Boolean, String, DType, int[], Jaxpr, Params.Opaque or a List of them");
  }

  /**
   * A host-language value carried by an equation that no backend reads, e.g. the Java
   * {@code fwd}/{@code bwd} functions of {@code custom_vjp_call} (JAX keeps Python callables in
   * params the same way). Compared as the object itself; printed with {@code toString()}.
   */
  public interface Opaque {}

  /** A copy with one key added or replaced. */
  public Params with(String key, Object value) {
    Object[] kv = new Object[2 * (keys.length + 1)];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (!keys[i].equals(key)) {
        kv[n++] = keys[i];
        kv[n++] = values[i];
      }
    }
    kv[n++] = key;
    kv[n++] = value;
    return of(Arrays.copyOf(kv, n));
  }

  public boolean has(String key) {
    return indexOf(key) >= 0;
  }

  public List<String> keys() {
    return List.of(keys);
  }

  /** True for cond, scan, while...: a value is a jaxpr or a list of them (the equation has sub-graphs). */
  public boolean holdsJaxprs() {
    for (Object v : values) {
      if (v instanceof Jaxpr || (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Jaxpr)) {
        return true;
      }
    }
    return false;
  }

  /**
   * These params with every sub-graph (a jaxpr value, or each jaxpr of a list value: cond's branches)
   * replaced by {@code rewrite}'s result; this very object when {@code rewrite} returns each one
   * itself, so a pass can tell by identity whether an equation changed.
   */
  public Params mapJaxprs(java.util.function.UnaryOperator<Jaxpr> rewrite) {
    Params result = this;
    for (int i = 0; i < keys.length; i++) {
      Object v = values[i];
      if (v instanceof Jaxpr j) {
        Jaxpr r = rewrite.apply(j);
        if (r != j) {
          result = result.with(keys[i], r);
        }
      } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Jaxpr) {
        List<Jaxpr> r = l.stream().map(j -> rewrite.apply((Jaxpr) j)).toList();
        boolean same = true;
        for (int k = 0; k < r.size(); k++) {
          same &= r.get(k) == l.get(k);
        }
        if (!same) {
          result = result.with(keys[i], r);
        }
      }
    }
    return result;
  }

  /** The raw value (int[] values are returned as a copy). */
  public Object get(String key) {
    Object v = values[require(key)];
    return v instanceof int[] a ? a.clone() : v;
  }

  public int getInt(String key) {
    return ((Number) values[require(key)]).intValue();
  }

  public double getDouble(String key) {
    return ((Number) values[require(key)]).doubleValue();
  }

  public boolean getBoolean(String key) {
    return (Boolean) values[require(key)];
  }

  public String getString(String key) {
    return (String) values[require(key)];
  }

  public DType getDType(String key) {
    return (DType) values[require(key)];
  }

  /** An int[] param (a copy: params are immutable). */
  public int[] getInts(String key) {
    return ((int[]) values[require(key)]).clone();
  }

  public Jaxpr getJaxpr(String key) {
    return (Jaxpr) values[require(key)];
  }

  @SuppressWarnings("unchecked")
  public <T> List<T> getList(String key) {
    return (List<T>) values[require(key)];
  }

  private int indexOf(String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private int require(String key) {
    int i = indexOf(key);
    if (i < 0) {
      throw new IllegalArgumentException("missing param '" + key + "' (have " + Arrays.toString(keys) + ")");
    }
    return i;
  }

  public int size() {
    return keys.length;
  }

  String key(int i) {
    return keys[i];
  }

  Object value(int i) {
    return values[i];
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Params p) || p.hash != hash || p.keys.length != keys.length) {
      return false;
    }
    return Arrays.equals(keys, p.keys) && Arrays.deepEquals(values, p.values);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** {@code [axes=(0,) keepdims=False]}, or empty when there are no params. */
  @Override
  public String toString() {
    return JaxprPrinter.printParams(this, new JaxprPrinter.Names(), "");
  }

  static boolean equalValues(Object a, Object b) {
    return Objects.deepEquals(a, b);
  }
}
