package dev.statelens.lint.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.dom.AST;
import org.eclipse.jdt.core.dom.ASTParser;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.FileASTRequestor;

/**
 * JDT's parser, configured for the newest Java version JDT knows, with statement recovery so
 * broken code still yields an AST.
 */
public final class JavaParsing {

  private static final Map<String, String> OPTIONS = compilerOptions();
  private static final Map<String, String> BINDING_OPTIONS = bindingOptions();

  private JavaParsing() {}

  private static Map<String, String> compilerOptions() {
    Map<String, String> options = JavaCore.getOptions();
    JavaCore.setComplianceOptions(JavaCore.latestSupportedJavaVersion(), options);
    // Preview features so that code using them still parses instead of erroring out.
    options.put(JavaCore.COMPILER_PB_ENABLE_PREVIEW_FEATURES, JavaCore.ENABLED);
    options.put(JavaCore.COMPILER_PB_REPORT_PREVIEW_FEATURES, JavaCore.IGNORE);
    return Map.copyOf(options);
  }

  /**
   * For a parse with bindings JDT compiles the file: resolves it, runs flow analysis, reports
   * warnings and even generates class files. The analyzer reads none of the warnings, the
   * Javadoc or the class files, so they are switched off here: ~15% of a binding parse (see
   * docs/benchmarks.md, "Lint throughput"). Errors (what does not resolve) stay on.
   */
  private static Map<String, String> bindingOptions() {
    Map<String, String> options = new HashMap<>(OPTIONS);
    for (Map.Entry<String, String> e : OPTIONS.entrySet()) {
      boolean optionalProblem = e.getKey().startsWith("org.eclipse.jdt.core.compiler.problem.")
          && (e.getValue().equals(JavaCore.WARNING) || e.getValue().equals(JavaCore.INFO));
      if (optionalProblem) {
        options.put(e.getKey(), JavaCore.IGNORE);
      }
    }
    options.put(JavaCore.COMPILER_DOC_COMMENT_SUPPORT, JavaCore.DISABLED);
    options.put(JavaCore.COMPILER_ANNOTATION_NULL_ANALYSIS, JavaCore.DISABLED);
    options.put(JavaCore.COMPILER_LOCAL_VARIABLE_ATTR, JavaCore.DO_NOT_GENERATE);
    options.put(JavaCore.COMPILER_LINE_NUMBER_ATTR, JavaCore.DO_NOT_GENERATE);
    options.put(JavaCore.COMPILER_SOURCE_FILE_ATTR, JavaCore.DO_NOT_GENERATE);
    return Map.copyOf(options);
  }

  /** The options of a binding parse, for {@link BindingEnvironment} (read-only). */
  static Map<String, String> bindingOptionsMap() {
    return BINDING_OPTIONS;
  }

  private static ASTParser newParser() {
    return newParser(OPTIONS);
  }

  private static ASTParser newParser(Map<String, String> options) {
    ASTParser parser = ASTParser.newParser(AST.getJLSLatest());
    parser.setCompilerOptions(new HashMap<>(options));
    parser.setKind(ASTParser.K_COMPILATION_UNIT);
    parser.setStatementsRecovery(true);
    return parser;
  }

  /** Parses without resolving types: fast, always works, knows names only. */
  public static CompilationUnit parseSyntax(SourceFile file) {
    ASTParser parser = newParser();
    parser.setSource(file.content().toCharArray());
    if (file.path().getFileName() != null
        && file.path().getFileName().toString().equals("module-info.java")) {
      parser.setUnitName("module-info.java"); // JDT parses module declarations only then
    }
    parser.setResolveBindings(false);
    return (CompilationUnit) parser.createAST(null);
  }

  /**
   * Parses files from disk with bindings. Types are looked up in {@code sourceRoots} (the
   * project's other sources), {@code classpath} and the running JDK; what does not resolve gets
   * recovered bindings or none, and the analyzer falls back to names there.
   */
  public static Map<Path, CompilationUnit> parseWithBindings(
      List<Path> files, List<Path> sourceRoots, List<Path> classpath) {
    Map<Path, CompilationUnit> units = new HashMap<>();
    if (files.isEmpty()) {
      return units;
    }
    ASTParser parser = newParser(BINDING_OPTIONS);
    parser.setResolveBindings(true);
    parser.setBindingsRecovery(true);
    String[] sourcepath = strings(sourceRoots);
    String[] encodings = new String[sourcepath.length];
    java.util.Arrays.fill(encodings, "UTF-8");
    parser.setEnvironment(strings(classpath), sourcepath, encodings, true);
    parser.createASTs(strings(files), encodingsFor(files.size()), new String[0],
        new FileASTRequestor() {
          @Override
          public void acceptAST(String sourceFilePath, CompilationUnit ast) {
            units.put(Path.of(sourceFilePath).toAbsolutePath().normalize(), ast);
          }
        }, null);
    return units;
  }

  /**
   * Parses one file's text (not read from disk) with bindings, as {@link #parseWithBindings(List,
   * List, List)} would parse the file: same options and lookup, positions as in {@code source}.
   */
  public static CompilationUnit parseWithBindings(Path file, char[] source, List<Path> sourceRoots,
      List<Path> classpath) {
    ASTParser parser = newParser(BINDING_OPTIONS);
    parser.setResolveBindings(true);
    parser.setBindingsRecovery(true);
    String[] sourcepath = strings(sourceRoots);
    parser.setEnvironment(strings(classpath), sourcepath, encodingsFor(sourcepath.length), true);
    parser.setUnitName(file.toString());
    parser.setSource(source);
    return (CompilationUnit) parser.createAST(null);
  }

  private static String[] encodingsFor(int n) {
    String[] encodings = new String[n];
    java.util.Arrays.fill(encodings, "UTF-8");
    return encodings;
  }

  private static String[] strings(List<Path> paths) {
    List<String> out = new ArrayList<>(paths.size());
    for (Path p : paths) {
      out.add(p.toString());
    }
    return out.toArray(String[]::new);
  }
}
