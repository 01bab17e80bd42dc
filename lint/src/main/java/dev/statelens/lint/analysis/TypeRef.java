package dev.statelens.lint.analysis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jdt.core.dom.ITypeBinding;

/**
 * A type as far as the analyzer knows it: its erasure's qualified name when known (from a
 * binding, an import or the project index), always its simple name, and its binding when JDT
 * resolved it (for subtype checks).
 *
 * @param qualifiedName dotted erasure name ({@code java.util.List}), or null when only the
 *     simple name is known
 * @param simpleName erasure simple name ({@code List}); array types end with {@code []}
 * @param binding the resolved binding, or null
 */
public record TypeRef(String qualifiedName, String simpleName, ITypeBinding binding) {

  public static TypeRef of(ITypeBinding binding) {
    if (binding == null) {
      return null;
    }
    ITypeBinding erasure = binding.getErasure();
    if (erasure == null) {
      return null;
    }
    String simple = erasure.getName();
    String qualified = erasure.getQualifiedName();
    if (erasure.isRecovered() || qualified == null || qualified.isEmpty()) {
      // Unresolved type: JDT knows the name as written, not where it comes from.
      return new TypeRef(qualified != null && qualified.contains(".") ? qualified : null,
          stripPackage(simple), null);
    }
    return new TypeRef(qualified, simple, erasure);
  }

  /** A type known by its qualified name only (e.g. from an import). */
  public static TypeRef named(String qualifiedName) {
    return new TypeRef(qualifiedName, stripPackage(qualifiedName), null);
  }

  /** A type known by its simple name only. */
  public static TypeRef simple(String simpleName) {
    return new TypeRef(null, simpleName, null);
  }

  public boolean isArray() {
    return simpleName.endsWith("[]");
  }

  /** True when this is {@code qualified} (by qualified name, or by simple name when that is all we know). */
  public boolean is(String qualified) {
    if (qualifiedName != null) {
      return qualifiedName.equals(qualified);
    }
    return simpleName.equals(stripPackage(qualified));
  }

  /**
   * True when this type is or extends/implements {@code qualified}. With a binding the real
   * hierarchy is walked; by name, {@link KnownTypes} lists the JDK's usual subtypes.
   */
  public boolean isA(String qualified) {
    if (is(qualified)) {
      return true;
    }
    if (binding != null) {
      return hierarchyContains(binding, qualified);
    }
    return KnownTypes.knownSubtypes(qualified).contains(simpleName)
        && (qualifiedName == null || KnownTypes.isJdkName(qualifiedName));
  }

  private static boolean hierarchyContains(ITypeBinding start, String qualified) {
    Deque<ITypeBinding> work = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    work.push(start);
    while (!work.isEmpty()) {
      ITypeBinding t = work.pop().getErasure();
      if (!seen.add(t.getKey())) {
        continue;
      }
      if (qualified.equals(t.getQualifiedName())) {
        return true;
      }
      if (t.getSuperclass() != null) {
        work.push(t.getSuperclass());
      }
      for (ITypeBinding i : t.getInterfaces()) {
        work.push(i);
      }
    }
    return false;
  }

  static String stripPackage(String name) {
    int lt = name.indexOf('<');
    String erased = lt < 0 ? name : name.substring(0, lt) + name.substring(name.lastIndexOf('>') + 1);
    int dot = erased.lastIndexOf('.');
    return dot < 0 ? erased : erased.substring(dot + 1);
  }

  @Override
  public String toString() {
    return qualifiedName != null ? qualifiedName : simpleName;
  }
}
