package dev.statelens.lint.fix;

import java.util.Set;
import org.eclipse.jdt.core.dom.BooleanLiteral;
import org.eclipse.jdt.core.dom.CharacterLiteral;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ITypeBinding;
import org.eclipse.jdt.core.dom.InfixExpression;
import org.eclipse.jdt.core.dom.NumberLiteral;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.StringLiteral;

/**
 * Expressions known <em>not</em> to be engine arrays, for fixes that may hand a value only to
 * array parameters (Debug.print): literals, arithmetic, and names of variables declared as a
 * primitive, {@code String} or boxed number (the declaration in scope at the use, a field's too:
 * {@link DeclaredTypes}), or typed so by JDT bindings.
 * Unknown is not "known": a call's result without bindings counts as a possible array.
 */
final class NonArrays {

  private static final Set<String> SCALAR_TYPES = Set.of("int", "long", "short", "byte", "char",
      "float", "double", "boolean", "String", "Integer", "Long", "Short", "Byte", "Character",
      "Float", "Double", "Boolean", "Number", "CharSequence", "java.lang.String");

  private NonArrays() {}

  static boolean known(Expression e) {
    ITypeBinding binding = e.resolveTypeBinding();
    if (binding != null && !binding.isRecovered()) {
      return binding.isPrimitive() || SCALAR_TYPES.contains(binding.getErasure().getQualifiedName())
          || SCALAR_TYPES.contains(binding.getErasure().getName());
    }
    return switch (e) {
      case ParenthesizedExpression p -> known(p.getExpression());
      case StringLiteral s -> true;
      case NumberLiteral n -> true;
      case CharacterLiteral c -> true;
      case BooleanLiteral b -> true;
      case InfixExpression infix -> !infix.getOperator().equals(InfixExpression.Operator.PLUS)
          || known(infix.getLeftOperand()) && known(infix.getRightOperand());
      case SimpleName n -> SCALAR_TYPES.contains(declaredType(n));
      default -> false;
    };
  }

  /** The type the variable {@code use} reads is declared with ({@link DeclaredTypes}), or "". */
  private static String declaredType(SimpleName use) {
    DeclaredTypes.Declared d = DeclaredTypes.at(use);
    return d == null ? "" : d.type();
  }
}
