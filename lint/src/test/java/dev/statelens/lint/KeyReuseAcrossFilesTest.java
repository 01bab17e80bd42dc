package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SL010 through calls into the project's other files: {@code Model.noise(key, x)},
 * {@code model.dropout(key, x)} and {@code new Layer(key)} where that file's method or
 * constructor draws from its {@code Key} parameter (in its own file or through further files:
 * chains and cycles of files). Kept right when the other file changes ({@code update},
 * {@code updateAll}), also at the far end of a chain; silent where the call's target is not
 * plain from the text (overloads, a type name two files declare, an untyped receiver).
 */
class KeyReuseAcrossFilesTest {

  @TempDir
  Path tmp;

  private static final String MODEL = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      public class Model {
        public static Array noise(Key key, Array x) {
          return x.add(sample(key));
        }

        static Array sample(Key k) {
          return Random.normal(k, 3);
        }

        public Array dropout(Key key, Array x) {
          return x.mul(Random.uniform(key, 3));
        }

        public static Key derive(Key key, int step) {
          return Random.foldIn(key, step);
        }

        public static Array scaled(Key key, int n) {
          return Random.normal(key, n);
        }

        public static Array scaled(Key key, Array x) {
          return x.mul(Random.uniform(key, 3));
        }

        public static Array scaled(Key key, Object any) {
          return Random.normal(Random.foldIn(key, 1), 3);
        }
      }
      """;

  private static final String LAYER = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      public class Layer {
        final Array w;

        public Layer(Key key) {
          this.w = Random.normal(key, 4);
        }
      }
      """;

  private static final String TRAIN = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      public class Train {
        Model model = new Model();

        Array twoNoises(Key key, Array x) {
          Array a = Model.noise(key, x);
          return a.add(Model.noise(key, x));
        }

        Array noiseThenDropout(Key key, Array x) {
          Model m = new Model();
          Array a = Model.noise(key, x);
          return m.dropout(key, a);
        }

        Array fieldReceiver(Key key, Array x) {
          Array a = this.model.dropout(key, x);
          return a.add(Random.normal(key, 3));
        }

        Array layers(Key key) {
          Layer a = new Layer(key);
          return a.w.add(new Layer(key).w);
        }

        Array inALoop(Key key, Array x) {
          for (int i = 0; i < 3; i++) {
            x = Model.noise(key, x);
          }
          return x;
        }

        Array derived(Key key, Array x) {
          Key k1 = Model.derive(key, 1);
          Key k2 = Model.derive(key, 2);
          return Model.noise(k1, x).add(Model.noise(k2, x));
        }

        Array split(Key key, Array x) {
          var ks = Random.split(key);
          return Model.noise(ks.first(), x).add(Model.noise(ks.second(), x));
        }

        Array overloads(Key key, Array x, Object any) {
          Array a = Model.scaled(key, 3);
          return a.add(Model.scaled(key, any));
        }
      }
      """;

  private Path write(String name, String text) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("demo"));
    return Files.writeString(dir.resolve(name + ".java"), text);
  }

  private static List<Finding> sl010(LintResult result, String file) {
    return result.findings().stream()
        .filter(f -> f.rule() == Rule.SL010 && f.file().getFileName().toString().equals(file))
        .toList();
  }

  private static List<Integer> lines(List<Finding> findings) {
    return findings.stream().map(f -> f.range().line()).toList();
  }

  @Test
  void drawsInOtherFilesAreFollowed() throws IOException {
    write("Model", MODEL);
    write("Layer", LAYER);
    write("Train", TRAIN);
    LintResult result = Linter.lintPaths(List.of(tmp), LintConfig.defaults());
    List<Finding> train = sl010(result, "Train.java");
    // 12: noise twice; 18: noise then m.dropout; 23: this.model.dropout then Random.normal;
    // 28: new Layer twice; 33: noise in a loop that does not reassign the key. Not reported:
    // 39-41 derive only folds in; 45-46 two halves; 50-51 scaled's overloads are not told apart
    // (scaled(key, 3) fits (Key, int) and (Key, Object); Java's "most specific" is not modelled)
    assertEquals(List.of(12, 18, 23, 28, 33), lines(train), train.toString());
    Finding twice = train.get(0);
    assertTrue(twice.message().contains("Model.noise(...) at line 12 (through "
        + "Random.normal(...) at Model.java:13) after Model.noise(...) at line 11"),
        twice.message());
    assertTrue(train.get(1).message().contains("m.dropout(...) at line 18 (through "
        + "Random.uniform(...) at Model.java:17)"), train.get(1).message());
    assertTrue(train.get(3).message().contains("new Layer(...) at line 28 (through "
        + "Random.normal(...) at Layer.java:11)"), train.get(3).message());
    for (Finding f : train) { // the fixes rewrite one file, which does not show the other draw
      assertEquals(List.of("suppress"), f.fixIds(), f.toString());
    }
    assertEquals(List.of(), sl010(result, "Model.java"));
  }

  @Test
  void aChangeInTheOtherFileChangesTheCallersFindings() throws IOException {
    Path model = write("Model", MODEL);
    Path train = write("Train", TRAIN);
    Linter linter = new Linter(LintConfig.defaults());
    LintResult first = linter.lint(List.of(SourceFile.read(model), SourceFile.read(train)));
    assertEquals(List.of(12, 18, 23, 33), lines(sl010(first, "Train.java")));

    // noise only folds in now: its callers' draws are gone, dropout's stay
    String folding = MODEL.replace("return x.add(sample(key));",
        "return x.add(Random.foldIn(key, 1).hashCode());");
    LintResult after = linter.updateAll(List.of(new SourceFile(model, folding)));
    assertEquals(List.of(23), lines(sl010(after, "Train.java")), after.findings().toString());
    LintResult fresh = new Linter(LintConfig.defaults())
        .lint(List.of(new SourceFile(model, folding), SourceFile.read(train)));
    assertEquals(lines(sl010(fresh, "Train.java")), lines(sl010(after, "Train.java")));

    // update() of the caller sees the model as last updated; back again through update()
    linter.update(new SourceFile(model, MODEL));
    assertEquals(List.of(12, 18, 23, 33),
        lines(sl010(linter.update(SourceFile.read(train)), "Train.java")));
  }

  @Test
  void theTypeIsTheOneTheCallersImportsAndPackageMean() throws IOException {
    write("Model", MODEL);
    // a second Model in another package, whose noise draws nothing
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("Model.java"), """
        package other;

        public class Model {
          public static int noise(Object key, Object x) { return 0; }
        }
        """);
    Path train = write("Train", TRAIN);
    // package demo, no import: demo.Model, as javac resolves it
    assertEquals(List.of(12, 18, 23, 33), lines(sl010(
        Linter.lintPaths(List.of(tmp), LintConfig.defaults()), "Train.java")));
    // import other.Model: that one, which draws nothing
    Files.writeString(train, TRAIN.replace("import dev.statelens.engine.Random;",
        "import dev.statelens.engine.Random;\nimport other.Model;"));
    assertEquals(List.of(), sl010(Linter.lintPaths(List.of(tmp), LintConfig.defaults()),
        "Train.java"));
    // import of a Model no analyzed file declares (a jar's): not followed
    Files.writeString(train, TRAIN.replace("import dev.statelens.engine.Random;",
        "import dev.statelens.engine.Random;\nimport org.lib.Model;"));
    assertEquals(List.of(), sl010(Linter.lintPaths(List.of(tmp), LintConfig.defaults()),
        "Train.java"));
    // another package, no import: no Model it can mean; the file is analyzed all the same
    Files.writeString(train, TRAIN.replace("package demo;", "package third;"));
    LintResult third = Linter.lintPaths(List.of(tmp), LintConfig.defaults());
    assertEquals(List.of(), sl010(third, "Train.java"));
    assertEquals(List.of(), third.notices(), "no file skipped");
  }

  @Test
  void silentWhereTheTargetIsNotPlain() throws IOException {
    write("Model", MODEL);
    // a second demo.Model (two source folders): not told apart
    Path second = Files.createDirectories(tmp.resolve("second/demo"));
    Files.writeString(second.resolve("Model.java"), """
        package demo;

        public class Model {
          public static int noise(Object key, Object x) { return 0; }
        }
        """);
    write("Train", TRAIN);
    List<Finding> train = sl010(Linter.lintPaths(List.of(tmp), LintConfig.defaults()),
        "Train.java");
    assertEquals(List.of(), train, train.toString());

    // the caller's own Model: its methods, not the other file's
    Path own = Files.createDirectories(tmp.resolve("own"));
    Path ownFile = Files.writeString(own.resolve("Own.java"), """
        package own;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;

        public class Own {
          static class Model {
            static Array noise(Key key, Array x) { return x; }
          }

          Array twice(Key key, Array x, Object untyped) {
            Array a = Model.noise(key, x);
            return a.add(Model.noise(key, x));
          }
        }
        """);
    Path model = write("Model", MODEL);
    LintResult result = Linter.lintPaths(List.of(model, ownFile), LintConfig.defaults());
    assertEquals(List.of(), sl010(result, "Own.java"), result.findings().toString());
  }

  // ---- chains of files: Train -> Hop1 -> ... -> Sampler, which draws

  /** {@code HopN.f(Key)} passes its key on to {@code next.f}; the last hop draws. */
  private static String hop(int n, String next) {
    return """
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;

        public class Hop%d {
          public static Array f(Key key) {
            return %s.f(key);
          }
        }
        """.formatted(n, next);
  }

  private static final String SAMPLER = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;
      import dev.statelens.engine.Random;

      public class Sampler {
        public static Array f(Key key) {
          return Random.normal(key, 3);
        }
      }
      """;

  private static final String CHAIN_CALLER = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Key;

      public class Caller {
        Array twice(Key key) {
          Array a = Hop1.f(key);
          return a.add(Hop1.f(key));
        }
      }
      """;

  /** Caller, Hop1 ... Hop{hops}, Sampler: written, in the order the linter is given them. */
  private List<SourceFile> chain(int hops, boolean callerFirst) throws IOException {
    List<SourceFile> files = new java.util.ArrayList<>();
    files.add(SourceFile.read(write("Caller", CHAIN_CALLER)));
    for (int i = 1; i <= hops; i++) {
      files.add(SourceFile.read(write("Hop" + i, hop(i, i == hops ? "Sampler" : "Hop" + (i + 1)))));
    }
    files.add(SourceFile.read(write("Sampler", SAMPLER)));
    if (!callerFirst) {
      java.util.Collections.reverse(files);
    }
    return files;
  }

  @Test
  void drawsThroughAChainOfFilesAreFollowed() throws IOException {
    for (boolean callerFirst : new boolean[] {true, false}) {
      // read caller first, each hop learns of the next only after it: the worst order
      LintResult result = new Linter(LintConfig.defaults()).lint(chain(5, callerFirst));
      List<Finding> caller = sl010(result, "Caller.java");
      assertEquals(List.of(9), lines(caller), "caller first: " + callerFirst);
      assertTrue(caller.get(0).message().contains("Hop1.f(...) at line 9 (through "
          + "Random.normal(...) at Sampler.java:9) after Hop1.f(...) at line 8"),
          caller.get(0).message());
      assertEquals(List.of("suppress"), caller.get(0).fixIds());
      for (int i = 1; i <= 5; i++) {
        assertEquals(List.of(), sl010(result, "Hop" + i + ".java"));
      }
    }
  }

  @Test
  void aChangeAtTheEndOfAChainReachesItsStart() throws IOException {
    List<SourceFile> files = chain(3, true);
    Path sampler = files.getLast().path();
    Linter linter = new Linter(LintConfig.defaults());
    assertEquals(List.of(9), lines(sl010(linter.lint(files), "Caller.java")));
    // the last file now only folds in: no draw along the chain any more
    String folding = SAMPLER.replace("return Random.normal(key, 3);",
        "return Random.normal(Random.foldIn(key, 1), 3);");
    LintResult after = linter.updateAll(List.of(new SourceFile(sampler, folding)));
    assertEquals(List.of(), sl010(after, "Caller.java"), after.findings().toString());
    // and back through update() of the last file (which reports that file), then of the caller
    linter.update(new SourceFile(sampler, SAMPLER));
    LintResult back = linter.update(files.getFirst());
    assertEquals(List.of(9), lines(sl010(back, "Caller.java")), back.findings().toString());
    // a middle hop that stops passing the key on cuts the chain
    Path hop2 = files.get(2).path();
    LintResult cut = linter.updateAll(List.of(new SourceFile(hop2,
        hop(2, "Hop3").replace("return Hop3.f(key);", "return Hop3.f(Random.foldIn(key, 2));")
            .replace("import dev.statelens.engine.Key;",
                "import dev.statelens.engine.Key;\nimport dev.statelens.engine.Random;"))));
    assertEquals(List.of(), sl010(cut, "Caller.java"), cut.findings().toString());
  }

  @Test
  void aCycleOfFilesSettles() throws IOException {
    // Ping.f and Pong.f call each other; only Pong draws, and only when n is 0
    Path ping = write("Ping", """
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;

        public class Ping {
          public static Array f(Key key, int n) {
            return Pong.f(key, n - 1);
          }

          Array twice(Key key) {
            Array a = Pong.f(key, 3);
            return a.add(f(key, 2));
          }
        }
        """);
    Path pong = write("Pong", """
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;
        import dev.statelens.engine.Random;

        public class Pong {
          public static Array f(Key key, int n) {
            return n == 0 ? Random.normal(key, 3) : Ping.f(key, n);
          }
        }
        """);
    Path silent = write("Silent", """
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;

        public class Silent {
          public static Array f(Key key, int n) {
            return Echo.f(key, n);
          }

          Array twice(Key key) {
            return f(key, 1).add(f(key, 2));
          }
        }
        """);
    Path echo = write("Echo", """
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;

        public class Echo {
          public static Array f(Key key, int n) {
            return Silent.f(key, n + 1);
          }
        }
        """);
    LintResult result = new Linter(LintConfig.defaults()).lint(List.of(SourceFile.read(ping),
        SourceFile.read(pong), SourceFile.read(silent), SourceFile.read(echo)));
    List<Finding> found = sl010(result, "Ping.java");
    assertEquals(List.of(13), lines(found), result.findings().toString());
    assertTrue(found.get(0).message().contains("(through Random.normal(...) at Pong.java:9)"),
        found.get(0).message());
    // a cycle that never draws reports nothing
    assertEquals(List.of(), sl010(result, "Silent.java"));
    assertEquals(List.of(), sl010(result, "Pong.java"));
  }
}
