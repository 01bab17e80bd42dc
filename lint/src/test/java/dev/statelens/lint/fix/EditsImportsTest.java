package dev.statelens.lint.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the imports a fix needs go: in name order among the file's type imports. */
class EditsImportsTest {

  private static String withImports(String source, String... types) {
    Edits edits = new Edits(source, JavaParsing.parseSyntax(new SourceFile(Path.of("Step.java"), source)));
    for (String type : types) {
      edits.type(type);
    }
    return edits.apply();
  }

  @Test
  void newImportsGoInNameOrderAmongTheTypeImports() {
    String source = """
        package demo;

        import dev.statelens.engine.Array;
        import java.util.List;

        class Step {}
        """;
    assertEquals("""
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Debug;
        import java.util.List;
        import java.util.function.Function;

        class Step {}
        """, withImports(source, "java.util.function.Function", "dev.statelens.engine.Debug"));
  }

  /** A static block after the type imports stays below them: a type import sorting last is not put after it. */
  @Test
  void anImportThatSortsLastGoesAfterTheTypeImportsNotAfterTheStaticOnes() {
    String source = """
        package demo;

        import dev.statelens.engine.Array;
        import java.util.List;

        import static java.lang.Math.max;

        class Step {}
        """;
    assertEquals("""
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Debug;
        import java.util.List;
        import java.util.function.Function;

        import static java.lang.Math.max;

        class Step {}
        """, withImports(source, "java.util.function.Function", "dev.statelens.engine.Debug"));
  }

  @Test
  void aFileWithoutImportsGetsThemAfterThePackage() {
    String source = """
        package demo;

        class Step {}
        """;
    assertEquals("""
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Debug;

        class Step {}
        """, withImports(source, "dev.statelens.engine.Debug", "dev.statelens.engine.Array"));
  }
}
