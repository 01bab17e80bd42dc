package dev.statelens.lint.rules.keys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;

/** Per-file summaries: which {@code Key} parameters each method of the file draws from. */
final class Summaries {
  private Summaries() {}

  /**
   * Which {@code Key} parameters each method of the file (and each lambda a local holds for good:
   * {@link FunctionLocals}) consumes, by parameter index, with the
   * draw that consumes it ({@code Random.normal(k, ...)}, also when reached through other methods
   * of the file), into {@link FileScope#drawing}. A parameter is consumed when, on some path, it
   * is drawn from while it still holds the caller's key (not after {@code k = Random.foldIn(k, i)}),
   * or a lambda in the method draws from it. Repeated until nothing changes, so chains and
   * recursion settle: the sets only grow, and each round that changes one adds a parameter.
   */
  static void summarize(FileScope file) {
    Map<ASTNode, Map<Integer, ASTNode>> drawing = file.drawing;
    Map<ASTNode, Map<String, Integer>> withKeys = new LinkedHashMap<>();
    int keyParameters = 0;
    for (MethodDeclaration m : file.methods.all()) {
      Map<String, Integer> keys = file.imports.keyParameters(m);
      if (m.getBody() != null && !keys.isEmpty()) {
        withKeys.put(m, keys);
        keyParameters += keys.size();
      }
    }
    for (LambdaExpression l : file.functions.all()) { // one.apply(key, s) runs it like a method
      Map<String, Integer> keys = file.imports.keyParameters(l.parameters());
      if (!keys.isEmpty()) {
        withKeys.put(l, keys);
        keyParameters += keys.size();
      }
    }
    for (int round = 0; round <= keyParameters; round++) {
      boolean changed = false;
      for (var entry : withKeys.entrySet()) {
        ASTNode m = entry.getKey();
        if (drawing.getOrDefault(m, Map.of()).size() == entry.getValue().size()) {
          continue; // every Key parameter already drawn from: nothing can be added
        }
        Map<String, ASTNode> drawn = new LinkedHashMap<>();
        if (m instanceof MethodDeclaration method) {
          new Body(file, new ArrayList<>(), drawn).run(method.parameters(), method.getBody());
        } else {
          LambdaExpression l = (LambdaExpression) m;
          new Body(file, new ArrayList<>(), drawn).run(l.parameters(), l.getBody());
        }
        Map<Integer, ASTNode> byIndex = new LinkedHashMap<>();
        entry.getValue().forEach((name, index) -> {
          if (drawn.containsKey(name)) {
            byIndex.put(index, drawn.get(name));
          }
        });
        if (!byIndex.keySet().equals(drawing.getOrDefault(m, Map.of()).keySet())) {
          drawing.put(m, byIndex);
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
  }
}
