package dev.statelens.lint.rules.keys;

import dev.statelens.lint.rules.keys.KeyReuseRule.Project;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.ReturnStatement;
import org.eclipse.jdt.core.dom.SimpleName;

/**
 * One file's facts shared by its bodies: its names, its methods and their summaries, and what
 * each loop assigns and each body declares (asked again in every summary round and pass).
 */
final class FileScope {
  final CompilationUnit cu;
  final Imports imports;
  final SameFileMethods methods;
  /** Which declared types and initializers keep keys inside. */
  final Holders holders;
  /** Which Key fields are followed, and which calls may assign them. */
  final FieldKeys fields = new FieldKeys(this);
  /**
   * Method, constructor or lambda held by a local ({@link FunctionLocals}) -> index of each Key
   * parameter it draws from -> the draw.
   */
  final Map<ASTNode, Map<Integer, ASTNode>> drawing = new IdentityHashMap<>();
  /** Locals holding a lambda for good, run by {@code one.apply(key, s)}. */
  final FunctionLocals functions;
  final Map<ASTNode, Set<String>> assignedInLoop = new IdentityHashMap<>();
  final Map<ASTNode, Set<String>> declaredKeys = new IdentityHashMap<>();
  final Map<ASTNode, Map<String, Container>> declaredContainers = new IdentityHashMap<>();
  /** Method -> the index of the Key parameter it returns unchanged on every return. */
  final Map<MethodDeclaration, Integer> returnsParameter = new IdentityHashMap<>();
  /** The other files' types (and the record of what was asked). */
  Project project = Project.NONE;
  /** The file's name as messages print it, when the AST does not know it. */
  String fileName = "another file";
  /**
   * A call into another file -> the draw that file exported for it ({@code "Random.normal(...)
   * at Model.java:13"}): what this file's exports name when a summary draws through that call.
   */
  final Map<ASTNode, String> crossFileDraws = new IdentityHashMap<>();
  /** Type declaration -> its fields' declared types (simple names), for {@code model.m(key)}. */
  final Map<ASTNode, Map<String, String>> fieldTypes = new IdentityHashMap<>();

  FileScope(CompilationUnit cu, Imports imports, SameFileMethods methods) {
    this.cu = cu;
    this.imports = imports;
    this.methods = methods;
    this.holders = new Holders(imports, methods);
    this.functions = FunctionLocals.of(cu, imports);
    for (MethodDeclaration m : methods.all()) {
      Integer index = returnedParameter(m, imports);
      if (index != null) {
        returnsParameter.put(m, index);
      }
    }
  }

  /**
   * {@code Key keep(Key k) { return k; }}: the index of the {@code Key} parameter that every
   * return statement returns as it is (never assigned in the method), else null. The caller's
   * {@code keep(key)} is then the same key, a reference copy.
   */
  private static Integer returnedParameter(MethodDeclaration m, Imports imports) {
    if (m.isConstructor() || m.getBody() == null || m.getReturnType2() == null
        || !imports.isKey(m.getReturnType2())) {
      return null;
    }
    Map<String, Integer> keys = imports.keyParameters(m);
    if (keys.isEmpty()) {
      return null;
    }
    Set<String> returned = new HashSet<>();
    Set<String> assigned = new HashSet<>();
    boolean[] other = {false};
    m.getBody().accept(new Walk(Nested.OWN) { // a lambda's returns are its own
      @Override
      public boolean visit(ReturnStatement r) {
        Expression e = Syntax.unwrap(r.getExpression());
        if (e instanceof SimpleName n && keys.containsKey(n.getIdentifier())) {
          returned.add(n.getIdentifier());
        } else {
          other[0] = true;
        }
        return true;
      }

      @Override
      public boolean visit(Assignment a) {
        if (a.getLeftHandSide() instanceof SimpleName n) {
          assigned.add(n.getIdentifier());
        }
        return true;
      }
    });
    if (other[0] || returned.size() != 1) {
      return null;
    }
    String name = returned.iterator().next();
    return assigned.contains(name) ? null : keys.get(name);
  }
}
