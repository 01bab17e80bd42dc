package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Linter#updateAll} analyzes again only the files whose transform calls can see a change
 * (their analysis read the changed file, or touches a field whose "written after construction"
 * status flipped), and still reports what a fresh lint of the same texts reports, after every
 * save and buffer of a scripted sequence across four files.
 */
class UpdateAllNarrowingTest {

  @TempDir
  static Path tmp;

  private static Path engineClasses;

  @BeforeAll
  static void compileEngineStub() throws IOException, URISyntaxException {
    engineClasses = EngineStub.compile(tmp.resolve("engine-classes"));
  }

  /** Reached from Model's jit (apply), read by Reader's jit (scale, a field only). */
  static final String HELPER = """
      package demo;

      import dev.statelens.engine.Array;

      public class Helper {
        static int hits;
        float scale = 0.5f;

        Array apply(Array x) {
          return x.mul(2);
        }

        Array twice(Array x) {
          return x.add(x);
        }

        void reset() {
          int unused = 0;
        }
      }
      """;
  static final String MODEL = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Model {
        final Helper helper = new Helper();

        Function<Array, Array> step() {
          return Transforms.jit((Array x) -> helper.twice(helper.apply(x)));
        }
      }
      """;
  static final String READER = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Reader {
        final Helper helper = new Helper();

        Function<Array, Array> step() {
          return Transforms.jit((Array x) -> x.mul(helper.scale));
        }
      }
      """;
  static final String LONE = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Lone {
        static int calls;

        Array body(Array x) {
          return x.add(1);
        }

        Function<Array, Array> step() {
          return Transforms.jit(this::body);
        }
      }
      """;

  /** Its own field named scale, written after construction: Helper's scale flipping is not its. */
  static final String TWIN = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Twin {
        float scale = 1f;

        void set(float s) {
          scale = s;
        }

        Function<Array, Array> step() {
          return Transforms.jit((Array x) -> x.mul(scale));
        }
      }
      """;

  private final SavedProject saved = new SavedProject(config());

  @Test
  void savesReanalyzeOnlyTheCallsThatReachTheChangedFile() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("n1/demo"));
    Path helper = saved.save(dir.resolve("Helper.java"), HELPER);
    Path model = saved.save(dir.resolve("Model.java"), MODEL);
    Path reader = saved.save(dir.resolve("Reader.java"), READER);
    saved.save(dir.resolve("Lone.java"), LONE);
    saved.save(dir.resolve("Twin.java"), TWIN);
    Linter kept = new Linter(config());
    kept.lint(saved.onDisk());

    // the helper gains a field write reached from Model's jit: only Model is analyzed again
    String h = HELPER.replace("return x.mul(2);", "hits++;\n    return x.mul(2);");
    LintResult r = saveAndUpdate(kept, helper, h);
    saved.assertMatchesFreshLint(r, "field write added");
    assertTrue(r.findings().stream().anyMatch(f -> f.file().equals(helper)
        && f.rule() == Rule.SL001), "SL001 in the helper, from Model's jit: " + r.findings());
    assertEquals(Set.of(model), kept.lastReanalyzedFiles(), "field write added");

    // ... and loses it again
    saved.assertMatchesFreshLint(saveAndUpdate(kept, helper, HELPER), "field write removed");
    assertEquals(Set.of(model), kept.lastReanalyzedFiles(), "field write removed");

    // a body now writes scale after construction: Reader's read of it becomes SL006
    h = HELPER.replace("int unused = 0;", "scale = 2f;");
    r = saveAndUpdate(kept, helper, h);
    saved.assertMatchesFreshLint(r, "scale written after construction");
    assertTrue(r.findings().stream().anyMatch(f -> f.file().equals(reader)
        && f.rule() == Rule.SL006), "SL006 in Reader: " + r.findings());
    assertEquals(Set.of(model, reader), kept.lastReanalyzedFiles(),
        "Helper's scale flipped; Twin's own scale did not");

    // two bodies changed in one save (no field status flips): Model only
    String twoBodies = h.replace("return x.mul(2);", "return x.mul(3);")
        .replace("return x.add(x);", "hits--;\n    return x.add(x);");
    saved.assertMatchesFreshLint(saveAndUpdate(kept, helper, twoBodies), "two bodies");
    assertEquals(Set.of(model), kept.lastReanalyzedFiles(),
        "hits flips, scale (Reader's only read of Helper) does not: Model only");
  }

  @Test
  void declarationChangesAnalyzeEverything() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("n2/demo"));
    Path helper = saved.save(dir.resolve("Helper.java"), HELPER);
    saved.save(dir.resolve("Model.java"), MODEL);
    saved.save(dir.resolve("Reader.java"), READER);
    Path lone = saved.save(dir.resolve("Lone.java"), LONE);
    Linter kept = new Linter(config());
    kept.lint(saved.onDisk());

    // a signature: every call is analyzed again
    saved.assertMatchesFreshLint(saveAndUpdate(kept, helper, HELPER.replace("Array twice(Array x)",
        "Array twice(Array x, int... more)")), "signature");
    assertNull(kept.lastReanalyzedFiles(), "a signature change analyzes every call");

    // a field's initializer (skeleton) and a new field
    saved.assertMatchesFreshLint(saveAndUpdate(kept, helper, HELPER.replace("0.5f", "0.25f")), "initializer");
    assertNull(kept.lastReanalyzedFiles());
    saved.assertMatchesFreshLint(saveAndUpdate(kept, helper, HELPER.replace("static int hits;",
        "static int hits;\n  int more;")), "new field");
    assertNull(kept.lastReanalyzedFiles());

    // a local class in a body is a type the index knows: every call again
    saved.assertMatchesFreshLint(saveAndUpdate(kept, helper, HELPER.replace("int unused = 0;",
        "class Local {}\n    int unused = 0;")), "local class");
    assertNull(kept.lastReanalyzedFiles());

    // back to a body-only edit: narrow again; an unsaved buffer of Lone: Lone only
    saved.assertMatchesFreshLint(saveAndUpdate(kept, helper, HELPER), "back");
    String buffer = LONE.replace("return x.add(1);", "calls++;\n    return x.add(1);");
    LintResult r = kept.updateAll(List.of(new SourceFile(lone, buffer)));
    saved.assertMatchesFreshLint(r, lone, buffer, "Lone buffer");
    assertEquals(Set.of(lone), kept.lastReanalyzedFiles(), "Lone's buffer reaches no other file");
    // a new file: every call again
    Path extra = saved.save(dir.resolve("Extra.java"), READER.replace("class Reader", "class Extra"));
    saved.assertMatchesFreshLint(kept.updateAll(List.of(SourceFile.read(extra), new SourceFile(lone, LONE))), "new file");
    assertNull(kept.lastReanalyzedFiles());
  }

  /** Random body edits across the files, saved one or two at a time, each against a fresh lint. */
  @Test
  void randomBodyEditsMatchAFreshLint() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("n3/demo"));
    Map<Path, String> base = new LinkedHashMap<>();
    base.put(saved.save(dir.resolve("Helper.java"), HELPER), HELPER);
    base.put(saved.save(dir.resolve("Model.java"), MODEL), MODEL);
    base.put(saved.save(dir.resolve("Reader.java"), READER), READER);
    base.put(saved.save(dir.resolve("Lone.java"), LONE), LONE);
    List<Path> paths = List.copyOf(base.keySet());
    String[] statements = {"hits++;", "scale = 1f;", "System.out.println(\"x\");",
        "double r = Math.random();", "int unused = 1;", "calls++;", "new Helper().scale = 3f;",
        "Helper.hits = 2;", "long t = System.nanoTime();"};
    Linter kept = new Linter(config());
    kept.lint(saved.onDisk());
    Random random = new Random(7);
    int narrowed = 0;
    for (int step = 0; step < 30; step++) {
      List<SourceFile> changed = new ArrayList<>();
      int files = 1 + random.nextInt(2);
      for (int i = 0; i < files; i++) {
        Path p = paths.get(random.nextInt(paths.size()));
        String text = saved.text(p);
        int at = bodyStatementStart(text, random);
        if (at < 0) {
          continue;
        }
        String stmt = statements[random.nextInt(statements.length)];
        text = text.substring(0, at) + stmt + "\n    " + text.substring(at);
        if (random.nextInt(4) == 0) {
          text = base.get(p); // back to the start
        }
        saved.save(p, text);
        changed.removeIf(f -> f.path().equals(p));
        changed.add(SourceFile.read(p));
      }
      saved.assertMatchesFreshLint(kept.updateAll(changed), "step " + step + " " + changed.stream()
          .map(f -> f.path().getFileName()).toList());
      if (kept.lastReanalyzedFiles() != null) {
        narrowed++;
      }
    }
    assertTrue(narrowed >= 10, "most body edits take the narrow path: " + narrowed);
  }

  /** The start of a {@code return} statement in some method body, or -1. */
  private static int bodyStatementStart(String text, Random random) {
    List<Integer> starts = new ArrayList<>();
    for (int i = text.indexOf("return x"); i >= 0; i = text.indexOf("return x", i + 1)) {
      starts.add(i);
    }
    for (int i = text.indexOf("int unused"); i >= 0; i = text.indexOf("int unused", i + 1)) {
      starts.add(i);
    }
    return starts.isEmpty() ? -1 : starts.get(random.nextInt(starts.size()));
  }

  private LintResult saveAndUpdate(Linter kept, Path file, String text) throws IOException {
    saved.save(file, text);
    return kept.updateAll(List.of(SourceFile.read(file)));
  }

  private static LintConfig config() {
    return LintConfig.defaults().withClasspath(List.of(engineClasses));
  }
}
