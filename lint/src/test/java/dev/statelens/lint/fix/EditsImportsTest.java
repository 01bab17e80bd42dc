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

  private static String replacingSupplier(String source) {
    Edits edits = new Edits(source, JavaParsing.parseSyntax(new SourceFile(Path.of("Main.java"), source)));
    String old = "Supplier<Array> fast";
    edits.replace(source.indexOf(old), "Supplier<Array>".length(),
        edits.type("java.util.function.Function") + "<Array, Array>");
    return edits.apply();
  }

  /** Convert to explicit state's call site: the Supplier it replaced was the file's only use of the import. */
  @Test
  void anImportWhoseOnlyUseAFixReplacesIsRemoved() {
    assertEquals("""
        package demo;

        import dev.statelens.engine.Array;
        import java.util.function.Function;

        class Main {
          Function<Array, Array> fast = null;
        }
        """, replacingSupplier("""
        package demo;

        import dev.statelens.engine.Array;
        import java.util.function.Supplier;

        class Main {
          Supplier<Array> fast = null;
        }
        """));
  }

  @Test
  void anImportStillUsedElsewhereOrInJavadocStays() {
    String usedElsewhere = """
        package demo;

        import dev.statelens.engine.Array;
        import java.util.function.Supplier;

        class Main {
          Supplier<Array> fast = null;
          Supplier<Array> slow = null;
        }
        """;
    assertEquals(usedElsewhere.replace("Supplier<Array> fast", "Function<Array, Array> fast")
        .replace("import java.util.function.Supplier;", "import java.util.function.Function;\nimport java.util.function.Supplier;"),
        replacingSupplier(usedElsewhere));
    String inJavadoc = """
        package demo;

        import dev.statelens.engine.Array;
        import java.util.function.Supplier;

        /** Was a {@link Supplier}. */
        class Main {
          Supplier<Array> fast = null;
        }
        """;
    assertEquals(inJavadoc.replace("Supplier<Array> fast", "Function<Array, Array> fast")
        .replace("import java.util.function.Supplier;", "import java.util.function.Function;\nimport java.util.function.Supplier;"),
        replacingSupplier(inJavadoc));
  }
}
