package dev.statelens.lint.analysis;

import org.eclipse.jdt.core.dom.MethodDeclaration;

/**
 * The method a call invokes, as far as it is known.
 *
 * @param owner the declaring type (or the receiver's static type), or null when unknown
 * @param name the method's name ({@code <init>} for constructors)
 * @param isStatic the call is static (a type qualifier, or a binding that says so)
 * @param declaration its declaration in the analyzed sources (with a body), or null for library
 *     methods and calls that do not resolve
 */
public record CalleeRef(TypeRef owner, String name, boolean isStatic, MethodDeclaration declaration) {

  /** True when the owner is (or, by name, looks like) the given type. */
  public boolean ownerIs(String qualified) {
    return owner != null && owner.is(qualified);
  }

  public boolean ownerIsA(String qualified) {
    return owner != null && owner.isA(qualified);
  }

  public String display() {
    return (owner == null ? "" : owner.simpleName() + ".") + name;
  }
}
