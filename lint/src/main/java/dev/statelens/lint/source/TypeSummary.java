package dev.statelens.lint.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A class, interface, enum or record declared in the analyzed sources, as far as name-based
 * analysis needs it.
 *
 * @param qualifiedName dotted source name ({@code com.acme.Outer.Inner})
 * @param file the file that declares it
 * @param offset the declaration's character offset in that file
 * @param superclass the extended type as written, or null
 * @param interfaces implemented (or, for interfaces, extended) types as written
 * @param fields declared fields by name
 * @param methodNames declared method names
 * @param fieldsAssignedAfterInit fields written outside constructors and initializers of this
 *     type (so not effectively final)
 */
public record TypeSummary(
    String qualifiedName,
    Path file,
    int offset,
    String superclass,
    List<String> interfaces,
    Map<String, FieldSummary> fields,
    Set<String> methodNames,
    Set<String> fieldsAssignedAfterInit) {

  public String simpleName() {
    int dot = qualifiedName.lastIndexOf('.');
    return dot < 0 ? qualifiedName : qualifiedName.substring(dot + 1);
  }
}
