package dev.statelens.lint.rules.keys;

import java.util.List;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ArrayAccess;
import org.eclipse.jdt.core.dom.CastExpression;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.ConstructorInvocation;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.NumberLiteral;
import org.eclipse.jdt.core.dom.ParameterizedType;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SuperConstructorInvocation;
import org.eclipse.jdt.core.dom.Type;

/** Small readings of the syntax that SL010's parts share (no bindings: names as written). */
final class Syntax {
  private Syntax() {}

  /** {@code e} without the parentheses and casts around it. */
  static Expression unwrap(Expression e) {
    while (e instanceof ParenthesizedExpression || e instanceof CastExpression) {
      e = e instanceof ParenthesizedExpression p ? p.getExpression()
          : ((CastExpression) e).getExpression();
    }
    return e;
  }

  /** {@code ks[2]}: "2"; null when the index is not a decimal literal. */
  static String constantIndex(ArrayAccess a) {
    return a.getIndex() instanceof NumberLiteral n && n.getToken().matches("\\d+") ? n.getToken()
        : null;
  }

  static String simple(Name name) {
    return name instanceof QualifiedName q ? q.getName().getIdentifier()
        : ((SimpleName) name).getIdentifier();
  }

  /**
   * A parameter type as {@link SameFileMethods.ArgumentTypes} compares it: simple, no type
   * arguments.
   */
  static String typeName(Type type) {
    if (type.isArrayType()) {
      return "[]";
    }
    if (type instanceof ParameterizedType p) {
      type = p.getType();
    }
    if (type instanceof org.eclipse.jdt.core.dom.SimpleType simple) {
      Name n = simple.getName();
      return n instanceof QualifiedName q ? q.getName().getIdentifier() : n.getFullyQualifiedName();
    }
    if (type instanceof org.eclipse.jdt.core.dom.QualifiedType q) {
      return q.getName().getIdentifier();
    }
    return type.toString();
  }

  /** A class's simple name ({@code Model}, {@code Map} of {@code Map<K, V>}); null otherwise. */
  static String simpleTypeName(Type type) {
    String name = typeName(type);
    return name.isEmpty() || name.equals("[]") || !Character.isUpperCase(name.charAt(0)) ? null
        : name;
  }

  /** The arguments of a method or constructor call ({@code this(...)}, {@code super(...)} too). */
  static List<?> arguments(ASTNode call) {
    return switch (call) {
      case MethodInvocation mi -> mi.arguments();
      case ClassInstanceCreation c -> c.arguments();
      case ConstructorInvocation c -> c.arguments();
      case SuperConstructorInvocation c -> c.arguments();
      default -> List.of();
    };
  }

  /** Whether {@code node} starts inside {@code outer}'s text. */
  static boolean inside(ASTNode node, ASTNode outer) {
    int start = outer.getStartPosition();
    return node.getStartPosition() >= start
        && node.getStartPosition() < start + outer.getLength();
  }

  /** A literal's type ({@code 3}: int, {@code 2f}: float, {@code "a"}: String); null otherwise. */
  static String literalType(Expression argument) {
    return switch (argument) {
      case NumberLiteral n -> {
        String t = n.getToken().toLowerCase(java.util.Locale.ROOT);
        boolean hex = t.startsWith("0x");
        if (t.endsWith("l")) {
          yield "long";
        }
        if (!hex && t.endsWith("f")) {
          yield "float";
        }
        if (!hex && (t.endsWith("d") || t.contains(".") || t.contains("e"))) {
          yield "double";
        }
        yield "int";
      }
      case org.eclipse.jdt.core.dom.StringLiteral sl -> "String";
      case org.eclipse.jdt.core.dom.TextBlock tb -> "String";
      case org.eclipse.jdt.core.dom.BooleanLiteral b -> "boolean";
      case org.eclipse.jdt.core.dom.CharacterLiteral c -> "char";
      case null, default -> null;
    };
  }
}
