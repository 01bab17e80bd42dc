package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.source.BindingEnvironment;
import dev.statelens.lint.source.JavaParsing;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.eclipse.jdt.core.compiler.IProblem;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.IBinding;
import org.eclipse.jdt.core.dom.ITypeBinding;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.SimpleName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BindingEnvironment} resolves a file as JDT's public {@code ASTParser} does (same bindings
 * on every node of every golden fixture), and what it keeps between parses never hides a change:
 * a rebuilt jar, a class added to a class folder, a secondary type added to or removed from a
 * source file of the package.
 */
class BindingEnvironmentTest {

  @TempDir
  static Path tmp;

  private static Path engineClasses;

  @BeforeAll
  static void compileEngineStub() throws IOException, URISyntaxException {
    engineClasses = EngineStub.compile(tmp.resolve("engine-classes"));
  }

  static Stream<String> fixtures() throws IOException {
    return GoldenFixturesTest.fixtures();
  }

  @Test
  void theKeptPathRunsWithThisJdt() {
    assertTrue(BindingEnvironment.internalPathWorks(),
        "JDT's internal resolver was not found: every binding parse falls back to ASTParser");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void bindingsAreThoseOfAstParser(String name) throws IOException {
    Path file = Fixtures.file(name + ".java");
    char[] text = Files.readString(file).toCharArray();
    List<Path> roots = List.of(Fixtures.dir());
    List<Path> classpath = List.of(engineClasses);
    CompilationUnit expected = JavaParsing.parseWithBindings(file, text, roots, classpath);
    BindingEnvironment env = new BindingEnvironment();
    for (int round = 0; round < 2; round++) { // the second parse runs on what the first kept
      CompilationUnit actual = env.parse(file, text, roots, classpath);
      assertEquals(bindings(expected), bindings(actual), name + ", parse " + (round + 1));
      assertEquals(resolutionErrors(expected), resolutionErrors(actual), name);
    }
  }

  @Test
  void aRebuiltJarIsReadAgain() throws IOException {
    Path project = Files.createDirectories(tmp.resolve("jar-project/p"));
    Path use = Files.writeString(project.resolve("Use.java"),
        "package p;\nclass Use {\n  int f() { return lib.Lib.one() + lib.Lib.three(); }\n}\n");
    Path jar = tmp.resolve("lib.jar");
    jar(jar, "package lib;\npublic class Lib {\n  public static int one() { return 1; }\n}\n");
    BindingEnvironment env = new BindingEnvironment();
    List<Path> roots = List.of(project.getParent());
    CompilationUnit first = env.parse(use, Files.readString(use).toCharArray(), roots,
        List.of(jar));
    assertEquals(List.of("one", "-three"), calls(first));
    jar(jar, "package lib;\npublic class Lib {\n  public static int one() { return 1; }\n"
        + "  public static int three() { return 3; }\n}\n");
    CompilationUnit second = env.parse(use, Files.readString(use).toCharArray(), roots,
        List.of(jar));
    assertEquals(List.of("one", "three"), calls(second));
  }

  @Test
  void aClassAddedToAClassFolderIsFound() throws IOException {
    Path project = Files.createDirectories(tmp.resolve("folder-project/p"));
    Path use = Files.writeString(project.resolve("Use.java"),
        "package p;\nclass Use {\n  int f() { return lib.Two.two(); }\n}\n");
    Path classes = Files.createDirectories(tmp.resolve("lib-classes"));
    BindingEnvironment env = new BindingEnvironment();
    List<Path> roots = List.of(project.getParent());
    assertEquals(List.of("-two"), calls(env.parse(use, Files.readString(use).toCharArray(),
        roots, List.of(classes))));
    compile(classes, "package lib;\npublic class Two {\n  public static int two() { return 2; }\n}\n");
    assertEquals(List.of("two"), calls(env.parse(use, Files.readString(use).toCharArray(),
        roots, List.of(classes))));
  }

  @Test
  void secondaryTypesFollowTheFilesOfThePackage() throws IOException {
    Path pkg = Files.createDirectories(tmp.resolve("secondary-project/p"));
    Path use = Files.writeString(pkg.resolve("Use.java"),
        "package p;\nclass Use {\n  int f() { return Helper.h() + String.valueOf(1).length(); }\n}\n");
    List<Path> roots = List.of(pkg.getParent());
    BindingEnvironment env = new BindingEnvironment();
    char[] text = Files.readString(use).toCharArray();
    assertEquals(List.of("-h", "valueOf", "length"), calls(env.parse(use, text, roots, List.of())));
    Path other = Files.writeString(pkg.resolve("Other.java"),
        "package p;\nclass Other {}\nclass Helper {\n  static int h() { return 1; }\n}\n");
    assertEquals(List.of("h", "valueOf", "length"), calls(env.parse(use, text, roots, List.of())));
    Files.writeString(other, "package p;\nclass Other {}\n");
    assertEquals(List.of("-h", "valueOf", "length"), calls(env.parse(use, text, roots, List.of())));
    // the parsed file's own edit inside a body, declared as such, keeps what was read ...
    Files.writeString(other,
        "package p;\nclass Other {}\nclass Helper {\n  static int h() { return 1; }\n}\n");
    assertEquals(List.of("h", "valueOf", "length"), calls(env.parse(use, text, roots, List.of())));
    Files.writeString(use, Files.readString(use).replace("valueOf(1)", "valueOf(12)"));
    text = Files.readString(use).toCharArray();
    assertEquals(List.of("h", "valueOf", "length"),
        calls(env.parse(use, text, roots, List.of(), true)));
    // ... but another file's change is still seen
    Files.writeString(other, "package p;\nclass Other {}\n");
    assertEquals(List.of("-h", "valueOf", "length"),
        calls(env.parse(use, text, roots, List.of(), true)));
  }

  /** Method names called, in source order, with "-" where the call does not resolve. */
  private static List<String> calls(CompilationUnit cu) {
    List<String> out = new ArrayList<>();
    cu.accept(new ASTVisitor() {
      @Override
      public void endVisit(MethodInvocation node) {
        out.add((node.resolveMethodBinding() == null ? "-" : "") + node.getName().getIdentifier());
      }
    });
    return out; // a receiver's call before the call on it

  }

  /** For every name and expression: its position, binding key and type binding key. */
  private static List<String> bindings(CompilationUnit cu) {
    List<String> out = new ArrayList<>();
    cu.accept(new ASTVisitor() {
      @Override
      public void preVisit(ASTNode node) {
        StringBuilder line = new StringBuilder(node.getStartPosition() + "+" + node.getLength()
            + " " + node.getClass().getSimpleName());
        if (node instanceof Name n) {
          line.append(" b=").append(key(n.resolveBinding()));
        }
        if (node instanceof Expression e && !(node instanceof SimpleName s
            && s.getParent() instanceof org.eclipse.jdt.core.dom.AbstractTypeDeclaration)) {
          line.append(" t=").append(key(e.resolveTypeBinding()));
        }
        if (node instanceof MethodInvocation m) {
          line.append(" m=").append(key(m.resolveMethodBinding()));
        }
        out.add(line.toString());
      }
    });
    assertFalse(out.isEmpty());
    return out;
  }

  /**
   * The binding's key, except that of a lambda's synthetic method: JDT lists the variables a
   * lambda captures in it ({@code lambda$0([FLArray;)}), and those are found by flow analysis,
   * which the kept environment does not run ({@code lambda$0(LArray;)}); the analyzer reads keys
   * only to find a declaration in the same AST, where they agree.
   */
  private static String key(IBinding b) {
    if (b == null) {
      return "null";
    }
    String recovered = b.isRecovered() ? "recovered " : "";
    String key = LAMBDA.matcher(b.getKey()).replaceAll("lambda\\$$1(...)");
    return recovered + key + (b instanceof ITypeBinding t ? " " + t.getQualifiedName() : "");
  }

  private static final java.util.regex.Pattern LAMBDA =
      java.util.regex.Pattern.compile("lambda\\$(\\d+)\\([^)]*\\)");

  /**
   * Errors of resolution (types, methods, fields that do not resolve and the like) with their
   * positions. Flow analysis runs only in ASTParser's parse (missing returns, unassigned locals,
   * unreachable code): those are left out on both sides, the analyzer never reads them.
   */
  private static List<String> resolutionErrors(CompilationUnit cu) {
    List<String> out = new ArrayList<>();
    for (IProblem p : cu.getProblems()) {
      if (p.isError() && !isFlowProblem(p)) {
        out.add(p.getSourceStart() + " " + p.getID() + " " + p.getMessage());
      }
    }
    return out;
  }

  private static boolean isFlowProblem(IProblem p) {
    int id = p.getID();
    return id == IProblem.ShouldReturnValue || id == IProblem.UninitializedLocalVariable
        || id == IProblem.CodeCannotBeReached || id == IProblem.UninitializedBlankFinalField
        || id == IProblem.FinalFieldAssignment || id == IProblem.DuplicateFinalLocalInitialization
        || id == IProblem.UnhandledException || id == IProblem.UnreachableCatch
        || id == IProblem.InvalidBreak || id == IProblem.InvalidContinue;
  }

  private static void jar(Path jar, String source) throws IOException {
    Path classes = Files.createTempDirectory(tmp, "jar-classes");
    compile(classes, source);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        jarOut.write(Files.readAllBytes(f));
        jarOut.closeEntry();
      }
    }
  }

  private static void compile(Path classes, String source) throws IOException {
    Path src = Files.createTempDirectory(tmp, "src");
    String name = source.substring(source.indexOf("class ") + 6, source.indexOf(" {"));
    Path file = Files.writeString(src.resolve(name + ".java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    try (var fm = javac.getStandardFileManager(null, null, null)) {
      boolean ok = javac.getTask(messages, fm, null, List.of("-d", classes.toString()), null,
          fm.getJavaFileObjects(file)).call();
      assertTrue(ok, messages.toString());
    }
  }
}
