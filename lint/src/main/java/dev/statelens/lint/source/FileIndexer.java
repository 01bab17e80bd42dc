package dev.statelens.lint.source;

import dev.statelens.lint.analysis.TransformKind;
import dev.statelens.lint.analysis.WriteVisitor;
import dev.statelens.lint.suppress.SuppressionParser;
import dev.statelens.lint.suppress.SuppressionToken;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.compiler.IProblem;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnnotationTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.EnumDeclaration;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.Initializer;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Modifier;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.RecordDeclaration;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.TypeDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;

/** Summarizes one parsed file for the {@link ProjectIndex} in a single pass over its AST. */
final class FileIndexer extends WriteVisitor {

  private final SourceFile file;
  private final CompilationUnit cu;
  private final String packageName;
  private final List<TypeBuilder> finished = new ArrayList<>();
  /** Field writes outside initializers: the enclosing types (innermost first) and the name. */
  private final List<Map.Entry<List<TypeBuilder>, String>> pendingWrites = new ArrayList<>();
  private final Set<String> referencedNames = new HashSet<>();
  private final Set<String> qualifiedFieldWrites = new HashSet<>();
  private boolean hasTransformCall;

  /** Types being visited, innermost last, with what is collected for each. */
  private final Deque<TypeBuilder> typeStack = new ArrayDeque<>();
  /** Nesting of code in which field writes do not count against effective finality. */
  private final Deque<Boolean> initializerStack = new ArrayDeque<>();
  /** Names declared as locals or parameters of the method being visited. */
  private final Deque<Set<String>> localNames = new ArrayDeque<>();

  private FileIndexer(SourceFile file, CompilationUnit cu) {
    super(false);
    this.file = file;
    this.cu = cu;
    this.packageName = cu.getPackage() == null ? "" : cu.getPackage().getName().getFullyQualifiedName();
  }

  static FileSummary summarize(SourceFile file, CompilationUnit cu) {
    FileIndexer indexer = new FileIndexer(file, cu);
    cu.accept(indexer);
    indexer.resolvePendingWrites();
    List<TypeSummary> types = indexer.finished.stream().map(TypeBuilder::build).toList();
    List<SuppressionToken> suppressions = file.content().contains("statelens")
        ? SuppressionParser.tokens(file.path(), cu)
        : List.of();
    List<FileSummary.SyntaxError> errors = new ArrayList<>();
    for (IProblem problem : cu.getProblems()) {
      if (problem.isError()) {
        errors.add(new FileSummary.SyntaxError(problem.getSourceLineNumber(), problem.getMessage()));
      }
    }
    return new FileSummary(file, indexer.packageName, types,
        indexer.hasTransformCall, Set.copyOf(indexer.referencedNames),
        Set.copyOf(indexer.qualifiedFieldWrites), suppressions, List.copyOf(errors));
  }

  private final class TypeBuilder {
    final String qualifiedName;
    final int offset;
    final String superclass;
    final List<String> interfaces;
    final Map<String, FieldSummary> fields = new LinkedHashMap<>();
    final Set<String> methodNames = new HashSet<>();
    final Set<String> assignedAfterInit = new HashSet<>();
    boolean isInterface;

    TypeBuilder(String qualifiedName, int offset, String superclass, List<String> interfaces) {
      this.qualifiedName = qualifiedName;
      this.offset = offset;
      this.superclass = superclass;
      this.interfaces = interfaces;
    }

    TypeSummary build() {
      return new TypeSummary(qualifiedName, file.path(), offset, superclass, interfaces,
          Map.copyOf(fields), Set.copyOf(methodNames), Set.copyOf(assignedAfterInit));
    }
  }

  private String qualify(String simpleName) {
    if (!typeStack.isEmpty()) {
      return typeStack.peek().qualifiedName + "." + simpleName;
    }
    return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
  }

  private boolean enterType(AbstractTypeDeclaration decl, Type superclass, List<?> interfaces) {
    List<String> interfaceNames = new ArrayList<>();
    for (Object t : interfaces) {
      interfaceNames.add(t.toString());
    }
    typeStack.push(new TypeBuilder(qualify(decl.getName().getIdentifier()),
        decl.getStartPosition(), superclass == null ? null : superclass.toString(),
        List.copyOf(interfaceNames)));
    initializerStack.push(Boolean.FALSE);
    return true;
  }

  private void exitType() {
    finished.add(typeStack.pop());
    initializerStack.pop();
  }

  @Override
  public boolean visit(TypeDeclaration node) {
    enterType(node, node.getSuperclassType(), node.superInterfaceTypes());
    typeStack.peek().isInterface = node.isInterface();
    return true;
  }

  @Override
  public void endVisit(TypeDeclaration node) {
    exitType();
  }

  @Override
  public boolean visit(EnumDeclaration node) {
    return enterType(node, null, node.superInterfaceTypes());
  }

  @Override
  public void endVisit(EnumDeclaration node) {
    exitType();
  }

  @Override
  public boolean visit(RecordDeclaration node) {
    enterType(node, null, node.superInterfaceTypes());
    for (Object component : node.recordComponents()) {
      SingleVariableDeclaration c = (SingleVariableDeclaration) component;
      String name = c.getName().getIdentifier();
      typeStack.peek().fields.put(name, new FieldSummary(name, c.getType().toString(), false, true, true));
      typeStack.peek().methodNames.add(name);
    }
    return true;
  }

  @Override
  public void endVisit(RecordDeclaration node) {
    exitType();
  }

  @Override
  public boolean visit(AnnotationTypeDeclaration node) {
    return enterType(node, null, List.of());
  }

  @Override
  public void endVisit(AnnotationTypeDeclaration node) {
    exitType();
  }

  @Override
  public boolean visit(AnonymousClassDeclaration node) {
    // Members of anonymous classes are not named types; their writes count for nobody.
    initializerStack.push(Boolean.TRUE);
    return true;
  }

  @Override
  public void endVisit(AnonymousClassDeclaration node) {
    initializerStack.pop();
  }

  @Override
  public boolean visit(FieldDeclaration node) {
    if (typeStack.isEmpty()) {
      return true;
    }
    TypeBuilder type = typeStack.peek();
    boolean inInterface = type.isInterface; // interface fields are implicitly static final
    int mods = node.getModifiers();
    for (Object f : node.fragments()) {
      VariableDeclarationFragment fragment = (VariableDeclarationFragment) f;
      String name = fragment.getName().getIdentifier();
      String typeText = node.getType().toString() + "[]".repeat(fragment.getExtraDimensions());
      type.fields.put(name, new FieldSummary(name, typeText,
          inInterface || Modifier.isStatic(mods), inInterface || Modifier.isFinal(mods),
          Modifier.isPrivate(mods)));
    }
    initializerStack.push(Boolean.TRUE);
    return true;
  }

  @Override
  public void endVisit(FieldDeclaration node) {
    if (!typeStack.isEmpty()) {
      initializerStack.pop();
    }
  }

  @Override
  public boolean visit(Initializer node) {
    initializerStack.push(Boolean.TRUE);
    return true;
  }

  @Override
  public void endVisit(Initializer node) {
    initializerStack.pop();
  }

  @Override
  public boolean visit(MethodDeclaration node) {
    if (!typeStack.isEmpty() && node.getParent() instanceof AbstractTypeDeclaration) {
      typeStack.peek().methodNames.add(node.getName().getIdentifier());
    }
    initializerStack.push(node.isConstructor() || node.isCompactConstructor());
    Set<String> names = new HashSet<>();
    node.accept(new ASTVisitor() {
      @Override
      public boolean visit(VariableDeclarationFragment fragment) {
        names.add(fragment.getName().getIdentifier());
        return true;
      }

      @Override
      public boolean visit(SingleVariableDeclaration declaration) {
        names.add(declaration.getName().getIdentifier());
        return true;
      }
    });
    localNames.push(names);
    return true;
  }

  @Override
  public void endVisit(MethodDeclaration node) {
    initializerStack.pop();
    localNames.pop();
  }

  @Override
  public boolean visit(MethodInvocation node) {
    if (!hasTransformCall && TransformKind.byMethodName(node.getName().getIdentifier()).isPresent()) {
      hasTransformCall = true;
    }
    return true;
  }

  @Override
  public boolean visit(SimpleName node) {
    String id = node.getIdentifier();
    if (!id.isEmpty() && Character.isUpperCase(id.charAt(0))) {
      referencedNames.add(id);
    }
    return false;
  }

  /** An assignment's target or a {@code ++}/{@code --} operand ({@link WriteVisitor}). */
  @Override
  protected void written(Expression target) {
    String name;
    boolean viaThis;
    switch (target) {
      case SimpleName simple -> {
        name = simple.getIdentifier();
        viaThis = localNames.isEmpty() || !localNames.peek().contains(name);
      }
      case FieldAccess access -> {
        name = access.getName().getIdentifier();
        viaThis = access.getExpression() instanceof ThisExpression;
        if (!viaThis) {
          qualifiedFieldWrites.add(name);
        }
      }
      case QualifiedName qualified -> {
        name = qualified.getName().getIdentifier();
        viaThis = false;
        qualifiedFieldWrites.add(name);
      }
      default -> {
        return;
      }
    }
    boolean inInitializer = !initializerStack.isEmpty() && initializerStack.peek();
    if (viaThis && !inInitializer && !typeStack.isEmpty()) {
      pendingWrites.add(Map.entry(List.copyOf(typeStack), name));
    }
  }

  /** Runs after the whole file is seen, so fields declared below their writers are known. */
  private void resolvePendingWrites() {
    for (Map.Entry<List<TypeBuilder>, String> write : pendingWrites) {
      markAssigned(write.getKey(), write.getValue());
    }
  }

  /** Marks the field in the innermost type declaring it (a write may target an outer field). */
  private static void markAssigned(List<TypeBuilder> enclosing, String name) {
    for (TypeBuilder type : enclosing) {
      if (type.fields.containsKey(name)) {
        type.assignedAfterInit.add(name);
        return;
      }
    }
    // Inherited: remember on the innermost type, where the name-based lookup starts.
    enclosing.get(0).assignedAfterInit.add(name);
  }
}
