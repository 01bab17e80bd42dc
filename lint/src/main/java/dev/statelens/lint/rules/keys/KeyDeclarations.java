package dev.statelens.lint.rules.keys;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ArrayAccess;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ConditionalExpression;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;

/**
 * Which locals of a body are keys: declared {@code Key}, or {@code var} given a key
 * ({@code Random.key/foldIn(...)}, a copy of a key variable, {@code ks.first()}, {@code keep(key)}).
 */
final class KeyDeclarations {
  /** {@code Random} functions that return a key ({@code var k = Random.clone(key)} is one). */
  private static final Set<String> MADE_KEYS = Set.of("key", "foldIn", "clone", "splitStacked",
      "wrapKeyData");
  private final FileScope file;
  /** The body's keys known before its locals (its parameters). */
  private final Set<String> keys;
  /** The body's containers (its record parameters and declared containers). */
  private final Map<String, Container> containers;

  KeyDeclarations(FileScope file, Set<String> keys, Map<String, Container> containers) {
    this.file = file;
    this.keys = keys;
    this.containers = containers;
  }

  /** The Key locals {@code body} declares ({@link Nested#OWN}: not in its lambdas and local classes). */
  Set<String> in(ASTNode body) {
    Set<String> declared = new HashSet<>();
    body.accept(new OwnDeclarations() {
      @Override
      void locals(Type type, List<?> fragments) {
        addKeys(type, fragments, declared);
      }

      @Override
      public boolean visit(SingleVariableDeclaration node) {
        if (file.imports.isKey(node.getType())) {
          declared.add(node.getName().getIdentifier());
        }
        return true;
      }
    });
    return declared;
  }

  private void addKeys(Type type, List<?> fragments, Set<String> declared) {
    for (Object o : fragments) {
      VariableDeclarationFragment f = (VariableDeclarationFragment) o;
      if (file.imports.isKey(type) || (type.isVar() && (makesKey(f.getInitializer())
          || copiesKey(f.getInitializer(), declared) || givesKey(f.getInitializer())))) {
        declared.add(f.getName().getIdentifier());
      }
    }
  }

  /** {@code var k2 = key} (or {@code c ? key : other}) where {@code key} is a Key variable. */
  private boolean copiesKey(Expression init, Set<String> declared) {
    return switch (init) {
      case SimpleName n -> declared.contains(n.getIdentifier()) || keys.contains(n.getIdentifier());
      case ParenthesizedExpression p -> copiesKey(p.getExpression(), declared);
      case ConditionalExpression c -> copiesKey(c.getThenExpression(), declared)
          || copiesKey(c.getElseExpression(), declared);
      case null, default -> false;
    };
  }

  /**
   * {@code var k = keep(key)} (a method of this file declared to return a Key) or
   * {@code var k = ks.first()} (a container's component known to be a Key).
   */
  private boolean givesKey(Expression init) {
    if (!(init instanceof MethodInvocation mi)) {
      return init instanceof ArrayAccess a && a.getArray() instanceof SimpleName n
          && containerDeclaredOfKeys(n.getIdentifier());
    }
    if (mi.getExpression() instanceof SimpleName n && containers.get(n.getIdentifier())
        instanceof Container c) {
      return switch (c.holder()) {
        case RECORD -> mi.arguments().isEmpty()
            && c.keyComponents().contains(mi.getName().getIdentifier());
        case LIST -> c.ofKeys() && mi.getName().getIdentifier().equals("get");
        case ARRAY -> false;
      };
    }
    SameFileMethods.Lookup target = file.methods.lookup(mi);
    return target.method() != null && !target.method().isConstructor()
        && target.method().getReturnType2() != null
        && file.imports.isKey(target.method().getReturnType2());
  }

  private boolean containerDeclaredOfKeys(String name) {
    Container c = containers.get(name);
    return c != null && c.holder() == Holder.ARRAY && c.ofKeys();
  }

  /**
   * {@code Random.key(...)}, {@code Random.foldIn(...)}, {@code Random.clone(...)}, {@code
   * Random.splitStacked(...)}, {@code Random.wrapKeyData(...)}, {@code Random.split(...).first()}.
   */
  private boolean makesKey(Expression init) {
    if (!(init instanceof MethodInvocation mi)) {
      return false;
    }
    String name = mi.getName().getIdentifier();
    if (file.imports.onRandom(mi)) {
      return MADE_KEYS.contains(name);
    }
    return (name.equals("first") || name.equals("second"))
        && mi.getExpression() instanceof MethodInvocation inner && file.imports.onRandom(inner)
        && inner.getName().getIdentifier().equals("split") && inner.arguments().size() == 1;
  }
}
