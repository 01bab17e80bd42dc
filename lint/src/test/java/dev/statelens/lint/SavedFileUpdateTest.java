package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.lint.source.ProjectIndex;
import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Linter#update} of a saved file with bindings parses it once, with bindings, and indexes
 * it from that parse instead of a second, syntax-only one. Whatever path it takes (error-free
 * unit: indexed from the binding parse; unresolved types or syntax errors: indexed from a syntax
 * parse), it must report what a fresh lint of the same files reports and leave the same index
 * entry a syntax parse gives. Checked on every golden fixture, with the engine (a compiled stub)
 * on the classpath as the CLI and the plugin pass it, before and after an edit that is saved.
 */
class SavedFileUpdateTest {

  @TempDir
  static Path tmp;

  private static Path engineClasses;

  @BeforeAll
  static void compileEngineStub() throws IOException, URISyntaxException {
    engineClasses = EngineStub.compile(tmp.resolve("engine-classes"));
  }

  private static LintConfig config() {
    return LintConfig.defaults().withClasspath(List.of(engineClasses));
  }

  static Stream<String> fixtures() throws IOException {
    return GoldenFixturesTest.fixtures();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void updateOfSavedFileMatchesFreshLint(String name) throws IOException {
    Path file = Files.createDirectories(tmp.resolve("project-" + name)).resolve(name + ".java");
    String text = Files.readString(Fixtures.file(name + ".java"));
    Files.writeString(file, text);

    Linter editor = new Linter(config());
    editor.lint(List.of(SourceFile.read(file)));
    assertSameAsFreshLint(editor, file, "re-analysis of unchanged " + name);

    // Saved after an edit that moves every line down and adds a comment.
    Files.writeString(file, "// edited\n" + text.replace("{\n", "{ // edited\n"));
    assertSameAsFreshLint(editor, file, "re-analysis of edited " + name);
  }

  @Test
  void aFileWhosePackageChangedIsStillIndexedUnderItsNewPackage() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("moved/src/demo"));
    Path file = dir.resolve("Step.java");
    String body = """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        import java.util.function.Function;

        class Step {
          int calls;

          Function<Array, Array> step() {
            return Transforms.jit((Array x) -> { calls++; return x.mul(2); });
          }
        }
        """;
    Files.writeString(file, "package demo;\n" + body);
    Linter editor = new Linter(config());
    editor.lint(List.of(SourceFile.read(file)));
    Files.writeString(file, "package other;\n" + body);
    assertSameAsFreshLint(editor, file, "re-analysis after the package changed");
    assertEquals("other", editor.index().file(file).orElseThrow().packageName());
  }

  private static void assertSameAsFreshLint(Linter editor, Path file, String what) {
    SourceFile saved = SourceFile.read(file);
    LintResult updated = editor.update(saved);
    LintResult fresh = new Linter(config()).lint(List.of(saved));
    assertEquals(Fixtures.golden(fresh), Fixtures.golden(updated), what);
    assertEquals(ProjectIndex.build(List.of(saved)).file(file), editor.index().file(file),
        "index entry after the " + what);
  }
}
