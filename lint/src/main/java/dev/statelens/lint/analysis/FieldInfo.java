package dev.statelens.lint.analysis;

import dev.statelens.lint.source.FieldSummary;
import dev.statelens.lint.source.TypeSummary;

/**
 * A field reached by analyzed code.
 *
 * @param name the field's name
 * @param owner the type declaring it, when known (qualified or simple name)
 * @param isStatic static field
 * @param isFinal declared final (or a record component, enum constant, interface constant)
 * @param type the field's type, when known
 * @param ownerSummary the declaring type in the project index, or null (library, anonymous)
 * @param summary the field in the project index, or null
 * @param declarationKnown whether its modifiers are known (from sources or a binding); false
 *     for library fields matched by name, whose finality is a guess
 */
public record FieldInfo(
    String name,
    TypeRef owner,
    boolean isStatic,
    boolean isFinal,
    TypeRef type,
    TypeSummary ownerSummary,
    FieldSummary summary,
    boolean declarationKnown) {

  /** Identity for "the same field" across functions: {@code Owner#name}. */
  public String key() {
    return (owner == null ? "?" : owner.toString()) + "#" + name;
  }

  /** {@code Counter.n} or {@code n} when the owner is unknown. */
  public String display() {
    return owner == null ? name : owner.simpleName() + "." + name;
  }
}
