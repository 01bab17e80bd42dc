package dev.statelens.lint.rules.keys;

import dev.statelens.lint.rules.keys.KeyReuseRule.FileResult;
import dev.statelens.lint.rules.keys.KeyReuseRule.Project;
import dev.statelens.lint.rules.keys.KeyReuseRule.Reuse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Initializer;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;

/**
 * One file through SL010: its scope and method summaries, then every method, lambda and
 * initializer body followed on its own ({@link Body}), one report per reusing call.
 */
final class FileAnalysis {
  private FileAnalysis() {}

  static FileResult run(CompilationUnit cu, String fileName, Project project,
      Map<String, Object> consulted, boolean export) {
    Imports imports = Imports.of(cu);
    if (!imports.key()) {
      // the engine's Key is not imported (a fully qualified Key alone is not followed)
      return new FileResult(List.of(), export ? Exports.of(cu, null) : Map.of());
    }
    FileScope file = new FileScope(cu, imports, SameFileMethods.of(cu));
    file.fileName = fileName;
    file.project = name -> {
      Object type = project.type(name);
      consulted.put(name, type);
      return type;
    };
    Summaries.summarize(file);
    List<Reuse> found = new ArrayList<>();
    cu.accept(new Walk(Nested.ALL) {
      @Override
      public boolean visit(MethodDeclaration m) {
        if (m.getBody() != null) {
          new Body(file, found, null).run(m.parameters(), m.getBody());
        }
        return true; // lambdas and local classes inside are bodies of their own
      }

      @Override
      public boolean visit(LambdaExpression l) {
        new Body(file, found, null).run(l.parameters(), l.getBody());
        return true;
      }

      @Override
      public boolean visit(Initializer i) {
        new Body(file, found, null).run(List.of(), i.getBody());
        return true;
      }
    });
    // a loop body is followed twice (and nested loops more often): one report per call
    Map<ASTNode, Reuse> once = new IdentityHashMap<>();
    List<Reuse> reuses = new ArrayList<>();
    for (Reuse r : found) {
      if (once.putIfAbsent(r.at(), r) == null) {
        reuses.add(r);
      }
    }
    reuses.sort(Comparator.comparingInt(r -> r.at().getStartPosition()));
    return new FileResult(reuses, export ? Exports.of(cu, file) : Map.of());
  }
}
