package dev.statelens.lint.fix;

import dev.statelens.lint.CallFrame;
import dev.statelens.lint.Finding;
import dev.statelens.lint.analysis.NameResolver;
import dev.statelens.lint.analysis.WriteVisitor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.Block;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ExpressionMethodReference;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Modifier;
import org.eclipse.jdt.core.dom.ReturnStatement;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.Statement;
import org.eclipse.jdt.core.dom.TypeDeclaration;
import org.eclipse.jdt.core.dom.TypeMethodReference;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * "Convert to explicit state" for SL001 (the seed's Counter → CounterV2 shape). For a jitted
 * method {@code R m(P p)} that writes fields {@code f...} of its class:
 * <ul>
 *   <li>a record {@code MState(F f, ...)} of the written fields is added to the class;</li>
 *   <li>a new overload {@code Pair<R, MState> m(MState state, P p)} computes on locals loaded from
 *       the state and returns {@code Pair.of(result, new MState(f, ...))};</li>
 *   <li>{@code m(P p)} stays as an eager adapter over it, so other callers keep compiling;</li>
 *   <li>the jit call takes a typed lambda {@code (MState state, P p) -> recv.m(state, p)}; where
 *       its result is kept in a local, the local's type is updated, an initial state is built
 *       from the object's fields, and every call threads the state:
 *       {@code var out = fast.apply(state, p); state = out.second();} then {@code out.first()}.</li>
 * </ul>
 */
public final class ExplicitStateFix {

  static final String PAIR = "dev.statelens.engine.Pair";
  private static final Map<String, String> BOXED = Map.of("int", "Integer", "long", "Long",
      "float", "Float", "double", "Double", "boolean", "Boolean", "short", "Short", "byte", "Byte",
      "char", "Character");
  static final List<String> FUNCTION_TYPES = List.of("java.util.function.Function",
      "java.util.function.BiFunction", "dev.statelens.engine.Fn3", "dev.statelens.engine.Fn4");
  private static final Set<String> SAM_NAMES = Set.of("get", "apply");

  private ExplicitStateFix() {}

  /** A written field: name and declared type. */
  record StateField(String name, String type) {}

  static FixOutcome apply(Finding finding, QuickFixes.Files files) {
    Edits edits = files.of(finding.file());
    if (ownFunction(QuickFixes.nodeAt(edits.cu, finding)) instanceof LambdaExpression lambda) {
      return ExplicitStateLambda.apply(lambda, finding, edits, files);
    }
    MethodDeclaration method = QuickFixes.ancestor(QuickFixes.nodeAt(edits.cu, finding),
        MethodDeclaration.class);
    if (method == null || method.getBody() == null
        || !(method.getParent() instanceof TypeDeclaration type) || type.isInterface()) {
      return no("the write is not in a method of a class (a lambda or anonymous class cannot "
          + "get a state parameter); move the code into a method first");
    }
    if (ownFunction(QuickFixes.nodeAt(edits.cu, finding)) != method) {
      return no("the write is in a lambda inside " + method.getName() + " (a lambda cannot get a "
          + "state parameter); move the jitted code into a method first");
    }
    if (finding.callChain().size() != 1) {
      return no("the write is in " + method.getName() + ", which is called from the jitted "
          + "function rather than jitted itself; convert the jitted function first");
    }
    String returnType = method.getReturnType2() == null ? "void" : edits.text(method.getReturnType2());
    if (returnType.equals("void")) {
      return no(method.getName() + " returns nothing; return the value it computes first");
    }
    if (method.parameters().size() >= FUNCTION_TYPES.size()) {
      return no("jit supports up to 4 arguments; the state would be a " + (method.parameters().size() + 1) + "th");
    }
    Map<String, StateField> fields = writtenFields(method.getBody(), type, edits);
    if (fields.isEmpty()) {
      return no("no field of " + type.getName() + " is written directly in " + method.getName());
    }
    String notPytree = ExplicitStateLambda.notPytree(type, fields.keySet());
    if (notPytree != null) {
      return no(notPytree);
    }
    Set<String> locals = DeclaredTypes.namesDeclaredIn(method);
    for (String f : fields.keySet()) {
      if (locals.contains(f) || f.equals("state")) {
        return no("a local or parameter in " + method.getName() + " is also named '" + f
            + "'; rename it first");
      }
    }
    boolean isStatic = Modifier.isStatic(method.getModifiers());
    String stateType = uniqueTypeName(type, capitalize(method.getName().getIdentifier()) + "State");
    String pair = edits.type(PAIR);
    String resultType = BOXED.getOrDefault(returnType, returnType);
    String indent = edits.indentAt(method.getStartPosition());
    String inner = indent + indentUnit(indent);

    // 1. The state record and the explicit-state overload, inserted before the method.
    StringBuilder added = new StringBuilder();
    added.append("/** The fields ").append(method.getName()).append(" updates, as explicit state. */\n")
        .append(indent).append(visibility(method)).append("record ").append(stateType).append('(')
        .append(String.join(", ", fields.values().stream().map(f -> f.type() + " " + f.name()).toList()))
        .append(") {}\n\n").append(indent);
    added.append("/** ").append(method.getName()).append(" with explicit state: returns (result, new state). */\n")
        .append(indent).append(visibility(method)).append(isStatic ? "static " : "")
        .append(pair).append('<').append(resultType).append(", ").append(stateType).append("> ")
        .append(method.getName()).append('(').append(stateType).append(" state");
    for (Object p : method.parameters()) {
      added.append(", ").append(edits.text((ASTNode) p));
    }
    added.append(')').append(throwsClause(method, edits)).append(' ')
        .append(explicitBody(method, method.getBody(), fields.values(), stateType, pair, edits, inner))
        .append("\n\n").append(indent);

    // 2. The original method becomes an eager adapter over the explicit one.
    List<String> args = new ArrayList<>();
    args.add("new " + stateType + "(" + String.join(", ", fields.keySet().stream()
        .map(f -> (isStatic ? type.getName().getIdentifier() : "this") + "." + f).toList()) + ")");
    for (Object p : method.parameters()) {
      args.add(((SingleVariableDeclaration) p).getName().getIdentifier());
    }
    StringBuilder adapter = new StringBuilder("{\n");
    adapter.append(inner).append("var result = ").append(method.getName()).append('(')
        .append(String.join(", ", args)).append(");\n");
    for (String f : fields.keySet()) {
      adapter.append(inner).append(isStatic ? type.getName().getIdentifier() : "this").append('.')
          .append(f).append(" = result.second().").append(f).append("();\n");
    }
    adapter.append(inner).append("return result.first();\n").append(indent).append('}');
    int insertAt = method.getJavadoc() != null ? method.getJavadoc().getStartPosition()
        : method.getStartPosition();
    edits.insert(insertAt, added.toString());
    edits.replace(method.getBody(), adapter.toString());

    // 3. The jit call site threads the state.
    String siteNote = rewriteSite(finding.callChain().get(0), method, finding.file(), type,
        stateType, resultType, files);
    return files.applied(FixId.EXPLICIT_STATE, "Convert " + type.getName() + "."
        + method.getName() + " to explicit state (" + stateType + ")" + siteNote);
  }

  // ---------------------------------------------------------------- the explicit method body

  /**
   * {@code body} (of {@code function}, a method or lambda) computing on locals loaded from
   * {@code stateVar}: {@code this.f} reads become the local {@code f}, and each return of the
   * function returns {@code Pair.of(result, new State(f, ...))}.
   */
  static String explicitBody(ASTNode function, Block body, Iterable<StateField> fields,
      String stateType, String pair, Edits edits, String inner) {
    return explicitBody(function, body, fields, stateType, "state", pair, edits, inner);
  }

  static String explicitBody(ASTNode function, Block body, Iterable<StateField> fields,
      String stateType, String stateVar, String pair, Edits edits, String inner) {
    int base = body.getStartPosition();
    String text = edits.text(body);
    List<int[]> spans = new ArrayList<>(); // start, end (relative), index into replacements
    List<String> replacements = new ArrayList<>();
    Set<String> names = new java.util.LinkedHashSet<>();
    fields.forEach(f -> names.add(f.name()));
    String newState = "new " + stateType + "(" + String.join(", ", names) + ")";
    body.accept(new ASTVisitor() {
      @Override
      public boolean visit(FieldAccess access) {
        if (NameResolver.thisFieldName(access) instanceof String name && names.contains(name)) {
          add(access.getStartPosition(), access.getLength(), access.getName().getIdentifier());
          return false;
        }
        return true;
      }

      @Override
      public boolean visit(ReturnStatement ret) {
        if (ret.getExpression() != null && ownFunction(ret) == function) {
          add(ret.getExpression().getStartPosition(), 0, pair + ".of(");
          ret.getExpression().accept(this);
          int end = ret.getExpression().getStartPosition() + ret.getExpression().getLength();
          add(end, 0, ", " + newState + ")");
          return false;
        }
        return true;
      }

      private void add(int offset, int length, String replacement) {
        spans.add(new int[] {offset - base, offset - base + length, replacements.size()});
        replacements.add(replacement);
      }
    });
    // Field names used without `this.` need no rewrite: the locals declared below shadow them.
    spans.sort((a, b) -> a[0] != b[0] ? Integer.compare(b[0], a[0]) : Integer.compare(b[2], a[2]));
    StringBuilder out = new StringBuilder(text);
    for (int[] span : spans) {
      out.replace(span[0], span[1], replacements.get(span[2]));
    }
    out.insert(1, stateLoads(fields, stateVar, inner));
    return out.toString();
  }

  /** A line {@code F f = state.f();} per field, each after a newline and {@code inner}. */
  static String stateLoads(Iterable<StateField> fields, String stateVar, String inner) {
    StringBuilder loads = new StringBuilder();
    for (StateField f : fields) {
      loads.append('\n').append(inner).append(f.type()).append(' ').append(f.name())
          .append(" = ").append(stateVar).append('.').append(f.name()).append("();");
    }
    return loads.toString();
  }

  /**
   * Whether a rule offers the fix for a field write: the write must be in the transformed
   * function itself ({@code isEntry}), that function a method of a class, not a lambda, and the
   * field one of that class ({@code fieldOwner}, its simple name), not an outer instance's
   * (apply's checks that need only the syntax; the others say why when applied).
   */
  public static boolean offeredFor(ASTNode write, boolean isEntry, String fieldOwner) {
    if (isEntry && ownFunction(write) instanceof LambdaExpression lambda) {
      return ExplicitStateLambda.offeredFor(write, lambda, fieldOwner);
    }
    return isEntry && ownFunction(write) instanceof MethodDeclaration method
        && method.getParent() instanceof TypeDeclaration type
        && type.getName().getIdentifier().equals(fieldOwner)
        && method.getBody() != null
        && ExplicitStateLambda.notPytree(type, writtenFieldNames(method.getBody(),
            ExplicitStateLambda.fieldTypes(type).keySet())) == null;
  }

  /** The method or lambda whose body a node is in. */
  static ASTNode ownFunction(ASTNode node) {
    for (ASTNode n = node.getParent(); n != null; n = n.getParent()) {
      if (n instanceof MethodDeclaration || n instanceof LambdaExpression) {
        return n;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- the jit call site

  private static String rewriteSite(CallFrame frame, MethodDeclaration method,
      java.nio.file.Path methodFile, TypeDeclaration owner, String stateType, String resultType, QuickFixes.Files files) {
    Edits edits = files.of(frame.file());
    MethodInvocation jit = null;
    ASTNode at = new org.eclipse.jdt.core.dom.NodeFinder(edits.cu, frame.offset(), 0).getCoveringNode();
    for (ASTNode n = at; n != null; n = n.getParent()) {
      if (n instanceof MethodInvocation mi && mi.getStartPosition() == frame.offset()) {
        jit = mi;
        break;
      }
    }
    if (jit == null || jit.arguments().isEmpty()) {
      return "; update the jit call by hand";
    }
    Expression fn = (Expression) jit.arguments().get(jit.arguments().size() - 1);
    String receiver = switch (fn) {
      case ExpressionMethodReference r when r.getName().getIdentifier().equals(method.getName().getIdentifier()) ->
          edits.text(r.getExpression());
      case TypeMethodReference r when r.getName().getIdentifier().equals(method.getName().getIdentifier()) ->
          edits.text(r.getType());
      default -> null;
    };
    if (receiver == null) {
      return "; pass the new overload to jit by hand";
    }
    boolean sameType = QuickFixes.ancestor(jit, AbstractTypeDeclaration.class) == owner;
    String stateRef = sameType ? stateType : owner.getName().getIdentifier() + "." + stateType;
    String ownerPackage = packageOf(method);
    if (!sameType && !ownerPackage.equals(packageOf(jit))) {
      edits.type(ownerPackage.isEmpty() ? owner.getName().getIdentifier()
          : ownerPackage + "." + owner.getName().getIdentifier());
    }
    List<String> paramTypes = new ArrayList<>();
    List<String> paramNames = new ArrayList<>();
    // a lambda parameter may not shadow a local of the method around the jit call
    Set<String> taken = DeclaredTypes.namesDeclaredIn(QuickFixes.ancestor(jit, org.eclipse.jdt.core.dom.BodyDeclaration.class));
    paramTypes.add(stateRef);
    paramNames.add(DeclaredTypes.freshName("state", taken));
    for (Object p : method.parameters()) {
      SingleVariableDeclaration param = (SingleVariableDeclaration) p;
      paramTypes.add(files.of(methodFile).text(param.getType()));
      paramNames.add(DeclaredTypes.freshName(param.getName().getIdentifier(), taken));
    }
    StringBuilder lambda = new StringBuilder("(");
    for (int i = 0; i < paramTypes.size(); i++) {
      lambda.append(i == 0 ? "" : ", ").append(paramTypes.get(i)).append(' ').append(paramNames.get(i));
    }
    lambda.append(") -> ").append(receiver).append('.').append(method.getName()).append('(')
        .append(String.join(", ", paramNames)).append(')');
    edits.replace(fn, lambda.toString());

    if (!(jit.getParent() instanceof VariableDeclarationFragment fragment)
        || !(fragment.getParent() instanceof VariableDeclarationStatement declaration)
        || !(declaration.getParent() instanceof Block)) {
      return "; thread the state where the jitted function is called";
    }
    if (!declaration.getType().isVar()) {
      String pairType = edits.type(PAIR) + "<" + resultType + ", " + stateRef + ">";
      List<String> typeArgs = new ArrayList<>();
      for (String t : paramTypes) {
        typeArgs.add(BOXED.getOrDefault(t, t));
      }
      typeArgs.add(pairType);
      edits.replace(declaration.getType(), edits.type(FUNCTION_TYPES.get(paramTypes.size() - 1))
          + "<" + String.join(", ", typeArgs) + ">");
    }
    String fast = fragment.getName().getIdentifier();
    String stateVar = decapitalize(stateType);
    Set<String> fieldNames = writtenFields(method.getBody(), owner, files.of(methodFile)).keySet();
    String initial = "new " + stateRef + "(" + String.join(", ", fieldNames.stream()
        .map(f -> receiver + "." + f).toList()) + ")";
    String indent = edits.indentAt(declaration.getStartPosition());
    edits.insert(declaration.getStartPosition() + declaration.getLength(),
        "\n" + indent + stateRef + " " + stateVar + " = " + initial + ";");
    threadCalls(declaration, fast, stateVar, edits);
    return "";
  }

  /** Rewrites each {@code fast.get(args)} after the declaration to pass and update the state. */
  static void threadCalls(VariableDeclarationStatement declaration, String fast,
      String stateVar, Edits edits) {
    Block block = (Block) declaration.getParent();
    List<MethodInvocation> calls = new ArrayList<>();
    block.accept(new ASTVisitor() {
      @Override
      public boolean visit(MethodInvocation mi) {
        if (mi.getStartPosition() > declaration.getStartPosition()
            && mi.getExpression() instanceof SimpleName n && n.getIdentifier().equals(fast)
            && SAM_NAMES.contains(mi.getName().getIdentifier())) {
          calls.add(mi);
        }
        return true;
      }
    });
    int k = 0;
    Map<Statement, StringBuilder> before = new LinkedHashMap<>();
    for (MethodInvocation call : calls) {
      Statement statement = statementInBlockOrBody(call);
      String out = decapitalize(stateVar.replace("State", "")) + "Out" + (k == 0 ? "" : k + 1);
      k++;
      List<String> args = new ArrayList<>();
      args.add(stateVar);
      for (Object a : call.arguments()) {
        args.add(edits.text((ASTNode) a));
      }
      String indent = edits.indentAt(statement.getStartPosition());
      before.computeIfAbsent(statement, s -> new StringBuilder())
          .append("var ").append(out).append(" = ").append(fast).append(".apply(")
          .append(String.join(", ", args)).append(");\n").append(indent)
          .append(stateVar).append(" = ").append(out).append(".second();\n").append(indent);
      edits.replace(call, out + ".first()");
    }
    for (Map.Entry<Statement, StringBuilder> e : before.entrySet()) {
      Statement statement = e.getKey();
      if (statement.getParent() instanceof Block) {
        edits.insert(statement.getStartPosition(), e.getValue().toString());
      } else {
        // A loop or if body without braces: wrap it so both statements run there.
        int bodyStart = statement.getStartPosition();
        int afterHeader = bodyStart;
        while (afterHeader > 0 && Character.isWhitespace(edits.source.charAt(afterHeader - 1))) {
          afterHeader--;
        }
        String outer = edits.indentAt(afterHeader);
        edits.insert(afterHeader, " {");
        edits.insert(bodyStart, e.getValue().toString());
        edits.insert(bodyStart + statement.getLength(), "\n" + outer + "}");
      }
    }
  }

  private static Statement statementInBlockOrBody(ASTNode node) {
    Statement last = null;
    for (ASTNode n = node; n != null; n = n.getParent()) {
      if (n instanceof Statement s) {
        last = s;
        if (!(s instanceof Block) && (n.getParent() instanceof Block
            || n.getParent() instanceof Statement)) {
          return s;
        }
      }
    }
    return last;
  }

  // ---------------------------------------------------------------- helpers

  /** Fields of {@code type} assigned, compound-assigned or incremented in {@code body}, in order. */
  static Map<String, StateField> writtenFields(ASTNode body, TypeDeclaration type, Edits edits) {
    Map<String, String> declared = new LinkedHashMap<>();
    for (FieldDeclaration fd : type.getFields()) {
      for (Object f : fd.fragments()) {
        VariableDeclarationFragment fragment = (VariableDeclarationFragment) f;
        declared.put(fragment.getName().getIdentifier(),
            edits.text(fd.getType()) + "[]".repeat(fragment.getExtraDimensions()));
      }
    }
    Map<String, StateField> written = new LinkedHashMap<>();
    for (String name : writtenFieldNames(body, declared.keySet())) {
      written.put(name, new StateField(name, declared.get(name)));
    }
    return written;
  }

  /** The fields (of {@code fields}) assigned, compound-assigned or incremented in {@code body}, in order. */
  static Set<String> writtenFieldNames(ASTNode body, Set<String> fields) {
    Set<String> written = new java.util.LinkedHashSet<>();
    body.accept(new WriteVisitor() {
      @Override
      protected void written(Expression e) {
        String name = switch (e) {
          case SimpleName n -> n.getIdentifier();
          case FieldAccess fa -> NameResolver.thisFieldName(fa);
          default -> null;
        };
        if (name != null && fields.contains(name)) {
          written.add(name);
        }
      }

      @Override
      public boolean visit(AnonymousClassDeclaration anon) {
        return false;
      }
    });
    return written;
  }



  static String uniqueTypeName(TypeDeclaration type, String wanted) {
    Set<String> taken = new java.util.HashSet<>();
    for (Object b : type.bodyDeclarations()) {
      if (b instanceof AbstractTypeDeclaration t) {
        taken.add(t.getName().getIdentifier());
      }
    }
    taken.add(type.getName().getIdentifier());
    String name = wanted;
    for (int i = 2; taken.contains(name); i++) {
      name = wanted + i;
    }
    return name;
  }

  private static String visibility(BodyDeclaration decl) {
    int m = decl.getModifiers();
    return Modifier.isPublic(m) ? "public " : Modifier.isProtected(m) ? "protected "
        : Modifier.isPrivate(m) ? "private " : "";
  }

  private static String throwsClause(MethodDeclaration method, Edits edits) {
    if (method.thrownExceptionTypes().isEmpty()) {
      return "";
    }
    List<String> types = new ArrayList<>();
    for (Object t : method.thrownExceptionTypes()) {
      types.add(edits.text((ASTNode) t));
    }
    return " throws " + String.join(", ", types);
  }

  private static String packageOf(ASTNode node) {
    var cu = (org.eclipse.jdt.core.dom.CompilationUnit) node.getRoot();
    return cu.getPackage() == null ? "" : cu.getPackage().getName().getFullyQualifiedName();
  }

  static String indentUnit(String indent) {
    return indent.startsWith("\t") ? "\t" : "  ";
  }

  static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  static String decapitalize(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  static FixOutcome no(String reason) {
    return new FixOutcome.NotApplicable(FixId.EXPLICIT_STATE, reason);
  }
}
