package dev.statelens.lint.analysis;

import org.eclipse.jdt.core.dom.VariableDeclaration;

/** What a simple name refers to. */
public sealed interface Symbol {

  /** A local variable or parameter (lambda parameters included). */
  record Local(VariableDeclaration declaration) implements Symbol {}

  /** A field, possibly inherited or statically imported. */
  record Field(FieldInfo field) implements Symbol {}

  /** A type used as a qualifier ({@code Math} in {@code Math.random()}). */
  record TypeName(TypeRef type) implements Symbol {}

  /** Not resolvable (e.g. inherited from a library class without bindings). */
  record Unknown() implements Symbol {}

  Symbol UNKNOWN = new Unknown();
}
