package dev.statelens.lint.rules.keys;

import dev.statelens.lint.analysis.Units;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.Type;

/**
 * Which engine names the file sees: {@code Key}, {@code Random}, {@code Nn}, {@code Lax}, and
 * whether a bare call can be a statically imported {@code Random} member. Read from the file's
 * imports ({@link Units.Imports}): a simple name is the engine's when imported from it, or when the
 * file imports (or is in) the engine package and no other import claims the name. Also what a
 * key is, by these names: a type written {@code Key} (or the engine's qualified name).
 */
record Imports(boolean key, boolean random, boolean nn, boolean lax, boolean pair,
    boolean transforms, Units.Imports file) {

  static final String ENGINE = "dev.statelens.engine";

  static Imports of(CompilationUnit cu) {
    Units.Imports file = Units.Imports.of(cu);
    boolean inEngine = file.packageName().equals(ENGINE);
    return new Imports(visible(file, inEngine, "Key"), visible(file, inEngine, "Random"),
        visible(file, inEngine, "Nn"), visible(file, inEngine, "Lax"),
        visible(file, inEngine, "Pair"), visible(file, inEngine, "Transforms"), file);
  }

  private static boolean visible(Units.Imports file, boolean inEngine, String simple) {
    String imported = file.qualify(simple);
    return imported != null ? imported.equals(ENGINE + "." + simple)
        : inEngine || file.importsOnDemand(ENGINE);
  }

  /** {@code normal(key, ...)} with {@code import static dev.statelens.engine.Random.normal} (or {@code .*}). */
  boolean staticRandom(String member) {
    String random = ENGINE + ".Random";
    return random.equals(file.staticOwner(member)) || file.staticWildcardOwners().contains(random);
  }

  /** {@code jit(f)} with {@code import static dev.statelens.engine.Transforms.jit} (or {@code .*}). */
  boolean staticTransforms(String member) {
    String transforms = ENGINE + ".Transforms";
    return transforms.equals(file.staticOwner(member)) || file.staticWildcardOwners().contains(transforms);
  }

  /** Whether {@code type} is the engine's {@code Key}. */
  boolean isKey(Type type) {
    String name = type.toString();
    return (name.equals("Key") && key) || name.equals(ENGINE + ".Key");
  }

  /** A method's {@code Key} parameters by name -> index (not a varargs {@code Key...}). */
  Map<String, Integer> keyParameters(MethodDeclaration m) {
    return keyParameters(m.parameters());
  }

  /** The same for a method's or a typed lambda's parameter list. */
  Map<String, Integer> keyParameters(List<?> parameters) {
    Map<String, Integer> keys = new LinkedHashMap<>();
    for (int i = 0; i < parameters.size(); i++) {
      if (parameters.get(i) instanceof SingleVariableDeclaration p && !p.isVarargs()
          && isKey(p.getType())) {
        keys.put(p.getName().getIdentifier(), i);
      }
    }
    return keys;
  }

  /** A static call on the engine's {@code Random}. */
  boolean onRandom(MethodInvocation call) {
    return on(call, "Random", random);
  }

  /** A static call on the engine's {@code simple} class ({@code Random.normal}). */
  static boolean on(MethodInvocation call, String simple, boolean visible) {
    if (!(call.getExpression() instanceof Name receiver)) {
      return false;
    }
    String name = receiver.getFullyQualifiedName();
    return (visible && name.equals(simple)) || name.equals(ENGINE + "." + simple);
  }
}
