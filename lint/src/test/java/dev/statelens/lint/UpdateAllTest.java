package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Linter#updateAll} (the IDE's kept linter) reports what a fresh lint of the same texts
 * reports, across files: findings a {@code jit} call in one file reaches in another, a field
 * write through a qualifier added and removed in a third file, unsaved buffers and saves.
 */
class UpdateAllTest {

  @TempDir
  static Path tmp;

  private static Path engineClasses;

  @BeforeAll
  static void compileEngineStub() throws IOException, URISyntaxException {
    engineClasses = EngineStub.compile(tmp.resolve("engine-classes"));
  }

  static final String HELPER = """
      package demo;

      import dev.statelens.engine.Array;

      public class Helper {
        static int hits;
        float scale = 0.5f;

        Array apply(Array x) {
          return x.mul(2);
        }
      }
      """;
  static final String MAIN = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Main {
        final Helper helper = new Helper();

        Function<Array, Array> step() {
          return Transforms.jit((Array x) -> helper.apply(x).mul(helper.scale));
        }
      }
      """;
  static final String OTHER = """
      package demo;

      class Other {
        void set(Helper h) {
          h.scale = 2f;
        }
      }
      """;

  private final SavedProject saved = new SavedProject(config());

  @Test
  void buffersAndSavesAcrossFilesMatchAFreshLint() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("p1/demo"));
    Path helper = saved.save(dir.resolve("Helper.java"), HELPER);
    Path main = saved.save(dir.resolve("Main.java"), MAIN);
    Path other = saved.save(dir.resolve("Other.java"), OTHER);
    Linter kept = new Linter(config());
    LintResult first = kept.lint(saved.onDisk());
    assertTrue(first.findings().stream().anyMatch(f -> f.file().equals(main)),
        "the field written through a qualifier in Other is read in Main's jitted lambda: "
            + first.findings());

    // nothing changed: the second analysis keeps the first's ASTs
    saved.assertMatchesFreshLint(kept.updateAll(List.of()), null, null, "no change");
    saved.assertMatchesFreshLint(kept.updateAll(List.of()), null, null, "no change again");
    assertTrue(kept.lastUpdateKeptBindings());

    // an unsaved body in the helper: a finding there from Main's jit call
    String helperBuffer = HELPER.replace("return x.mul(2);", "hits++;\n    return x.mul(2);");
    LintResult r = kept.updateAll(List.of(new SourceFile(helper, helperBuffer)));
    saved.assertMatchesFreshLint(r, helper, helperBuffer, "helper buffer");
    assertTrue(r.findings().stream().anyMatch(f -> f.file().equals(helper)),
        "a finding in the edited helper, reached from Main: " + r.findings());

    // the buffer is typed on; then it goes back to the disk text (editor closed)
    helperBuffer = helperBuffer.replace("hits++;", "hits += 2;");
    saved.assertMatchesFreshLint(kept.updateAll(List.of(new SourceFile(helper, helperBuffer))), helper, helperBuffer,
        "helper typed on");
    // Main's AST was parsed the first time a change reached it (updateAll parses only the files
    // it analyzes again), and kept: typing on parses no file with bindings
    assertTrue(kept.lastUpdateKeptBindings(), "an unsaved edit parses no file with bindings");
    assertEquals(java.util.Set.of(main), kept.lastReanalyzedFiles(), "only Main reads Helper");
    saved.assertMatchesFreshLint(kept.updateAll(List.of(new SourceFile(helper, HELPER))), null, null, "helper closed");

    // the write through the qualifier removed and saved: Main's finding goes
    saved.save(other, OTHER.replace("h.scale = 2f;", "float s = h.scale;"));
    r = kept.updateAll(List.of(SourceFile.read(other)));
    saved.assertMatchesFreshLint(r, null, null, "write removed");
    assertFalse(kept.lastUpdateKeptBindings(), "a save changes the disk: parsed again");
    assertTrue(r.findings().stream().noneMatch(f -> f.file().equals(main)), r.findings().toString());

    // and added back, with the helper's body edit saved too
    saved.save(other, OTHER);
    saved.save(helper, helperBuffer);
    saved.assertMatchesFreshLint(kept.updateAll(List.of(SourceFile.read(other), SourceFile.read(helper))), null, null,
        "write back, helper saved");

    // a new file calling jit, then an unsaved edit of Main
    Path extra = saved.save(dir.resolve("Extra.java"), MAIN.replace("class Main", "class Extra"));
    saved.assertMatchesFreshLint(kept.updateAll(List.of(SourceFile.read(extra))), null, null, "new file");
    String mainBuffer = MAIN.replace("helper.apply(x)", "helper.apply(x).add(1)");
    saved.assertMatchesFreshLint(kept.updateAll(List.of(new SourceFile(main, mainBuffer))), main, mainBuffer,
        "main buffer");
  }

  @Test
  void aReplacedFileNoLongerWritesWhatItWrote() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("p2/demo"));
    saved.save(dir.resolve("Helper.java"), HELPER);
    Path main = saved.save(dir.resolve("Main.java"), MAIN);
    Path other = saved.save(dir.resolve("Other.java"), OTHER);
    Linter kept = new Linter(config());
    kept.lint(saved.onDisk());
    // the classic update path keeps the index too: the qualified write must be forgotten
    saved.save(other, OTHER.replace("h.scale = 2f;", "float s = h.scale;"));
    kept.update(SourceFile.read(other));
    LintResult r = kept.update(SourceFile.read(main));
    assertEquals(new Linter(config()).lint(saved.onDisk()).findings().stream()
        .filter(f -> f.file().equals(main)).toList(), r.findings());
  }

  private static LintConfig config() {
    return LintConfig.defaults().withClasspath(List.of(engineClasses));
  }
}
