package dev.statelens.lint.analysis;

import java.util.List;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.Expression;

/**
 * Something transformed code does that a rule may care about. The analysis finds effects (with
 * what it knows of the values involved); rules decide which ones are problems.
 */
public sealed interface Effect {

  /** The node to report at. */
  ASTNode node();

  Context context();

  /** {@code this.n = ...}, {@code n += ...}, {@code count++} on a field. */
  record FieldWrite(ASTNode node, Context context, FieldInfo field, Origin receiver, Facts value)
      implements Effect {}

  /** {@code a[i] = v}, {@code a[i]++}. */
  record ElementWrite(ASTNode node, Context context, Expression array, Origin arrayOrigin, Facts value)
      implements Effect {}

  /**
   * A method call. {@code receiver} is null for static calls.
   */
  record Call(
      ASTNode node,
      Context context,
      CalleeRef callee,
      TypeRef receiverType,
      Facts receiver,
      List<Facts> args,
      List<Expression> argExpressions)
      implements Effect {

    public String name() {
      return callee.name();
    }

    public boolean anyArgTraced() {
      return args.stream().anyMatch(Facts::traced);
    }
  }

  /** {@code new T(...)}. */
  record Creation(ClassInstanceCreation node, Context context, TypeRef type, List<Facts> args)
      implements Effect {}

  /**
   * A Java control-flow decision on a value: the condition of {@code if}, {@code while},
   * {@code do}, {@code for}, {@code ?:} or the selector of {@code switch}.
   */
  record Condition(Expression node, Context context, Facts value) implements Effect {}

  /** A read of a field's value. */
  record FieldRead(ASTNode node, Context context, FieldInfo field, Origin receiver) implements Effect {}
}
