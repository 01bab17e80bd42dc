package dev.statelens.lint.fix;

import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.BooleanLiteral;
import org.eclipse.jdt.core.dom.CharacterLiteral;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ITypeBinding;
import org.eclipse.jdt.core.dom.InfixExpression;
import org.eclipse.jdt.core.dom.NumberLiteral;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.StringLiteral;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * Expressions known <em>not</em> to be engine arrays, for fixes that may hand a value only to
 * array parameters (Debug.print): literals, arithmetic, and names declared as a primitive,
 * {@code String} or boxed number in the member around them, or typed so by JDT bindings.
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

  /** The type a local or parameter of that name is declared with in the member around it, or "". */
  private static String declaredType(SimpleName use) {
    ASTNode member = use;
    while (member != null && !(member instanceof BodyDeclaration)) {
      member = member.getParent();
    }
    if (member == null) {
      return "";
    }
    String name = use.getIdentifier();
    String[] found = {""};
    member.accept(new ASTVisitor() {
      @Override
      public boolean visit(SingleVariableDeclaration d) {
        if (d.getName().getIdentifier().equals(name)) {
          found[0] = d.getType().toString();
        }
        return true;
      }

      @Override
      public boolean visit(VariableDeclarationFragment f) {
        if (f.getName().getIdentifier().equals(name) && f.getParent() instanceof VariableDeclarationStatement s) {
          found[0] = s.getType().toString() + "[]".repeat(f.getExtraDimensions());
        }
        return true;
      }
    });
    return found[0];
  }
}
