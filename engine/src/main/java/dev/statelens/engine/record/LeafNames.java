package dev.statelens.engine.record;

import dev.statelens.engine.TreeDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Names the leaves of a call by pytree path. jit flattens the argument list as one tree
 * ({@code [0].weight}); the recorder names each argument's subtree separately instead:
 * <ol>
 *   <li>names given with {@link Recorder#argNames} ({@code params} → {@code params.weight});
 *   <li>else, for a record argument, its class name decapitalised ({@code Params} → {@code params})
 *       when no other argument has the same class;
 *   <li>else {@code arg0}, {@code arg1}, ...
 * </ol>
 * Outputs: a record result is named by its components ({@code params.weight}, {@code loss});
 * anything else is rooted at {@code out} ({@code out[0].weight} for a List, {@code out}); a {@code Pair} is a record: {@code first}, {@code second}.
 */
final class LeafNames {
  private static final Map<Object, List<String>> EXPLICIT = Collections.synchronizedMap(new WeakHashMap<>());

  private LeafNames() {}

  static void setArgNames(Object jitFunction, List<String> names) {
    EXPLICIT.put(jitFunction, List.copyOf(names));
  }

  static List<String> argNames(Object jitFunction, List<Object> args) {
    List<String> explicit = EXPLICIT.get(jitFunction);
    List<String> names = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      if (explicit != null && i < explicit.size()) {
        names.add(explicit.get(i));
        continue;
      }
      Object a = args.get(i);
      String name = "arg" + i;
      if (a instanceof Record r && uniqueClass(args, r.getClass())) {
        String simple = r.getClass().getSimpleName();
        if (!simple.isEmpty()) {
          name = Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
        }
      }
      names.add(name);
    }
    return names;
  }

  private static boolean uniqueClass(List<Object> args, Class<?> c) {
    int n = 0;
    for (Object a : args) {
      if (a != null && a.getClass() == c) {
        n++;
      }
    }
    return n == 1;
  }

  static List<String> inputPaths(TreeDef argsTree, List<String> argNames) {
    List<String> paths = new ArrayList<>(argsTree.numLeaves());
    List<TreeDef> children = argsTree.children();
    for (int i = 0; i < children.size(); i++) {
      paths.addAll(children.get(i).paths(argNames.get(i)));
    }
    return paths;
  }

  static List<String> outputPaths(TreeDef outTree, Object result) {
    if (result instanceof Record) {
      return outTree.paths();
    }
    return outTree.paths("out");
  }

  /** The last segment of a path is {@code loss}: {@code loss}, {@code metrics.loss}. */
  static boolean isLossPath(String path) {
    return path.equals("loss") || path.endsWith(".loss");
  }
}
