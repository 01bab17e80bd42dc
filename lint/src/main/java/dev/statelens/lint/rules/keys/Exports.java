package dev.statelens.lint.rules.keys;

import dev.statelens.lint.rules.Snippets;
import dev.statelens.lint.rules.keys.KeyReuseRule.Exported;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;

/**
 * What a file offers the other files' SL010 analysis ({@link KeyReuseRule#findAndExport}): per type it
 * declares, the methods and constructors that draw from a {@code Key} parameter.
 */
final class Exports {
  /** What a file exports for a type name it declares more than once (nested types). */
  static final Exported SEVERAL = new Exported("", List.of(), false, Map.of());

  private Exports() {}

  /** The exports of {@code cu}, from its summarized scope (null: the file has no Key). */
  static Map<String, List<Exported>> of(CompilationUnit cu, FileScope scope) {
    Map<String, List<Exported>> out = new TreeMap<>();
    cu.accept(new Walk(Nested.LAMBDAS) { // local and anonymous types are not seen from other files
      @Override
      public void preVisit(ASTNode node) {
        if (node instanceof AbstractTypeDeclaration type) {
          List<Exported> methods = scope == null ? List.of() : exported(scope, type);
          String pkg = cu.getPackage() == null ? ""
              : cu.getPackage().getName().getFullyQualifiedName() + ".";
          out.merge(pkg + type.getName().getIdentifier(), methods, (a, b) -> List.of(SEVERAL));
        }
      }
    });
    return out;
  }

  private static List<Exported> exported(FileScope file, AbstractTypeDeclaration type) {
    Map<String, List<MethodDeclaration>> byName = new LinkedHashMap<>();
    for (Object o : type.bodyDeclarations()) {
      if (o instanceof MethodDeclaration m) {
        byName.computeIfAbsent(m.isConstructor() ? "new" : m.getName().getIdentifier(),
            k -> new ArrayList<>()).add(m);
      }
    }
    List<Exported> out = new ArrayList<>();
    byName.forEach((name, overloads) -> {
      if (overloads.stream().noneMatch(m -> !file.drawing.getOrDefault(m, Map.of()).isEmpty())) {
        return; // nothing drawn through this name
      }
      for (MethodDeclaration m : overloads) {
        List<String> types = new ArrayList<>();
        for (Object p : m.parameters()) {
          types.add(Syntax.typeName(((SingleVariableDeclaration) p).getType()));
        }
        Map<Integer, String> drawn = new TreeMap<>();
        file.drawing.getOrDefault(m, Map.of()).forEach((index, draw) -> drawn.put(index,
            file.crossFileDraws.containsKey(draw) ? file.crossFileDraws.get(draw)
                : Snippets.call(draw) + " at " + file.fileName + ":"
                    + file.cu.getLineNumber(draw.getStartPosition())));
        out.add(new Exported(name, types, m.isVarargs(), drawn));
      }
    });
    return out;
  }
}
