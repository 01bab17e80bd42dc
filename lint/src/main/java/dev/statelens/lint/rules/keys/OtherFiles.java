package dev.statelens.lint.rules.keys;

import dev.statelens.lint.analysis.Units;
import dev.statelens.lint.rules.keys.KeyReuseRule.Exported;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.Expression;

/**
 * Calls into the project's other files: the method or constructor a call names there, from what
 * that file exports ({@link KeyReuseRule.Project}), told apart by the file's imports and the
 * arguments' types as written.
 */
final class OtherFiles {
  private OtherFiles() {}

  /**
   * A call to a method or constructor {@code name} of {@code type}, a type another file of the
   * project declares (not this one), that draws from a {@code Key} parameter — there, or in
   * further files: that file's exports were found with the project's exports too, so a
   * summary here that draws through it is exported in turn (the {@code Linter} repeats the
   * files whose lookups changed until the exports settle). Each call's draw is kept as that
   * file exported it ({@link FileScope#crossFileDraws}), so a chain names its last draw.
   */
  static List<Draw> draws(FileScope file, Body body, ASTNode call, String type, String name) {
    if (type == null || file.methods.declaresType(type)
        || !(file.project.type(type) instanceof Map<?, ?> declared)) {
      return List.of();
    }
    String qualified = meant(file.imports.file(), type, declared.keySet());
    if (qualified == null || !(declared.get(qualified) instanceof List<?> exported)) {
      return List.of(); // a jar's type, or not told apart
    }
    List<?> args = Syntax.arguments(call);
    List<Exported> fitting = new ArrayList<>();
    if (exported.contains(Exports.SEVERAL)) {
      return List.of(); // the file declares several types of that name
    }
    for (Object o : exported) {
      Exported e = (Exported) o;
      if (e.name().equals(name) && (e.parameterTypes().size() == args.size()
          || (e.varargs() && args.size() >= e.parameterTypes().size() - 1))) {
        fitting.add(e);
      }
    }
    if (fitting.size() > 1) {
      fitting.removeIf(e -> !mayTake(body, e, args));
    }
    if (fitting.size() != 1) {
      return List.of(); // none, or overloads the text does not tell apart
    }
    List<Draw> draws = new ArrayList<>();
    fitting.get(0).drawn().forEach((index, draw) -> {
      KeyRef key = body.keyArgument(call, index);
      if (key != null) {
        draws.add(new Draw(key, new Use(call, call, null, key.text(), draw)));
        file.crossFileDraws.putIfAbsent(call, draw);
      }
    });
    return draws;
  }

  /**
   * Which of the project's types of that simple name the file's text means, by Java's order:
   * a single-type import, the file's own package, an on-demand import (one). Null when none:
   * a class of a jar, or two on-demand candidates.
   */
  private static String meant(Units.Imports names, String simple, Set<?> qualified) {
    String imported = names.qualify(simple);
    if (imported != null) {
      return qualified.contains(imported) ? imported : null;
    }
    String own = names.packageName().isEmpty() ? simple : names.packageName() + "." + simple;
    if (qualified.contains(own)) {
      return own;
    }
    String found = null;
    for (Object q : qualified) {
      String name = (String) q;
      int dot = name.lastIndexOf('.');
      if (dot > 0 && names.importsOnDemand(name.substring(0, dot))) {
        if (found != null) {
          return null;
        }
        found = name;
      }
    }
    return found;
  }

  private static boolean mayTake(Body body, Exported e, List<?> args) {
    for (int i = 0; i < args.size() && i < e.parameterTypes().size(); i++) {
      if (e.varargs() && i == e.parameterTypes().size() - 1) {
        return true;
      }
      String argument = body.argumentType((Expression) args.get(i));
      if (argument != null && !SameFileMethods.takes(e.parameterTypes().get(i), argument)) {
        return false;
      }
    }
    return true;
  }
}
