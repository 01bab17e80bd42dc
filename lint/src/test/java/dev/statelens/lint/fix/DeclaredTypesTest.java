package dev.statelens.lint.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.SimpleName;
import org.junit.jupiter.api.Test;

/** {@link DeclaredTypes}: the declaration in scope at a use, and its type as written. */
class DeclaredTypesTest {

  private static final String SOURCE = """
      import dev.statelens.engine.Array;
      import java.util.List;
      import java.util.function.BiFunction;
      import java.util.function.Function;
      class Shapes {
        int epoch;
        String name;
        Array step(Array x, Array... rest) {
          { int n = 1; use(n); }
          { Array n = x; use(n); }
          int grid[] = {1};
          int[] table[] = {{1}};
          var loss = x.mul(2);
          String epoch = "shadow";
          use(grid); use(table); use(loss); use(epoch); use(rest);
          Function<Array, Array> typed = (Array v) -> use(v);
          BiFunction<Array, Array, Array> untyped = (a, b) -> use(a);
          for (String each : List.of("a")) { use(each); }
          try { use(x); } catch (IllegalStateException e) { use(e); }
          return x;
        }
        void other() { use(epoch); use(name); use(undeclared); }
        static <T> T use(T t) { return t; }
      }
      """;

  /** Each use of a name (not a declaration): in the order of the source, name -> declared type. */
  private static List<String> uses(String... names) {
    CompilationUnit cu = JavaParsing.parseSyntax(new SourceFile(Path.of("Shapes.java"), SOURCE));
    List<String> out = new ArrayList<>();
    List<String> wanted = List.of(names);
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(SimpleName n) {
        if (!n.isDeclaration() && wanted.contains(n.getIdentifier())
            && n.getParent() instanceof org.eclipse.jdt.core.dom.MethodInvocation call
            && call.getName().getIdentifier().equals("use")) {
          DeclaredTypes.Declared d = DeclaredTypes.at(n);
          out.add(n.getIdentifier() + ":" + (d == null ? "null" : d.type() + (d.field() ? " (field)" : "")));
        }
        return true;
      }
    });
    return out;
  }

  @Test
  void theDeclarationInScopeAtTheUseWinsOverAnotherOfTheSameName() {
    assertEquals(List.of("n:int", "n:Array"), uses("n"));
  }

  @Test
  void extraDimensionsAfterTheNameAreOfTheType() {
    assertEquals(List.of("grid:int[]", "table:int[][]", "rest:Array[]"), uses("grid", "table", "rest"));
  }

  @Test
  void varIsReadAsVar() {
    assertEquals(List.of("loss:var"), uses("loss"));
  }

  @Test
  void aLocalShadowsTheFieldAndElsewhereTheFieldIsRead() {
    assertEquals(List.of("epoch:String", "epoch:int (field)"), uses("epoch"));
    assertEquals(List.of("name:String (field)", "undeclared:null"), uses("name", "undeclared"));
  }

  @Test
  void lambdaParametersTypedOrNot() {
    assertEquals(List.of("v:Array", "a:"), uses("v", "a"));
  }

  @Test
  void enhancedForAndCatchVariables() {
    assertEquals(List.of("each:String", "e:IllegalStateException"), uses("each", "e"));
  }

  @Test
  void arraysAreTheEnginesArrayByNameOrQualifiedName() {
    assertTrue(new DeclaredTypes.Declared(null, "Array", false).isArray());
    assertTrue(new DeclaredTypes.Declared(null, "dev.statelens.engine.Array", false).isArray());
    assertFalse(new DeclaredTypes.Declared(null, "Array[]", false).isArray());
    assertFalse(new DeclaredTypes.Declared(null, "var", false).isArray());
  }

  @Test
  void freshNamesSkipTheNamesTheMemberDeclares() {
    CompilationUnit cu = JavaParsing.parseSyntax(new SourceFile(Path.of("Shapes.java"), SOURCE));
    var names = DeclaredTypes.namesDeclaredIn(cu);
    assertTrue(names.containsAll(List.of("n", "grid", "v", "a", "b", "each", "e", "x", "rest")), names.toString());
    assertEquals("e2", DeclaredTypes.freshName("e", names));
    assertEquals("e3", DeclaredTypes.freshName("e", names), "a name handed out is taken");
    assertEquals("fresh", DeclaredTypes.freshName("fresh", names));
  }
}
