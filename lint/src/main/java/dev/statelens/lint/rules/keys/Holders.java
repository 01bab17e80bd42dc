package dev.statelens.lint.rules.keys;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ArrayAccess;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.NumberLiteral;
import org.eclipse.jdt.core.dom.ParameterizedType;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;

/**
 * Which locals keep keys inside ({@link Container}: records, {@code Pair}s, lists, arrays), by
 * their declared type or their initializer, and how a read names a slot of one.
 */
final class Holders {
  private final Imports imports;
  private final SameFileMethods methods;

  Holders(Imports imports, SameFileMethods methods) {
    this.imports = imports;
    this.methods = methods;
  }

  /**
   * The locals a body declares that keep keys inside ({@link Container}): by declared type
   * ({@code Pair<Key, Key>}, a record of this file, {@code List<Key>}, {@code Key[]}) or, for
   * {@code var}, by initializer ({@code Random.split(...)}, {@code Pair.of}, {@code new R(...)},
   * {@code List.of}, {@code new Key[] {...}}). An array is one only if every use of its name in
   * the body reads an element at a constant index ({@code ks[0]}) or its length: a write, or
   * the array handed anywhere, could change what {@code ks[0]} holds.
   */
  Map<String, Container> declaredIn(ASTNode body) {
    Map<String, Container> declared = new HashMap<>();
    body.accept(new OwnDeclarations() {
      @Override
      void locals(Type type, List<?> fragments) {
        for (Object o : fragments) {
          VariableDeclarationFragment f = (VariableDeclarationFragment) o;
          if (f.getExtraDimensions() > 0) {
            continue;
          }
          Container c = type.isVar() ? madeBy(f.getInitializer()) : ofType(type);
          if (c != null) {
            declared.put(f.getName().getIdentifier(), c);
          }
        }
      }
    });
    declared.entrySet().removeIf(e -> e.getValue().holder() == Holder.ARRAY
        && !onlyElementsRead(body, e.getKey()));
    return declared;
  }

  /** A declared type that keeps keys: a record's, {@code List<Key>}, {@code Key[]}. */
  Container ofType(Type type) {
    if (type instanceof org.eclipse.jdt.core.dom.ArrayType a) {
      return a.getDimensions() == 1 && imports.isKey(a.getElementType())
          ? new Container(Holder.ARRAY, List.of(), Set.of(), true) : null;
    }
    if (type instanceof ParameterizedType p && p.getType().toString().equals("List")
        && p.typeArguments().size() == 1 && imports.isKey((Type) p.typeArguments().get(0))) {
      return new Container(Holder.LIST, List.of(), Set.of(), true);
    }
    return record(type);
  }

  /** The engine's {@code Pair}, or a record of this file with its implicit constructor. */
  Container record(Type type) {
    Type raw = type instanceof ParameterizedType p ? p.getType() : type;
    if (!(raw instanceof org.eclipse.jdt.core.dom.SimpleType simple)) {
      return null;
    }
    String name = simple.getName().getFullyQualifiedName();
    if ((name.equals("Pair") && imports.pair()) || name.equals(Imports.ENGINE + ".Pair")) {
      boolean ofKeys = type instanceof ParameterizedType p && p.typeArguments().size() == 2
          && p.typeArguments().stream().allMatch(t -> imports.isKey((Type) t));
      return pair(ofKeys);
    }
    return fileRecord(name);
  }

  private static Container pair(boolean ofKeys) {
    return new Container(Holder.RECORD, List.of("first", "second"),
        ofKeys ? Set.of("first", "second") : Set.of(), ofKeys);
  }

  private Container fileRecord(String name) {
    List<String> components = methods.plainRecord(name);
    if (components == null) {
      return null;
    }
    Set<String> keyComponents = new HashSet<>();
    for (String c : components) {
      if (c != null && methods.recordComponentType(name, c) instanceof Type t
          && imports.isKey(t)) {
        keyComponents.add(c);
      }
    }
    return new Container(Holder.RECORD, components, keyComponents, false);
  }

  /** {@code var ks = <init>}: the container the initializer makes, or null. */
  private Container madeBy(Expression init) {
    init = Syntax.unwrap(init);
    if (init instanceof MethodInvocation mi) {
      String name = mi.getName().getIdentifier();
      if (imports.onRandom(mi) && name.equals("split")) {
        return mi.arguments().size() == 1 ? pair(true)
            : new Container(Holder.LIST, List.of(), Set.of(), true);
      }
      if (Imports.on(mi, "Pair", imports.pair()) && name.equals("of")
          && mi.arguments().size() == 2) {
        return pair(false);
      }
      if (mi.getExpression() instanceof Name owner && owner.getFullyQualifiedName().equals("List")
          && (name.equals("of") || name.equals("copyOf"))) {
        return new Container(Holder.LIST, List.of(), Set.of(), false);
      }
      return null;
    }
    if (init instanceof ClassInstanceCreation c && c.getAnonymousClassDeclaration() == null) {
      return record(c.getType());
    }
    if (init instanceof org.eclipse.jdt.core.dom.ArrayCreation a) {
      return ofType(a.getType());
    }
    return null;
  }

  /**
   * Whether every use of {@code array} in {@code body} ({@link Nested#ALL}: lambdas included) is
   * its declaration, an assignment of the whole array, an element read at a constant index or
   * {@code .length}.
   */
  private static boolean onlyElementsRead(ASTNode body, String array) {
    boolean[] other = {false};
    body.accept(new Walk(Nested.ALL) {
      @Override
      public boolean visit(SimpleName n) {
        if (!n.getIdentifier().equals(array)) {
          return false;
        }
        ASTNode parent = n.getParent();
        boolean fine = switch (parent) {
          case VariableDeclarationFragment f -> f.getName() == n;
          case Assignment a -> a.getLeftHandSide() == n;
          case ArrayAccess a -> a.getArray() == n && Syntax.constantIndex(a) != null
              && !(a.getParent() instanceof Assignment as && as.getLeftHandSide() == a);
          case QualifiedName q -> q.getQualifier() == n
              && q.getName().getIdentifier().equals("length");
          default -> false;
        };
        other[0] |= !fine;
        return false;
      }
    });
    return !other[0];
  }

  /** {@code p.key()}: the component; {@code ks.get(0)} / {@code ks.getFirst()}: the index. */
  static String slotOf(MethodInvocation read, Container c) {
    String name = read.getName().getIdentifier();
    return switch (c.holder()) {
      case RECORD -> read.arguments().isEmpty() && c.components().contains(name) ? name : null;
      case LIST -> name.equals("getFirst") && read.arguments().isEmpty() ? "0"
          : name.equals("get") && read.arguments().size() == 1
              && read.arguments().get(0) instanceof NumberLiteral n && n.getToken().matches("\\d+")
              ? n.getToken() : null;
      case ARRAY -> null;
    };
  }
}
