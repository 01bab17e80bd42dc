package dev.statelens.lint.analysis;

import dev.statelens.lint.source.FileSummary;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.ProjectIndex;
import dev.statelens.lint.source.TypeSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.ImportDeclaration;
import org.eclipse.jdt.core.dom.NodeFinder;

/**
 * The ASTs the analysis works on: files parsed with bindings where the caller provided them,
 * others parsed syntax-only on first use. Each AST knows its file.
 */
public final class Units {

  private static final String FILE_PROPERTY = "dev.statelens.lint.file";

  private final ProjectIndex index;
  private final Map<Path, CompilationUnit> units = new HashMap<>();
  private final Map<CompilationUnit, Imports> imports = new HashMap<>();

  /** Syntax-only ASTs, shared with the caller so they survive from one analysis to the next. */
  private final Map<Path, CompilationUnit> syntaxTrees;

  public Units(ProjectIndex index, Map<Path, CompilationUnit> parsed) {
    this(index, parsed, new HashMap<>());
  }

  /**
   * @param parsed ASTs with bindings, preferred where present
   * @param syntaxTrees syntax-only ASTs already parsed (e.g. while indexing); files parsed on
   *     demand are added to it
   */
  public Units(ProjectIndex index, Map<Path, CompilationUnit> parsed,
      Map<Path, CompilationUnit> syntaxTrees) {
    this.index = index;
    this.syntaxTrees = syntaxTrees;
    parsed.forEach(this::put);
  }

  private void put(Path file, CompilationUnit cu) {
    cu.setProperty(FILE_PROPERTY, file);
    units.put(file, cu);
  }

  public ProjectIndex index() {
    return index;
  }

  /** The AST of a project file (parsed now, syntax-only, if nobody parsed it yet). */
  public CompilationUnit unit(Path file) {
    CompilationUnit cu = units.get(file);
    if (cu == null) {
      cu = syntaxTrees.get(file);
      if (cu == null) {
        FileSummary summary = index.file(file).orElseThrow(
            () -> new IllegalArgumentException("not an analyzed file: " + file));
        cu = JavaParsing.parseSyntax(summary.file());
        syntaxTrees.put(file, cu);
      }
      put(file, cu);
    }
    return cu;
  }

  public static Path fileOf(ASTNode node) {
    return (Path) node.getRoot().getProperty(FILE_PROPERTY);
  }

  /** Whether {@code node} is {@code ancestor} or lies inside it. */
  public static boolean within(ASTNode node, ASTNode ancestor) {
    for (ASTNode n = node; n != null; n = n.getParent()) {
      if (n == ancestor) {
        return true;
      }
    }
    return false;
  }

  /** The line {@code node} starts on (1-based), in its compilation unit. */
  public static int line(ASTNode node) {
    return ((CompilationUnit) node.getRoot()).getLineNumber(node.getStartPosition());
  }

  /** The declaration of an indexed type, in its file's AST. */
  public Optional<AbstractTypeDeclaration> declaration(TypeSummary type) {
    CompilationUnit cu = unit(type.file());
    ASTNode node = NodeFinder.perform(cu, type.offset(), 0);
    for (ASTNode n = node; n != null; n = n.getParent()) {
      if (n instanceof AbstractTypeDeclaration decl && decl.getStartPosition() == type.offset()) {
        return Optional.of(decl);
      }
    }
    // Offsets drift only if the file changed since indexing; fall back to the name.
    List<AbstractTypeDeclaration> all = new ArrayList<>();
    cu.accept(new org.eclipse.jdt.core.dom.ASTVisitor() {
      @Override
      public boolean visit(org.eclipse.jdt.core.dom.TypeDeclaration n) {
        all.add(n);
        return true;
      }

      @Override
      public boolean visit(org.eclipse.jdt.core.dom.EnumDeclaration n) {
        all.add(n);
        return true;
      }

      @Override
      public boolean visit(org.eclipse.jdt.core.dom.RecordDeclaration n) {
        all.add(n);
        return true;
      }
    });
    return all.stream().filter(d -> d.getName().getIdentifier().equals(type.simpleName())).findFirst();
  }

  /** The imports of the file an AST node is in. */
  public Imports imports(ASTNode node) {
    CompilationUnit cu = (CompilationUnit) node.getRoot();
    return imports.computeIfAbsent(cu, Imports::of);
  }

  /**
   * A file's imports: {@code types} holds {@code java.util.List} and {@code java.util.*},
   * {@code statics} holds {@code java.lang.Math.random} and {@code a.B.*}.
   */
  public record Imports(String packageName, List<String> types, List<String> statics) {

    public static Imports of(CompilationUnit cu) {
      List<String> types = new ArrayList<>();
      List<String> statics = new ArrayList<>();
      for (Object o : cu.imports()) {
        ImportDeclaration imp = (ImportDeclaration) o;
        String name = imp.getName().getFullyQualifiedName() + (imp.isOnDemand() ? ".*" : "");
        (imp.isStatic() ? statics : types).add(name);
      }
      String pkg = cu.getPackage() == null ? "" : cu.getPackage().getName().getFullyQualifiedName();
      return new Imports(pkg, List.copyOf(types), List.copyOf(statics));
    }

    /** The qualified name a simple type name has by import or {@code java.lang}, or null. */
    public String qualify(String simpleName) {
      for (String t : types) {
        if (t.endsWith("." + simpleName)) {
          return t;
        }
      }
      if (KnownTypes.isJavaLang(simpleName)) {
        return "java.lang." + simpleName;
      }
      return null;
    }

    /** The class a statically imported member comes from, or null. */
    public String staticOwner(String member) {
      for (String s : statics) {
        if (s.endsWith("." + member)) {
          return s.substring(0, s.length() - member.length() - 1);
        }
      }
      return null;
    }

    /** Classes whose members are all statically imported ({@code import static a.B.*}). */
    public List<String> staticWildcardOwners() {
      return statics.stream().filter(s -> s.endsWith(".*"))
          .map(s -> s.substring(0, s.length() - 2)).toList();
    }

    public boolean importsOnDemand(String packageName) {
      return types.contains(packageName + ".*");
    }
  }
}
