package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.fix.ExplicitStateFix.StateField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.Block;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.ParameterizedType;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.StringLiteral;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.TypeDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * "Convert to explicit state" for a field written inside a jitted lambda kept in a local — the
 * shape of a training loop's {@code var step = Transforms.jit((State s, Batch b) -> {...})} (the
 * new-project wizard's templates). For writes to fields {@code f...} of the class around it:
 * <ul>
 *   <li>a record {@code StepState(F f, ...)} of the written fields is added to the class;</li>
 *   <li>the lambda takes it as its first parameter, computes on locals loaded from it and returns
 *       {@code Pair.of(result, new StepState(f, ...))};</li>
 *   <li>the local's type gains the state ({@code BiFunction<A, B, R>} becomes
 *       {@code Fn3<StepState, A, B, Pair<R, StepState>>}), an initial state is built from the
 *       fields after it, each call threads the state, and {@code Recorder.argNames(step, ...)}
 *       names it.</li>
 * </ul>
 * Offered only where that compiles and runs under jit: the lambda is the argument of a
 * {@code jit} call that initializes a local, its type is a JDK/engine function type (or
 * {@code var} with typed lambda parameters), there is room for one more argument, and every
 * written field is a pytree (an {@code int} or {@code String} cannot be a jit argument).
 */
final class ExplicitStateLambda {

  /** Function types by arity, as the local may declare them (index = number of arguments). */
  private static final List<String> BY_ARITY = List.of("Supplier", "Function", "BiFunction", "Fn3");
  /** Field types that cannot be a leaf of a jit argument (the engine's Tree rejects them). */
  private static final Set<String> NOT_PYTREES = Set.of("int", "long", "float", "double",
      "boolean", "short", "byte", "char", "Integer", "Long", "Float", "Double", "Boolean", "Short",
      "Byte", "Character", "String", "Number");

  private ExplicitStateLambda() {}

  /** The syntax checks of {@link #apply}, for the rules' fix lists. */
  static boolean offeredFor(ASTNode write, LambdaExpression lambda, String fieldOwner) {
    TypeDeclaration type = QuickFixes.ancestor(lambda, TypeDeclaration.class);
    return type != null && !type.isInterface() && type.getName().getIdentifier().equals(fieldOwner)
        && notApplicable(lambda, type) == null;
  }

  static FixOutcome apply(LambdaExpression lambda, Finding finding, Edits edits, QuickFixes.Files files) {
    TypeDeclaration type = QuickFixes.ancestor(lambda, TypeDeclaration.class);
    if (type == null || type.isInterface()) {
      return ExplicitStateFix.no("the jitted lambda is not in a class that can hold a state record");
    }
    String reason = notApplicable(lambda, type);
    if (reason != null) {
      return ExplicitStateFix.no(reason);
    }
    Map<String, StateField> fields = ExplicitStateFix.writtenFields(lambda.getBody(), type, edits);
    MethodInvocation jit = (MethodInvocation) lambda.getParent();
    VariableDeclarationFragment fragment = (VariableDeclarationFragment) jit.getParent();
    VariableDeclarationStatement declaration = (VariableDeclarationStatement) fragment.getParent();
    BodyDeclaration member = QuickFixes.ancestor(declaration, BodyDeclaration.class);
    String fast = fragment.getName().getIdentifier();

    Set<String> taken = DeclaredTypes.namesDeclaredIn(member);
    String stateType = ExplicitStateFix.uniqueTypeName(type, ExplicitStateFix.capitalize(fast) + "State");
    String stateParam = DeclaredTypes.freshName("state", taken);
    String stateVar = DeclaredTypes.freshName(ExplicitStateFix.decapitalize(stateType), taken);
    String pair = edits.type(ExplicitStateFix.PAIR);

    // 1. The state record, before the member that holds the jit call.
    String indent = edits.indentAt(member.getStartPosition());
    int insertAt = member.getJavadoc() != null ? member.getJavadoc().getStartPosition() : member.getStartPosition();
    edits.insert(insertAt, "/** The fields the jitted " + fast + " updates, as explicit state. */\n" + indent
        + "private record " + stateType + "(" + String.join(", ", fields.values().stream()
            .map(f -> f.type() + " " + f.name()).toList()) + ") {}\n\n" + indent);

    // 2. The lambda takes the state first and returns (result, new state).
    addStateParameter(lambda, stateType, stateParam, edits);
    String inner = edits.indentAt(declaration.getStartPosition());
    inner = inner + (inner.startsWith("\t") ? "\t" : "  ");
    if (lambda.getBody() instanceof Block block) {
      edits.replace(block, ExplicitStateFix.explicitBody(lambda, block, fields.values(), stateType,
          stateParam, pair, edits, inner));
    } else {
      Expression body = (Expression) lambda.getBody();
      StringBuilder block = new StringBuilder("{").append(ExplicitStateFix.stateLoads(fields.values(), stateParam, inner));
      block.append('\n').append(inner).append("return ").append(pair).append(".of(")
          .append(withoutThis(body, fields.keySet(), edits)).append(", new ").append(stateType).append('(')
          .append(String.join(", ", fields.keySet())).append("));\n")
          .append(edits.indentAt(declaration.getStartPosition())).append('}');
      edits.replace(body, block.toString());
    }

    // 3. The local's type, the initial state, and every call threading it.
    if (declaration.getType() instanceof ParameterizedType declared) {
      List<String> args = new ArrayList<>();
      args.add(stateType);
      List<?> typeArgs = declared.typeArguments();
      for (Object t : typeArgs.subList(0, typeArgs.size() - 1)) {
        args.add(edits.text((ASTNode) t));
      }
      args.add(pair + "<" + edits.text((ASTNode) typeArgs.getLast()) + ", " + stateType + ">");
      String functionType = edits.type(ExplicitStateFix.FUNCTION_TYPES.get(typeArgs.size() - 1));
      edits.replace(declared, functionType + "<" + String.join(", ", args) + ">");
    }
    String outerIndent = edits.indentAt(declaration.getStartPosition());
    edits.insert(declaration.getStartPosition() + declaration.getLength(), "\n" + outerIndent + stateType
        + " " + stateVar + " = new " + stateType + "(" + String.join(", ", fields.keySet()) + ");");
    ExplicitStateFix.threadCalls(declaration, fast, stateVar, edits);
    nameStateInRecorder(declaration, fast, stateVar, edits);
    return files.applied(FixId.EXPLICIT_STATE, "Convert the jitted " + fast + " to explicit state ("
        + stateType + ")");
  }

  /** Why the fix cannot convert this lambda, or null when it can (from the syntax alone). */
  private static String notApplicable(LambdaExpression lambda, TypeDeclaration type) {
    if (!(lambda.getParent() instanceof MethodInvocation jit) || !jit.getName().getIdentifier().equals("jit")
        || jit.arguments().getLast() != lambda) {
      return "the lambda is not handed to jit directly; move the jitted code into a method first";
    }
    if (!(jit.getParent() instanceof VariableDeclarationFragment fragment)
        || !(fragment.getParent() instanceof VariableDeclarationStatement declaration)
        || !(declaration.getParent() instanceof Block)) {
      return "the jitted function is not kept in a local, so its calls cannot be found to thread "
          + "the state; keep it in a local first (var step = Transforms.jit(...))";
    }
    int arity = lambda.parameters().size();
    if (arity >= BY_ARITY.size()) {
      return "jit supports up to 4 arguments; the state would be a " + (arity + 1) + "th";
    }
    Type declared = declaration.getType();
    boolean typedParameters = arity == 0 || lambda.parameters().getFirst() instanceof SingleVariableDeclaration;
    if (declared.isVar() ? !typedParameters
        : !(declared instanceof ParameterizedType p && simpleName(p.getType()).equals(BY_ARITY.get(arity))
            && p.typeArguments().size() == arity + 1)) {
      return "the local '" + fragment.getName() + "' is not declared as a function type of the "
          + "engine or the JDK (Function, BiFunction...) with its type arguments, or var with typed "
          + "lambda parameters";
    }
    Set<String> names = DeclaredTypes.namesDeclaredIn(QuickFixes.ancestor(lambda, BodyDeclaration.class));
    Map<String, String> fieldTypes = fieldTypes(type);
    Set<String> written = ExplicitStateFix.writtenFieldNames(lambda.getBody(), fieldTypes.keySet());
    if (written.isEmpty()) {
      return "no field of " + type.getName() + " is written directly in the lambda";
    }
    for (String f : written) {
      if (names.contains(f)) {
        return "a local or parameter around the jitted lambda is also named '" + f + "'; rename it first";
      }
    }
    return notPytree(type, written);
  }

  /**
   * Why one of the {@code written} fields of {@code type} cannot be explicit state — an int, a
   * box or a String cannot be a jit argument (the engine's Tree rejects the leaf) — or null.
   */
  static String notPytree(TypeDeclaration type, Set<String> written) {
    Map<String, String> fieldTypes = fieldTypes(type);
    for (String f : written) {
      if (NOT_PYTREES.contains(fieldTypes.get(f))) {
        return "field '" + f + "' is a " + fieldTypes.get(f) + ", which cannot go through jit as "
            + "state (its arguments are arrays and records of arrays): make it an Array first";
      }
    }
    return null;
  }

  /** The declared type of each field of {@code type}, as written (without generics' spaces). */
  static Map<String, String> fieldTypes(TypeDeclaration type) {
    Map<String, String> out = new java.util.HashMap<>();
    for (FieldDeclaration fd : type.getFields()) {
      for (Object f : fd.fragments()) {
        VariableDeclaration v = (VariableDeclaration) f;
        out.put(v.getName().getIdentifier(), v.getExtraDimensions() > 0 ? "array" : fd.getType().toString());
      }
    }
    return out;
  }

  private static String simpleName(Type type) {
    String name = type.toString();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** {@code (A a, B b)} becomes {@code (State state, A a, B b)}; untyped parameters stay untyped. */
  private static void addStateParameter(LambdaExpression lambda, String stateType, String stateParam,
      Edits edits) {
    List<?> params = lambda.parameters();
    if (params.isEmpty()) {
      int open = edits.source.indexOf('(', lambda.getStartPosition());
      edits.insert(open + 1, stateType + " " + stateParam);
    } else if (params.getFirst() instanceof SingleVariableDeclaration first) {
      edits.insert(first.getStartPosition(), stateType + " " + stateParam + ", ");
    } else if (lambda.hasParentheses()) {
      edits.insert(((ASTNode) params.getFirst()).getStartPosition(), stateParam + ", ");
    } else {
      ASTNode only = (ASTNode) params.getFirst();
      edits.replace(only, "(" + stateParam + ", " + edits.text(only) + ")");
    }
  }

  /** An expression body's text with {@code this.f} of the state's fields read as the local {@code f}. */
  private static String withoutThis(Expression body, Set<String> fields, Edits edits) {
    StringBuilder out = new StringBuilder(edits.text(body));
    int base = body.getStartPosition();
    List<org.eclipse.jdt.core.dom.FieldAccess> accesses = new ArrayList<>();
    body.accept(new ASTVisitor() {
      @Override
      public boolean visit(org.eclipse.jdt.core.dom.FieldAccess access) {
        if (dev.statelens.lint.analysis.NameResolver.thisFieldName(access) instanceof String name
            && fields.contains(name)) {
          accesses.add(access);
          return false;
        }
        return true;
      }
    });
    for (var access : accesses.reversed()) {
      out.replace(access.getStartPosition() - base, access.getStartPosition() - base + access.getLength(),
          access.getName().getIdentifier());
    }
    return out.toString();
  }

  /** {@code Recorder.argNames(step, "state", "batch")} names the new first argument too. */
  private static void nameStateInRecorder(VariableDeclarationStatement declaration, String fast,
      String stateVar, Edits edits) {
    declaration.getParent().accept(new ASTVisitor() {
      @Override
      public boolean visit(MethodInvocation mi) {
        if (mi.getName().getIdentifier().equals("argNames") && mi.arguments().size() >= 2
            && mi.arguments().getFirst() instanceof SimpleName n && n.getIdentifier().equals(fast)
            && mi.arguments().get(1) instanceof StringLiteral first) {
          edits.insert(first.getStartPosition(), "\"" + stateVar + "\", ");
        }
        return true;
      }
    });
  }
}
