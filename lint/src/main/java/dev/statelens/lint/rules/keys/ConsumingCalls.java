package dev.statelens.lint.rules.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;

/**
 * Which keys a call consumes, as one body sees it: a sampler's key, {@code Nn.dropout}'s, an
 * initializer's, or the keys a method or constructor of this file ({@link Summaries}) or of
 * another file ({@link OtherFiles}) draws from.
 */
final class ConsumingCalls {
  /**
   * {@code Random} functions that take a key without drawing from it, as JAX's key-reuse checker
   * ({@code jax.experimental.key_reuse}) signs them: {@code fold_in} and {@code clone} make a new
   * key and leave the old one as it was ({@code clone} is JAX's "I mean to use this key twice"),
   * {@code key_data} only reads the words.
   */
  static final Set<String> NOT_CONSUMING = Set.of("foldIn", "key", "clone", "keyData");
  /** {@code Init} factories whose initializers do not draw from the key. */
  private static final Set<String> CONSTANT_INITIALIZERS = Set.of("zeros", "ones", "constant");

  private final FileScope file;
  private final Body body;
  private final Receivers receivers;

  ConsumingCalls(FileScope file, Body body, Receivers receivers) {
    this.file = file;
    this.body = body;
    this.receivers = receivers;
  }

  /**
   * The key variables {@code call} consumes: as a sampler's key, or as the argument of a method
   * or constructor of this file that draws from that parameter ({@code new Layer(key)},
   * {@code this(key)}, {@code super(key)} too).
   */
  List<Draw> draws(ASTNode call) {
    if (!hasKeyArgument(Syntax.arguments(call))) {
      return List.of(); // most calls: nothing to look up
    }
    SameFileMethods methods = file.methods;
    if (!(call instanceof MethodInvocation mi)) {
      SameFileMethods.Lookup target = methods.constructor(call, body::argumentType);
      if (target == SameFileMethods.Lookup.ELSEWHERE && call instanceof ClassInstanceCreation c
          && c.getAnonymousClassDeclaration() == null) {
        return OtherFiles.draws(file, body, call, Syntax.simpleTypeName(c.getType()), "new");
      }
      return target.method() == null ? List.of() : throughMethod(call, target.method());
    }
    String name = mi.getName().getIdentifier();
    if (file.imports.onRandom(mi)) {
      return NOT_CONSUMING.contains(name) ? List.of() : firstArgument(mi);
    }
    if (Imports.on(mi, "Nn", file.imports.nn()) && name.equals("dropout")) {
      return firstArgument(mi);
    }
    if (file.functions.called(mi) instanceof LambdaExpression lambda) {
      return throughMethod(mi, lambda); // one.apply(key, s) on a local holding a lambda
    }
    SameFileMethods.Lookup target = methods.lookup(mi, body::argumentType);
    String type = mi.getExpression() == null || target.declared() ? null
        : receivers.typeOf(mi.getExpression());
    if (type != null && methods.declaresType(type)) { // model.forward(key) on a class of the file
      target = methods.lookupIn(type, mi, body::argumentType);
    }
    if (target.declared()) {
      return target.method() == null ? List.of() : throughMethod(mi, target.method());
    }
    if (type != null) {
      List<Draw> elsewhere = OtherFiles.draws(file, body, mi, type, name);
      if (!elsewhere.isEmpty()) {
        return elsewhere;
      }
    }
    if ((mi.getExpression() != null && name.equals("init") && drawsOnInit(mi))
        || (mi.getExpression() == null && !NOT_CONSUMING.contains(name)
            && file.imports.staticRandom(name))) {
      return firstArgument(mi);
    }
    return List.of();
  }

  private boolean hasKeyArgument(List<?> arguments) {
    for (Object a : arguments) {
      if (body.keyRef((Expression) a) != null) {
        return true;
      }
    }
    return false;
  }

  private List<Draw> firstArgument(MethodInvocation call) {
    KeyRef key = body.keyArgument(call, 0);
    return key == null ? List.of()
        : List.of(new Draw(key, new Use(call, call, null, key.text())));
  }

  /**
   * {@code noise(key, 3)} where this file's {@code noise} draws from its first parameter (or
   * {@code one.apply(key, s)} where the lambda {@code one} holds does).
   */
  private List<Draw> throughMethod(ASTNode call, ASTNode method) {
    List<Draw> draws = new ArrayList<>();
    file.drawing.getOrDefault(method, Map.of()).forEach((index, draw) -> {
      KeyRef key = body.keyArgument(call, index);
      if (key != null) {
        draws.add(new Draw(key, new Use(call, draw, null, key.text())));
      }
    });
    return draws;
  }

  /** {@code Init.zeros().init(key, ...)} and the other constant initializers ignore the key. */
  private static boolean drawsOnInit(MethodInvocation init) {
    return !(init.getExpression() instanceof MethodInvocation factory
        && factory.getExpression() instanceof Name owner
        && (owner.getFullyQualifiedName().equals("Init")
            || owner.getFullyQualifiedName().equals(Imports.ENGINE + ".Init"))
        && CONSTANT_INITIALIZERS.contains(factory.getName().getIdentifier()));
  }
}
